#include "format.h"

#include <chrono>
#include <cstdio>
#include <cstring>

#include "coding.h"
#include "crc32c.h"

namespace bitcask::format {

std::string segment_file_name(std::uint32_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%010u%s", id, kSegmentSuffix);
  return buf;
}

bool parse_segment_file_name(std::string_view name, std::uint32_t* id) {
  const std::string_view suffix = kSegmentSuffix;
  if (name.size() != 10 + suffix.size() || name.substr(10) != suffix) return false;
  std::uint64_t v = 0;
  for (char c : name.substr(0, 10)) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v == 0 || v > 0xffffffffu) return false;
  *id = static_cast<std::uint32_t>(v);
  return true;
}

std::string encode_segment_header(std::uint32_t id) {
  std::string h(kSegmentHeaderSize, '\0');
  std::memcpy(h.data(), kSegmentMagic, sizeof kSegmentMagic);
  encode_u16_le(h.data() + 8, 1);  // format version
  encode_u16_le(h.data() + 10, 0);
  encode_u32_le(h.data() + 12, id);
  return h;
}

std::string check_segment_header(const char* data, std::uint32_t id) {
  if (std::memcmp(data, kSegmentMagic, sizeof kSegmentMagic) != 0) {
    return "not a Bitcask segment (bad magic)";
  }
  std::uint16_t version = decode_u16_le(data + 8);
  if (version != 1) {
    return "segment format version " + std::to_string(version) +
           " is not supported by this build (it reads version 1)";
  }
  std::uint32_t stored_id = decode_u32_le(data + 12);
  if (stored_id != id) {
    return "segment header names id " + std::to_string(stored_id) + " but the file name says " +
           std::to_string(id);
  }
  return {};
}

bool is_header_being_written(const char* data, std::size_t n, std::uint32_t id) {
  const std::string header = encode_segment_header(id);
  return n < header.size() && (n == 0 || std::memcmp(data, header.data(), n) == 0);
}

void encode_record(char* p, RecordKind kind, std::uint64_t timestamp_us, std::string_view key,
                   std::span<const std::string_view> value_parts, std::uint8_t flags,
                   std::uint64_t expiry_us) {
  const std::size_t value_bytes = value_size(value_parts);
  const std::uint32_t header_size = kRecordHeaderSize + ((flags & kFlagExpiry) ? 8 : 0);
  encode_u64_le(p + 4, timestamp_us);
  p[12] = static_cast<char>(kind);
  p[13] = static_cast<char>(flags);
  encode_u16_le(p + 14, static_cast<std::uint16_t>(key.size()));
  encode_u32_le(p + 16, static_cast<std::uint32_t>(value_bytes));
  if (flags & kFlagExpiry) encode_u64_le(p + 20, expiry_us);
  if (!key.empty()) std::memcpy(p + header_size, key.data(), key.size());
  char* out = p + header_size + key.size();
  for (std::string_view part : value_parts) {
    if (!part.empty()) std::memcpy(out, part.data(), part.size());
    out += part.size();
  }
  const std::size_t body = header_size + key.size() + value_bytes - 4;
  encode_u32_le(p, crc32c::value(p + 4, body));
}

void encode_record(char* p, RecordKind kind, std::uint64_t timestamp_us, std::string_view key,
                   std::string_view value, std::uint8_t flags, std::uint64_t expiry_us) {
  encode_record(p, kind, timestamp_us, key, std::span<const std::string_view>(&value, 1), flags,
                expiry_us);
}

void append_record(std::string* out, RecordKind kind, std::uint64_t timestamp_us,
                   std::string_view key, std::string_view value, std::uint8_t flags,
                   std::uint64_t expiry_us) {
  const std::size_t start = out->size();
  out->resize(start + record_size(key.size(), value.size(), flags));
  encode_record(out->data() + start, kind, timestamp_us, key, value, flags, expiry_us);
}

ParseStatus parse_record(const char* data, std::uint64_t available, RecordHeader* h,
                         bool verify_crc) {
  if (available < kRecordHeaderSize) return ParseStatus::kIncomplete;
  h->crc = decode_u32_le(data);
  h->timestamp_us = decode_u64_le(data + 4);
  const auto kind = static_cast<std::uint8_t>(data[12]);
  h->flags = static_cast<std::uint8_t>(data[13]);
  h->key_size = decode_u16_le(data + 14);
  h->value_size = decode_u32_le(data + 16);
  if (kind > kMaxKind) return ParseStatus::kBadKind;
  if ((h->flags & ~kKnownFlags) != 0 || (h->flags & kFlagCompressionMask) == kFlagCompressionMask) {
    return ParseStatus::kBadFlags;
  }
  if (h->value_size > kMaxValueSize) return ParseStatus::kValueTooLarge;
  h->kind = static_cast<RecordKind>(kind);
  if (h->kind == RecordKind::kTombstone && h->value_size != 0) {
    return ParseStatus::kTombstoneWithValue;
  }
  if (h->flags & kFlagExpiry) {
    if (available < kRecordHeaderSize + 8) return ParseStatus::kIncomplete;
    h->expiry_us = decode_u64_le(data + kRecordHeaderSize);
  } else {
    h->expiry_us = 0;
  }
  const std::uint64_t size = h->record_size();
  if (available < size) return ParseStatus::kIncomplete;
  if (verify_crc && crc32c::value(data + 4, size - 4) != h->crc) {
    return ParseStatus::kBadChecksum;
  }
  return ParseStatus::kOk;
}

const char* to_string(ParseStatus status) {
  switch (status) {
    case ParseStatus::kOk:
      return "ok";
    case ParseStatus::kIncomplete:
      return "truncated record";
    case ParseStatus::kBadKind:
      return "malformed record header: unknown record kind (byte 12)";
    case ParseStatus::kBadFlags:
      return "malformed record header: unknown flags (byte 13)";
    case ParseStatus::kValueTooLarge:
      return "malformed record header: value size over the 256 MiB limit (bytes 16-19)";
    case ParseStatus::kTombstoneWithValue:
      return "malformed record header: tombstone with a value (bytes 16-19)";
    case ParseStatus::kBadChecksum:
      return "checksum mismatch";
  }
  return "unknown";
}

std::uint64_t now_us() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(
      duration_cast<microseconds>(system_clock::now().time_since_epoch()).count());
}

}  // namespace bitcask::format
