// Walks the records of a segment in file order, in either format, and finds
// where damage starts and ends. Recovery, verify and the inspectors all read
// segments through this one walker, so they agree on what is damaged.
#pragma once

#include <bitcask/record.h>

#include <cstdint>
#include <string_view>
#include <vector>

#include "layout.h"
#include "segment.h"

namespace bitcask {

struct RawRecord {
  std::uint64_t offset = 0;
  // Bytes of the record; for a damaged region, bytes up to the next valid
  // record or the end of the file.
  std::uint64_t length = 0;
  bool ok = true;
  const char* problem = "";  // why it is damaged, when !ok
  bool runs_to_end = false;  // damaged and no valid record follows
  RecordKind kind = RecordKind::kPut;
  std::uint8_t flags = 0;
  std::uint32_t header_size = 0;
  std::uint32_t key_size = 0;
  std::uint32_t value_size = 0;
  std::uint64_t timestamp_us = 0;
  std::uint64_t expiry_us = 0;
  std::string_view key;
  std::string_view value;
};

class SegmentReader {
 public:
  // Reads data[start, size). `start` 0 means the first record.
  SegmentReader(const char* data, std::uint64_t size, SegmentFormat format, std::uint64_t start = 0,
                bool verify_checksums = true);
  // Any segment, foreign ones included (decoded by their Layout).
  explicit SegmentReader(const Segment& segment, std::uint64_t start = 0,
                         bool verify_checksums = true);

  // Fills *out with the next record or damaged region; false at the end.
  bool next(RawRecord* out);
  std::uint64_t position() const { return pos_; }

 private:
  bool parse_at(std::uint64_t at, RawRecord* out) const;
  std::uint64_t find_next_valid(std::uint64_t from) const;
  // A foreign record: decoded into foreign_record_, whose buffers the
  // RawRecord's key and value point into until the next call.
  bool next_foreign(RawRecord* out);

  const char* data_;
  std::uint64_t size_;
  bool verify_;
  std::uint64_t pos_;
  const char* last_problem_ = "";
  const Layout* layout_ = nullptr;
  const ForeignFile* foreign_ = nullptr;
  ForeignRecord foreign_record_;
  std::string why_;
};

// Damaged region `damaged` of a segment read as the one record it would be
// when only its checksum fails (a flipped value, key or checksum byte): the
// region is exactly one put or tombstone whose header still parses. Fills
// *as_read (its key pointing into the segment, ok still false) and returns
// true; false when the region is anything else or the segment is foreign.
// Unverified: what it gives names the damage and keeps the keydir as a hint
// would have it, and is never served as data.
bool read_damaged_record(const Segment& segment, const RawRecord& damaged, RawRecord* as_read);

// Offset of a segment's first record.
std::uint64_t first_record_offset(SegmentFormat format);

}  // namespace bitcask

namespace bitcask {

// The records a reader applies, in order: puts and tombstones outside
// batches, and those of batches whose commit record is present. Everything
// else comes out as damage (ok == false): damaged regions, and batches that
// never committed (from their begin record, runs_to_end when nothing valid
// follows them).
class CommittedReader {
 public:
  explicit CommittedReader(const Segment& segment, std::uint64_t start = 0,
                           bool verify_checksums = true);
  bool next(RawRecord* out);
  // Batch begin and commit records seen so far.
  std::uint64_t markers() const { return markers_; }

 private:
  void fail_batch(std::uint64_t end, bool runs_to_end, const char* why);

  SegmentReader reader_;
  std::uint64_t size_;
  std::vector<RawRecord> batch_;
  std::vector<RawRecord> ready_;  // reversed: next item at the back
  bool in_batch_ = false;
  bool skipping_ = false;  // inside a batch already reported as damaged
  std::uint64_t batch_start_ = 0;
  std::uint64_t markers_ = 0;
};

}  // namespace bitcask
