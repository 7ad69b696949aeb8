// The record format of the Python original (see FACTS.md): big-endian
// key_size u32 | value_size u32 | timestamp_ms u64 | key | value, no
// checksum, value_size 0 meaning a tombstone, files named <id>.data.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace bitcask::pybitcask {

inline constexpr std::uint32_t kHeaderSize = 16;

struct Header {
  std::uint32_t key_size = 0;
  std::uint32_t value_size = 0;
  std::uint64_t timestamp_ms = 0;
};

// False when the record does not fit in `available` bytes (a torn tail).
bool parse_record(const char* data, std::uint64_t available, Header* header);

// The *.data files of a directory in the order the Python code reads them:
// names sorted as strings (so "10.data" comes before "2.data").
std::vector<std::filesystem::path> data_files(const std::filesystem::path& dir);

}  // namespace bitcask::pybitcask
