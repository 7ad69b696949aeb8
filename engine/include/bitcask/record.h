// A record as stored in a segment, for inspection tools (`bitcask dump`,
// `bitcask check`, the browser's segment view).
#pragma once

#include <bitcask/export.h>

#include <cstdint>
#include <string>

namespace bitcask {

enum class RecordKind : std::uint8_t {
  kPut = 0,
  kTombstone = 1,
  kBatchBegin = 2,
  kBatchCommit = 3,
};

BITCASK_EXPORT const char* to_string(RecordKind kind);

struct BITCASK_EXPORT RecordInfo {
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;       // of the record's first byte in the file
  std::uint32_t record_size = 0;  // header + key + value
  RecordKind kind = RecordKind::kPut;
  std::string key;
  std::uint32_t value_size = 0;
  std::uint64_t timestamp_us = 0;  // microseconds since the Unix epoch
  bool checksum_ok = true;         // always true for the Python format (none)
};

// One part of a stored record, for hex views: where it lies in the record's
// bytes and what it holds, in the record's own layout (a native header, a
// pybitcask >IIQ header or protobuf framing, a Basho header, ...).
struct RecordPart {
  std::string name;          // "header (protobuf)", "key", "value", ...
  std::uint64_t offset = 0;  // from the record's first byte
  std::uint64_t length = 0;
  std::string value;  // what it says, for people (may be empty)
};

}  // namespace bitcask
