// CRC-32C (Castagnoli), the checksum of every record and hint file.
#pragma once

#include <cstddef>
#include <cstdint>

namespace bitcask::crc32c {

// CRC-32C of data[0, n), continuing from `crc` (the value of a previous
// call over the bytes before; 0 to start).
std::uint32_t extend(std::uint32_t crc, const char* data, std::size_t n);

inline std::uint32_t value(const char* data, std::size_t n) { return extend(0, data, n); }

}  // namespace bitcask::crc32c
