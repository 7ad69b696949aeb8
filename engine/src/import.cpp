#include <bitcask/bitcask.h>
#include <bitcask/import.h>

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

}  // namespace

ImportResult import_pybitcask(const std::filesystem::path& src, DB& dst,
                              const ProgressFn& progress) {
  Options options;
  options.read_only = true;
  options.create_if_missing = false;
  std::unique_ptr<DB> source = DB::open(src, options);
  if (source->format() != DataFormat::kPythonBitcask) {
    throw Error(ErrorCode::kInvalidArgument,
                "'" + src.string() + "' is not a directory written by the Python Bitcask");
  }
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
  result.keys_deleted = source->stats().tombstones;
  const std::uint64_t total = source->size();
  std::uint64_t done = 0;
  std::string text;
  for_each_key(*source, [&](const KeyEntry& e) {
    if (e.key.empty()) {
      result.warnings.push_back("skipped a record with an empty key (not allowed here)");
      return;
    }
    source->get(e.key, &text);
    // Re-encode as compact UTF-8 JSON; keep what is not strict JSON as text.
    nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) {
      ++result.not_strict_json;
      dst.put(e.key, text);
    } else {
      dst.put(e.key, to_json_text(j));
    }
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
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++result.records_read;
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::parse_error& e) {
      throw bad(std::string("not JSON: ") + e.what());
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
      ++result.not_strict_json;
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

std::uint64_t export_jsonl(const DB& db, std::ostream& out, const ProgressFn& progress,
                           std::vector<std::string>* skipped) {
  const std::uint64_t total = db.size();
  std::uint64_t done = 0;
  std::string text;
  for_each_key(db, [&](const KeyEntry& e) {
    std::optional<std::string> key = json_string(e.key);
    try {
      if (!db.get(e.key, &text)) return;  // removed since the page was read
    } catch (const Error& error) {
      if (!skipped || error.code() != ErrorCode::kCorruption) throw;
      skipped->push_back("skipped key " + (key ? *key : "0x" + to_hex(e.key)) + ": " +
                         error.what());
      return;
    }
    out << (key ? "{\"key\":" + *key : "{\"key_hex\":\"" + to_hex(e.key) + "\"");
    if (is_strict_json(text)) {
      out << ",\"value\":" << text << "}\n";
    } else if (std::optional<std::string> raw = json_string(text)) {
      out << ",\"raw\":" << *raw << "}\n";
    } else {
      out << ",\"raw_hex\":\"" << to_hex(text) << "\"}\n";
    }
    ++done;
    if (progress && done % 1024 == 0 && !progress(done, total)) {
      throw Error(ErrorCode::kCancelled, "export cancelled");
    }
  });
  if (!out) throw Error(ErrorCode::kIo, "cannot write the export (output stream failed)");
  return done;
}

}  // namespace bitcask
