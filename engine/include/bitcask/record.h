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

}  // namespace bitcask
