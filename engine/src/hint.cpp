#include "hint.h"

#include <fcntl.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "coding.h"
#include "crc32c.h"
#include "file_util.h"
#include "format.h"

namespace bitcask::hint {

namespace {
constexpr char kMagic[8] = {'\x89', 'B', 'C', 'H', 'I', 'N', 'T', '\n'};
constexpr std::size_t kHeaderSize = 16;
constexpr std::size_t kTrailerSize = 28;
constexpr std::size_t kEntryFixed = 20;
}  // namespace

std::string file_name(std::uint32_t segment_id) {
  std::string name = format::segment_file_name(segment_id);
  return name.substr(0, name.size() - std::strlen(format::kSegmentSuffix)) + kSuffix;
}

Builder::Builder(std::uint32_t segment_id) : segment_id_(segment_id) {
  body_.resize(kHeaderSize);
  std::memcpy(body_.data(), kMagic, sizeof kMagic);
  encode_u16_le(body_.data() + 8, 1);
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
  auto length_at = [&](std::uint32_t start) {
    const char* p = body_.data() + start;
    return kEntryFixed + ((p[17] & format::kFlagExpiry) ? 8 : 0) + decode_u16_le(p + 18);
  };
  // Sort by key, keeping segment order among equal keys, then keep the last
  // entry of each key.
  std::vector<std::uint32_t> order = starts_;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return key_at(a) < key_at(b); });
  std::string out(body_.data(), kHeaderSize);
  out.reserve(body_.size() + kTrailerSize);
  std::uint64_t entries = 0;
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (i + 1 < order.size() && key_at(order[i]) == key_at(order[i + 1])) continue;
    out.append(body_.data() + order[i], length_at(order[i]));
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

namespace {

// Decodes the entry at data[pos, end); returns its length, 0 if malformed.
std::size_t decode_entry(const char* data, std::size_t pos, std::size_t end,
                         std::uint32_t segment_id, Entry* e) {
  if (end - pos < kEntryFixed) return 0;
  const char* p = data + pos;
  e->loc.timestamp_us = decode_u64_le(p);
  e->loc.offset = decode_u32_le(p + 8);
  e->loc.size = decode_u32_le(p + 12);
  e->kind = static_cast<RecordKind>(p[16]);
  e->loc.flags = static_cast<std::uint8_t>(p[17]);
  e->loc.segment = segment_id;
  const std::uint16_t key_size = decode_u16_le(p + 18);
  const bool expiry = e->loc.flags & format::kFlagExpiry;
  const std::size_t need = kEntryFixed + (expiry ? 8 : 0) + key_size;
  if (end - pos < need) return 0;
  if (e->kind != RecordKind::kPut && e->kind != RecordKind::kTombstone) return 0;
  p += kEntryFixed;
  e->expiry_us = expiry ? decode_u64_le(p) : 0;
  if (expiry) p += 8;
  e->key = std::string_view(p, key_size);
  return need;
}

}  // namespace

std::uint64_t entry_count(const std::filesystem::path& path) {
  try {
    File f = open_file(path, O_RDONLY);
    const std::uint64_t size = file_size(f, path);
    if (size < kHeaderSize + kTrailerSize) return 0;
    char trailer[8];
    pread_exact(f, path, trailer, sizeof trailer, size - kTrailerSize);
    // Unchecked, so bounded by what the file could hold.
    return std::min<std::uint64_t>(decode_u64_le(trailer),
                                   (size - kHeaderSize - kTrailerSize) / kEntryFixed);
  } catch (const Error&) {
    return 0;
  }
}

bool read(const std::filesystem::path& path, std::uint32_t segment_id, std::uint64_t segment_size,
          const std::function<void(const Entry&)>& visit, std::uint64_t* records,
          std::uint64_t* covered, const std::function<void(const Entry&)>& ahead) {
  std::unique_ptr<char[]> buffer;
  std::size_t size = 0;
  try {
    File f = open_file(path, O_RDONLY);
    size = file_size(f, path);
    if (size < kHeaderSize + kTrailerSize) return false;
    buffer = std::make_unique_for_overwrite<char[]>(size);
    pread_exact(f, path, buffer.get(), size, 0);
  } catch (const Error&) {
    return false;
  }
  const std::string_view data(buffer.get(), size);
  const std::size_t end = data.size() - kTrailerSize;
  if (std::memcmp(data.data(), kMagic, sizeof kMagic) != 0 || decode_u16_le(data.data() + 8) != 1 ||
      decode_u32_le(data.data() + 12) != segment_id ||
      decode_u32_le(data.data() + end + 24) != crc32c::value(data.data(), end + 24)) {
    return false;
  }
  // Check every entry before visiting any, so a bad hint changes nothing.
  const std::uint64_t count = decode_u64_le(data.data() + end);
  if (decode_u64_le(data.data() + end + 16) > segment_size) return false;
  std::uint64_t seen = 0;
  Entry e;
  for (std::size_t pos = kHeaderSize, n; pos < end; pos += n, ++seen) {
    if ((n = decode_entry(data.data(), pos, end, segment_id, &e)) == 0) return false;
  }
  if (seen != count) return false;
  if (!ahead) {
    for (std::size_t pos = kHeaderSize; pos < end;) {
      pos += decode_entry(data.data(), pos, end, segment_id, &e);
      visit(e);
    }
  } else {
    // A ring of the last kLookahead entries decoded: each is visited once
    // kLookahead more have been seen by `ahead`.
    std::array<Entry, kLookahead> ring;
    std::uint64_t decoded = 0;
    for (std::size_t pos = kHeaderSize; pos < end; ++decoded) {
      Entry& slot = ring[decoded % kLookahead];
      if (decoded >= kLookahead) visit(slot);
      pos += decode_entry(data.data(), pos, end, segment_id, &slot);
      ahead(slot);
    }
    for (std::uint64_t i = decoded > kLookahead ? decoded - kLookahead : 0; i < decoded; ++i) {
      visit(ring[i % kLookahead]);
    }
  }
  *records = decode_u64_le(data.data() + end + 8);
  *covered = decode_u64_le(data.data() + end + 16);
  return true;
}

}  // namespace bitcask::hint
