// Options that control how a database is opened and written.
#pragma once

#include <bitcask/export.h>
#include <bitcask/merge.h>

#include <chrono>
#include <cstdint>

namespace bitcask {

// When an acknowledged write is guaranteed to be on stable storage.
enum class SyncPolicy {
  // Every write reaches the operating system before the call returns, so a
  // killed process loses nothing; the OS decides when it reaches the disk.
  None,
  // Nothing is acknowledged before it is on disk. Concurrent writers share
  // one fdatasync (group commit).
  Always,
  // A background thread syncs every Options::sync_interval.
  Interval,
};

// Compression applied to values as they are written (issue: per database,
// recorded per record, so plain and compressed records can be mixed).
enum class Compression { None, Zstd, Lz4 };

// Hard limits of format version 1 (engine/FORMAT.md).
inline constexpr std::uint32_t kMaxKeySize = 65535;           // u16 field
inline constexpr std::uint32_t kMaxValueSize = 256u << 20;    // 256 MiB
inline constexpr std::uint64_t kMaxSegmentSize = 3ull << 30;  // offsets are u32
inline constexpr std::uint64_t kDefaultSegmentSize = 256ull << 20;
// A batch is one append and must fit the room kept for one record.
inline constexpr std::uint64_t kMaxBatchBytes = kMaxValueSize;

struct BITCASK_EXPORT Options {
  SyncPolicy sync = SyncPolicy::None;
  std::chrono::milliseconds sync_interval{1000};

  // Open without taking the writer lock; every write fails with kReadOnly.
  // Allowed beside a writer. The files are never modified.
  bool read_only = false;
  // Create the directory (and its parents) when it does not exist.
  bool create_if_missing = true;

  // The active segment is sealed and a new one started once it reaches this
  // size. At most kMaxSegmentSize.
  std::uint64_t max_segment_size = kDefaultSegmentSize;

  // Verify each record's CRC-32C when it is read, so a value damaged on disk
  // after open is reported instead of served.
  bool verify_checksums = true;

  Compression compression = Compression::None;

  // Automatic merges: a background thread checks every merge_check_interval
  // and merges when merge_thresholds say so. Off by default; merge() and
  // `bitcask merge` always work.
  bool auto_merge = false;
  std::chrono::milliseconds merge_check_interval{60'000};
  MergeThresholds merge_thresholds;
};

}  // namespace bitcask
