// Hint files: the keys and record locations of one sealed segment, so that
// opening a database reads kilobytes of hints instead of every value.
//
// File NNNNNNNNNN.hint beside its segment:
//   header  magic "\x89BCHINT\n" (8) | version u16 | flags u16 | segment id u32
//   entries timestamp_us u64 | offset u32 | size u32 | kind u8 | flags u8 |
//           key_size u16 | [expiry_us u64 if flags has expiry] | key
//   trailer entry count u64 | records covered u64 | bytes of the segment
//           covered u64 | crc32c u32 of every byte before it
// A hint covers the segment from its start to `covered`: all of a sealed
// segment, or the active segment as it was at close (the rest is scanned).
// Entries hold the last record of each key in the segment, sorted by key:
// that is all a keydir needs, and sorted keys build its ordered index in
// amortised constant time per key.
// A hint whose checksum, header or entry count is wrong is ignored as a whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keydir.h"
#include "segment_reader.h"

namespace bitcask::hint {

inline constexpr const char* kSuffix = ".hint";

std::string file_name(std::uint32_t segment_id);

struct Entry {
  RecordKind kind;  // kPut or kTombstone
  std::string_view key;
  Location loc;
  std::uint64_t expiry_us = 0;
};

// Collects entries while a segment is walked, then writes the hint.
class Builder {
 public:
  explicit Builder(std::uint32_t segment_id);
  void add(const RawRecord& rec);
  // Adds an entry whose bytes now live at `offset` (merge outputs).
  void add(const RawRecord& rec, std::uint32_t offset);
  void count_record() { ++records_; }
  std::uint64_t records() const { return records_; }
  // Writes the hint, covering segment bytes [0, covered), durably: temp
  // file, fsync, rename, fsync of the directory.
  void write(const std::filesystem::path& dir, std::uint64_t covered) const;

 private:
  std::uint32_t segment_id_;
  std::string body_;                   // header, then entries in segment order
  std::vector<std::uint32_t> starts_;  // of each entry in body_
  std::uint64_t records_ = 0;
};

// The entry count from a hint's trailer (unchecked: for sizing only), 0
// when it cannot be read.
std::uint64_t entry_count(const std::filesystem::path& path);

// Reads and checks a whole hint, then calls `visit` for each entry in
// segment order. Returns false, having visited nothing, when the hint is
// missing or damaged in any way (the caller then scans the segment and
// rebuilds the hint); a hint claiming to cover more than `segment_size` bytes
// is damaged too. *records and *covered receive the records and bytes of the
// segment the hint covers. `ahead`, if given, sees each entry kLookahead
// entries before `visit` does, so the caller can prefetch the memory visit
// will touch (the keydir's hash slots: cache misses dominate opening).
inline constexpr std::size_t kLookahead = 8;
bool read(const std::filesystem::path& path, std::uint32_t segment_id, std::uint64_t segment_size,
          const std::function<void(const Entry&)>& visit, std::uint64_t* records,
          std::uint64_t* covered, const std::function<void(const Entry&)>& ahead = {});

}  // namespace bitcask::hint
