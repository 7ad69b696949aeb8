// Merge: copies the live records of sealed segments into new segments.
//
// Ordering is what keeps it correct while writers go on. At the start the
// active segment is sealed and the next active segment takes an id above a
// reserved range; outputs take ids in that range. So on any later recovery
// the order is: inputs < outputs < everything written during or after the
// merge. A record is copied only if the keydir points at it when it is read,
// and the keydir is moved to the copy only if it still points at the
// original, so a write made during the merge is never shadowed by a copy.
//
// Crash safety: an output is written under a .tmp name, synced, renamed and
// the directory synced before the keydir uses it; its hint follows the same
// way. Inputs are removed only after that, oldest first, each removal
// synced, and only while every older input is gone too: a tombstone is
// dropped only when no segment older than it survives the merge, so no
// deleted key can come back (the original Bitcask's bug).
//
// Damage: a damaged record of an input is never copied. Its bytes are saved
// under lost+found/ (synced) before anything else happens to its segment,
// and listed in MergeResult::damaged, so removing the input destroys nothing
// that was not saved and reported. A key whose live version is such a record
// (a hint, or a header that still reads, points the keydir at it) leaves the
// keydir, with a tombstone where an older version could come back; else the
// input would hold a live record forever, be kept with every newer input,
// and each merge would grow the database by copies of the rest.
//
// Failure: should writing an output fail (a full disk), the merge undoes
// itself before it reports the error: the keydir goes back to the inputs
// (all still there: nothing is removed before every output is written) and
// every output it wrote is removed. A retry then starts from the same bytes
// on disk, instead of from the inputs plus the copies of a failed run.
#include <fcntl.h>

#include <algorithm>
#include <chrono>

#include "db_impl.h"
#include "format.h"
#include "hint.h"
#include "merge_job.h"

namespace bitcask {

// Writes the output segments of one merge, and undoes them on failure.
class MergeJob::Writer {
 public:
  explicit Writer(MergeJob& job) : job_(job), next_id_(job.plan_.first_output) {}
  ~Writer() { discard(); }

  // Copies a record (its bytes unchanged) into the current output. `from` is
  // where the keydir points today (null for a tombstone kept as is).
  void copy(const RawRecord& rec, const char* bytes, const Location* from) {
    if (file_.valid() && size_ + rec.length > job_.options_.max_segment_size) finish();
    if (!file_.valid()) start();
    const auto offset = static_cast<std::uint32_t>(size_);
    buffer_.append(bytes, rec.length);
    size_ += rec.length;
    hint_->add(rec, offset);
    ++records_;
    if (rec.kind == RecordKind::kTombstone) ++tombstones_;
    const Location to{id_, offset, static_cast<std::uint32_t>(rec.length), rec.timestamp_us,
                      rec.flags};
    if (from) moves_.push_back({std::string(rec.key), *from, to});
    // Where each copy came from, in output order, for undo(): 24 bytes a
    // record, where keeping the keys would cost the keydir's size again.
    origins_.push_back(from ? *from : Location{});
    if (buffer_.size() >= (1u << 20)) flush();
  }

  // Makes the current output durable and points the keydir at its records.
  void finish() {
    if (!file_.valid()) return;
    flush();
    fdatasync_file(file_, tmp_path_);
    file_ = File();
    // Map it before it takes its final name: once it has that name, nothing
    // may fail before the segment table knows it (a file on disk the table
    // does not know would escape the next merge's tombstone rules).
    auto seg = Segment::open(tmp_path_, id_, SegmentFormat::kNative, Segment::Mode::kSealed);
    const fs::path final_path = job_.dir_ / format::segment_file_name(id_);
    rename_file(tmp_path_, final_path);
    seg->set_path(final_path);
    {
      WriterMutexLock lock(&job_.table_.mu());
      SegmentFigures figures;
      figures.records = records_;
      figures.tombstones = tombstones_;
      job_.table_.add(seg, figures);
    }
    finished_.push_back({seg, std::move(origins_)});
    origins_.clear();
    fsync_dir(job_.dir_);
    // The copies are durable: point the keydir at them.
    {
      WriterMutexLock lock(&job_.table_.mu());
      for (const Move& m : moves_) job_.table_.relocate(m.key, m.from, m.to);
    }
    try {
      hint_->write(job_.dir_, size_);
      WriterMutexLock lock(&job_.table_.mu());
      job_.table_.set_has_hint(id_, true);
    } catch (const Error&) {
      // Optional: the next open scans this segment and writes it.
    }
    bytes_written_ += size_;
    size_ = 0;
    moves_.clear();
    hint_.reset();
  }

  // Drops an unfinished output (cancel, error).
  void discard() {
    if (!file_.valid()) return;
    file_ = File();
    std::error_code ec;
    fs::remove(tmp_path_, ec);  // a leftover is removed by the next open anyway
  }

  // Undoes every finished output: keydir entries still pointing at a copy
  // go back to the original, then the output leaves the table and the disk.
  // Best effort on the files: one that cannot be removed is left for the
  // next merge (its records are copies, shadowed by nothing and shadowing
  // nothing newer), and said in *notes.
  void undo(std::vector<std::string>* notes) {
    discard();
    for (auto it = finished_.rbegin(); it != finished_.rend(); ++it) {
      const Segment& seg = *it->segment;
      {
        WriterMutexLock lock(&job_.table_.mu());
        SegmentReader reader(seg);
        RawRecord rec;
        for (std::size_t i = 0; i < it->origins.size() && reader.next(&rec); ++i) {
          const Location& origin = it->origins[i];
          if (origin.size == 0) continue;  // a tombstone: nothing points at it
          const Location copy{seg.id(), static_cast<std::uint32_t>(rec.offset),
                              static_cast<std::uint32_t>(rec.length), rec.timestamp_us, rec.flags};
          job_.table_.relocate(rec.key, copy, origin);
        }
        job_.table_.remove(seg.id());
      }
      std::error_code ec;
      fs::remove(job_.dir_ / hint::file_name(seg.id()), ec);
      if (!fs::remove(seg.path(), ec) || ec) {
        notes->push_back("could not remove the output " + seg.file_name() + " of the failed merge" +
                         (ec ? ": " + ec.message() : ""));
      }
    }
    finished_.clear();
    fsync_dir(job_.dir_);
  }

  bool can_start_another() const { return file_.valid() || next_id_ <= job_.plan_.last_output; }
  std::uint32_t outputs() const { return static_cast<std::uint32_t>(finished_.size()); }
  std::uint64_t bytes_written() const { return bytes_written_ + size_; }

 private:
  struct Move {
    std::string key;
    Location from, to;
  };
  struct Finished {
    std::shared_ptr<Segment> segment;
    std::vector<Location> origins;
  };

  void start() {
    id_ = next_id_++;
    tmp_path_ = job_.dir_ / (format::segment_file_name(id_) + ".tmp");
    file_ = open_regular_file(tmp_path_, O_RDWR | O_CREAT | O_TRUNC);
    buffer_ = format::encode_segment_header(id_);
    size_ = buffer_.size();
    written_ = 0;
    records_ = tombstones_ = 0;
    hint_ = std::make_unique<hint::Builder>(id_);
  }
  void flush() {
    pwrite_all(file_, tmp_path_, buffer_, written_);
    written_ += buffer_.size();
    buffer_.clear();
  }

  MergeJob& job_;
  std::uint32_t next_id_;
  std::uint32_t id_ = 0;
  fs::path tmp_path_;
  File file_;
  std::string buffer_;
  std::uint64_t size_ = 0, written_ = 0, records_ = 0, tombstones_ = 0;
  std::unique_ptr<hint::Builder> hint_;
  std::vector<Move> moves_;
  std::vector<Location> origins_;
  std::vector<Finished> finished_;
  std::uint64_t bytes_written_ = 0;
};

std::vector<std::shared_ptr<Segment>> choose_merge_inputs(const SegmentTable& table,
                                                          const MergeThresholds& t,
                                                          bool all_segments) {
  std::vector<std::shared_ptr<Segment>> inputs;
  for (std::uint32_t id : table.ids()) {
    std::shared_ptr<Segment> seg = table.share(id);
    if (seg == table.active()) continue;
    const std::uint64_t size = seg->size();
    const std::uint64_t dead =
        size - std::min(size, format::kSegmentHeaderSize + table.figures(id).live_bytes);
    const double frag = size ? static_cast<double>(dead) / static_cast<double>(size) : 0;
    if (all_segments || frag >= t.fragmentation_threshold || dead >= t.dead_bytes_threshold ||
        size < t.small_segment_threshold) {
      inputs.push_back(std::move(seg));
    }
  }
  return inputs;
}

bool DBImpl::merge_recommended() const {
  if (read_only_ || closed_.load()) return false;
  const Stats s = stats();
  if (s.segments < 2) return false;
  const MergeThresholds& t = options_.merge_thresholds;
  return s.fragmentation >= t.fragmentation_trigger || s.dead_bytes >= t.dead_bytes_trigger;
}

bool MergeJob::live_in_keydir(std::string_view key) const {
  ReaderMutexLock lock(&table_.mu());
  return table_.keydir().find(key).has_value();
}

// Saves a damaged record's bytes under lost+found/, durably, before its
// segment can be removed.
void MergeJob::save_damaged(const Segment& seg, const RawRecord& rec, MergeResult* result) {
  const fs::path lost = dir_ / format::kLostFoundDir;
  create_dirs_durably(lost);
  const std::string name = seg.file_name() + "." + std::to_string(rec.offset) + ".damaged";
  write_file_durably(lost / name, std::string_view(seg.data() + rec.offset, rec.length));
  Problem problem{seg.file_name(), rec.offset, rec.length, rec.problem, std::nullopt};
  if (RawRecord as_read; read_damaged_record(seg, rec, &as_read)) problem.key.emplace(as_read.key);
  result->damaged.push_back(std::move(problem));
  result->saved_to.push_back(std::string(format::kLostFoundDir) + "/" + name);
}

// Keys the keydir still points at inside a damaged region of an input read
// to its end: their live version is gone (saved in lost+found/). Writes a
// tombstone for each where the input shadows an older segment that may hold
// an earlier version; forget_damaged_keys() takes them out of the keydir once
// the outputs are durable (a failed merge leaves the keydir as it was). One
// pass over the keydir, only when there was damage (rare); a page at a time,
// the lock held per page.
void MergeJob::find_damaged_keys(Writer& out, const std::vector<DamagedRegion>& regions,
                                 std::uint32_t kept) {
  if (regions.empty()) return;
  auto region_of = [&](const Location& loc) -> const DamagedRegion* {
    for (const DamagedRegion& r : regions) {
      if (r.segment == loc.segment && loc.offset >= r.offset && loc.offset < r.offset + r.length) {
        return &r;
      }
    }
    return nullptr;
  };
  // The keys whose live record lies in a damaged region, found in one pass
  // under the read lock (a visitor sees the keydir's own bytes: copy them).
  std::vector<std::pair<std::string, Location>> entries;
  {
    ScanOptions all;
    all.include_expired = true;
    ReaderMutexLock lock(&table_.mu());
    table_.keydir().scan(all, [&](std::string_view key, const Location& loc) {
      if (region_of(loc)) entries.emplace_back(std::string(key), loc);
      return true;
    });
  }
  std::string tombstone;
  for (auto& [key, loc] : entries) {
    const DamagedRegion* region = region_of(loc);
    if (!region) continue;
    if (kept < loc.segment) {
      // No output id left for the tombstone: the key stays, and so does its input.
      if (!out.can_start_another()) continue;
      tombstone.clear();
      format::append_record(&tombstone, RecordKind::kTombstone, loc.timestamp_us, key, {});
      RawRecord t;
      t.kind = RecordKind::kTombstone;
      t.timestamp_us = loc.timestamp_us;
      t.key = key;
      t.length = tombstone.size();
      out.copy(t, tombstone.data(), nullptr);
    }
    damaged_keys_.push_back({std::move(key), loc, region->problem});
  }
}

void MergeJob::forget_damaged_keys(MergeResult* result) {
  for (const DamagedKey& d : damaged_keys_) {
    {
      WriterMutexLock lock(&table_.mu());
      if (!table_.relocate(d.key, d.at, Location{})) continue;  // written since: not ours
    }
    ++result->damaged_keys_removed;
    Problem& problem = result->damaged[d.problem];
    if (!problem.key) problem.key = d.key;
  }
}

// Removes inputs that hold no live record any more, oldest first, stopping at
// the first that must stay (see the file comment for why).
std::uint32_t MergeJob::remove_merged_inputs(std::size_t completed, MergeResult* result) {
  std::uint32_t removed = 0;
  for (std::size_t i = 0; i < completed; ++i) {
    const Segment& seg = *plan_.inputs[i];
    {
      ReaderMutexLock lock(&table_.mu());
      const std::uint64_t live = table_.figures(seg.id()).live_records;
      if (live != 0) {
        // The merge copies every record the keydir names in an input it
        // read to its end, so this is an index that disagrees with the
        // records (a hint that does not match its segment).
        result->notes.push_back(seg.file_name() + " kept: " + std::to_string(live) +
                                " live records were not copied: the index names records the "
                                "segment does not hold as live (bitcask check names the hint)");
        break;
      }
    }
    // Files first: should an unlink fail, the segment stays in the table
    // and on disk alike, and the removals stop here, oldest first intact.
    remove_file(dir_ / hint::file_name(seg.id()));
    remove_file(seg.path());
    {
      WriterMutexLock lock(&table_.mu());
      table_.remove(seg.id());
    }
    fsync_dir(dir_);
    ++removed;
    result->bytes_removed += seg.size();
  }
  return removed;
}

// The oldest segment that is not an input: tombstones and expired records
// newer than it must be kept, they may shadow something in it.
std::uint32_t MergeJob::oldest_kept() const {
  ReaderMutexLock lock(&table_.mu());
  for (std::uint32_t id : table_.ids()) {
    const bool is_input = std::any_of(plan_.inputs.begin(), plan_.inputs.end(),
                                      [&](const auto& s) { return s->id() == id; });
    if (!is_input && id < plan_.first_output) return id;
  }
  return UINT32_MAX;
}

MergeResult MergeJob::run() {
  const auto started = std::chrono::steady_clock::now();
  MergeResult result;
  Writer out(*this);
  std::size_t completed;
  try {
    completed = copy_inputs(out, &result);
    // Even when cancelled the output so far is kept: it may hold the only
    // copy of a tombstone from an input that is complete.
    out.finish();
  } catch (const Error&) {
    out.undo(&result.notes);
    throw;
  }
  forget_damaged_keys(&result);
  result.outputs = out.outputs();
  result.bytes_after = out.bytes_written();
  // From here the outputs are the database: a failure to remove an input
  // leaves it (and every newer one) in place, which is safe, not undone.
  result.inputs_removed = remove_merged_inputs(completed, &result);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

// Returns how many inputs were read to their end (only those may be removed).
std::size_t MergeJob::copy_inputs(Writer& out, MergeResult* result) {
  MergeProgress progress;
  progress.segments_total = static_cast<std::uint32_t>(plan_.inputs.size());
  for (const auto& seg : plan_.inputs) progress.bytes_total += seg->size();
  result->inputs = progress.segments_total;
  result->bytes_before = progress.bytes_total;
  const std::uint32_t kept = oldest_kept();
  const std::uint64_t now = format::now_us();
  std::uint64_t done_before = 0;
  std::uint64_t visited = 0;
  auto keep_going = [&](std::uint64_t position) {
    progress.bytes_read = done_before + position;
    progress.bytes_written = out.bytes_written();
    if (closed_.load()) return false;
    return !merge_options_.progress || merge_options_.progress(progress);
  };
  // Inputs read to their end; only those may be removed.
  std::size_t completed = 0;
  std::vector<DamagedRegion> damaged;  // of the inputs read to their end
  for (const auto& seg : plan_.inputs) {
    const std::size_t damaged_before = damaged.size();
    const bool shadows_older = kept < seg->id();
    CommittedReader reader(*seg);
    RawRecord rec;
    std::string tombstone;
    while (!result->cancelled && reader.next(&rec)) {
      if ((++visited & 1023) == 0 && !keep_going(rec.offset)) result->cancelled = true;
      if (!out.can_start_another()) {
        result->notes.push_back("stopped early: the output ids reserved for this merge ran out");
        result->cancelled = true;
      }
      if (result->cancelled) break;
      if (!rec.ok) {
        save_damaged(*seg, rec, result);
        damaged.push_back({seg->id(), rec.offset, rec.length, result->damaged.size() - 1});
        continue;
      }
      const char* bytes = seg->data() + rec.offset;
      if (rec.kind == RecordKind::kTombstone) {
        if (shadows_older && !live_in_keydir(rec.key)) {
          out.copy(rec, bytes, nullptr);
          ++result->records_copied;
        } else {
          ++result->records_dropped;
        }
        continue;
      }
      std::optional<Location> at;
      {
        ReaderMutexLock lock(&table_.mu());
        at = table_.keydir().find(rec.key);
      }
      if (!at || at->segment != seg->id() || at->offset != rec.offset) {
        ++result->records_dropped;
        continue;
      }
      if ((rec.flags & format::kFlagExpiry) && rec.expiry_us <= now) {
        // Expired: gone from the keydir, and a tombstone where an older
        // value could otherwise come back.
        ++result->records_dropped;
        if (shadows_older) {
          tombstone.clear();
          format::append_record(&tombstone, RecordKind::kTombstone, rec.timestamp_us, rec.key, {});
          RawRecord t = rec;
          t.kind = RecordKind::kTombstone;
          t.flags = 0;
          t.length = tombstone.size();
          out.copy(t, tombstone.data(), nullptr);
        }
        WriterMutexLock lock(&table_.mu());
        table_.relocate(rec.key, *at, Location{});
        continue;
      }
      out.copy(rec, bytes, &*at);
      ++result->records_copied;
    }
    if (result->cancelled) {
      damaged.resize(damaged_before);  // not read to its end: it stays, keys and all
      break;
    }
    done_before += seg->size();
    ++progress.segments_done;
    ++completed;
  }
  find_damaged_keys(out, damaged, kept);
  keep_going(0);
  return completed;
}

// A merge reserves ids for its outputs above the newest segment (see
// merge()); refuses before anything changes when they would run past the
// largest id. Counted for the worst case: every sealed segment an input.
void DBImpl::check_segment_ids_left_for_merge() const {
  ReaderMutexLock lock(&table_.mu());
  std::uint64_t bytes = 0;
  for (const auto& seg : table_.snapshot()) bytes += seg->size();
  const std::uint64_t max_id = table_.newest_id();
  const std::uint64_t needed = bytes / options_.max_segment_size + table_.ids().size() + 2;
  if (max_id + needed > format::kMaxSegmentId) {
    throw Error(ErrorCode::kInvalidArgument,
                "database '" + dir_.string() + "' cannot be merged: its segment ids reach " +
                    std::to_string(max_id) + " and a merge may need " + std::to_string(needed) +
                    " more; convert it (export and import) to renumber them");
  }
}

MergeResult DBImpl::merge(const MergeOptions& options) {
  check_open();
  MutexLock merge_lock(&merge_mu_);
  MergePlan plan;
  {
    // Seal the active segment so that it can be an input and so that every
    // write from now on lands above the outputs' ids.
    MutexLock write_lock(&write_mu_);
    check_writable();
    check_segment_ids_left_for_merge();
    try {
      std::shared_ptr<Segment> active = active_segment();
      if (options.all_segments && active->size() > format::kSegmentHeaderSize) {
        active->seal();
        set_active(nullptr);
        active.reset();
      }
      std::uint64_t max_id;
      {
        ReaderMutexLock lock(&table_.mu());
        plan.inputs = choose_merge_inputs(table_, options_.merge_thresholds, options.all_segments);
        max_id = table_.newest_id();
      }
      if (plan.inputs.empty() && active) return {};
      // Outputs hold at most the inputs' bytes; one id per segment's worth
      // of them plus one per input is more than they can use. Should they
      // run out anyway, the merge stops early (see below), safely.
      std::uint64_t input_bytes = 0;
      for (const auto& seg : plan.inputs) input_bytes += seg->size();
      const std::uint64_t last =
          max_id + input_bytes / options_.max_segment_size + plan.inputs.size() + 1;
      plan.first_output = static_cast<std::uint32_t>(max_id + 1);
      plan.last_output = static_cast<std::uint32_t>(last);
      if (active) {
        // Sealed but not an input: it gets its hint like any sealed segment.
        active->seal();
        queue_hint(active->id());
      }
      auto next = Segment::create(dir_, plan.last_output + 1, options_.max_segment_size,
                                  page_pieces_for(options_.sync));
      set_active(std::move(next));
    } catch (const Error& e) {
      fail(e);
    }
  }
  refuse_inputs_with_hints_not_newest(plan.inputs);
  return MergeJob(dir_, options_, table_, std::move(plan), options, closed_).run();
}

// A merge copies the records the keydir names and drops the rest. An open
// fills the keydir from hints, so one that names an older record of a key
// than its newest (or leaves a key out) would make the merge drop the
// newest value and remove its segment: data destroyed without a word. Such
// a hint is found before anything is copied, at the cost of a walk of the
// inputs' record headers (their bytes are read next anyway).
void DBImpl::refuse_inputs_with_hints_not_newest(
    const std::vector<std::shared_ptr<Segment>>& inputs) const {
  for (const auto& seg : inputs) {
    const fs::path path = dir_ / hint::file_name(seg->id());
    hint::Reader hint;
    if (!hint.open(path, seg->id(), seg->size())) continue;  // none, or ignored by the open too
    if (std::optional<std::string> wrong = hint_not_newest(*seg, hint)) {
      throw Error(ErrorCode::kCorruption, path.string() + ": " + *wrong +
                                              ". Not merged: the merge would keep what the hint "
                                              "names and drop the rest");
    }
  }
}

}  // namespace bitcask
