#include "db_impl.h"

#include <fcntl.h>
#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <fstream>
#include <optional>

#include "coding.h"
#include "compression.h"
#include "crc32c.h"
#include "directory.h"
#include "format.h"
#include "recovery.h"

namespace bitcask {

std::unique_ptr<DB> DB::open(const fs::path& dir, const Options& options) {
  auto db = std::make_unique<DBImpl>(dir, options);
  return db;
}

DB::~DB() = default;

std::optional<std::string> DB::get(std::string_view key) const {
  std::string value;
  if (!get(key, &value)) return std::nullopt;
  return value;
}

DBImpl::DBImpl(fs::path dir, const Options& options)
    : dir_(std::move(dir)), options_(options), read_only_(options.read_only) {
  if (options_.max_segment_size > kMaxSegmentSize ||
      options_.max_segment_size < format::kSegmentHeaderSize) {
    throw Error(ErrorCode::kInvalidArgument,
                "max_segment_size " + std::to_string(options_.max_segment_size) +
                    " is outside [16, " + std::to_string(kMaxSegmentSize) + "]");
  }
  open_or_create();
  {
    // Recovery chose the active segment (none when read-only).
    MutexLock write_lock(&write_mu_);
    ReaderMutexLock lock(&table_.mu());
    appending_ = table_.active().get();
  }
  // It starts with the hints recovery found stale.
  if (!read_only_) {
    background_ = std::thread([this] {
      ::pthread_setname_np(::pthread_self(), "bitcask-bg");  // hints, interval syncs
      background_loop();
    });
  }
}

DBImpl::~DBImpl() {
  try {
    close();
  } catch (...) {
    // Reported by an explicit close(); a destructor must not throw.
  }
}

void DBImpl::open_or_create() {
  std::vector<std::uint32_t> ids;
  switch (classify_directory(dir_, &ids)) {
    case DirKind::kMissing:
      if (read_only_ || !options_.create_if_missing) {
        throw Error(ErrorCode::kNotFound,
                    "database directory '" + dir_.string() + "' does not exist");
      }
      create_dirs_durably(dir_);
      [[fallthrough]];
    case DirKind::kEmpty: {
      if (read_only_) {
        throw Error(ErrorCode::kNotADatabase,
                    "'" + dir_.string() + "' is an empty directory, not a Bitcask database");
      }
      WriterMutexLock lock(&table_.mu());
      create_native();
      return;
    }
    case DirKind::kNotADirectory:
      throw Error(ErrorCode::kNotADatabase,
                  "'" + dir_.string() + "' is a file, not a database directory");
    case DirKind::kOther:
      // Throws, naming the file, when names match a layout but its first
      // record does not parse in it.
      layout_ = recognise_layout(dir_);
      if (!layout_) {
        throw Error(ErrorCode::kNotADatabase,
                    "'" + dir_.string() +
                        "' is not a Bitcask database: it has no BITCASK marker or segment files "
                        "(*.seg) of this engine, no pybitcask data files (N.data, data_N.db) and "
                        "no Basho bitcask files (N.bitcask.data)");
      }
      format_ = layout_->data_format();
      read_only_ = true;  // read in place, never changed; converted by `bitcask import`
      Recovery(dir_, options_, read_only_, table_, &report_).foreign(*layout_);
      return;
    case DirKind::kNative:
      if (fs::exists(dir_ / format::kMarkerFile)) {
        check_marker(dir_);
      } else if (!read_only_) {
        // Segments without a marker: a crash between creating the first
        // segment and the marker cannot happen (the marker is written first),
        // so the marker was lost; restore it.
        write_file_durably(dir_ / format::kMarkerFile, std::string(format::kMarkerPrefix) + "1\n");
      }
      if (!read_only_) lock_ = DirLock(dir_);
      recover(ids);
      return;
  }
}

// A read-only reader takes no lock, so the directory's writer may merge
// while it opens: segments it listed can be removed before it opens them
// (their records are in the merge's outputs by then). It lists again and
// starts over; a writer holds the lock, so for it a missing segment is an
// error.
void DBImpl::recover(const std::vector<std::uint32_t>& listed) {
  constexpr int kAttempts = 50;
  std::vector<std::uint32_t> ids = listed;
  for (int attempt = 1;; ++attempt) {
    try {
      Recovery recovery(dir_, options_, read_only_, table_, &report_);
      recovery.native(ids);
      MutexLock lock(&bg_mu_);
      hint_queue_ = recovery.hints_owed();
      return;
    } catch (const Error& e) {
      if (!read_only_ || e.code() != ErrorCode::kNotFound || attempt == kAttempts) throw;
    }
    {
      WriterMutexLock lock(&table_.mu());
      table_.clear();
    }
    report_ = RecoveryReport();
    ids.clear();
    if (classify_directory(dir_, &ids) != DirKind::kNative) {
      throw Error(ErrorCode::kNotADatabase,
                  "'" + dir_.string() + "' stopped being a Bitcask database while it was opened");
    }
  }
}

void DBImpl::create_native() {
  lock_ = DirLock(dir_);
  write_file_durably(dir_ / format::kMarkerFile, std::string(format::kMarkerPrefix) + "1\n");
  auto first = Segment::create(dir_, 1, options_.max_segment_size, page_pieces_for(options_.sync));
  table_.add(first);
  table_.set_active(std::move(first));
}

// ---- Writing ---------------------------------------------------------------

void DBImpl::check_open() const {
  if (closed_.load(std::memory_order_acquire)) {
    throw Error(ErrorCode::kClosed, "database '" + dir_.string() + "' is closed");
  }
}

void DBImpl::check_writable() const {
  check_open();
  if (read_only_) {
    if (layout_) {
      throw Error(ErrorCode::kReadOnly, "database '" + dir_.string() + "' was written by " +
                                            layout_->description() +
                                            " and is read-only here; convert it with `bitcask "
                                            "import NEW_DIR --from " +
                                            dir_.string() + "`");
    }
    throw Error(ErrorCode::kReadOnly, "database '" + dir_.string() + "' is open read-only");
  }
  if (failed_.load(std::memory_order_acquire)) {
    throw Error(ErrorCode::kFailed, "database '" + dir_.string() +
                                        "' refuses writes after an earlier failure (" + failure_ +
                                        "); reopen it");
  }
}

// A failed write or sync leaves the file in an unknown state (a partial
// record, or pages the kernel may have dropped after a failed fsync), so the
// database stops taking writes instead of retrying as if nothing happened.
void DBImpl::fail(const Error& cause) {
  if (!failed_.load()) {
    failure_ = cause.what();
    failed_.store(true, std::memory_order_release);
  }
  throw cause;
}

std::shared_ptr<Segment> DBImpl::active_segment() const {
  ReaderMutexLock lock(&table_.mu());
  return table_.active();
}

// The id a new segment after `after` takes; the largest id takes no
// successor (see format::kMaxSegmentId).
std::uint32_t DBImpl::next_segment_id(std::uint32_t after) const {
  if (after >= format::kMaxSegmentId) {
    throw Error(ErrorCode::kFailed, "database '" + dir_.string() +
                                        "' has used every segment id "
                                        "up to " +
                                        std::to_string(format::kMaxSegmentId) +
                                        "; convert it (export and import) to continue writing");
  }
  return after + 1;
}

void DBImpl::queue_hint(std::uint32_t segment_id) {
  MutexLock lock(&bg_mu_);
  hint_queue_.push_back(segment_id);
  bg_cv_.Signal();
}

Segment* DBImpl::segment_for_append(std::size_t record_size) {
  Segment* const current = appending_;
  const std::uint64_t used = current->size();
  if (used + record_size <= options_.max_segment_size || used <= format::kSegmentHeaderSize) {
    return current;
  }
  // The sealed segment is durable (its records, and its file cut to them)
  // before the next one takes writes, so a group sync of the new active
  // segment covers everything before it. (The table keeps it.)
  current->seal();
  auto next = Segment::create(dir_, next_segment_id(current->id()), options_.max_segment_size,
                              page_pieces_for(options_.sync));
  set_active(std::move(next));
  queue_hint(current->id());
  return appending_;
}

void DBImpl::set_active(std::shared_ptr<Segment> segment) {
  appending_ = segment.get();
  WriterMutexLock lock(&table_.mu());
  if (segment) table_.add(segment);
  table_.set_active(std::move(segment));
}

// Appends one record and publishes it. The caller holds write_mu_. Returns
// the write's sequence number.
// The record is encoded straight into the active segment's mapping.
std::uint64_t DBImpl::append_locked(RecordKind kind, std::uint64_t ts, std::string_view key,
                                    std::span<const std::string_view> value_parts,
                                    std::uint8_t flags, std::uint64_t expiry_us) {
  const std::size_t size = format::record_size(key.size(), format::value_size(value_parts), flags);
  std::uint64_t offset;
  Segment* active;
  try {
    active = segment_for_append(size);
    offset = active->size();
    active->append_in_place(size, [&](char* dst) {
      format::encode_record(dst, kind, ts, key, value_parts, flags, expiry_us);
    });
  } catch (const Error& e) {
    fail(e);
  }
  {
    WriterMutexLock lock(&table_.mu());
    const Location loc{active->id(), static_cast<std::uint32_t>(offset),
                       static_cast<std::uint32_t>(size), ts, flags};
    table_.publish(kind, key, loc);
  }
  return written_seq_.fetch_add(1, std::memory_order_acq_rel) + 1;
}

namespace {
// Empty keys are allowed, as LevelDB, RocksDB and SQLite allow them and the
// Python writer produces them.
void check_key(std::string_view key) {
  if (key.size() > kMaxKeySize) {
    throw Error(ErrorCode::kInvalidArgument, "key of " + std::to_string(key.size()) +
                                                 " bytes is over the limit of " +
                                                 std::to_string(kMaxKeySize) + " bytes");
  }
}

void check_value_size(std::size_t value_size) {
  if (value_size > kMaxValueSize) {
    throw Error(ErrorCode::kInvalidArgument, "value of " + std::to_string(value_size) +
                                                 " bytes is over the limit of " +
                                                 std::to_string(kMaxValueSize) + " bytes");
  }
}

std::string encode_count(std::size_t n) {
  std::string v(4, '\0');
  encode_u32_le(v.data(), static_cast<std::uint32_t>(n));
  return v;
}
}  // namespace

void DBImpl::put(std::string_view key, std::string_view value) {
  put_record(key, std::span<const std::string_view>(&value, 1), 0);
}

void DBImpl::put_parts(std::string_view key, std::span<const std::string_view> value_parts) {
  put_record(key, value_parts, 0);
}

void DBImpl::put_with_ttl(std::string_view key, std::string_view value,
                          std::chrono::milliseconds ttl) {
  if (ttl.count() <= 0) {
    throw Error(ErrorCode::kInvalidArgument, "time-to-live must be positive");
  }
  put_record(key, std::span<const std::string_view>(&value, 1),
             format::now_us() + static_cast<std::uint64_t>(ttl.count()) * 1000);
}

void DBImpl::put_record(std::string_view key, std::span<const std::string_view> value_parts,
                        std::uint64_t expiry_us) {
  check_key(key);
  check_value_size(format::value_size(value_parts));
  // Compress before taking the write lock, so writers compress in parallel
  // (a value in several parts is joined first: the compressors take it whole).
  std::string joined, compressed;
  std::string_view stored;
  std::uint8_t flags = 0;
  if (options_.compression != Compression::None) {
    std::string_view whole;
    if (value_parts.size() == 1) {
      whole = value_parts.front();
    } else {
      for (std::string_view part : value_parts) joined.append(part);
      whole = joined;
    }
    flags = compression::compress(options_.compression, whole, &compressed);
    if (flags) {
      stored = compressed;
      value_parts = std::span<const std::string_view>(&stored, 1);
    }
  }
  if (expiry_us) flags |= format::kFlagExpiry;
  const bool always = options_.sync == SyncPolicy::Always;
  const DurableWriter counted(&durable_writers_, always);
  std::uint64_t seq;
  {
    MutexLock lock(&write_mu_);
    check_writable();
    seq = append_locked(RecordKind::kPut, format::now_us(), key, value_parts, flags, expiry_us);
  }
  if (always) sync_to(seq);
}

bool DBImpl::remove(std::string_view key) {
  check_key(key);
  const bool always = options_.sync == SyncPolicy::Always;
  const DurableWriter counted(&durable_writers_, always);
  std::uint64_t seq;
  {
    MutexLock lock(&write_mu_);
    check_writable();
    const std::uint64_t now = format::now_us();
    {
      // Shared: merge changes the keydir too (relocations, expired keys)
      // without write_mu_.
      ReaderMutexLock read(&table_.mu());
      std::optional<Location> loc = table_.keydir().find(key);
      if (!loc || expired(*loc, now)) return false;
    }
    seq = append_locked(RecordKind::kTombstone, now, key, {});
  }
  if (always) sync_to(seq);
  return true;
}

void DBImpl::write(const WriteBatch& batch) {
  if (batch.empty()) return;
  std::uint64_t bytes = 2 * (format::kRecordHeaderSize + 4);
  for (const auto& op : batch.ops()) {
    check_key(op.key);
    check_value_size(op.value.size());
    bytes += format::kRecordHeaderSize + op.key.size() + op.value.size();
  }
  if (bytes > kMaxBatchBytes) {
    throw Error(ErrorCode::kInvalidArgument,
                "batch of " + std::to_string(bytes) + " bytes is over the limit of " +
                    std::to_string(kMaxBatchBytes) + " bytes; split it");
  }
  // Compressed before the write lock, as put() does. Then where each record
  // starts: the batch is encoded once, where it goes (the mapping, or the
  // buffer pwrite takes).
  const std::size_t n = batch.size();
  std::vector<std::string> compressed;
  std::vector<std::uint8_t> flags(n, 0);
  if (options_.compression != Compression::None) {
    compressed.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      flags[i] = compression::compress(options_.compression, batch.ops()[i].value, &compressed[i]);
    }
  }
  auto value_of = [&](std::size_t i) -> std::string_view {
    return flags[i] ? std::string_view(compressed[i]) : std::string_view(batch.ops()[i].value);
  };
  const std::string count = encode_count(n);
  std::vector<std::uint32_t> starts(n + 1);
  std::size_t total = format::record_size(0, count.size(), 0);
  for (std::size_t i = 0; i < n; ++i) {
    starts[i] = static_cast<std::uint32_t>(total);
    total += format::record_size(batch.ops()[i].key.size(), value_of(i).size(), flags[i]);
  }
  starts[n] = static_cast<std::uint32_t>(total);
  total += format::record_size(0, count.size(), 0);

  const bool always = options_.sync == SyncPolicy::Always;
  const DurableWriter counted(&durable_writers_, always);
  std::uint64_t seq;
  {
    MutexLock lock(&write_mu_);
    check_writable();
    const std::uint64_t ts = format::now_us();
    Segment* active;
    std::uint64_t base;
    try {
      active = segment_for_append(total);
      base = active->size();
      active->append_encoded(
          total,
          [&](char* dst) {
            format::encode_record(dst, RecordKind::kBatchBegin, ts, {}, count);
            for (std::size_t i = 0; i < n; ++i) {
              const auto& op = batch.ops()[i];
              format::encode_record(dst + starts[i], op.kind, ts, op.key, value_of(i), flags[i]);
            }
            format::encode_record(dst + starts[n], RecordKind::kBatchCommit, ts, {}, count);
          },
          &write_buf_);
    } catch (const Error& e) {
      fail(e);
    }
    {
      // One exclusive section: readers see all of the batch or none of it.
      WriterMutexLock publish_lock(&table_.mu());
      const std::uint32_t id = active->id();
      table_.count_records(id, 2);  // the begin and commit markers
      for (std::size_t i = 0; i < n; ++i) {
        const auto& op = batch.ops()[i];
        const Location loc{id, static_cast<std::uint32_t>(base + starts[i]),
                           starts[i + 1] - starts[i], ts, flags[i]};
        table_.publish(op.kind, op.key, loc);
      }
    }
    seq = written_seq_.fetch_add(1, std::memory_order_acq_rel) + 1;
  }
  if (always) sync_to(seq);
}

// Group commit, as LevelDB's writer queue: one writer at a time leads a
// sync, which makes durable everything written before it started; writers
// whose records it covers wake and return without a sync of their own, and
// the first one it does not cover leads the next. The fdatasync runs without
// sync_mu_, so covered writers never wait behind the next group's sync.
//
// A closed loop of N writers would otherwise fall into groups of 1 and N-1
// in turn: the writers a sync covers come back a few microseconds after the
// next sync started. So a leader waits a little (a few percent of a sync,
// asleep: each writer that arrives wakes it) for as many writes as the
// larger of the last two groups had, or as there are writers in flight,
// and takes them along. Without the count, writers that fell into groups of
// one stayed there (the last groups said one; measured: 4 writers 2.6x one,
// 2 writers 1.4x, at a 0.1 ms fdatasync). A single writer never waits: its
// groups are of one, and it is the only writer in flight.
void DBImpl::sync_to(std::uint64_t seq) {
  std::uint64_t target;
  {
    MutexLock lock(&sync_mu_);
    // A writer arriving while the leader gathers its group joins it.
    if (gathering_) gather_cv_.Signal();
    while (synced_seq_ < seq && syncing_) sync_cv_.Wait(&sync_mu_);
    if (synced_seq_ >= seq) return;
    if (failed_.load(std::memory_order_acquire)) check_writable();
    syncing_ = true;
    const std::uint64_t in_flight = durable_writers_.load(std::memory_order_relaxed);
    const std::uint64_t expected = synced_seq_ + std::max({last_group_, group_before_, in_flight});
    if (expected > seq) {
      gathering_ = true;
      const auto until = std::chrono::steady_clock::now() + kGroupCommitWait;
      while (written_seq_.load(std::memory_order_acquire) < expected &&
             std::chrono::steady_clock::now() < until) {
        gather_cv_.WaitUntil(&sync_mu_, until);
      }
      gathering_ = false;
    }
    target = written_seq_.load(std::memory_order_acquire);
  }
  std::shared_ptr<Segment> seg = active_segment();
  std::optional<Error> failure;
  try {
    if (seg) seg->sync();
  } catch (const Error& e) {
    failure = e;
  }
  {
    MutexLock lock(&sync_mu_);
    syncing_ = false;
    if (!failure) {
      group_before_ = last_group_;
      last_group_ = target - std::min(target, synced_seq_);
      synced_seq_ = std::max(synced_seq_, target);
    }
    sync_cv_.SignalAll();
  }
  if (failure) fail(*failure);
}

// Interval syncs, hints for segments sealed by rotation (built here so
// writers never wait for a segment to be read back), automatic merges.
void DBImpl::background_loop() {
  using Clock = std::chrono::steady_clock;
  const bool interval = options_.sync == SyncPolicy::Interval;
  auto next_sync = Clock::now() + options_.sync_interval;
  auto next_merge_check = Clock::now() + options_.merge_check_interval;
  auto next_presort_check = Clock::now() + kPresortIdle;
  std::uint64_t writes_at_last_check = written_seq_.load(std::memory_order_relaxed);
  std::uint64_t writes_presorted = writes_at_last_check;
  for (;;) {
    std::vector<std::uint32_t> hints;
    bool stop;
    {
      MutexLock lock(&bg_mu_);
      if (hint_queue_.empty() && !stop_) {
        auto deadline = next_presort_check;
        if (interval) deadline = std::min(deadline, next_sync);
        if (options_.auto_merge) deadline = std::min(deadline, next_merge_check);
        bg_cv_.WaitUntil(&bg_mu_, deadline);
      }
      hints = std::exchange(hint_queue_, {});
      stop = stop_;
    }
    if (stop) {
      // Hints still owed are written before close returns, so the next
      // open is fast.
      for (std::uint32_t id : hints) {
        try {
          write_hint_for(id);
        } catch (const Error&) {
        }
      }
      return;
    }
    try {
      for (std::uint32_t id : hints) write_hint_for(id);
      if (interval && Clock::now() >= next_sync) {
        sync_to(written_seq_.load(std::memory_order_acquire));
        next_sync = Clock::now() + options_.sync_interval;
      }
      if (options_.auto_merge && Clock::now() >= next_merge_check) {
        MergeOptions mo;
        mo.all_segments = false;
        mo.progress = [this](const MergeProgress&) {
          MutexLock stop_lock(&bg_mu_);
          return !stop_;
        };
        if (merge_recommended()) merge(mo);
        next_merge_check = Clock::now() + options_.merge_check_interval;
      }
      if (Clock::now() >= next_presort_check) {
        // No write since the last check, and some since the last presort.
        const std::uint64_t writes = written_seq_.load(std::memory_order_relaxed);
        if (writes == writes_at_last_check && writes != writes_presorted) {
          presort_index();
          writes_presorted = writes;
        }
        // Closer checks while writes come, so a pause is seen soon after it
        // starts; an idle database is looked at twice a second.
        next_presort_check =
            Clock::now() + (writes != writes_at_last_check ? kPresortIdle : kPresortPoll);
        writes_at_last_check = writes;
      }
    } catch (const Error&) {
      // A failed sync is recorded by fail() and reported to writers; a hint
      // that could not be written is rebuilt on the next open.
    }
  }
}

void DBImpl::presort_index() {
  KeyDir::Presort presort;
  {
    ReaderMutexLock lock(&table_.mu());
    if (!table_.keydir().collect_pending(kPresortMinKeys, &presort)) return;
  }
  presort.sort();
  ReaderMutexLock lock(&table_.mu());
  table_.keydir().install(&presort);
}

void DBImpl::write_hint_for(std::uint32_t segment_id) {
  std::shared_ptr<Segment> seg;
  {
    ReaderMutexLock lock(&table_.mu());
    seg = table_.share(segment_id);
    if (!seg || table_.figures(segment_id).has_hint) return;
  }
  write_hint(seg);
}

// Writes a hint covering the segment as it is now.
void DBImpl::write_hint(const std::shared_ptr<Segment>& seg) {
  const std::uint64_t covered = seg->size();
  hint::Builder builder(seg->id());
  CommittedReader reader(*seg);
  RawRecord rec;
  while (reader.next(&rec)) {
    if (!rec.ok) return;  // damaged: no hint, so every open reports it
    builder.add(rec);
  }
  for (std::uint64_t i = 0; i < reader.markers(); ++i) builder.count_record();
  builder.write(dir_, covered);
  WriterMutexLock lock(&table_.mu());
  // A merge may have removed it meanwhile (then the hint is removed too).
  if (table_.find(seg->id()) == seg.get()) table_.set_has_hint(seg->id(), true);
}

void DBImpl::sync() {
  check_open();
  if (read_only_) return;
  sync_to(written_seq_.load(std::memory_order_acquire));
}

void DBImpl::close() {
  if (closed_.exchange(true)) return;
  if (background_.joinable()) {
    {
      MutexLock lock(&bg_mu_);
      stop_ = true;
      bg_cv_.SignalAll();
    }
    background_.join();
  }
  MutexLock merge_lock(&merge_mu_);
  MutexLock write_lock(&write_mu_);
  std::shared_ptr<Segment> active = active_segment();
  // The file stops growing before the directory lock is released, even
  // when it is not sealed (readers may still hold the segment).
  if (active) active->stop_write_ahead();
  if (active && !failed_.load()) {
    // Sealed: the preallocated zeros are cut off, so a clean directory's
    // files end at their data. Then a hint for the active segment too, so
    // the next open reads no values. The segment is synced first (seal
    // syncs): a durable hint covering bytes a power loss can still take
    // would be ignored on the next open but left in place, and trusted once
    // the segment grew past it again.
    try {
      active->seal();
      if (active->size() > format::kSegmentHeaderSize) write_hint(active);
    } catch (const Error&) {
      // The next open finds the data end (or the hint missing) by itself.
    }
  }
  {
    WriterMutexLock lock(&table_.mu());
    table_.clear();
  }
  lock_ = DirLock();
  if (active && !failed_.load()) active->sync();
}

// ---- Reading ---------------------------------------------------------------

std::shared_ptr<Segment> DBImpl::share_segment(std::uint32_t id) const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  std::shared_ptr<Segment> seg = table_.share(id);
  if (!seg) {
    throw Error(ErrorCode::kInvalidArgument,
                "database '" + dir_.string() + "' has no segment " + std::to_string(id));
  }
  return seg;
}

std::uint32_t DBImpl::value_size_of(const Location& loc, std::size_t key_size) const {
  const Segment* seg = table_.find(loc.segment);
  if (seg->format() == SegmentFormat::kForeign) {
    // No fixed header: decode the record (a foreign value's size is only
    // shown, never used to read it).
    SegmentReader reader(*seg, loc.offset);
    RawRecord rec;
    return reader.next(&rec) && rec.ok ? rec.value_size : 0;
  }
  const std::uint32_t header =
      format::kRecordHeaderSize + ((loc.flags & format::kFlagExpiry) ? 8u : 0u);
  return loc.size - header - static_cast<std::uint32_t>(key_size);
}

std::string_view DBImpl::stored_value(const Segment& seg, const Location& loc,
                                      std::string_view key) const {
  const char* rec = seg.data() + loc.offset;
  // The record is usually not in the cache (a random read), and its checksum
  // then waits on every line in turn while the hardware prefetcher ramps up.
  // Asking for all its lines first keeps many misses in flight: a random
  // 10 KB read went 1.78 -> 1.49 us (100,000 keys, 1 GB). Beyond 16 KiB the
  // prefetcher keeps up, and lines asked for much earlier would be evicted.
  const std::uint32_t ahead = std::min<std::uint32_t>(loc.size, 16 * 1024);
  for (std::uint32_t at = 0; at < ahead; at += 64) __builtin_prefetch(rec + at);
  format::RecordHeader h;
  if (const auto status = format::parse_record(rec, loc.size, &h, options_.verify_checksums);
      status != format::ParseStatus::kOk) {
    throw Error(ErrorCode::kCorruption, "record of key '" + std::string(key) + "' in '" +
                                            seg.path().string() + "' at offset " +
                                            std::to_string(loc.offset) + " is damaged (" +
                                            format::to_string(status) + "); it is not served");
  }
  // A hint entry that passed its checksum can still point at another key's
  // record: never serve that record's value under this key.
  if (std::string_view(rec + h.header_size(), h.key_size) != key) {
    throw Error(ErrorCode::kCorruption, "the index entry of key '" + std::string(key) +
                                            "' points at a record of another key in '" +
                                            seg.path().string() + "' at offset " +
                                            std::to_string(loc.offset) +
                                            " (a damaged hint file?); it is not served");
  }
  return std::string_view(rec + h.header_size() + h.key_size, h.value_size);
}

bool DBImpl::read_value(const Segment& seg, const Location& loc, std::string_view key,
                        std::string* value) const {
  if (seg.format() == SegmentFormat::kForeign) return read_foreign_value(seg, loc, key, value);
  const std::string_view stored = stored_value(seg, loc, key);
  if (loc.flags & format::kFlagCompressionMask) {
    try {
      compression::decompress(loc.flags, stored, value);
    } catch (const Error& e) {
      throw Error(ErrorCode::kCorruption, "record of key '" + std::string(key) + "' in '" +
                                              seg.path().string() + "' at offset " +
                                              std::to_string(loc.offset) + ": " + e.what());
    }
  } else {
    // Sized, then copied: assign() goes through the general replace path
    // (aliasing checks), a fifth of a small read's instructions (callgrind).
    // The caller's string usually has the size already (a loop of reads).
    value->resize(stored.size());
    std::memcpy(value->data(), stored.data(), stored.size());
  }
  return true;
}

bool DBImpl::get_prefix(std::string_view key, std::size_t max_bytes, std::string* prefix,
                        std::uint64_t* value_size) const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  std::optional<Location> loc = table_.keydir().find(key);
  if (!loc || ((loc->flags & format::kFlagExpiry) && expired(*loc, format::now_us()))) {
    return false;
  }
  const Segment& seg = *table_.find(loc->segment);
  if (seg.format() == SegmentFormat::kNative && !(loc->flags & format::kFlagCompressionMask)) {
    const std::string_view stored = stored_value(seg, *loc, key);
    *value_size = stored.size();
    prefix->assign(stored.substr(0, max_bytes));
    return true;
  }
  // Compressed or foreign: the value exists only once decoded.
  read_value(seg, *loc, key, prefix);
  *value_size = prefix->size();
  if (prefix->size() > max_bytes) prefix->resize(max_bytes);
  return true;
}

// A foreign record is decoded again: its value may be escaped in the file
// (JSON lines), so there is no span of bytes to copy.
bool DBImpl::read_foreign_value(const Segment& seg, const Location& loc, std::string_view key,
                                std::string* value) const {
  SegmentReader reader(seg, loc.offset);
  RawRecord rec;
  if (!reader.next(&rec) || !rec.ok || rec.key != key) {
    throw Error(ErrorCode::kCorruption, "record of key '" + std::string(key) + "' in '" +
                                            seg.path().string() + "' at offset " +
                                            std::to_string(loc.offset) +
                                            " no longer decodes; the file changed since it was "
                                            "opened");
  }
  value->assign(rec.value);
  return true;
}

std::string DBImpl::format_description() const {
  return layout_ ? layout_->description() : "Bitcask Browser (native)";
}

std::string DBImpl::live_writer_warning() const {
  return layout_ ? layout_->live_writer_warning() : std::string();
}

std::uint64_t DBImpl::expiry_of(const Location& loc) const {
  if (!(loc.flags & format::kFlagExpiry)) return 0;
  return decode_u64_le(table_.find(loc.segment)->data() + loc.offset + format::kRecordHeaderSize);
}

bool DBImpl::expired(const Location& loc, std::uint64_t now_us) const {
  const std::uint64_t at = expiry_of(loc);
  return at != 0 && at <= now_us;
}

bool DBImpl::get(std::string_view key, std::string* value) const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  std::optional<Location> loc = table_.keydir().find(key);
  if (!loc || ((loc->flags & format::kFlagExpiry) && expired(*loc, format::now_us()))) {
    return false;
  }
  return read_value(*table_.find(loc->segment), *loc, key, value);
}

bool DBImpl::contains(std::string_view key) const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  std::optional<Location> loc = table_.keydir().find(key);
  return loc && !expired(*loc, format::now_us());
}

// Walks the keydir in place until `limit` entries pass the expiry filter:
// only the entries returned are copied.
std::vector<KeyEntry> DBImpl::scan(const ScanOptions& options) const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  std::vector<KeyEntry> out;
  if (options.limit == 0) return out;
  out.reserve(std::min<std::size_t>(options.limit, 1024));
  const std::uint64_t now = format::now_us();
  const bool expiring = table_.expiring_keys() != 0;
  // The visitor runs inside this function's lock (which the analysis cannot
  // see through a lambda).
  table_.keydir().scan(
      options, [&](std::string_view key, const Location& loc) ABSL_NO_THREAD_SAFETY_ANALYSIS {
        KeyEntry e;
        if (expiring) {
          e.expires_at_us = expiry_of(loc);
          e.expired = e.expires_at_us != 0 && e.expires_at_us <= now;
          if (e.expired && !options.include_expired) return true;
        }
        e.value_size = value_size_of(loc, key.size());
        e.key = std::string(key);
        e.segment = loc.segment;
        e.offset = loc.offset;
        e.timestamp_us = loc.timestamp_us;
        e.compressed = loc.flags & format::kFlagCompressionMask;
        out.push_back(std::move(e));
        return out.size() < options.limit;
      });
  return out;
}

std::uint64_t DBImpl::count_locked(std::string_view prefix) const {
  if (table_.expiring_keys() == 0) return table_.keydir().count(prefix);
  std::uint64_t n = 0;
  const std::uint64_t now = format::now_us();
  ScanOptions range;
  range.prefix = std::string(prefix);
  table_.keydir().scan(range,
                       [&](std::string_view, const Location& loc) ABSL_NO_THREAD_SAFETY_ANALYSIS {
                         n += !expired(loc, now);
                         return true;
                       });
  return n;
}

// A page of pairs at a time is gathered under the lock; `visit` then runs
// without it. The views stay valid once the lock is let go: a segment stays
// mapped as long as a shared_ptr holds it (a merge that removes it meanwhile
// does not unmap it), and a record never changes once written. The key is
// viewed in the record too (stored_value checked it is the keydir's key), as
// the keydir's own copy may move. Values not stored as they are
// (compressed, a foreign layout's) are decoded into the page.
std::size_t DBImpl::scan_values(const ScanOptions& options, const ScanVisitor& visit) const {
  struct Entry {
    std::string_view key;  // the keydir's bytes: valid under the lock only
    Location loc;
    const Segment* seg;
  };
  struct Pair {
    std::string_view key, value;
  };
  // Bounds a page's time under the lock and the bytes decoded into it.
  constexpr std::size_t kPagePairs = 1024;
  constexpr std::size_t kPageDecodedBytes = 4u << 20;
  // Records are in write order, not key order: each is a random access into
  // its segment, so the next few are fetched ahead while one is checked.
  constexpr std::size_t kPrefetchAhead = 8;
  std::vector<Entry> entries;
  std::vector<Pair> page;
  std::deque<std::string> decoded;  // stable addresses for the views
  std::vector<std::shared_ptr<Segment>> pinned;
  ScanOptions range = options;
  std::size_t visited = 0;
  while (visited < options.limit) {
    entries.clear();
    page.clear();
    decoded.clear();
    pinned.clear();
    bool more = false;
    {
      ReaderMutexLock lock(&table_.mu());
      check_open();
      const std::uint64_t now = format::now_us();
      const bool expiring = table_.expiring_keys() != 0;
      const std::size_t want = std::min(kPagePairs, options.limit - visited);
      const Segment* seg = nullptr;
      // The visitor runs inside this block's lock (which the analysis cannot
      // see through a lambda).
      table_.keydir().scan(
          range, [&](std::string_view key, const Location& loc) ABSL_NO_THREAD_SAFETY_ANALYSIS {
            if (entries.size() == want) {
              more = true;
              return false;
            }
            if (expiring && !options.include_expired && expired(loc, now)) return true;
            if (!seg || seg->id() != loc.segment) {
              pinned.push_back(table_.share(loc.segment));
              seg = pinned.back().get();
              if (!seg) {
                throw Error(ErrorCode::kCorruption,
                            "key '" + std::string(key) + "' points at segment " +
                                std::to_string(loc.segment) + ", which the database does not have");
              }
            }
            entries.push_back({key, loc, seg});
            return true;
          });
      std::size_t decoded_bytes = 0;
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i + kPrefetchAhead < entries.size()) {
          const Entry& ahead = entries[i + kPrefetchAhead];
          const char* record = ahead.seg->data() + ahead.loc.offset;
          __builtin_prefetch(record);
          __builtin_prefetch(record + ahead.loc.size - 1);  // a record spans lines
        }
        const Entry& e = entries[i];
        if (decoded_bytes > kPageDecodedBytes) {
          // Enough decoded for one page: the rest comes in the next one.
          more = true;
          break;
        }
        if (e.seg->format() == SegmentFormat::kForeign) {
          std::string& k = decoded.emplace_back(e.key);
          std::string& v = decoded.emplace_back();
          read_foreign_value(*e.seg, e.loc, e.key, &v);
          decoded_bytes += k.size() + v.size();
          page.push_back({k, v});
          continue;
        }
        const std::string_view stored = stored_value(*e.seg, e.loc, e.key);
        const std::string_view stored_key(stored.data() - e.key.size(), e.key.size());
        if (e.loc.flags & format::kFlagCompressionMask) {
          std::string& v = decoded.emplace_back();
          read_value(*e.seg, e.loc, e.key, &v);
          decoded_bytes += v.size();
          page.push_back({stored_key, v});
        } else {
          page.push_back({stored_key, stored});
        }
      }
    }
    for (const Pair& p : page) {
      ++visited;
      if (!visit(p.key, p.value)) return visited;
    }
    if (!more || page.empty()) return visited;
    range.start = std::string(page.back().key);
    range.exclusive_start = true;
  }
  return visited;
}

std::uint64_t DBImpl::count(std::string_view prefix) const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  return count_locked(prefix);
}

std::uint64_t DBImpl::size() const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  return count_locked({});
}

std::vector<std::uint32_t> DBImpl::segment_ids() const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  return table_.ids();
}

Stats DBImpl::stats() const {
  ReaderMutexLock lock(&table_.mu());
  check_open();
  Stats s;
  s.keys = count_locked({});
  s.keydir_bytes = table_.keydir().memory_bytes();
  for (std::uint32_t id : table_.ids()) {
    const Segment& seg = *table_.find(id);
    const SegmentFigures& f = table_.figures(id);
    SegmentStats st;
    st.id = id;
    st.file = seg.file_name();
    st.size = seg.size();
    st.records = f.records;
    st.live_records = f.live_records;
    st.live_bytes = f.live_bytes;
    const std::uint64_t header = std::min(seg.size(), seg.first_record_offset());
    st.dead_bytes = seg.size() - header - std::min(seg.size() - header, f.live_bytes);
    st.tombstones = f.tombstones;
    // Read-only, the newest segment is still the one a writer appends to.
    st.active = table_.active()
                    ? table_.active().get() == &seg
                    : seg.format() == SegmentFormat::kNative && id == table_.newest_id();
    st.has_hint = f.has_hint;
    s.total_bytes += st.size;
    s.live_bytes += st.live_bytes;
    s.dead_bytes += st.dead_bytes;
    s.tombstones += st.tombstones;
    s.segment_stats.push_back(std::move(st));
  }
  s.segments = s.segment_stats.size();
  s.fragmentation = s.total_bytes ? static_cast<double>(s.dead_bytes) / s.total_bytes : 0.0;
  return s;
}

std::string DBImpl::read_raw(std::uint32_t id, std::uint64_t offset, std::uint32_t length) const {
  std::shared_ptr<Segment> seg = share_segment(id);
  if (offset > seg->size() || length > seg->size() - offset) {
    throw Error(ErrorCode::kInvalidArgument,
                "database '" + dir_.string() + "' has no bytes [" + std::to_string(offset) + ", " +
                    std::to_string(offset + length) + ") in segment " + std::to_string(id));
  }
  return std::string(seg->data() + offset, length);
}

// The parts follow from where the decoded key and value lie in the file:
// the same for every layout, so no layout describes its bytes twice.
std::vector<RecordPart> DBImpl::record_parts(std::uint32_t id, std::uint64_t offset) const {
  std::shared_ptr<Segment> seg = share_segment(id);
  SegmentReader reader(*seg, offset);
  RawRecord rec;
  if (offset < seg->first_record_offset() || !reader.next(&rec) || !rec.ok ||
      rec.offset != offset) {
    throw Error(ErrorCode::kCorruption, "no valid record at offset " + std::to_string(offset) +
                                            " of '" + seg->path().string() + "'");
  }
  const char* begin = seg->data() + offset;
  const char* end = begin + rec.length;
  const auto within = [&](std::string_view part) {
    return part.data() >= begin && part.data() + part.size() <= end;
  };
  const std::string encoding = seg->foreign_file() ? seg->foreign_file()->encoding : "native";
  std::string summary = std::string(to_string(rec.kind)) + ", " + std::to_string(rec.key.size()) +
                        "-byte key, " + std::to_string(rec.value.size()) +
                        "-byte value, written at " + std::to_string(rec.timestamp_us) + " us";
  std::vector<RecordPart> parts;
  if (!within(rec.key) || !within(rec.value) ||
      rec.value.data() < rec.key.data() + rec.key.size()) {
    parts.push_back({"record (" + encoding + ")", 0, rec.length, std::move(summary)});
    return parts;
  }
  const std::uint64_t key_at = static_cast<std::uint64_t>(rec.key.data() - begin);
  const std::uint64_t value_at = static_cast<std::uint64_t>(rec.value.data() - begin);
  parts.push_back({"header (" + encoding + ")", 0, key_at, std::move(summary)});
  parts.push_back({"key", key_at, rec.key.size(), {}});
  if (value_at > key_at + rec.key.size()) {
    parts.push_back({"framing", key_at + rec.key.size(), value_at - key_at - rec.key.size(), {}});
  }
  parts.push_back({"value", value_at, rec.value.size(), {}});
  if (value_at + rec.value.size() < rec.length) {
    parts.push_back(
        {"trailer", value_at + rec.value.size(), rec.length - value_at - rec.value.size(), {}});
  }
  return parts;
}

std::uint64_t DBImpl::read_records(std::uint32_t id, std::uint64_t offset, std::size_t limit,
                                   const std::function<bool(const RecordInfo&)>& visit) const {
  // Without the lock, on a segment that stays readable: visit() may be slow.
  std::shared_ptr<Segment> seg = share_segment(id);
  SegmentReader reader(*seg, offset);
  RawRecord rec;
  RecordInfo info;
  for (std::size_t n = 0; n < limit && reader.next(&rec); ++n) {
    info.segment = id;
    info.offset = rec.offset;
    info.record_size = static_cast<std::uint32_t>(rec.length);
    info.kind = rec.kind;
    info.key.assign(rec.key);
    info.value_size = rec.value_size;
    info.timestamp_us = rec.timestamp_us;
    info.checksum_ok = rec.ok;
    if (!visit(info)) return reader.position();
  }
  return reader.position();
}

std::vector<Problem> DBImpl::verify(
    const std::function<bool(std::uint64_t, std::uint64_t)>& progress) const {
  // Walk a snapshot without the lock, as history() does, so writers and
  // readers go on while a large database is verified.
  std::vector<std::shared_ptr<Segment>> segs;
  {
    ReaderMutexLock lock(&table_.mu());
    check_open();
    segs = table_.snapshot();
  }
  std::uint64_t total = 0, done = 0;
  for (const auto& seg : segs) total += seg->size();
  std::vector<Problem> problems;
  for (const auto& seg_ptr : segs) {
    const Segment& seg = *seg_ptr;
    const std::uint32_t id = seg.id();
    if (seg.format() == SegmentFormat::kNative) {
      if (seg.size() < format::kSegmentHeaderSize) {
        // A read-only reader's newest segment may be one its writer is
        // creating (recovery, above).
        const bool creating = read_only_ && seg_ptr == segs.back() &&
                              format::is_header_being_written(seg.data(), seg.size(), id);
        if (!creating) {
          problems.push_back({seg.file_name(), 0, seg.size(), "segment shorter than its header"});
        }
        continue;
      }
      std::string bad = format::check_segment_header(seg.data(), id);
      if (!bad.empty()) {
        problems.push_back({seg.file_name(), 0, format::kSegmentHeaderSize, bad});
        continue;
      }
    }
    SegmentReader reader(seg);
    RawRecord rec;
    std::uint64_t visited = 0;
    std::vector<std::uint64_t> damaged_at;  // where the records reported here start
    while (reader.next(&rec)) {
      if (!rec.ok) {
        damaged_at.push_back(rec.offset);
        Problem problem{seg.file_name(), rec.offset, rec.length, rec.problem, std::nullopt};
        if (RawRecord as_read; read_damaged_record(seg, rec, &as_read)) {
          problem.key.emplace(as_read.key);
        }
        problems.push_back(std::move(problem));
      }
      if (progress && (++visited & 4095) == 0 && !progress(done + rec.offset, total)) {
        throw Error(ErrorCode::kCancelled, "verify of '" + dir_.string() + "' cancelled");
      }
    }
    done += seg.size();
    if (progress && !progress(done, total)) {
      throw Error(ErrorCode::kCancelled, "verify of '" + dir_.string() + "' cancelled");
    }
    const fs::path hint_path = dir_ / hint::file_name(id);
    std::error_code ec;
    const std::uint64_t hint_bytes = fs::file_size(hint_path, ec);
    if (ec) continue;  // none (or a merge removed it with its segment)
    if (hint::Reader hint; !hint.open(hint_path, id, seg.size())) {
      if (!fs::exists(hint_path, ec) || hint_of_more_than_this_copy(seg, seg_ptr == segs.back())) {
        continue;
      }
      problems.push_back({hint_path.filename().string(), 0, hint_bytes,
                          "damaged hint file (ignored on open and rebuilt)"});
    } else if (std::optional<std::string> wrong = hint_mismatch(seg, hint, damaged_at)) {
      problems.push_back({hint_path.filename().string(), 0, hint_bytes, *wrong});
    }
  }
  return problems;
}

// A read-only reader's newest segment is its copy as of its open: the
// writer may have sealed it since (or closed) and written a hint of more
// than the copy holds, sound for the file as it is now.
bool DBImpl::hint_of_more_than_this_copy(const Segment& seg, bool newest) const {
  if (!read_only_ || !newest) return false;
  std::error_code ec;
  const std::uint64_t now = fs::file_size(seg.path(), ec);
  hint::Reader hint;
  return !ec && now > seg.size() && hint.open(dir_ / hint::file_name(seg.id()), seg.id(), now) &&
         hint.covered() > seg.size();
}

// A hint passes its own checks yet may still disagree with its segment (a
// hint crafted, or written by a faulty build, with a valid CRC): an open
// trusts it, and reads of its keys then meet bytes that are not their
// records. Every entry must name a record that starts where it says, with
// its key, kind and size; a damaged record there is the segment's problem,
// already reported (`damaged_at`). Returns what is wrong, if anything.
std::optional<std::string> DBImpl::hint_mismatch(const Segment& seg, const hint::Reader& hint,
                                                 std::span<const std::uint64_t> damaged_at) {
  std::uint64_t wrong = 0;
  std::string first;
  hint::Cursor cursor = hint.entries();
  hint::Entry e;
  while (cursor.next(&e)) {
    // The header and key only, where the entry says (the cursor checked that
    // it lies inside the segment): the walk before this checked every
    // record's CRC, and a reader that resynchronised from a wrong offset
    // would scan ahead, entry after entry.
    const char* rec = seg.data() + e.loc.offset;
    format::RecordHeader h;
    const bool matches =
        format::parse_record(rec, e.loc.size, &h, /*verify_crc=*/false) == format::ParseStatus::kOk
            ? h.record_size() == e.loc.size && h.kind == e.kind &&
                  std::string_view(rec + h.header_size(), h.key_size) == e.key
            : std::find(damaged_at.begin(), damaged_at.end(), e.loc.offset) != damaged_at.end();
    if (matches) continue;
    if (wrong++ == 0) {
      first = "entry of key '" + std::string(e.key) + "' points at offset " +
              std::to_string(e.loc.offset) + " of " + seg.file_name() +
              ", where no record of that key and size starts";
    }
  }
  // On a damaged segment, which record is a key's newest is not known:
  // the damage is reported already.
  if (wrong == 0) return damaged_at.empty() ? hint_not_newest(seg, hint) : std::nullopt;
  return "hint file does not match its segment (" + std::to_string(wrong) + " of " +
         std::to_string(hint.entry_count()) + " entries; the first: " + first +
         "); reads of those keys fail. Remove the hint file: the next writable open rebuilds it";
}

// A hint whose entries all name real records of their keys can still name
// an older one than the key's newest in the segment (with the same size),
// name a key twice, or leave a key out: an open then serves an older value,
// or an older segment's, with nothing to tell. So the segment's records up
// to what the hint covers are walked as an open without the hint would
// apply them (committed ones only), and where each key's last record starts
// is compared with its entry. Keys are compared by hash, in two lists sorted
// by it: a map of every key cost a random cache miss a record (3x the
// time of the rest of a check of 1M keys), and the keys themselves
// gigabytes on a large segment. Two keys of one hash (one chance in 2^64 a
// pair) only hide each other: a difference is confirmed with the keys of
// the records before it is reported.
std::optional<std::string> DBImpl::hint_not_newest(const Segment& seg, const hint::Reader& hint) {
  using Place = std::pair<std::uint64_t, std::uint64_t>;  // key hash, record offset
  auto hash = [](std::string_view key) { return XXH3_64bits(key.data(), key.size()); };
  std::vector<Place> records;
  records.reserve(hint.entry_count());
  CommittedReader reader(seg, 0, /*verify_checksums=*/false);
  RawRecord rec;
  while (reader.next(&rec) && rec.offset < hint.covered()) {
    if (rec.ok) records.emplace_back(hash(rec.key), rec.offset);
  }
  std::vector<Place> entries;
  entries.reserve(hint.entry_count());
  hint::Cursor cursor = hint.entries();
  for (hint::Entry e; cursor.next(&e);) entries.emplace_back(hash(e.key), e.loc.offset);
  std::sort(records.begin(), records.end());
  std::sort(entries.begin(), entries.end());
  auto key_at = [&](std::uint64_t offset) {
    SegmentReader there(seg, offset, /*verify_checksums=*/false);
    RawRecord r;
    return there.next(&r) ? std::string(r.key) : std::string();
  };

  std::uint64_t older = 0, twice = 0, left_out = 0;
  std::string first;
  auto e = entries.begin();
  for (auto r = records.begin(); r != records.end();) {
    const std::uint64_t h = r->first;
    auto last = std::upper_bound(r, records.end(), Place{h, UINT64_MAX}) - 1;  // the newest
    const std::uint64_t newest = last->second;
    r = last + 1;
    while (e != entries.end() && e->first < h) ++e;  // not a record of the segment: reported
    if (e == entries.end() || e->first != h) {
      ++left_out;
      continue;
    }
    const std::uint64_t named = e->second;
    for (++e; e != entries.end() && e->first == h; ++e) ++twice;
    if (named == newest) continue;
    const std::string key = key_at(named);
    if (key != key_at(newest)) continue;  // two keys of one hash
    if (older++ == 0) {
      first = "entry of key '" + key + "' names its record at offset " + std::to_string(named) +
              ", but its newest record in " + seg.file_name() + " is at offset " +
              std::to_string(newest);
    }
  }
  if (older == 0 && twice == 0 && left_out == 0) return std::nullopt;
  auto count = [](std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::vector<std::string> parts;
  if (older) {
    parts.push_back(count(older, "entry names an older record than its key's newest",
                          "entries name older records than their keys' newest") +
                    "; the first: " + first);
  }
  if (twice) parts.push_back(count(twice, "key named twice", "keys named twice"));
  if (left_out) {
    parts.push_back(count(left_out, "key of the segment named by no entry",
                          "keys of the segment named by no entry"));
  }
  std::string what = "hint file does not match its segment (";
  for (std::size_t i = 0; i < parts.size(); ++i) what += (i ? "; " : "") + parts[i];
  return what +
         "); reads of those keys serve older values, or none. Remove the hint file: the next "
         "writable open rebuilds it";
}

}  // namespace bitcask
