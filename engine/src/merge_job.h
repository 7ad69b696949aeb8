// One run of a merge (merge.cpp has the rules it follows).
#pragma once

#include <bitcask/merge.h>
#include <bitcask/options.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "segment_table.h"

namespace bitcask {

// What DBImpl::merge decided while it held the write lock.
struct MergePlan {
  std::vector<std::shared_ptr<Segment>> inputs;  // sealed, oldest first
  // Ids reserved for the outputs: above every input, below the new active
  // segment, so later writes shadow the copies on any later recovery.
  std::uint32_t first_output = 0;
  std::uint32_t last_output = 0;
};

// The sealed segments a merge takes: all of them, or those the thresholds
// pick. Oldest first.
std::vector<std::shared_ptr<Segment>> choose_merge_inputs(const SegmentTable& table,
                                                          const MergeThresholds& thresholds,
                                                          bool all_segments)
    ABSL_SHARED_LOCKS_REQUIRED(table.mu());

class MergeJob {
 public:
  MergeJob(const fs::path& dir, const Options& options, SegmentTable& table, MergePlan plan,
           const MergeOptions& merge_options, const std::atomic<bool>& closed)
      : dir_(dir),
        options_(options),
        table_(table),
        plan_(std::move(plan)),
        merge_options_(merge_options),
        closed_(closed) {}

  // Copies, points the keydir at the copies, removes the inputs that no
  // longer hold anything. On an error (a full disk) it first undoes itself:
  // the keydir goes back to the inputs and every output is removed, so a
  // retry does not start from more bytes than this run did; then it throws.
  MergeResult run();

 private:
  class Writer;
  // A damaged region of an input and its entry in MergeResult::damaged.
  struct DamagedRegion {
    std::uint32_t segment;
    std::uint64_t offset, length;
    std::size_t problem;
  };
  // A key whose live record lies in a damaged region, and that region's
  // entry in MergeResult::damaged.
  struct DamagedKey {
    std::string key;
    Location at;
    std::size_t problem;
  };
  std::size_t copy_inputs(Writer& out, MergeResult* result);
  void find_damaged_keys(Writer& out, const std::vector<DamagedRegion>& regions,
                         std::uint32_t kept);
  void forget_damaged_keys(MergeResult* result);
  bool live_in_keydir(std::string_view key) const;
  void save_damaged(const Segment& seg, const RawRecord& rec, MergeResult* result);
  std::uint32_t remove_merged_inputs(std::size_t completed, MergeResult* result);
  std::uint32_t oldest_kept() const;

  const fs::path& dir_;
  const Options& options_;
  SegmentTable& table_;
  const MergePlan plan_;
  const MergeOptions& merge_options_;
  const std::atomic<bool>& closed_;
  std::vector<DamagedKey> damaged_keys_;
};

}  // namespace bitcask
