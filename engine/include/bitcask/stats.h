// Figures about a database, as reported by DB::stats() and `bitcask stats`.
#pragma once

#include <bitcask/export.h>

#include <cstdint>
#include <string>
#include <vector>

namespace bitcask {

struct BITCASK_EXPORT SegmentStats {
  std::uint32_t id = 0;
  std::string file;
  std::uint64_t size = 0;          // bytes of the file up to its last record
  std::uint64_t records = 0;       // every record, live or not
  std::uint64_t live_records = 0;  // records the keydir points at
  std::uint64_t live_bytes = 0;    // bytes of those records
  std::uint64_t dead_bytes = 0;    // size - header - live_bytes
  std::uint64_t tombstones = 0;
  bool active = false;
  bool has_hint = false;
};

struct BITCASK_EXPORT Stats {
  std::uint64_t keys = 0;
  std::uint64_t segments = 0;
  std::uint64_t total_bytes = 0;
  std::uint64_t live_bytes = 0;
  std::uint64_t dead_bytes = 0;
  std::uint64_t tombstones = 0;
  double fragmentation = 0.0;      // dead_bytes / total_bytes, 0 when empty
  std::uint64_t keydir_bytes = 0;  // memory held by the in-memory index
  std::vector<SegmentStats> segment_stats;
};

}  // namespace bitcask
