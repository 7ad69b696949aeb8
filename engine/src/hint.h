// Hint files: the keys and record locations of one sealed segment, so that
// opening a database reads a few bytes per key instead of every value.
//
// File NNNNNNNNNN.hint beside its segment:
//   header  magic "\x89BCHINT\n" (8) | version u16 (2) | flags u16 | segment id u32
//   entries varint shared | varint unshared | varint kind_flags |
//           varint zigzag(offset - previous offset) | varint record size |
//           varint zigzag(timestamp_us - previous timestamp_us) |
//           [varint expiry_us if flags has expiry] | unshared key bytes
//   trailer entry count u64 | records covered u64 | bytes of the segment
//           covered u64 | crc32c u32 of every byte before it
// Entries hold the last record of each key in the segment, sorted by key:
// that is all a keydir needs, and sorted keys build its ordered index in
// amortised constant time per key. Sorted keys also share prefixes, so each
// key stores only what differs from the previous one (`shared` bytes are
// taken from it), and numbers are deltas from the previous entry's (writes
// in key order make them a byte or two): a hint is about a quarter of the
// fixed-width version 1 (9 MB against 35 MB at 1M keys), so a cold open
// reads a quarter of the bytes.
// kind_flags is the record's flags << 1, | 1 for a tombstone.
// A hint covers the segment from its start to `covered`: all of a sealed
// segment, or the active segment as it was at close (the rest is scanned).
// A hint is trusted whole or not at all: one whose size, checksum, header,
// version or counts are wrong, or with any entry that could not describe a
// record of its segment, is ignored as a whole (the segment is scanned), so
// nothing read from it can point a read outside the segment. A version 1
// hint is rebuilt like a damaged one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "file_util.h"
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

// The entry count from the trailer of segment `segment_id`'s hint in `dir`,
// for sizing only: unchecked, but never more than the segment could hold; 0
// when the hint cannot be read or is larger than its segment could need.
std::uint64_t entry_count(const std::filesystem::path& dir, std::uint32_t segment_id);

// Decodes a hint's entries in order, checking each against the segment
// bytes the hint covers. Copyable, so one cursor can run
// ahead of another (opening prefetches the keydir slots of the entries a
// few ahead of the one it applies: cache misses dominate opening).
class Cursor {
 public:
  Cursor(const char* begin, const char* end, std::uint32_t segment_id, std::uint64_t covered);
  // Decodes the next entry into *e; its key stays valid until the next call.
  // False at the end, or at an entry that does not parse or could not be a
  // record of the covered bytes.
  bool next(Entry* e);
  // Checks the next entry without building its key; false as next() would.
  bool skip();
  bool at_end() const { return pos_ == end_; }

 private:
  struct Fields {
    std::uint64_t shared, unshared, size, expiry_us;
    std::uint8_t flags;
    bool tombstone;
  };
  // Decodes and checks the next entry's numbers, up to its key suffix.
  bool decode(Fields* f);

  const char* pos_;
  const char* end_;
  std::uint32_t segment_id_;
  std::uint64_t covered_;
  std::vector<char> key_;  // the last key, in room for the longest
  std::uint64_t key_size_ = 0;
  std::uint64_t offset_ = 0;
  std::uint64_t timestamp_us_ = 0;
};

// A whole hint, mapped and checked: its checksum, header and every entry,
// before any entry is handed out, so a bad hint changes nothing (the caller
// then scans the segment and rebuilds the hint).
class Reader {
 public:
  // False when the hint is missing or damaged in any way. `segment_size`
  // bounds what the hint may claim: it is checked against it before it is
  // mapped, and every entry must lie inside the bytes it covers.
  bool open(const std::filesystem::path& path, std::uint32_t segment_id,
            std::uint64_t segment_size);
  Cursor entries() const;
  // The records and bytes of the segment the hint covers.
  std::uint64_t records() const { return records_; }
  std::uint64_t covered() const { return covered_; }
  // Entries (keys) it lists.
  std::uint64_t entry_count() const { return entries_; }

 private:
  Mapping map_;
  std::uint32_t segment_id_ = 0;
  std::size_t end_ = 0;  // of the entries
  std::uint64_t records_ = 0;
  std::uint64_t covered_ = 0;
  std::uint64_t entries_ = 0;
};

}  // namespace bitcask::hint
