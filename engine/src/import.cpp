#include <bitcask/bitcask.h>
#include <bitcask/import.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <istream>
#include <optional>
#include <ostream>

namespace bitcask {

namespace {

constexpr std::size_t kPage = 1000;

// Visits every live key of `db` in key order, a page of keys at a time, so
// memory stays bounded on any size of database.
template <typename Fn>
void for_each_key(const DB& db, Fn&& fn) {
  ScanOptions scan;
  scan.limit = kPage;
  for (;;) {
    std::vector<KeyEntry> page = db.scan(scan);
    for (const KeyEntry& e : page) fn(e);
    if (page.size() < kPage) return;
    scan.start = page.back().key;
    scan.exclusive_start = true;
  }
}

std::string to_hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

bool from_hex(std::string_view hex, std::string* out) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  if (hex.size() % 2) return false;
  out->clear();
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

// JSON string text of `s`, or nullopt when `s` is not valid UTF-8.
std::optional<std::string> json_string(std::string_view s) {
  try {
    return nlohmann::json(std::string(s)).dump();
  } catch (const nlohmann::json::type_error&) {
    return std::nullopt;
  }
}

// A key as messages name it: a JSON string, or 0x and hex when not UTF-8.
std::string key_name(std::string_view key) {
  const std::optional<std::string> text = json_string(key);
  return text ? *text : "0x" + to_hex(key);
}

// `"name":"text"` when `bytes` are UTF-8 and escaping them at most doubles
// them, else `"name_hex":"hex"`. Either way import gets the bytes back
// exactly, and no field is longer than hex, which keeps every export line
// within kMaxJsonlLineBytes.
std::string bytes_field(const std::string& name, std::string_view bytes) {
  const std::optional<std::string> text = json_string(bytes);
  if (text && text->size() <= 2 * bytes.size() + 2) return "\"" + name + "\":" + *text;
  return "\"" + name + "_hex\":\"" + to_hex(bytes) + "\"";
}

// The compact JSON of stored text, or nullopt when it is not strict JSON.
// `why` (when given) tells a NUL byte or too deep a nesting; it stays empty
// for text that is simply not JSON, such as the Python original's NaN.
std::optional<std::string> compact_json(std::string_view text, std::string* why = nullptr) {
  try {
    // Object members stay in the order written: parse_strict_json builds a
    // bitcask::Json (nlohmann::ordered_json).
    return to_json_text(parse_strict_json(text));
  } catch (const nlohmann::json::parse_error&) {
  } catch (const Error& e) {
    if (why) *why = e.what();
  }
  return std::nullopt;
}

// The value as an export line holds it. "value" is JSON that import stores
// as exactly the bytes it came from (its compact form), so the round trip is
// exact. Any other bytes (not strict JSON, other spacing, a NUL byte,
// nesting deeper than kMaxJsonDepth) go out as they are stored, "raw" or
// "raw_hex".
std::string value_field(std::string_view text) {
  const std::optional<std::string> compact = compact_json(text);
  if (compact && *compact == text) return "\"value\":" + *compact;
  return bytes_field("raw", text);
}

// Reads the next line of `in` into `line`, without its '\n'; false at the
// end of the input. A line over kMaxJsonlLineBytes is refused as soon as
// that is known, so a huge line costs no more memory than the longest
// record can need.
bool read_line(std::istream& in, std::string& line, std::uint64_t line_no) {
  line.clear();
  std::array<char, 16 * 1024> chunk;
  auto append = [&](std::size_t n) {
    if (line.size() + n > kMaxJsonlLineBytes) {
      throw Error(ErrorCode::kInvalidArgument,
                  "line " + std::to_string(line_no) + ": longer than " +
                      std::to_string(kMaxJsonlLineBytes) +
                      " bytes, the most a record can need (a key and a value of the largest "
                      "sizes, both as hex)");
    }
    // Past a megabyte, room for the longest line is reserved in one step: its
    // pages are only used as they are written, and no doubling reallocation
    // copies a long line into a buffer twice its size.
    if (line.size() + n > line.capacity() && line.size() >= (std::size_t{1} << 20)) {
      line.reserve(kMaxJsonlLineBytes);
    }
    line.append(chunk.data(), n);
  };
  for (;;) {
    errno = 0;
    in.getline(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (in.bad()) {  // a read failed, e.g. of a directory opened as a file
      throw Error(ErrorCode::kIo, "cannot read line " + std::to_string(line_no) + " of the input" +
                                      (errno ? std::string(": ") + std::strerror(errno) : ""));
    }
    if (!in.fail()) {  // the line ended: at its '\n' (counted in got) or at the end of the input
      append(in.eof() ? got : got - 1);
      return true;
    }
    if (in.eof()) return !line.empty();  // nothing more to read
    append(got);                         // the chunk filled up before the line ended
    in.clear();
  }
}

}  // namespace

ImportResult import_directory(const std::filesystem::path& src, DB& dst,
                              const ProgressFn& progress) {
  Options options;
  options.read_only = true;
  options.create_if_missing = false;
  std::unique_ptr<DB> source = DB::open(src, options);
  ImportResult result;
  const RecoveryReport& report = source->recovery_report();
  result.records_read = report.records;
  for (const Problem& p : report.truncated_tails) {
    result.warnings.push_back(p.file + " at offset " + std::to_string(p.offset) + ": " + p.what +
                              " (" + std::to_string(p.length) + " bytes ignored)");
  }
  for (const Problem& p : report.corrupt_records) {
    result.warnings.push_back(p.file + " at offset " + std::to_string(p.offset) + ": " + p.what);
  }
  result.source_problems = report.truncated_tails.size() + report.corrupt_records.size();
  result.keys_deleted = source->stats().tombstones;
  const std::uint64_t total = source->size();
  std::uint64_t done = 0;
  std::string text;
  for_each_key(*source, [&](const KeyEntry& e) {
    source->get(e.key, &text);
    // The exact bytes: a big integer or a NaN stays as written, never
    // rounded through a double; the browser shows them as they are.
    std::string why;
    if (!compact_json(text, &why)) {
      ++result.not_strict_json;
      if (!why.empty()) result.warnings.push_back("value of key " + key_name(e.key) + ": " + why);
    }
    dst.put(e.key, text);
    ++result.keys_written;
    if (progress && (++done % 1024 == 0) && !progress(done, total)) {
      throw Error(ErrorCode::kCancelled, "import from '" + src.string() + "' cancelled");
    }
  });
  dst.sync();
  if (progress) progress(total, total);
  return result;
}

ImportResult import_jsonl(std::istream& in, DB& dst, const ProgressFn& progress) {
  ImportResult result;
  std::string line, key, value;
  std::uint64_t line_no = 0;
  auto bad = [&](const std::string& what) {
    return Error(ErrorCode::kInvalidArgument, "line " + std::to_string(line_no) + ": " + what);
  };
  while (read_line(in, line, ++line_no)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++result.records_read;
    Json j;
    try {
      // One level more than a value may nest: the line's own object.
      j = parse_strict_json(line, kMaxJsonDepth + 1);
    } catch (const nlohmann::json::parse_error& e) {
      throw bad(std::string("not JSON: ") + e.what());
    } catch (const Error& e) {
      throw bad(e.what());
    }
    if (!j.is_object()) throw bad("expected an object {\"key\": ..., \"value\": ...}");
    if (j.contains("key") && j["key"].is_string()) {
      key = j["key"].get<std::string>();
    } else if (!(j.contains("key_hex") && j["key_hex"].is_string() &&
                 from_hex(j["key_hex"].get<std::string>(), &key))) {
      throw bad("missing \"key\" (a string) or \"key_hex\"");
    }
    if (j.contains("value")) {
      value = to_json_text(j["value"]);
    } else if (j.contains("raw") && j["raw"].is_string()) {
      value = j["raw"].get<std::string>();
      if (!is_strict_json(value)) ++result.not_strict_json;
    } else if (!(j.contains("raw_hex") && j["raw_hex"].is_string() &&
                 from_hex(j["raw_hex"].get<std::string>(), &value))) {
      throw bad("missing \"value\", \"raw\" or \"raw_hex\"");
    }
    try {
      dst.put(key, value);
    } catch (const Error& e) {
      throw Error(e.code(), "line " + std::to_string(line_no) + ": " + e.what());
    }
    ++result.keys_written;
    if (progress && (line_no % 1024 == 0) && !progress(line_no, 0)) {
      throw Error(ErrorCode::kCancelled, "import cancelled at line " + std::to_string(line_no));
    }
  }
  dst.sync();
  return result;
}

std::string export_jsonl_line(std::string_view key, std::string_view value) {
  return '{' + bytes_field("key", key) + ',' + value_field(value) + "}\n";
}

std::uint64_t export_jsonl(const DB& db, std::ostream& out, const ProgressFn& progress,
                           std::vector<std::string>* skipped) {
  const std::uint64_t total = db.size();
  std::uint64_t done = 0;
  std::string text;
  for_each_key(db, [&](const KeyEntry& e) {
    try {
      if (!db.get(e.key, &text)) return;  // removed since the page was read
    } catch (const Error& error) {
      if (!skipped || error.code() != ErrorCode::kCorruption) throw;
      skipped->push_back("skipped key " + key_name(e.key) + ": " + error.what());
      return;
    }
    out << export_jsonl_line(e.key, text);
    ++done;
    if (progress && done % 1024 == 0 && !progress(done, total)) {
      throw Error(ErrorCode::kCancelled, "export cancelled");
    }
  });
  if (!out) throw Error(ErrorCode::kIo, "cannot write the export (output stream failed)");
  return done;
}

}  // namespace bitcask
