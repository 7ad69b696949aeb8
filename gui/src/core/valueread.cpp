#include "core/valueread.h"

#include <algorithm>

namespace bb {

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
  // Three bytes more, so a character cut at the end can be told from a whole one.
  std::string prefix;
  std::uint64_t size = 0;
  if (!db.get_prefix(entry.key, maxBytes + 3, &prefix, &size)) return std::nullopt;
  return utf8Prefix(std::move(prefix), maxBytes);
}

}  // namespace bb
