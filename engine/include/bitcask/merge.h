// Merge (compaction): rewrites the live records of sealed segments into new
// segments with hint files, dropping overwritten values, expired records and
// tombstones that no longer shadow anything. Runs while the database stays
// open; crash-safe at every step (engine/FORMAT.md, "Merge").
#pragma once

#include <bitcask/export.h>
#include <bitcask/recovery.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bitcask {

// When a merge is worth running, and which segments it takes. The defaults
// are the original Bitcask's.
struct BITCASK_EXPORT MergeThresholds {
  // Merge when the database as a whole is this fragmented (dead / total) ...
  double fragmentation_trigger = 0.60;
  // ... or holds this many dead bytes.
  std::uint64_t dead_bytes_trigger = 512ull << 20;
  // A merge then takes every sealed segment at least this fragmented, ...
  double fragmentation_threshold = 0.40;
  // ... or with this many dead bytes, ...
  std::uint64_t dead_bytes_threshold = 128ull << 20;
  // ... or smaller than this (small files are folded together).
  std::uint64_t small_segment_threshold = 10ull << 20;
};

struct BITCASK_EXPORT MergeProgress {
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_total = 0;  // of the input segments
  std::uint64_t bytes_written = 0;
  std::uint32_t segments_done = 0;
  std::uint32_t segments_total = 0;
};

struct BITCASK_EXPORT MergeOptions {
  // true: every sealed segment; false: only those MergeThresholds pick.
  bool all_segments = true;
  // Called often; return false to cancel. A cancelled merge keeps what it
  // finished (complete, durable output segments) and removes nothing that
  // still holds a live record.
  std::function<bool(const MergeProgress&)> progress;
};

struct BITCASK_EXPORT MergeResult {
  std::uint32_t inputs = 0;
  std::uint32_t outputs = 0;
  std::uint32_t inputs_removed = 0;
  std::uint64_t bytes_before = 0;   // of the inputs
  std::uint64_t bytes_after = 0;    // of the outputs
  std::uint64_t bytes_removed = 0;  // of the inputs removed (kept ones still take their space)
  std::uint64_t records_copied = 0;
  std::uint64_t records_dropped = 0;
  double seconds = 0;
  bool cancelled = false;
  std::vector<std::string> notes;  // inputs kept and why, damaged records skipped
  // Damaged records found in the inputs. They are never copied; their bytes
  // are saved under lost+found/ (as <segment file>.<offset>.damaged) before
  // the segment holding them can be removed. Non-empty means the caller
  // must report them: the merge removed damage from the database's files.
  std::vector<Problem> damaged;
  std::vector<std::string> saved_to;  // the lost+found/ files written
  // Keys whose live version was a damaged record: gone from the database
  // after the merge (their bytes are in lost+found/), in Problem::key too.
  std::uint64_t damaged_keys_removed = 0;
  std::uint64_t damaged_bytes() const {
    std::uint64_t n = 0;
    for (const Problem& p : damaged) n += p.length;
    return n;
  }
  // What the database's files shrank by: the inputs removed less the
  // outputs written (0 when it grew, as when inputs had to be kept).
  std::uint64_t bytes_reclaimed() const {
    return bytes_removed > bytes_after ? bytes_removed - bytes_after : 0;
  }
};

}  // namespace bitcask
