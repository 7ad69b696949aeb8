// The database: keydir + segments + the write path, recovery and sync.
//
// Locking: `mu_` (shared) guards the keydir and the segment table; readers
// hold it shared for the length of a lookup and copy, writers exclusively
// only to publish a record they have already appended. `write_mu_`
// serialises appends. `sync_mu_` makes concurrent Always-writers share one
// fdatasync. Order: write_mu_ -> mu_; sync_mu_ -> mu_; never mu_ -> others.
#pragma once

#include <bitcask/db.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

#include "file_util.h"
#include "hint.h"
#include "keydir.h"
#include "segment.h"
#include "segment_reader.h"

namespace bitcask {

class DBImpl final : public DB {
 public:
  DBImpl(fs::path dir, const Options& options);
  ~DBImpl() override;

  void put(std::string_view key, std::string_view value) override;
  void put_with_ttl(std::string_view key, std::string_view value,
                    std::chrono::milliseconds ttl) override;
  bool remove(std::string_view key) override;
  bool get(std::string_view key, std::string* value) const override;
  bool contains(std::string_view key) const override;
  void write(const WriteBatch& batch) override;
  std::vector<KeyEntry> scan(const ScanOptions& options) const override;
  std::uint64_t count(std::string_view prefix) const override;
  std::uint64_t size() const override;
  void sync() override;
  void close() override;
  Stats stats() const override;
  const RecoveryReport& recovery_report() const override { return report_; }
  DataFormat format() const override { return format_; }
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
  MergeResult merge(const MergeOptions& options) override;
  bool merge_recommended() const override;

 private:
  // Opening (db_impl.cpp) and recovery (recovery.cpp).
  void open_or_create();
  void create_native();
  void recover_native(const std::vector<std::uint32_t>& ids);
  void recover_python();
  void recover_segment(const std::shared_ptr<Segment>& seg, bool is_last, std::uint64_t start,
                       hint::Builder* hint);
  std::uint64_t load_hint(Segment& seg);
  void remove_temp_files();
  void apply(Segment& seg, const RawRecord& rec);
  void cut_tail(Segment& seg, std::uint64_t offset);

  // Writing.
  void check_writable() const;
  [[noreturn]] void fail(const Error& cause);
  void put_record(std::string_view key, std::string_view value, std::uint64_t expiry_us);
  std::uint64_t append_locked(RecordKind kind, std::string_view key, std::string_view value,
                              std::uint8_t flags = 0, std::uint64_t expiry_us = 0);
  std::uint64_t append_encoded_locked();
  void publish(Segment& seg, RecordKind kind, std::string_view key, const Location& loc);
  void rotate_if_full(std::size_t record_size);
  void sync_to(std::uint64_t seq);
  void background_loop();
  void write_hint_for(std::uint32_t segment_id);
  void write_hint(Segment& seg);

  // Merging (merge.cpp).
  class MergeWriter;
  std::vector<std::shared_ptr<Segment>> merge_inputs(bool all_segments) const;
  void relocate(std::string_view key, const Location& from, const Location& to);
  std::uint32_t remove_merged_inputs(const std::vector<std::shared_ptr<Segment>>& inputs,
                                     MergeResult* result);

  // Reading.
  Segment* segment(std::uint32_t id) const;
  bool read_value(const Location& loc, std::string_view key, std::string* value) const;
  std::uint64_t expiry_of(const Location& loc) const;
  bool expired(const Location& loc, std::uint64_t now_us) const;
  std::uint64_t count_locked(std::string_view prefix) const;
  std::uint32_t value_size_of(const Location& loc, std::size_t key_size) const;
  void add_segment(std::shared_ptr<Segment> seg);

  const fs::path dir_;
  const Options options_;
  DataFormat format_ = DataFormat::kNative;
  bool read_only_;
  DirLock lock_;
  RecoveryReport report_;

  mutable std::shared_mutex mu_;
  KeyDir keydir_;
  std::uint64_t expiring_keys_ = 0;                 // keydir entries with an expiry
  std::vector<std::shared_ptr<Segment>> segments_;  // indexed by id; null where none
  std::vector<std::uint32_t> segment_ids_;          // ascending
  std::shared_ptr<Segment> active_;

  std::mutex write_mu_;
  std::string write_buf_;
  std::atomic<std::uint64_t> written_seq_{0};
  std::atomic<bool> failed_{false};
  std::string failure_;  // set once, before failed_ becomes true
  std::atomic<bool> closed_{false};

  std::mutex sync_mu_;
  std::uint64_t synced_seq_ = 0;

  std::mutex merge_mu_;  // one merge at a time

  // The background thread: interval syncs, hints of freshly sealed
  // segments, automatic merges. Its queue and stop flag are under bg_mu_.
  std::mutex bg_mu_;
  std::condition_variable bg_cv_;
  bool stop_ = false;
  std::vector<std::uint32_t> hint_queue_;
  std::thread background_;
};

}  // namespace bitcask
