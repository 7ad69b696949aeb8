// Rebuilding the keydir and the segment table from the files of a directory
// when a database is opened (recovery.cpp has the rules).
#pragma once

#include <bitcask/options.h>
#include <bitcask/recovery.h>

#include <cstdint>
#include <vector>

#include "hint.h"
#include "layout.h"
#include "segment_table.h"

namespace bitcask {

// One open's recovery. It holds the table's lock for its whole run: nobody
// else can see the database yet, and the lock is what the annotations ask
// for.
class Recovery {
 public:
  Recovery(const fs::path& dir, const Options& options, bool read_only, SegmentTable& table,
           RecoveryReport* report)
      : dir_(dir), options_(options), read_only_(read_only), table_(table), report_(*report) {}

  // Reads the native segments `ids` (ascending). Writable, the newest
  // segment takes appends, or a fresh one is created after it. Throws
  // Error(kNotFound) when a listed segment is gone (a merge removed it
  // between listing and opening; the caller lists again).
  void native(const std::vector<std::uint32_t>& ids);
  // Reads the files of a foreign layout (read-only, in place).
  void foreign(const Layout& layout);

  // Sealed segments whose hint must be (re)written: hints cover only part.
  const std::vector<std::uint32_t>& hints_owed() const { return hints_owed_; }

 private:
  void recover_segment(const std::shared_ptr<Segment>& seg, bool is_last, std::uint64_t start,
                       hint::Builder* hint) ABSL_EXCLUSIVE_LOCKS_REQUIRED(table_.mu());
  std::uint64_t load_hint(Segment& seg, const hint::Reader& hint)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(table_.mu());
  void apply(Segment& seg, const RawRecord& rec) ABSL_EXCLUSIVE_LOCKS_REQUIRED(table_.mu());
  void cut_tail(Segment& seg, std::uint64_t offset, std::uint64_t end);
  void remove_temp_files();
  bool open_hint(std::uint32_t id, const fs::path& segment_path, hint::Reader* hint) const;

  const fs::path& dir_;
  const Options& options_;
  const bool read_only_;
  SegmentTable& table_;
  RecoveryReport& report_;
  std::vector<std::uint32_t> hints_owed_;
};

}  // namespace bitcask
