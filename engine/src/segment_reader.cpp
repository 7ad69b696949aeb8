#include "segment_reader.h"

#include "coding.h"
#include "format.h"

namespace bitcask {

std::uint64_t first_record_offset(SegmentFormat format) {
  return format == SegmentFormat::kNative ? format::kSegmentHeaderSize : 0;
}

bool read_damaged_record(const Segment& segment, const RawRecord& damaged, RawRecord* as_read) {
  if (damaged.ok || segment.format() != SegmentFormat::kNative ||
      damaged.length < format::kRecordHeaderSize || damaged.offset > segment.size() ||
      damaged.length > segment.size() - damaged.offset) {
    return false;
  }
  format::RecordHeader h;
  const char* at = segment.data() + damaged.offset;
  if (format::parse_record(at, damaged.length, &h, false) != format::ParseStatus::kOk ||
      h.record_size() != damaged.length ||
      (h.kind != RecordKind::kPut && h.kind != RecordKind::kTombstone)) {
    return false;
  }
  *as_read = damaged;
  as_read->kind = h.kind;
  as_read->flags = h.flags;
  as_read->header_size = h.header_size();
  as_read->key_size = h.key_size;
  as_read->value_size = h.value_size;
  as_read->timestamp_us = h.timestamp_us;
  as_read->expiry_us = h.expiry_us;
  as_read->key = std::string_view(at + h.header_size(), h.key_size);
  as_read->value = std::string_view(at + h.header_size() + h.key_size, h.value_size);
  return true;
}

SegmentReader::SegmentReader(const char* data, std::uint64_t size, SegmentFormat format,
                             std::uint64_t start, bool verify_checksums)
    : data_(data),
      size_(size),
      verify_(verify_checksums),
      pos_(start == 0 ? first_record_offset(format) : start) {}

SegmentReader::SegmentReader(const Segment& segment, std::uint64_t start, bool verify_checksums)
    : SegmentReader(segment.data(), segment.size(), segment.format(),
                    start == 0 ? segment.first_record_offset() : start, verify_checksums) {
  layout_ = segment.layout();
  foreign_ = segment.foreign_file();
}

bool SegmentReader::next_foreign(RawRecord* out) {
  if (pos_ >= size_) return false;
  why_.clear();
  const DecodeStatus status =
      layout_->decode(*foreign_, data_, size_, pos_, &foreign_record_, &why_);
  *out = RawRecord{};
  out->offset = pos_;
  if (status == DecodeStatus::kEnd) {
    // pybitcask can leave a lone format byte as a file's last byte: the
    // layout says where its records end.
    pos_ = size_;
    return false;
  }
  if (status == DecodeStatus::kOk) {
    const ForeignRecord& r = foreign_record_;
    out->length = r.length;
    out->kind = r.kind;
    out->key = r.key;
    out->value = r.value;
    out->key_size = static_cast<std::uint32_t>(r.key.size());
    out->value_size = static_cast<std::uint32_t>(r.value.size());
    out->timestamp_us = r.timestamp_us;
    out->ok = r.checksum_ok;
    out->problem = r.checksum_ok ? "" : "checksum mismatch";
    pos_ += r.length;
    return true;
  }
  // No resynchronisation in a foreign file: without a checksum a later
  // record boundary cannot be trusted, so the damage runs to the end.
  out->length = size_ - pos_;
  out->ok = false;
  out->problem = why_.c_str();
  out->runs_to_end = status == DecodeStatus::kTruncated;  // a torn tail, if in the last file
  pos_ = size_;
  return true;
}

bool SegmentReader::parse_at(std::uint64_t at, RawRecord* out) const {
  out->offset = at;
  format::RecordHeader h;
  format::ParseStatus st = format::parse_record(data_ + at, size_ - at, &h, verify_);
  if (st != format::ParseStatus::kOk) {
    const_cast<SegmentReader*>(this)->last_problem_ = format::to_string(st);
    return false;
  }
  out->kind = h.kind;
  out->flags = h.flags;
  out->header_size = h.header_size();
  out->key_size = h.key_size;
  out->value_size = h.value_size;
  out->timestamp_us = h.timestamp_us;
  out->expiry_us = h.expiry_us;
  out->length = std::uint64_t{out->header_size} + out->key_size + out->value_size;
  out->key = std::string_view(data_ + at + out->header_size, out->key_size);
  out->value = std::string_view(data_ + at + out->header_size + out->key_size, out->value_size);
  out->ok = true;
  out->problem = "";
  out->runs_to_end = false;
  return true;
}

// A record is only accepted here if its CRC matches, which random bytes pass
// with probability 2^-32 per offset.
std::uint64_t SegmentReader::find_next_valid(std::uint64_t from) const {
  for (std::uint64_t at = from; at + format::kRecordHeaderSize <= size_; ++at) {
    // Cheap pre-check before a full parse: a zero header is never valid.
    if (data_[at] == 0 && data_[at + 1] == 0 && data_[at + 2] == 0 && data_[at + 3] == 0 &&
        data_[at + 14] == 0 && data_[at + 15] == 0) {
      continue;
    }
    format::RecordHeader h;
    if (format::parse_record(data_ + at, size_ - at, &h, true) == format::ParseStatus::kOk) {
      return at;
    }
  }
  return size_;
}

bool SegmentReader::next(RawRecord* out) {
  if (layout_) return next_foreign(out);
  if (pos_ >= size_) return false;
  if (parse_at(pos_, out)) {
    pos_ += out->length;
    return true;
  }
  const char* problem = last_problem_;
  const std::uint64_t next_valid = find_next_valid(pos_ + 1);
  *out = RawRecord{};
  out->offset = pos_;
  out->length = next_valid - pos_;
  out->ok = false;
  out->problem = problem;
  out->runs_to_end = next_valid >= size_;
  pos_ = next_valid;
  return true;
}

}  // namespace bitcask

namespace bitcask {

CommittedReader::CommittedReader(const Segment& segment, std::uint64_t start, bool verify_checksums)
    : reader_(segment, start, verify_checksums), size_(segment.size()) {}

void CommittedReader::fail_batch(std::uint64_t end, bool runs_to_end, const char* why) {
  RawRecord damage;
  damage.offset = batch_start_;
  damage.length = end - batch_start_;
  damage.ok = false;
  damage.problem = why;
  damage.runs_to_end = runs_to_end;
  ready_.push_back(damage);
  batch_.clear();
  in_batch_ = false;
}

bool CommittedReader::next(RawRecord* out) {
  RawRecord rec;
  while (ready_.empty()) {
    if (!reader_.next(&rec)) {
      if (in_batch_ || skipping_) {
        fail_batch(size_, true, "batch without commit record");
        skipping_ = false;
        break;
      }
      return false;
    }
    if (!rec.ok) {
      if (in_batch_) {
        // The damage takes its whole batch with it.
        fail_batch(rec.offset + rec.length, rec.runs_to_end,
                   rec.runs_to_end ? "batch torn before its commit record"
                                   : "damaged record inside a batch");
        skipping_ = !rec.runs_to_end;
      } else if (!skipping_) {
        ready_.push_back(rec);
      }
      continue;
    }
    switch (rec.kind) {
      case RecordKind::kBatchBegin:
        ++markers_;
        if (in_batch_) fail_batch(rec.offset, false, "batch without commit record");
        skipping_ = false;
        in_batch_ = true;
        batch_start_ = rec.offset;
        break;
      case RecordKind::kBatchCommit:
        ++markers_;
        if (skipping_) {
          skipping_ = false;
        } else if (in_batch_ && rec.value.size() == 4 &&
                   decode_u32_le(rec.value.data()) == batch_.size()) {
          ready_.assign(batch_.rbegin(), batch_.rend());
          batch_.clear();
          in_batch_ = false;
        } else if (in_batch_) {
          fail_batch(rec.offset + rec.length, false,
                     "batch commit record does not match its batch");
        } else {
          rec.ok = false;
          rec.problem = "batch commit record without its batch";
          ready_.push_back(rec);
        }
        break;
      default:
        if (in_batch_) {
          batch_.push_back(rec);
        } else if (!skipping_) {
          ready_.push_back(rec);
        }
    }
  }
  *out = ready_.back();
  ready_.pop_back();
  return true;
}

}  // namespace bitcask
