#include "core/valueread.h"

#include <algorithm>

namespace bb {

namespace {

// engine/FORMAT.md, "Record": crc32c u32, timestamp u64, kind u8, flags u8, key size u16, value
// size u32, then expiry u64 when flag bit 0 is set; little-endian.
constexpr std::size_t kHeaderBytes = 20;
constexpr std::size_t kExpiryBytes = 8;
constexpr std::uint8_t kFlagExpiry = 1;

std::uint32_t le(const std::string& b, std::size_t at, int n) {
  std::uint32_t v = 0;
  for (int i = n - 1; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(b[at + std::size_t(i)]);
  return v;
}

}  // namespace

std::string indentJsonPrefix(std::string_view json) {
  std::string out;
  out.reserve(json.size() + json.size() / 8);
  int depth = 0;
  bool inString = false;
  bool escaped = false;
  auto newline = [&] {
    out += '\n';
    out.append(std::size_t(std::max(depth, 0)) * 2, ' ');
  };
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (inString) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        inString = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        inString = true;
        out += c;
        break;
      case '{':
      case '[': {
        out += c;
        // An empty object or array stays on its line.
        const char next = i + 1 < json.size() ? json[i + 1] : '\0';
        if (next == '}' || next == ']') {
          out += next;
          ++i;
        } else {
          ++depth;
          newline();
        }
        break;
      }
      case '}':
      case ']':
        --depth;
        newline();
        out += c;
        break;
      case ',':
        out += c;
        newline();
        break;
      case ':':
        out += ": ";
        break;
      case ' ':
      case '\n':
      case '\r':
      case '\t':
        break;  // the indentation replaces the text's own whitespace
      default:
        out += c;
    }
  }
  return out;
}

std::string utf8Prefix(std::string bytes, std::size_t maxBytes) {
  if (bytes.size() <= maxBytes) return bytes;
  std::size_t n = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the cut character.
  std::size_t back = 0;
  while (n > 0 && back < 4 && (static_cast<unsigned char>(bytes[n]) & 0xC0) == 0x80) {
    --n;
    ++back;
  }
  if (back == 4) n = maxBytes;  // not UTF-8 anyway: cut where asked
  bytes.resize(n);
  return bytes;
}

std::optional<std::string> readValuePrefix(const bitcask::DB& db, const bitcask::KeyEntry& entry,
                                           std::size_t maxBytes) {
  if (db.format() != bitcask::DataFormat::kNative || entry.compressed) return std::nullopt;
  const std::size_t want = std::min<std::size_t>(maxBytes, entry.value_size);
  // One read: the header (with room for an expiry), the key, and the prefix (+3 bytes so a
  // character cut at the end can be told from a whole one).
  const std::size_t keyAt = kHeaderBytes + (entry.expires_at_us ? kExpiryBytes : 0);
  const std::size_t valueAt = keyAt + entry.key.size();
  const std::size_t extra = std::min<std::size_t>(entry.value_size - want, 3);
  std::string raw;
  try {
    raw = db.read_raw(entry.segment, entry.offset, std::uint32_t(valueAt + want + extra));
  } catch (const std::exception&) {
    return std::nullopt;  // outside the segment: not the record we expected
  }
  if (raw.size() < valueAt + want) return std::nullopt;
  const auto flags = static_cast<std::uint8_t>(raw[13]);
  const bool hasExpiry = (flags & kFlagExpiry) != 0;
  // The record must be the one the index describes, else its bytes are not this value.
  if (hasExpiry != (entry.expires_at_us != 0) || (flags & 0x06) != 0 || raw[12] != 0 ||
      le(raw, 14, 2) != entry.key.size() || le(raw, 16, 4) != entry.value_size ||
      raw.compare(keyAt, entry.key.size(), entry.key) != 0) {
    return std::nullopt;
  }
  return utf8Prefix(raw.substr(valueAt), want);
}

}  // namespace bb
