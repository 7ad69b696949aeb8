// The database: keydir + segment table + the write path, recovery and sync.
//
// Locks, each with what it guards written as an annotation that clang's
// -Wthread-safety checks (the build-tsa CI stage):
// - table_.mu(): the segment table and the keydir it holds. Readers hold it shared
//   for a lookup and copy; writers exclusively only to publish a record
//   they already appended.
// - write_mu_: appends (the active segment's end, the write buffer).
// - sync_mu_: makes concurrent Always-writers share one fdatasync (held only
//   to choose the leader and publish what it synced, never during the sync).
// - merge_mu_: one merge at a time.
// - bg_mu_: the background thread's queue and stop flag.
// Order: merge_mu_ -> write_mu_ -> table_.mu(); sync_mu_ -> table_.mu();
// bg_mu_ is never held while taking another.
#pragma once

#include <absl/base/thread_annotations.h>
#include <bitcask/db.h>

#include <atomic>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "file_util.h"
#include "hint.h"
#include "keydir.h"
#include "layout.h"
#include "mutex.h"
#include "segment.h"
#include "segment_reader.h"
#include "segment_table.h"

namespace bitcask {

class DBImpl final : public DB {
 public:
  DBImpl(fs::path dir, const Options& options);
  ~DBImpl() override;

  void put(std::string_view key, std::string_view value) override;
  void put_parts(std::string_view key, std::span<const std::string_view> value_parts) override;
  void put_with_ttl(std::string_view key, std::string_view value,
                    std::chrono::milliseconds ttl) override;
  bool remove(std::string_view key) override;
  bool get(std::string_view key, std::string* value) const override;
  bool get_prefix(std::string_view key, std::size_t max_bytes, std::string* prefix,
                  std::uint64_t* value_size) const override;
  bool contains(std::string_view key) const override;
  void write(const WriteBatch& batch) override;
  std::vector<KeyEntry> scan(const ScanOptions& options) const override;
  std::size_t scan_values(const ScanOptions& options, const ScanVisitor& visit) const override;
  std::uint64_t count(std::string_view prefix) const override;
  std::uint64_t size() const override;
  void sync() override;
  void close() override;
  Stats stats() const override;
  const RecoveryReport& recovery_report() const override { return report_; }
  DataFormat format() const override { return format_; }
  std::string format_description() const override;
  std::string live_writer_warning() const override;
  bool read_only() const override { return read_only_; }
  const fs::path& path() const override { return dir_; }
  std::vector<KeyVersion> history(std::string_view key) const override;
  std::optional<std::string> read_version(std::uint32_t segment,
                                          std::uint64_t offset) const override;
  std::vector<std::uint32_t> segment_ids() const override;
  std::uint64_t read_records(std::uint32_t segment, std::uint64_t offset, std::size_t limit,
                             const std::function<bool(const RecordInfo&)>& visit) const override;
  std::vector<Problem> verify(
      const std::function<bool(std::uint64_t, std::uint64_t)>& progress) const override;
  std::string read_raw(std::uint32_t segment, std::uint64_t offset,
                       std::uint32_t length) const override;
  std::vector<RecordPart> record_parts(std::uint32_t segment, std::uint64_t offset) const override;
  MergeResult merge(const MergeOptions& options) override;
  bool merge_recommended() const override;

 private:
  // Opening (db_impl.cpp; recovery itself is recovery.cpp's Recovery).
  void open_or_create();
  void create_native() ABSL_EXCLUSIVE_LOCKS_REQUIRED(table_.mu());
  void recover(const std::vector<std::uint32_t>& ids);

  // Every public method first: throws kClosed after close().
  void check_open() const;
  // Writing.
  void check_writable() const;
  [[noreturn]] void fail(const Error& cause);
  void put_record(std::string_view key, std::span<const std::string_view> value_parts,
                  std::uint64_t expiry_us);
  // Appends one record (its value given in parts) and publishes it.
  std::uint64_t append_locked(RecordKind kind, std::uint64_t ts, std::string_view key,
                              std::span<const std::string_view> value_parts, std::uint8_t flags = 0,
                              std::uint64_t expiry_us = 0) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The active segment that takes `record_size` more bytes: the current
  // one, or a new one after a roll-over. A plain pointer, valid while
  // write_mu_ is held (only its holders change or seal the active segment,
  // and the table keeps it): the write path takes no reference for it.
  Segment* segment_for_append(std::size_t record_size) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // Makes `segment` (added to the table first, unless null) the active
  // segment, in the table and in appending_.
  void set_active(std::shared_ptr<Segment> segment) ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_);
  // The active segment, read under the table lock (only write_mu_ holders
  // change which one it is).
  std::shared_ptr<Segment> active_segment() const;
  std::uint32_t next_segment_id(std::uint32_t after) const;
  void check_segment_ids_left_for_merge() const;
  void sync_to(std::uint64_t seq);
  void background_loop();
  // Sorts keys written out of order since the last scan into the key-order
  // index, so that the next scan need not (a first scan after a million
  // random puts spent half its time sorting them). Runs once writes pause
  // (none between two checks, kPresortIdle apart while writes come and
  // kPresortPoll apart otherwise), on at least kPresortMinKeys keys written
  // out of order; the sort itself holds no lock, so writers and readers go
  // on.
  void presort_index();
  static constexpr std::chrono::milliseconds kPresortIdle{100};
  static constexpr std::chrono::milliseconds kPresortPoll{500};
  static constexpr std::size_t kPresortMinKeys = 16384;
  void queue_hint(std::uint32_t segment_id);
  void write_hint_for(std::uint32_t segment_id);
  void write_hint(const std::shared_ptr<Segment>& seg);
  bool hint_of_more_than_this_copy(const Segment& seg, bool newest) const;
  // What verify() reports of a hint that passed its own checks but does not
  // describe its segment; nothing when it matches.
  static std::optional<std::string> hint_mismatch(const Segment& seg, const hint::Reader& hint,
                                                  std::span<const std::uint64_t> damaged_at);
  static std::optional<std::string> hint_not_newest(const Segment& seg, const hint::Reader& hint);
  void refuse_inputs_with_hints_not_newest(
      const std::vector<std::shared_ptr<Segment>>& inputs) const;

  // Reading.
  bool read_value(const Segment& seg, const Location& loc, std::string_view key,
                  std::string* value) const ABSL_SHARED_LOCKS_REQUIRED(table_.mu());
  // The value's bytes as stored, checked (checksum, key), without a copy.
  std::string_view stored_value(const Segment& seg, const Location& loc, std::string_view key) const
      ABSL_SHARED_LOCKS_REQUIRED(table_.mu());
  bool read_foreign_value(const Segment& seg, const Location& loc, std::string_view key,
                          std::string* value) const;
  std::uint64_t expiry_of(const Location& loc) const ABSL_SHARED_LOCKS_REQUIRED(table_.mu());
  bool expired(const Location& loc, std::uint64_t now_us) const
      ABSL_SHARED_LOCKS_REQUIRED(table_.mu());
  std::uint64_t count_locked(std::string_view prefix) const ABSL_SHARED_LOCKS_REQUIRED(table_.mu());
  std::uint32_t value_size_of(const Location& loc, std::size_t key_size) const
      ABSL_SHARED_LOCKS_REQUIRED(table_.mu());
  // A segment that stays readable without the lock; throws when none.
  std::shared_ptr<Segment> share_segment(std::uint32_t id) const;

  const fs::path dir_;
  const Options options_;
  DataFormat format_ = DataFormat::kNative;
  std::unique_ptr<Layout> layout_;  // a foreign directory's; its segments point into it
  bool read_only_;
  DirLock lock_;
  RecoveryReport report_;

  SegmentTable table_;  // the segments and the keydir

  Mutex write_mu_ ABSL_ACQUIRED_BEFORE(table_.mu());
  // The table's active segment, for the writers: changed only with it
  // (set_active, and once after recovery), so a write finds it without
  // taking the table lock (one shared lock less per put and delete).
  Segment* appending_ ABSL_GUARDED_BY(write_mu_) = nullptr;
  // A batch that Segment::append_encoded writes with pwrite (SyncPolicy::Always only).
  std::string write_buf_ ABSL_GUARDED_BY(write_mu_);
  std::atomic<std::uint64_t> written_seq_{0};
  std::atomic<bool> failed_{false};
  std::string failure_;  // set once, before failed_ becomes true
  std::atomic<bool> closed_{false};

  // Group commit (sync_to): one leader syncs at a time, the others wait on
  // sync_cv_ for the sync that covers their records.
  Mutex sync_mu_ ABSL_ACQUIRED_BEFORE(table_.mu());
  CondVar sync_cv_;
  std::uint64_t synced_seq_ ABSL_GUARDED_BY(sync_mu_) = 0;
  bool syncing_ ABSL_GUARDED_BY(sync_mu_) = false;
  std::uint64_t last_group_ ABSL_GUARDED_BY(sync_mu_) = 0;    // writes the last sync covered
  std::uint64_t group_before_ ABSL_GUARDED_BY(sync_mu_) = 0;  // ... and the one before
  // The leader gathering its group waits on gather_cv_ for the writers of
  // the group, at most this long (a few percent of an fdatasync).
  CondVar gather_cv_;
  bool gathering_ ABSL_GUARDED_BY(sync_mu_) = false;
  static constexpr std::chrono::microseconds kGroupCommitWait{100};
  // Writers between the start of a durable write and the end of its sync:
  // each has at most one write the leader can take along.
  std::atomic<std::uint32_t> durable_writers_{0};
  // Counts a durable writer for as long as it lives (nothing when `durable`
  // is false).
  class DurableWriter {
   public:
    DurableWriter(std::atomic<std::uint32_t>* count, bool durable)
        : count_(durable ? count : nullptr) {
      if (count_) count_->fetch_add(1, std::memory_order_relaxed);
    }
    ~DurableWriter() {
      if (count_) count_->fetch_sub(1, std::memory_order_relaxed);
    }
    DurableWriter(const DurableWriter&) = delete;
    DurableWriter& operator=(const DurableWriter&) = delete;

   private:
    std::atomic<std::uint32_t>* count_;
  };

  Mutex merge_mu_ ABSL_ACQUIRED_BEFORE(write_mu_);

  // The background thread: interval syncs, hints of freshly sealed
  // segments, automatic merges, and the key-order index brought up to date
  // once writes pause (presort_index).
  Mutex bg_mu_;
  CondVar bg_cv_;
  bool stop_ ABSL_GUARDED_BY(bg_mu_) = false;
  std::vector<std::uint32_t> hint_queue_ ABSL_GUARDED_BY(bg_mu_);
  std::thread background_;
};

}  // namespace bitcask
