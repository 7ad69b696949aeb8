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
#include <fcntl.h>

#include <algorithm>
#include <chrono>

#include "db_impl.h"
#include "format.h"

namespace bitcask {

// Writes the output segments of one merge.
class DBImpl::MergeWriter {
 public:
  MergeWriter(DBImpl& db, std::uint32_t first_id, std::uint32_t last_id)
      : db_(db), next_id_(first_id), last_id_(last_id) {}
  ~MergeWriter() { discard(); }

  // Copies a record (its bytes unchanged) into the current output. `from` is
  // where the keydir points today (null for a tombstone kept as is).
  void copy(const RawRecord& rec, const char* bytes, const Location* from) {
    if (file_.valid() && size_ + rec.length > db_.options_.max_segment_size) finish();
    if (!file_.valid()) start();
    const auto offset = static_cast<std::uint32_t>(size_);
    buffer_.append(bytes, rec.length);
    size_ += rec.length;
    hint_->add(rec, offset);
    if (from)
      moves_.push_back({std::string(rec.key), *from,
                        Location{id_, offset, static_cast<std::uint32_t>(rec.length),
                                 rec.timestamp_us, rec.flags}});
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
    auto seg = Segment::open(tmp_path_, id_, SegmentFormat::kNative, false);
    const fs::path final_path = db_.dir_ / format::segment_file_name(id_);
    rename_file(tmp_path_, final_path);
    seg->set_path(final_path);
    {
      std::unique_lock lock(db_.mu_);
      seg->records = records_;
      seg->tombstones = tombstones_;
      db_.add_segment(seg);
    }
    fsync_dir(db_.dir_);
    // The copies are durable: point the keydir at them.
    {
      std::unique_lock lock(db_.mu_);
      for (const Move& m : moves_) db_.relocate(m.key, m.from, m.to);
    }
    try {
      hint_->write(db_.dir_, size_);
      seg->has_hint = true;
    } catch (const Error&) {
      // Optional: the next open scans this segment and writes it.
    }
    bytes_written_ += size_;
    size_ = 0;
    ++outputs_;
    moves_.clear();
    hint_.reset();
  }

  void count(const RawRecord& rec) {
    ++records_;
    if (rec.kind == RecordKind::kTombstone) ++tombstones_;
  }
  // Drops an unfinished output (cancel, error).
  void discard() {
    if (!file_.valid()) return;
    file_ = File();
    std::error_code ec;
    fs::remove(tmp_path_, ec);  // a leftover is removed by the next open anyway
  }
  bool can_start_another() const { return file_.valid() || next_id_ <= last_id_; }
  std::uint32_t outputs() const { return outputs_; }
  std::uint64_t bytes_written() const { return bytes_written_ + size_; }

 private:
  struct Move {
    std::string key;
    Location from, to;
  };

  void start() {
    id_ = next_id_++;
    tmp_path_ = db_.dir_ / (format::segment_file_name(id_) + ".tmp");
    file_ = open_file(tmp_path_, O_RDWR | O_CREAT | O_TRUNC);
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

  DBImpl& db_;
  std::uint32_t next_id_, last_id_;
  std::uint32_t id_ = 0;
  fs::path tmp_path_;
  File file_;
  std::string buffer_;
  std::uint64_t size_ = 0, written_ = 0, records_ = 0, tombstones_ = 0;
  std::unique_ptr<hint::Builder> hint_;
  std::vector<Move> moves_;
  std::uint32_t outputs_ = 0;
  std::uint64_t bytes_written_ = 0;
};

// Moves the keydir entry of `key` from a merge input to its copy, unless a
// write since replaced it. The caller holds mu_ exclusively.
void DBImpl::relocate(std::string_view key, const Location& from, const Location& to) {
  std::optional<Location> now = keydir_.find(key);
  if (!now || now->segment != from.segment || now->offset != from.offset) return;
  if (to.size == 0) {  // expired: the copy is a tombstone, or nothing
    keydir_.remove(key);
  } else {
    keydir_.put(key, to);
    Segment* dst = segment(to.segment);
    ++dst->live_records;
    dst->live_bytes += to.size;
  }
  Segment* src = segment(from.segment);
  --src->live_records;
  src->live_bytes -= from.size;
}

std::vector<std::shared_ptr<Segment>> DBImpl::merge_inputs(bool all_segments) const {
  std::vector<std::shared_ptr<Segment>> inputs;
  const MergeThresholds& t = options_.merge_thresholds;
  for (std::uint32_t id : segment_ids_) {
    const auto& seg = segments_[id];
    if (seg.get() == active_.get()) continue;
    const std::uint64_t size = seg->size();
    const std::uint64_t dead = size - std::min(size, format::kSegmentHeaderSize + seg->live_bytes);
    const double frag = size ? static_cast<double>(dead) / static_cast<double>(size) : 0;
    if (all_segments || frag >= t.fragmentation_threshold || dead >= t.dead_bytes_threshold ||
        size < t.small_segment_threshold) {
      inputs.push_back(seg);
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

// Removes inputs that hold no live record any more, oldest first, stopping at
// the first that must stay (see the file comment for why).
std::uint32_t DBImpl::remove_merged_inputs(const std::vector<std::shared_ptr<Segment>>& inputs,
                                           MergeResult* result) {
  std::uint32_t removed = 0;
  for (const auto& seg : inputs) {
    {
      std::shared_lock lock(mu_);
      if (seg->live_records != 0) {
        result->notes.push_back(seg->file_name() + " kept: " + std::to_string(seg->live_records) +
                                " live records were not copied");
        break;
      }
    }
    // Files first: should an unlink fail, the segment stays in the table
    // and on disk alike, and the removals stop here, oldest first intact.
    remove_file(dir_ / hint::file_name(seg->id()));
    remove_file(seg->path());
    {
      std::unique_lock lock(mu_);
      segments_[seg->id()].reset();
      segment_ids_.erase(std::find(segment_ids_.begin(), segment_ids_.end(), seg->id()));
    }
    fsync_dir(dir_);
    ++removed;
  }
  return removed;
}

MergeResult DBImpl::merge(const MergeOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  std::lock_guard merge_lock(merge_mu_);
  MergeResult result;
  std::vector<std::shared_ptr<Segment>> inputs;
  std::uint32_t first_output = 0, last_output = 0;
  {
    // Seal the active segment so that it can be an input and so that every
    // write from now on lands above the outputs' ids.
    std::lock_guard write_lock(write_mu_);
    check_writable();
    try {
      if (options.all_segments && active_->size() > format::kSegmentHeaderSize) {
        active_->sync();
        std::unique_lock lock(mu_);
        active_.reset();
      }
      std::uint32_t max_id;
      {
        std::shared_lock lock(mu_);
        inputs = merge_inputs(options.all_segments);
        max_id = segment_ids_.back();
      }
      if (inputs.empty() && active_) return result;
      // Outputs hold at most the inputs' bytes; one id per segment's worth
      // of them plus one per input is more than they can use. Should they
      // run out anyway, the merge stops early (see below), safely.
      std::uint64_t input_bytes = 0;
      for (const auto& seg : inputs) input_bytes += seg->size();
      first_output = max_id + 1;
      last_output = max_id + static_cast<std::uint32_t>(input_bytes / options_.max_segment_size +
                                                        inputs.size() + 1);
      if (active_) {
        // Sealed but not an input: it gets its hint like any sealed segment.
        active_->sync();
        std::lock_guard lock(bg_mu_);
        hint_queue_.push_back(active_->id());
      }
      auto next = Segment::create(dir_, last_output + 1, options_.max_segment_size);
      std::unique_lock lock(mu_);
      active_.reset();
      add_segment(std::move(next));
    } catch (const Error& e) {
      fail(e);
    }
  }
  bg_cv_.notify_one();

  MergeProgress progress;
  progress.segments_total = static_cast<std::uint32_t>(inputs.size());
  for (const auto& seg : inputs) progress.bytes_total += seg->size();
  result.inputs = progress.segments_total;
  result.bytes_before = progress.bytes_total;
  // The oldest segment that is not an input: tombstones and expired records
  // newer than it must be kept, they may shadow something in it.
  std::uint32_t oldest_kept = UINT32_MAX;
  {
    std::shared_lock lock(mu_);
    for (std::uint32_t id : segment_ids_) {
      const bool is_input =
          std::any_of(inputs.begin(), inputs.end(), [&](const auto& s) { return s->id() == id; });
      if (!is_input && id < first_output) {
        oldest_kept = id;
        break;
      }
    }
  }

  MergeWriter out(*this, first_output, last_output);
  const std::uint64_t now = format::now_us();
  std::uint64_t done_before = 0;
  std::uint64_t visited = 0;
  auto keep_going = [&](std::uint64_t position) {
    progress.bytes_read = done_before + position;
    progress.bytes_written = out.bytes_written();
    if (closed_.load()) return false;
    return !options.progress || options.progress(progress);
  };
  // Inputs read to their end; only those may be removed.
  std::size_t completed = 0;
  for (const auto& seg : inputs) {
    const bool shadows_older = oldest_kept < seg->id();
    CommittedReader reader(*seg);
    RawRecord rec;
    std::string tombstone;
    while (!result.cancelled && reader.next(&rec)) {
      if ((++visited & 1023) == 0 && !keep_going(rec.offset)) result.cancelled = true;
      if (!out.can_start_another()) {
        result.notes.push_back("stopped early: the output ids reserved for this merge ran out");
        result.cancelled = true;
      }
      if (result.cancelled) break;
      if (!rec.ok) {
        result.notes.push_back(seg->file_name() + " at offset " + std::to_string(rec.offset) +
                               ": " + rec.problem + " (not copied)");
        continue;
      }
      const char* bytes = seg->data() + rec.offset;
      if (rec.kind == RecordKind::kTombstone) {
        bool live;
        {
          std::shared_lock lock(mu_);
          live = keydir_.find(rec.key).has_value();
        }
        if (shadows_older && !live) {
          out.count(rec);
          out.copy(rec, bytes, nullptr);
          ++result.records_copied;
        } else {
          ++result.records_dropped;
        }
        continue;
      }
      std::optional<Location> at;
      {
        std::shared_lock lock(mu_);
        at = keydir_.find(rec.key);
      }
      if (!at || at->segment != seg->id() || at->offset != rec.offset) {
        ++result.records_dropped;
        continue;
      }
      if ((rec.flags & format::kFlagExpiry) && rec.expiry_us <= now) {
        // Expired: gone from the keydir, and a tombstone where an older
        // value could otherwise come back.
        ++result.records_dropped;
        if (shadows_older) {
          tombstone.clear();
          format::append_record(&tombstone, RecordKind::kTombstone, rec.timestamp_us, rec.key, {});
          RawRecord t = rec;
          t.kind = RecordKind::kTombstone;
          t.flags = 0;
          t.length = tombstone.size();
          out.count(t);
          out.copy(t, tombstone.data(), nullptr);
        }
        std::unique_lock lock(mu_);
        relocate(rec.key, *at, Location{});
        continue;
      }
      out.count(rec);
      out.copy(rec, bytes, &*at);
      ++result.records_copied;
    }
    if (result.cancelled) break;
    done_before += seg->size();
    ++progress.segments_done;
    ++completed;
  }
  // Even when cancelled the output so far is kept: it may hold the only copy
  // of a tombstone from an input that is complete.
  out.finish();
  result.outputs = out.outputs();
  result.bytes_after = out.bytes_written();
  inputs.resize(completed);
  result.inputs_removed = remove_merged_inputs(inputs, &result);
  keep_going(0);
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace bitcask
