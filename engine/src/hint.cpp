#include "hint.h"

#include <fcntl.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "coding.h"
#include "crc32c.h"
#include "file_util.h"
#include "format.h"
#include "key_order.h"

namespace bitcask::hint {

namespace {
constexpr char kMagic[8] = {'\x89', 'B', 'C', 'H', 'I', 'N', 'T', '\n'};
constexpr std::size_t kHeaderSize = 16;
constexpr std::size_t kTrailerSize = 28;
constexpr std::uint16_t kVersion = 2;
// Builder's in-memory entries, before sorting: timestamp_us u64 | offset u32 |
// size u32 | kind u8 | flags u8 | key_size u16 | [expiry_us u64] | key.
constexpr std::size_t kEntryFixed = 20;

// Bounds from the format, so a hint is checked against its segment before it
// is trusted, or even mapped. Every entry describes a distinct record of the
// bytes the hint covers (the last of its key), and a record takes at least a
// header (keys may be empty; a batch marker takes 24 bytes).
constexpr std::uint64_t kMinRecordSize = format::kRecordHeaderSize;
// An entry takes its unshared key bytes and at most this much more: shared
// and unshared (3 bytes each, up to 65535), kind_flags (2, up to 0x1FF), the
// offset delta (5: 33 bits zigzagged), the record size (5), the timestamp
// delta and the expiry (10 each).
constexpr std::uint64_t kMaxEntryOverhead = 3 + 3 + 2 + 5 + 5 + 10 + 10;
// So the entry of a key of k >= 0 bytes takes at most 38 + k <= 2 * (20 + k)
// bytes: at most twice its record.
static_assert(kMaxEntryOverhead <= 2 * format::kRecordHeaderSize);

std::uint64_t max_records(std::uint64_t segment_bytes) {
  return segment_bytes < format::kSegmentHeaderSize
             ? 0
             : (segment_bytes - format::kSegmentHeaderSize) / kMinRecordSize;
}

// The largest hint a segment of `segment_size` bytes could have.
std::uint64_t max_hint_size(std::uint64_t segment_size) {
  const std::uint64_t records =
      segment_size < format::kSegmentHeaderSize ? 0 : segment_size - format::kSegmentHeaderSize;
  return kHeaderSize + kTrailerSize + 2 * records;
}

// The size of the hint at `path`, open as `f`, when it is plausible for a
// segment of `segment_size` bytes; nullopt otherwise (a huge or sparse file is
// refused here, before anything reads it whole or sizes anything by it).
std::optional<std::uint64_t> plausible_size(const File& f, const std::filesystem::path& path,
                                            std::uint64_t segment_size) {
  const std::uint64_t size = file_size(f, path);
  if (size < kHeaderSize + kTrailerSize || size > max_hint_size(segment_size)) return std::nullopt;
  return size;
}
}  // namespace

std::string file_name(std::uint32_t segment_id) {
  std::string name = format::segment_file_name(segment_id);
  return name.substr(0, name.size() - std::strlen(format::kSegmentSuffix)) + kSuffix;
}

Builder::Builder(std::uint32_t segment_id) : segment_id_(segment_id) {
  body_.resize(kHeaderSize);
  std::memcpy(body_.data(), kMagic, sizeof kMagic);
  encode_u16_le(body_.data() + 8, kVersion);
  encode_u16_le(body_.data() + 10, 0);
  encode_u32_le(body_.data() + 12, segment_id);
}

void Builder::add(const RawRecord& rec) { add(rec, static_cast<std::uint32_t>(rec.offset)); }

void Builder::add(const RawRecord& rec, std::uint32_t offset) {
  const bool expiry = rec.flags & format::kFlagExpiry;
  const std::size_t at = body_.size();
  starts_.push_back(static_cast<std::uint32_t>(at));
  body_.resize(at + kEntryFixed + (expiry ? 8 : 0) + rec.key.size());
  char* p = body_.data() + at;
  encode_u64_le(p, rec.timestamp_us);
  encode_u32_le(p + 8, offset);
  encode_u32_le(p + 12, static_cast<std::uint32_t>(rec.length));
  p[16] = static_cast<char>(rec.kind);
  p[17] = static_cast<char>(rec.flags);
  encode_u16_le(p + 18, static_cast<std::uint16_t>(rec.key.size()));
  p += kEntryFixed;
  if (expiry) {
    encode_u64_le(p, rec.expiry_us);
    p += 8;
  }
  std::memcpy(p, rec.key.data(), rec.key.size());
  ++records_;
}

void Builder::write(const std::filesystem::path& dir, std::uint64_t covered) const {
  auto key_at = [&](std::uint32_t start) {
    const char* p = body_.data() + start;
    const std::size_t expiry = (p[17] & format::kFlagExpiry) ? 8 : 0;
    return std::string_view(p + kEntryFixed + expiry, decode_u16_le(p + 18));
  };
  // Sort by key, keeping segment order among equal keys, then keep the last
  // entry of each key. Sorted with 8 key bytes beside each entry
  // (key_order.h) and the entry's start deciding between equal keys: a
  // stable sort of the starts alone compared keys through them, 40% of
  // closing a database of 1.8M records.
  const std::size_t shared = key_order::shared_prefix(starts_, key_at);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed;
  keyed.reserve(starts_.size());
  for (std::uint32_t start : starts_) {
    keyed.emplace_back(key_order::leading_number(key_at(start).substr(shared)), start);
  }
  std::sort(keyed.begin(), keyed.end(), [&](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    const int c = key_at(a.second).compare(key_at(b.second));
    return c != 0 ? c < 0 : a.second < b.second;
  });
  std::vector<std::uint32_t> order;
  order.reserve(keyed.size());
  for (const auto& e : keyed) order.push_back(e.second);
  keyed = {};
  std::string out(body_.data(), kHeaderSize);
  out.reserve(body_.size() / 2 + kTrailerSize);
  std::uint64_t entries = 0;
  std::string_view previous_key;
  std::uint64_t previous_offset = 0, previous_timestamp = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::string_view key = key_at(order[i]);
    if (i + 1 < order.size() && key == key_at(order[i + 1])) continue;
    const char* p = body_.data() + order[i];
    const std::uint64_t timestamp = decode_u64_le(p), offset = decode_u32_le(p + 8);
    const auto flags = static_cast<std::uint8_t>(p[17]);
    const std::size_t shared =
        std::mismatch(key.begin(), key.end(), previous_key.begin(), previous_key.end()).first -
        key.begin();
    put_varint64(&out, shared);
    put_varint64(&out, key.size() - shared);
    put_varint64(&out, (std::uint64_t{flags} << 1) |
                           (static_cast<RecordKind>(p[16]) == RecordKind::kTombstone));
    put_varint64(&out, zigzag_encode(static_cast<std::int64_t>(offset - previous_offset)));
    put_varint64(&out, decode_u32_le(p + 12));
    put_varint64(&out, zigzag_encode(static_cast<std::int64_t>(timestamp - previous_timestamp)));
    if (flags & format::kFlagExpiry) put_varint64(&out, decode_u64_le(p + kEntryFixed));
    out.append(key.substr(shared));
    previous_key = key;
    previous_offset = offset;
    previous_timestamp = timestamp;
    ++entries;
  }
  const std::size_t at = out.size();
  out.resize(at + kTrailerSize);
  encode_u64_le(out.data() + at, entries);
  encode_u64_le(out.data() + at + 8, records_);
  encode_u64_le(out.data() + at + 16, covered);
  encode_u32_le(out.data() + at + 24, crc32c::value(out.data(), at + 24));
  write_file_durably(dir / file_name(segment_id_), out);
}

std::uint64_t entry_count(const std::filesystem::path& dir, std::uint32_t segment_id) {
  try {
    const std::filesystem::path seg_path = dir / format::segment_file_name(segment_id);
    const std::uint64_t segment_size = file_size(open_file(seg_path, O_RDONLY), seg_path);
    const std::filesystem::path path = dir / file_name(segment_id);
    File f = open_file(path, O_RDONLY);
    const auto size = plausible_size(f, path, segment_size);
    if (!size) return 0;
    char trailer[8];
    pread_exact(f, path, trailer, sizeof trailer, *size - kTrailerSize);
    // Unchecked, so bounded by what the segment could hold.
    return std::min(decode_u64_le(trailer), max_records(segment_size));
  } catch (const Error&) {
    return 0;
  }
}

Cursor::Cursor(const char* begin, const char* end, std::uint32_t segment_id, std::uint64_t covered)
    : pos_(begin), end_(end), segment_id_(segment_id), covered_(covered), key_(kMaxKeySize) {}

bool Cursor::decode(Fields* f) {
  // On a local copy of the position, which stays in a register: opening
  // decodes every entry twice (checked, then applied), millions of them.
  const char* p = pos_;
  std::uint64_t kind_flags, offset_delta, timestamp_delta;
  f->expiry_us = 0;
  if (!get_varint64(&p, end_, &f->shared) || !get_varint64(&p, end_, &f->unshared) ||
      !get_varint64(&p, end_, &kind_flags) || !get_varint64(&p, end_, &offset_delta) ||
      !get_varint64(&p, end_, &f->size) || !get_varint64(&p, end_, &timestamp_delta)) {
    return false;
  }
  f->flags = static_cast<std::uint8_t>(kind_flags >> 1);
  f->tombstone = kind_flags & 1;
  if (kind_flags >> 9 || (f->flags & ~format::kKnownFlags) ||
      ((f->flags & format::kFlagExpiry) && !get_varint64(&p, end_, &f->expiry_us))) {
    return false;
  }
  const std::uint64_t key_size = f->shared + f->unshared;
  if (f->shared > key_size_ || f->unshared > static_cast<std::uint64_t>(end_ - p) ||
      key_size > kMaxKeySize ||
      (f->flags & format::kFlagCompressionMask) == format::kFlagCompressionMask) {
    return false;
  }
  const std::uint64_t offset = offset_ + static_cast<std::uint64_t>(zigzag_decode(offset_delta));
  // A record of this key, whole inside the covered bytes (reads through the
  // keydir then stay inside the segment): its header and key at least, no
  // more value than a record holds, none for a tombstone.
  const std::uint64_t least =
      format::kRecordHeaderSize + ((f->flags & format::kFlagExpiry) ? 8 : 0) + key_size;
  if (offset < format::kSegmentHeaderSize ||
      offset > std::min<std::uint64_t>(covered_, UINT32_MAX) || f->size > covered_ - offset ||
      f->size < least || f->size - least > (f->tombstone ? 0 : kMaxValueSize)) {
    return false;
  }
  pos_ = p;
  offset_ = offset;
  timestamp_us_ += static_cast<std::uint64_t>(zigzag_decode(timestamp_delta));
  key_size_ = key_size;
  return true;
}

bool Cursor::next(Entry* e) {
  Fields f;
  if (!decode(&f)) return false;
  // The shared bytes are the previous key's, already in place.
  std::memcpy(key_.data() + f.shared, pos_, f.unshared);
  pos_ += f.unshared;
  e->kind = f.tombstone ? RecordKind::kTombstone : RecordKind::kPut;
  e->key = std::string_view(key_.data(), key_size_);
  e->loc = Location{segment_id_, static_cast<std::uint32_t>(offset_),
                    static_cast<std::uint32_t>(f.size), timestamp_us_, f.flags};
  e->expiry_us = f.expiry_us;
  return true;
}

bool Cursor::skip() {
  Fields f;
  if (!decode(&f)) return false;
  pos_ += f.unshared;
  return true;
}

bool Reader::open(const std::filesystem::path& path, std::uint32_t segment_id,
                  std::uint64_t segment_size) {
  std::size_t size = 0;
  try {
    File f = open_file(path, O_RDONLY);
    const auto plausible = plausible_size(f, path, segment_size);
    if (!plausible) return false;
    size = *plausible;
    map_ = Mapping(f, path, size);
  } catch (const Error&) {
    return false;
  }
  const char* data = map_.data();
  end_ = size - kTrailerSize;
  if (std::memcmp(data, kMagic, sizeof kMagic) != 0 || decode_u16_le(data + 8) != kVersion ||
      decode_u32_le(data + 12) != segment_id ||
      decode_u32_le(data + end_ + 24) != crc32c::value(data, end_ + 24)) {
    return false;
  }
  segment_id_ = segment_id;
  const std::uint64_t count = decode_u64_le(data + end_);
  records_ = decode_u64_le(data + end_ + 8);
  covered_ = decode_u64_le(data + end_ + 16);
  // Entries are records of the covered bytes, which are the segment's.
  if (covered_ < format::kSegmentHeaderSize || covered_ > segment_size ||
      records_ > max_records(covered_) || count > records_) {
    return false;
  }
  // Every entry must parse and fit, to exactly the count, before any is used.
  Cursor cursor = entries();
  std::uint64_t seen = 0;
  while (!cursor.at_end()) {
    if (!cursor.skip()) return false;
    ++seen;
  }
  entries_ = count;
  return seen == count;
}

Cursor Reader::entries() const {
  return Cursor(map_.data() + kHeaderSize, map_.data() + end_, segment_id_, covered_);
}

}  // namespace bitcask::hint
