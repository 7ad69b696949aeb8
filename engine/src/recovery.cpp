// Rebuilding the keydir from the segments when a database is opened.
//
// Every record's CRC is verified. What is not a valid record is handled by
// where it is:
// - at the end of the last segment (a torn or garbage tail left by a crash):
//   cut back to the last good record on a writable open, after the bytes are
//   saved under lost+found/; ignored on a read-only open. Either way reported.
// - anywhere else: reported as corrupt, never applied, never deleted.
// A batch whose commit record is missing is not applied.
#include <fcntl.h>

#include "coding.h"
#include "db_impl.h"
#include "format.h"
#include "pybitcask_format.h"

namespace bitcask {

void DBImpl::apply(Segment& seg, const RawRecord& rec) {
  ++report_.records;
  publish(seg, rec.kind, rec.key,
          Location{seg.id(), static_cast<std::uint32_t>(rec.offset),
                   static_cast<std::uint32_t>(rec.length), rec.timestamp_us, rec.flags});
}

// Saves the bytes past `offset` under lost+found/ and cuts the file there.
void DBImpl::cut_tail(Segment& seg, std::uint64_t offset) {
  const fs::path lost = dir_ / format::kLostFoundDir;
  create_dirs_durably(lost);
  const fs::path saved = lost / (seg.file_name() + "." + std::to_string(offset) + ".tail");
  write_file_durably(saved, std::string_view(seg.data() + offset, seg.size() - offset));
  seg.truncate(offset);
}

void DBImpl::recover_segment(const std::shared_ptr<Segment>& seg, bool is_last) {
  const std::string name = seg->file_name();
  if (seg->size() < format::kSegmentHeaderSize ||
      !format::check_segment_header(seg->data(), seg->id()).empty()) {
    const bool short_file = seg->size() < format::kSegmentHeaderSize;
    std::string why = short_file ? "segment shorter than its header"
                                 : format::check_segment_header(seg->data(), seg->id());
    if (why.find("version") != std::string::npos) {
      throw Error(ErrorCode::kUnsupportedVersion, "'" + seg->path().string() + "': " + why);
    }
    if (short_file && is_last) {
      // A crash while the segment was being created: it holds no records.
      report_.truncated_tails.push_back({name, 0, seg->size(), why});
      if (!read_only_) {
        if (seg->size() > 0) cut_tail(*seg, 0);
        seg->append(format::encode_segment_header(seg->id()));
        seg->sync();
      }
      return;
    }
    report_.corrupt_records.push_back({name, 0, seg->size(), why});
    return;
  }

  SegmentReader reader(*seg);
  RawRecord rec;
  std::vector<RawRecord> batch;
  bool in_batch = false;
  std::uint64_t batch_start = 0;
  while (reader.next(&rec)) {
    if (!rec.ok) {
      if (rec.runs_to_end && is_last) {
        // A tear inside a batch takes the whole uncommitted batch with it.
        const std::uint64_t from = in_batch ? batch_start : rec.offset;
        std::string what = rec.problem;
        if (in_batch) what += " inside a batch without commit record";
        report_.truncated_tails.push_back({name, from, seg->size() - from, what});
        if (!read_only_) cut_tail(*seg, from);
        in_batch = false;
        batch.clear();
      } else {
        report_.corrupt_records.push_back({name, rec.offset, rec.length, rec.problem});
      }
      continue;
    }
    switch (rec.kind) {
      case RecordKind::kBatchBegin:
        if (in_batch) {
          // A begin inside a batch: the earlier batch never committed.
          report_.corrupt_records.push_back(
              {name, batch_start, rec.offset - batch_start, "batch without commit record"});
        }
        batch.clear();
        in_batch = true;
        batch_start = rec.offset;
        seg->records += 1;
        break;
      case RecordKind::kBatchCommit:
        seg->records += 1;
        if (in_batch && rec.value.size() == 4 && decode_u32_le(rec.value.data()) == batch.size()) {
          for (const RawRecord& op : batch) apply(*seg, op);
        } else {
          report_.corrupt_records.push_back(
              {name, in_batch ? batch_start : rec.offset,
               rec.offset + rec.length - (in_batch ? batch_start : rec.offset),
               "batch commit record does not match its batch"});
        }
        batch.clear();
        in_batch = false;
        break;
      default:
        if (in_batch) {
          batch.push_back(rec);
        } else {
          apply(*seg, rec);
        }
    }
  }
  if (in_batch) {
    // The batch's records are complete but its commit never made it: the
    // batch was not acknowledged, so none of it is applied.
    report_.truncated_tails.push_back(
        {name, batch_start, seg->size() - batch_start, "batch without commit record"});
    if (!read_only_ && is_last) cut_tail(*seg, batch_start);
  }
}

void DBImpl::recover_native(const std::vector<std::uint32_t>& ids) {
  format_ = DataFormat::kNative;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const bool is_last = i + 1 == ids.size();
    const fs::path path = dir_ / format::segment_file_name(ids[i]);
    const bool writable = !read_only_ && is_last;
    auto seg = Segment::open(path, ids[i], SegmentFormat::kNative, writable,
                             writable ? active_segment_reserve(options_.max_segment_size) : 0);
    add_segment(seg);  // first: a record may replace one in its own segment
    recover_segment(seg, is_last);
  }
  report_.segments = ids.size();
  if (read_only_) return;
  // Appends never go after damage that is not a tail: the record boundaries
  // there are uncertain. Start a fresh segment instead.
  const bool last_damaged =
      !report_.corrupt_records.empty() &&
      report_.corrupt_records.back().file == format::segment_file_name(ids.back());
  if (ids.empty() || last_damaged || active_ == nullptr) {
    const std::uint32_t next = ids.empty() ? 1 : ids.back() + 1;
    active_.reset();
    add_segment(Segment::create(dir_, next, options_.max_segment_size));
  }
}

void DBImpl::recover_python() {
  format_ = DataFormat::kPythonBitcask;
  read_only_ = true;  // readable in place; converted by `bitcask import`
  std::uint32_t id = 0;
  for (const fs::path& path : pybitcask::data_files(dir_)) {
    auto seg = Segment::open(path, ++id, SegmentFormat::kPython, false);
    add_segment(seg);
    SegmentReader reader(*seg);
    RawRecord rec;
    while (reader.next(&rec)) {
      if (!rec.ok) {
        report_.truncated_tails.push_back({seg->file_name(), rec.offset, rec.length, rec.problem});
      } else if (rec.key_size > kMaxKeySize) {
        report_.corrupt_records.push_back({seg->file_name(), rec.offset, rec.length,
                                           "key longer than " + std::to_string(kMaxKeySize) +
                                               " bytes"});
      } else {
        apply(*seg, rec);
      }
    }
  }
  report_.segments = id;
}

}  // namespace bitcask
