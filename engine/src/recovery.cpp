// Rebuilding the keydir from the segments when a database is opened.
//
// Every record's CRC is verified. What is not a valid record is handled by
// where it is:
// - at the end of the last segment, only zero bytes: the tail the writer
//   preallocated (engine/FORMAT.md, "End of data"). The data ends before it;
//   nothing is reported, nothing saved.
// - at the end of the last segment, other bytes (a torn or garbage tail left
//   by a crash, possibly followed by preallocated zeros): cut back to the
//   last good record on a writable open, after the bytes up to the last
//   non-zero one are saved under lost+found/; ignored on a read-only open.
//   Either way reported.
// - anywhere else: reported as corrupt, never applied, never deleted.
// A batch whose commit record is missing is not applied.
#include "recovery.h"

#include <fcntl.h>

#include <algorithm>
#include <array>
#include <cstring>

#include "format.h"

namespace bitcask {

namespace {

// Opening is bound by the keydir's cache misses: records and hint entries
// are applied this many at a time, the keydir slots of the whole batch
// prefetched first, so the misses overlap instead of coming one by one.
constexpr std::size_t kApplyBatch = 16;

// Segment records in batches. Their keys point into the mapped segment, so
// they stay valid until applied.
template <typename Apply>
class RecordBatch {
 public:
  RecordBatch(const KeyDir& keydir, Apply apply) : keydir_(keydir), apply_(apply) {}
  void add(const RawRecord& rec) {
    keydir_.prefetch(rec.key);
    records_[n_++] = rec;
    if (n_ == kApplyBatch) flush();
  }
  // Applies what is pending: before anything else is done with the segment
  // or reported about it, so everything happens in file order.
  void flush() {
    for (std::size_t i = 0; i < n_; ++i) apply_(records_[i]);
    n_ = 0;
  }

 private:
  const KeyDir& keydir_;
  Apply apply_;
  std::array<RawRecord, kApplyBatch> records_;
  std::size_t n_ = 0;
};

}  // namespace

void Recovery::apply(Segment& seg, const RawRecord& rec) {
  ++report_.records;
  table_.publish(rec.kind, rec.key,
                 Location{seg.id(), static_cast<std::uint32_t>(rec.offset),
                          static_cast<std::uint32_t>(rec.length), rec.timestamp_us, rec.flags});
}

// Saves the bytes [offset, end) under lost+found/ and cuts the file at
// `offset` (the zeros past `end` were preallocated, not written).
void Recovery::cut_tail(Segment& seg, std::uint64_t offset, std::uint64_t end) {
  const fs::path lost = dir_ / format::kLostFoundDir;
  create_dirs_durably(lost);
  const fs::path saved = lost / (seg.file_name() + "." + std::to_string(offset) + ".tail");
  write_file_durably(saved, std::string_view(seg.data() + offset, end - offset));
  seg.truncate(offset);
}

namespace {

// One past the last non-zero byte of data[from, size), or `from` when they
// are all zeros. Backwards, in words: a preallocated tail is long.
std::uint64_t end_of_nonzero(const char* data, std::uint64_t from, std::uint64_t size) {
  std::uint64_t end = size;
  while (end > from && (end & 7) != 0 && data[end - 1] == 0) --end;
  while (end >= from + 8) {
    std::uint64_t word;
    std::memcpy(&word, data + end - 8, 8);
    if (word != 0) break;
    end -= 8;
  }
  while (end > from && data[end - 1] == 0) --end;
  return end;
}

}  // namespace

void Recovery::recover_segment(const std::shared_ptr<Segment>& seg, bool is_last,
                               std::uint64_t start, hint::Builder* hint) {
  const std::string name = seg->file_name();
  if (seg->size() < format::kSegmentHeaderSize ||
      !format::check_segment_header(seg->data(), seg->id()).empty()) {
    const bool short_file = seg->size() < format::kSegmentHeaderSize;
    std::string why = short_file ? "segment shorter than its header"
                                 : format::check_segment_header(seg->data(), seg->id());
    if (why.find("version") != std::string::npos) {
      throw Error(ErrorCode::kUnsupportedVersion,
                  std::string("'").append(seg->path().string()).append("': ").append(why));
    }
    if (short_file && is_last) {
      // A crash while the segment was being created: it holds no records.
      // A read-only reader beside a live writer meets the same while the
      // writer creates it, and loses nothing: not reported to a reader.
      if (read_only_ && format::is_header_being_written(seg->data(), seg->size(), seg->id())) {
        return;
      }
      report_.truncated_tails.push_back({name, 0, seg->size(), why});
      if (!read_only_) {
        if (seg->size() > 0) cut_tail(*seg, 0, seg->size());
        seg->append(format::encode_segment_header(seg->id()));
        seg->sync();
      }
      return;
    }
    report_.corrupt_records.push_back({name, 0, seg->size(), why});
    return;
  }

  CommittedReader reader(*seg, start);
  RawRecord rec;
  bool damaged = false;
  // The lambda runs inside this function, under its lock; the analysis
  // cannot follow a lock into a lambda.
  RecordBatch batch(table_.keydir(), [&](const RawRecord& r) ABSL_NO_THREAD_SAFETY_ANALYSIS {
    apply(*seg, r);
    if (hint) hint->add(r);
  });
  while (reader.next(&rec)) {
    if (rec.ok) {
      batch.add(rec);
      continue;
    }
    batch.flush();
    if (rec.runs_to_end && is_last) {
      const std::uint64_t end = end_of_nonzero(seg->data(), rec.offset, seg->size());
      if (end == rec.offset) {
        // Only zeros: the preallocated tail, not damage. A writable open
        // appends over it.
        seg->set_data_end(rec.offset);
        break;
      }
      report_.truncated_tails.push_back({name, rec.offset, end - rec.offset, rec.problem});
      if (!read_only_) cut_tail(*seg, rec.offset, end);
    } else {
      Problem problem{name, rec.offset, rec.length, rec.problem, std::nullopt};
      // A record whose header still reads is published as its hint would
      // have it, so a key counts alike with and without hints and get()
      // reports the damage instead of serving an older version.
      if (RawRecord as_read; read_damaged_record(*seg, rec, &as_read)) {
        problem.key.emplace(as_read.key);
        table_.publish(
            as_read.kind, as_read.key,
            Location{seg->id(), static_cast<std::uint32_t>(rec.offset),
                     static_cast<std::uint32_t>(rec.length), as_read.timestamp_us, as_read.flags});
      }
      report_.corrupt_records.push_back(std::move(problem));
      damaged = true;
    }
  }
  batch.flush();
  table_.count_records(seg->id(), reader.markers());
  if (hint) {
    for (std::uint64_t i = 0; i < reader.markers(); ++i) hint->count_record();
    // A hint would hide the damage from the next open's report.
    if (!damaged && !read_only_) {
      hint->write(dir_, seg->size());
      table_.set_has_hint(seg->id(), true);
    }
  }
}

// Applies a segment's hint (checked whole by open_hint) instead of reading
// its records. Returns the bytes of the segment the hint covers: 0 when it
// does not fit the segment as opened.
std::uint64_t Recovery::load_hint(Segment& seg, const hint::Reader& hint) {
  if (hint.covered() > seg.size()) return 0;
  // In batches, as records are (RecordBatch); the cursor reuses its key
  // buffer, so a batch keeps copies.
  std::array<hint::Entry, kApplyBatch> batch;
  std::array<std::string, kApplyBatch> keys;
  hint::Cursor cursor = hint.entries();
  for (std::size_t n = kApplyBatch; n == kApplyBatch;) {
    for (n = 0; n < kApplyBatch && cursor.next(&batch[n]); ++n) {
      batch[n].key = keys[n].assign(batch[n].key);
      table_.keydir().prefetch(batch[n].key);
    }
    for (std::size_t i = 0; i < n; ++i) {
      table_.publish(batch[i].kind, batch[i].key, batch[i].loc);
    }
    report_.records += n;
  }
  // publish() counted one record an entry; the hint knows them all.
  const SegmentFigures& f = table_.figures(seg.id());
  table_.count_records(seg.id(), hint.records() - std::min(hint.records(), f.records));
  table_.set_has_hint(seg.id(), true);
  return hint.covered();
}

// Opens segment `id`'s hint into *hint, checked whole; false when it is
// missing or damaged. Before the segment itself: what a valid hint covers,
// no writer ever cuts (a writer cuts only past the last record it reads, and
// it reads records only past a hint's coverage; engine/FORMAT.md, "End of
// data"), so a read-only reader maps those bytes of the newest segment
// instead of copying them.
bool Recovery::open_hint(std::uint32_t id, const fs::path& segment_path, hint::Reader* hint) const {
  std::error_code ec;
  const std::uint64_t size = fs::file_size(segment_path, ec);
  return !ec && hint->open(dir_ / hint::file_name(id), id, size);
}

// Leftovers of a crash during a merge or a durable file write: never
// renamed into place, so never part of the database.
void Recovery::remove_temp_files() {
  bool removed = false;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    if (entry.path().extension() == ".tmp") {
      remove_file(entry.path());
      removed = true;
    }
  }
  if (removed) fsync_dir(dir_);
}

void Recovery::native(const std::vector<std::uint32_t>& ids) {
  if (!read_only_) remove_temp_files();
  WriterMutexLock lock(&table_.mu());
  // Size the keydir once from the hints, instead of growing it step by step
  // (each step rehashes every key).
  std::uint64_t expected = 0;
  for (std::uint32_t id : ids) expected += hint::entry_count(dir_, id);
  table_.reserve_keys(std::min<std::uint64_t>(expected, 1ull << 32));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const bool is_last = i + 1 == ids.size();
    const fs::path path = dir_ / format::segment_file_name(ids[i]);
    // Read-only, the newest segment is copied: its writer may cut or grow
    // it while we read (a shared mapping would fault past a cut).
    const auto mode = !is_last     ? Segment::Mode::kSealed
                      : read_only_ ? Segment::Mode::kSnapshot
                                   : Segment::Mode::kAppend;
    hint::Reader hint;
    const bool hinted = open_hint(ids[i], path, &hint);
    auto seg = Segment::open(
        path, ids[i], SegmentFormat::kNative, mode,
        mode == Segment::Mode::kAppend ? active_segment_reserve(options_.max_segment_size) : 0,
        mode == Segment::Mode::kSnapshot && hinted ? hint.covered() : 0,
        page_pieces_for(options_.sync));
    table_.add(seg);  // first: a record may replace one in its own segment
    const std::uint64_t covered =
        hinted && seg->size() >= format::kSegmentHeaderSize ? load_hint(*seg, hint) : 0;
    if (covered == 0) {
      hint::Builder builder(seg->id());
      // A read-only open writes no hint: building one would only copy keys.
      recover_segment(seg, is_last, 0, is_last || read_only_ ? nullptr : &builder);
    } else if (covered < seg->size()) {
      // The hint was written when this segment was still active; read the
      // records appended after it.
      recover_segment(seg, is_last, covered, nullptr);
      if (!is_last && !read_only_) {
        table_.set_has_hint(seg->id(), false);
        hints_owed_.push_back(seg->id());
      }
    }
  }
  report_.segments = ids.size();
  if (read_only_) return;
  // Appends never go after damage that is not a tail: the record boundaries
  // there are uncertain. Start a fresh segment instead; likewise after a
  // segment already at its maximum size.
  const bool last_damaged =
      !report_.corrupt_records.empty() &&
      report_.corrupt_records.back().file == format::segment_file_name(ids.back());
  std::shared_ptr<Segment> last = ids.empty() ? nullptr : table_.share(ids.back());
  if (last && !last_damaged && last->capacity() > last->size()) {
    table_.set_active(std::move(last));
    return;
  }
  // Appends go elsewhere: the zeros a crash left past its data go.
  if (last) last->seal();
  if (!ids.empty() && ids.back() == format::kMaxSegmentId) {
    throw Error(ErrorCode::kCorruption,
                "database '" + dir_.string() + "' has a segment numbered " +
                    std::to_string(format::kMaxSegmentId) +
                    ", the highest there can be: no new "
                    "segment can follow it; merge or convert the database with a reader");
  }
  auto fresh = Segment::create(dir_, ids.empty() ? 1 : ids.back() + 1, options_.max_segment_size,
                               page_pieces_for(options_.sync));
  table_.add(fresh);
  table_.set_active(std::move(fresh));
}

// A foreign layout's files, in its order, each record applied as it is
// read: its key and value live in the reader's buffer only until the next
// record, so there are no batches here. Damage is reported like native
// damage: an incomplete record at the end of the last file is a torn tail
// (ignored: nothing is ever cut here), anything else is corrupt.
void Recovery::foreign(const Layout& layout) {
  WriterMutexLock lock(&table_.mu());
  const std::vector<ForeignFile>& files = layout.files();
  for (const ForeignFile& file : files) {
    auto seg = Segment::open(file.path, file.id, SegmentFormat::kForeign, Segment::Mode::kSealed);
    seg->set_foreign(&layout, &file);
    table_.add(seg);
    const bool is_last = &file == &files.back();
    SegmentReader reader(*seg);
    RawRecord rec;
    while (reader.next(&rec)) {
      if (rec.ok && rec.key_size <= kMaxKeySize) {
        apply(*seg, rec);
      } else if (rec.ok) {
        report_.corrupt_records.push_back(
            {seg->file_name(), rec.offset, rec.length,
             "key longer than " + std::to_string(kMaxKeySize) + " bytes"});
      } else if (rec.runs_to_end && is_last) {
        report_.truncated_tails.push_back({seg->file_name(), rec.offset, rec.length, rec.problem});
      } else {
        report_.corrupt_records.push_back({seg->file_name(), rec.offset, rec.length, rec.problem});
      }
    }
  }
  report_.segments = files.size();
}

}  // namespace bitcask
