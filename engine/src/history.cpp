// Key history: the versions of a key that are still in the segments.
#include "compression.h"
#include "db_impl.h"
#include "format.h"

namespace bitcask {

std::vector<KeyVersion> DBImpl::history(std::string_view key) const {
  // Walk a snapshot of the segments without holding the lock: sealed
  // segments never change, the active one is read up to its size now, and
  // the shared pointers keep a segment merged away meanwhile readable.
  std::vector<std::shared_ptr<Segment>> segs;
  std::optional<Location> live;
  {
    ReaderMutexLock lock(&table_.mu());
    check_open();
    segs = table_.snapshot();
    live = table_.keydir().find(key);
  }
  std::vector<KeyVersion> out;
  for (const auto& seg : segs) {
    CommittedReader reader(*seg);
    RawRecord rec;
    while (reader.next(&rec)) {
      // A damaged record whose header and key still read is this key's
      // version too: shown as damaged, so the key's history says where its
      // value went instead of that it has none.
      const bool damaged = !rec.ok;
      if (damaged && !read_damaged_record(*seg, rec, &rec)) continue;
      if (rec.key != key) continue;
      KeyVersion v;
      v.damaged = damaged;
      v.segment = seg->id();
      v.offset = rec.offset;
      v.record_size = static_cast<std::uint32_t>(rec.length);
      v.kind = rec.kind;
      v.timestamp_us = rec.timestamp_us;
      v.value_size = rec.value_size;
      v.expires_at_us = rec.expiry_us;
      v.live = live && live->segment == seg->id() && live->offset == rec.offset;
      out.push_back(v);
    }
  }
  return out;
}

std::optional<std::string> DBImpl::read_version(std::uint32_t id, std::uint64_t offset) const {
  std::shared_ptr<Segment> seg = share_segment(id);
  if (offset < seg->first_record_offset() || offset >= seg->size()) {
    throw Error(ErrorCode::kInvalidArgument,
                "database '" + dir_.string() + "' has no record at segment " + std::to_string(id) +
                    " offset " + std::to_string(offset));
  }
  SegmentReader reader(*seg, offset);
  RawRecord rec;
  if (!reader.next(&rec) || !rec.ok) {
    throw Error(ErrorCode::kCorruption, "no valid record at offset " + std::to_string(offset) +
                                            " of '" + seg->path().string() + "'");
  }
  if (rec.kind == RecordKind::kTombstone) return std::nullopt;
  if (rec.kind != RecordKind::kPut) {
    throw Error(ErrorCode::kInvalidArgument, "the record at offset " + std::to_string(offset) +
                                                 " of '" + seg->path().string() +
                                                 "' is a batch marker, not a version");
  }
  std::string value;
  if (rec.flags & format::kFlagCompressionMask) {
    compression::decompress(rec.flags, rec.value, &value);
  } else {
    value.assign(rec.value);
  }
  return value;
}

}  // namespace bitcask
