// bitcask: command-line tool for Bitcask databases.
//
//   bitcask put DIR KEY JSON
//   bitcask get DIR KEY
//   bitcask delete DIR KEY
//   bitcask keys DIR [--prefix P] [--limit N] [-z|--null]
//   bitcask stats DIR [--json]
//   bitcask check DIR
//   bitcask dump DIR [SEGMENT] [--no-header]
//   bitcask import DIR (--from SRC_DIR | --jsonl FILE|-)
//   bitcask export DIR
//   bitcask merge DIR [--if-needed]
//   bitcask --version
//
// Read commands (get, keys, stats, check, dump, export) open the database
// read-only and never create it, so they work beside a running writer and
// never modify files. Write commands (put, delete, import, merge) take the writer
// lock; put and import create the directory when it does not exist (or
// make an empty one a database); delete and merge refuse an empty directory.
// put and delete check the key against the limits before opening anything.
//
// Exit codes:
//   0  success
//   1  not found: the key is absent (get, delete)
//   2  usage error, or any error opening, reading or writing the database
//   3  check: the database has damaged records or a torn tail;
//      export: keys whose records are damaged were left out, or the open
//      found damaged records or a torn tail
#include <bitcask/bitcask.h>
#include <bitcask/db.h>
#include <bitcask/error.h>
#include <bitcask/import.h>
#include <bitcask/options.h>
#include <bitcask/record.h>
#include <bitcask/recovery.h>
#include <bitcask/stats.h>
#include <bitcask/version.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kExitOk = 0;
constexpr int kExitNotFound = 1;
constexpr int kExitError = 2;
constexpr int kExitCorrupt = 3;

// How many keys / records are asked for at a time when paging.
constexpr std::size_t kPageSize = 1000;

// ---------------------------------------------------------------------------
// Output helpers

void print_error(std::string_view message) {
  std::cout.flush();
  std::cerr << "bitcask: " << message << '\n';
}

void print_warning(std::string_view message) {
  std::cerr << "bitcask: warning: " << message << '\n';
}

// printf-style formatting into a string (all output goes through std::cout).
template <typename... T>
std::string fmt(const char* format, T... args) {
  const int n = std::snprintf(nullptr, 0, format, args...);
  std::string out(n > 0 ? static_cast<std::size_t>(n) : 0, '\0');
  if (n > 0) std::snprintf(out.data(), out.size() + 1, format, args...);
  return out;
}

// Writes bytes to stdout as they are (keys are arbitrary bytes).
void write_out(std::string_view bytes) {
  std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Fails when stdout could not be written (disk full, closed pipe, ...).
void finish_stdout() {
  std::cout.flush();
  if (!std::cout) throw bitcask::Error(bitcask::ErrorCode::kIo, "cannot write to standard output");
}

// A key on one line whatever bytes it holds, as the browser's key list shows
// it: a backslash as \\, a control byte (0x00-0x1f, 0x7f; a newline above
// all) as \xHH, every other byte (UTF-8 included) as it is. Unambiguous:
// each output line reads back to one key.
void append_escaped(std::string& out, std::string_view key) {
  static const char* const kHex = "0123456789abcdef";
  for (const char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\\') {
      out += "\\\\";
    } else if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
}

// A key as a quoted JSON string, readable whatever bytes it holds.
std::string json_quoted(std::string_view key) {
  return json(std::string(key)).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string iso8601_utc(std::uint64_t timestamp_us) {
  const std::time_t seconds = static_cast<std::time_t>(timestamp_us / 1000000u);
  const unsigned micros = static_cast<unsigned>(timestamp_us % 1000000u);
  std::tm tm{};
  if (gmtime_r(&seconds, &tm) == nullptr) return std::to_string(timestamp_us) + "us";
  char date[32];
  std::strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%06uZ", date, micros);
  return out;
}

std::string human_bytes(std::uint64_t bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024.0 && unit < 4) {
    value /= 1024.0;
    ++unit;
  }
  char buf[32];
  if (unit == 0)
    std::snprintf(buf, sizeof buf, "%" PRIu64 " B", bytes);
  else
    std::snprintf(buf, sizeof buf, "%.1f %s", value, kUnits[unit]);
  return buf;
}

const char* format_name(bitcask::DataFormat format) {
  switch (format) {
    case bitcask::DataFormat::kNative:
      return "native";
    case bitcask::DataFormat::kPythonBitcask:
      return "pybitcask";
    case bitcask::DataFormat::kBasho:
      return "basho";
  }
  return "unknown";
}

std::string problem_line(const bitcask::Problem& p) {
  std::string line = p.file + " " + std::to_string(p.offset) + ": " + p.what;
  if (p.length > 0) line += " (" + std::to_string(p.length) + " bytes)";
  if (p.key) line += ", key " + json_quoted(*p.key);
  return line;
}

// ---------------------------------------------------------------------------
// Opening

// Makes sure an open error names the directory.
[[noreturn]] void rethrow_naming(const bitcask::Error& e, const fs::path& dir) {
  const std::string message = e.what();
  if (message.find(dir.string()) != std::string::npos) throw e;
  throw bitcask::Error(e.code(), dir.string() + ": " + message);
}

std::unique_ptr<bitcask::DB> open_with(const fs::path& dir, const bitcask::Options& options) {
  try {
    return bitcask::DB::open(dir, options);
  } catch (const bitcask::Error& e) {
    rethrow_naming(e, dir);
  }
}

// Prints one warning line for each problem recovery found.
void warn_recovery(const bitcask::DB& db) {
  if (const std::string live = db.live_writer_warning(); !live.empty()) print_warning(live);
  const bitcask::RecoveryReport& report = db.recovery_report();
  for (const bitcask::Problem& p : report.truncated_tails) {
    print_warning(problem_line(p) + (db.read_only()
                                         ? " (torn tail ignored)"
                                         : " (torn tail cut back; bytes kept in lost+found/)"));
  }
  for (const bitcask::Problem& p : report.corrupt_records) {
    print_warning(problem_line(p) + " (damaged record: never served)");
  }
}

// The exit code of a read command that prints keys or values: what its open
// found damaged (or torn) is left out of what it printed, and the warnings
// say where, so the exit code says so as well, as check's does.
int read_exit(const bitcask::DB& db, int code) {
  return db.recovery_report().clean() ? code : kExitCorrupt;
}

// Read commands: never create, never modify, no writer lock.
std::unique_ptr<bitcask::DB> open_read(const fs::path& dir, bool warn = true) {
  bitcask::Options options;
  options.read_only = true;
  options.create_if_missing = false;
  auto db = open_with(dir, options);
  if (warn) warn_recovery(*db);
  return db;
}

std::unique_ptr<bitcask::DB> open_write(const fs::path& dir, bitcask::SyncPolicy sync, bool create,
                                        std::uint64_t max_segment_size = 0) {
  // The engine makes an empty directory a database on any writable open;
  // commands that do not create (delete, merge) refuse it instead.
  std::error_code ec;
  if (!create && fs::is_directory(dir, ec) && fs::is_empty(dir, ec) && !ec) {
    throw bitcask::Error(bitcask::ErrorCode::kNotADatabase,
                         "'" + dir.string() + "' is an empty directory, not a Bitcask database");
  }
  bitcask::Options options;
  options.sync = sync;
  options.create_if_missing = create;
  if (max_segment_size) options.max_segment_size = max_segment_size;
  auto db = open_with(dir, options);
  warn_recovery(*db);
  return db;
}

// ---------------------------------------------------------------------------
// Commands

struct Args {
  std::string dir;
  std::string key;
  std::string value;
  bitcask::SyncPolicy sync = bitcask::SyncPolicy::None;
  std::string prefix;
  std::uint64_t limit = 0;
  bool has_limit = false;
  bool json_output = false;
  std::uint32_t segment = 0;
  bool has_segment = false;
  bool no_header = false;
  std::string from_src;
  std::string jsonl_src;
  std::uint64_t max_segment_size = 0;  // 0: the engine's default
  bool if_needed = false;
  bool null_terminated = false;
};

// "invalid JSON value at line L, column C: <nlohmann's message>". nlohmann
// reports where it stopped reading, which can be past the offending token
// (after the newline that ends "tru"): the position given here is that of the
// last non-blank character read, 1-based, columns counted in characters.
std::string json_error_message(const std::string& text, const json::parse_error& e) {
  std::size_t end = std::min<std::size_t>(e.byte, text.size());  // bytes read
  while (end > 0 && std::string_view(" \t\r\n").find(text[end - 1]) != std::string_view::npos)
    --end;
  std::size_t line = 1, column = 0;
  for (std::size_t i = 0; i < end; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\n') {
      ++line;
      column = 0;
    } else if ((c & 0xC0) != 0x80) {  // not a UTF-8 continuation byte
      ++column;
    }
  }
  if (column == 0) column = 1;
  std::string what = e.what();
  // Drop "[json.exception.parse_error.101] parse error at line 3, column 0: ".
  if (const auto p = what.find("parse error"); p != std::string::npos) {
    const auto colon = what.find(": ", p);
    what.erase(0, colon == std::string::npos ? p : colon + 2);
  }
  std::string message = "invalid JSON value at line " + std::to_string(line) + ", column " +
                        std::to_string(column) + ": " + what;
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos &&
      std::string_view("{[\"-0123456789tfn").find(text[first]) == std::string_view::npos) {
    message += "\n(to store a string, quote it as JSON, e.g. '\"" + text + "\"')";
  }
  return message;
}

// What makes `key` one no write accepts (the engine's limits), or "".
std::string key_problem(const std::string& key) {
  if (key.empty()) return "keys must not be empty";
  if (key.size() > bitcask::kMaxKeySize) {
    return "key of " + std::to_string(key.size()) + " bytes is over the limit of " +
           std::to_string(bitcask::kMaxKeySize) + " bytes";
  }
  return {};
}

int cmd_put(const Args& a) {
  // Check the key and parse the value before opening, so that a refused put
  // creates nothing.
  if (const std::string bad = key_problem(a.key); !bad.empty()) {
    print_error(bad);
    return kExitError;
  }
  std::string stored;
  try {
    // Checked by parse_strict_json (NUL bytes, depth, numbers it would
    // round), stored compact with object members in the order given.
    (void)bitcask::parse_strict_json(a.value);
    stored = nlohmann::ordered_json::parse(a.value).dump();
  } catch (const json::parse_error& e) {
    print_error(json_error_message(a.value, e));
    return kExitError;
  }
  auto db = open_write(a.dir, a.sync, /*create=*/true, a.max_segment_size);
  db->put(a.key, stored);
  db->close();
  return kExitOk;
}

int cmd_get(const Args& a) {
  auto db = open_read(a.dir);
  std::string text;
  if (!db->get(a.key, &text)) {
    print_error("key not found: " + json_quoted(a.key));
    return read_exit(*db, kExitNotFound);
  }
  std::string out;
  std::string why;
  try {
    (void)bitcask::parse_strict_json(text);  // NUL bytes, depth, numbers it would round
    // Members in their stored order, never sorted.
    out = nlohmann::ordered_json::parse(text).dump(-1, ' ', false, json::error_handler_t::replace);
  } catch (const json::exception&) {
    why = " (NaN or Infinity written by the Python original?)";
  } catch (const bitcask::Error& e) {
    why = std::string(": ") + e.what();  // a NUL byte, or nested too deep to handle as JSON
  }
  if (!why.empty()) {
    out = text;
    std::cerr << "bitcask: note: the value of " << json_quoted(a.key) << " is not strict JSON"
              << why << "; printed as stored\n";
  }
  out += '\n';
  write_out(out);
  finish_stdout();
  return read_exit(*db, kExitOk);
}

int cmd_delete(const Args& a) {
  if (const std::string bad = key_problem(a.key); !bad.empty()) {
    print_error(bad);
    return kExitError;
  }
  auto db = open_write(a.dir, a.sync, /*create=*/false);
  const bool existed = db->remove(a.key);
  db->close();
  if (!existed) {
    print_error("key not found: " + json_quoted(a.key));
    return kExitNotFound;
  }
  return kExitOk;
}

int cmd_keys(const Args& a) {
  auto db = open_read(a.dir);
  bitcask::ScanOptions scan;
  scan.prefix = a.prefix;
  std::uint64_t remaining = a.has_limit ? a.limit : UINT64_MAX;
  std::string buffer;
  while (remaining > 0) {
    scan.limit = static_cast<std::size_t>(std::min<std::uint64_t>(remaining, kPageSize));
    const std::vector<bitcask::KeyEntry> page = db->scan(scan);
    buffer.clear();
    for (const bitcask::KeyEntry& e : page) {
      if (a.null_terminated) {
        buffer += e.key;
        buffer += '\0';
      } else {
        append_escaped(buffer, e.key);
        buffer += '\n';
      }
    }
    write_out(buffer);
    remaining -= page.size();
    if (page.size() < scan.limit) break;
    scan.start = page.back().key;
    scan.exclusive_start = true;
  }
  finish_stdout();
  return read_exit(*db, kExitOk);
}

int cmd_stats(const Args& a) {
  auto db = open_read(a.dir);
  const bitcask::Stats s = db->stats();
  if (a.json_output) {
    json segs = json::array();
    for (const bitcask::SegmentStats& g : s.segment_stats) {
      segs.push_back({{"id", g.id},
                      {"file", g.file},
                      {"size", g.size},
                      {"records", g.records},
                      {"live_records", g.live_records},
                      {"live_bytes", g.live_bytes},
                      {"dead_bytes", g.dead_bytes},
                      {"tombstones", g.tombstones},
                      {"active", g.active},
                      {"has_hint", g.has_hint}});
    }
    json out = {{"keys", s.keys},
                {"segments", s.segments},
                {"total_bytes", s.total_bytes},
                {"live_bytes", s.live_bytes},
                {"dead_bytes", s.dead_bytes},
                {"tombstones", s.tombstones},
                {"fragmentation", s.fragmentation},
                {"keydir_bytes", s.keydir_bytes},
                {"format", format_name(db->format())},
                {"written_by", db->format_description()},
                {"read_only", db->read_only()},
                {"segment_stats", std::move(segs)}};
    write_out(out.dump(-1, ' ', false, json::error_handler_t::replace) + "\n");
    finish_stdout();
    return kExitOk;
  }

  std::string out;
  auto row = [&out](const char* label, const std::string& value) {
    out += fmt("%-15s %s\n", label, value.c_str());
  };
  auto bytes = [](std::uint64_t n) { return std::to_string(n) + " (" + human_bytes(n) + ")"; };
  char frag[32];
  std::snprintf(frag, sizeof frag, "%.1f %%", s.fragmentation * 100.0);
  row("directory:", db->path().string());
  row("format:", std::string(format_name(db->format())) + " (" + db->format_description() + ")");
  row("keys:", std::to_string(s.keys));
  row("segments:", std::to_string(s.segments));
  row("total bytes:", bytes(s.total_bytes));
  row("live bytes:", bytes(s.live_bytes));
  row("dead bytes:", bytes(s.dead_bytes));
  row("tombstones:", std::to_string(s.tombstones));
  row("fragmentation:", frag);
  row("keydir memory:", bytes(s.keydir_bytes));
  if (!s.segment_stats.empty()) {
    out += fmt("\n%10s  %-16s %12s %9s %9s %12s %12s %10s  %s\n", "id", "file", "size", "records",
               "live", "live bytes", "dead bytes", "tombstones", "flags");
    for (const bitcask::SegmentStats& g : s.segment_stats) {
      std::string flags;
      if (g.active) flags += "active";
      if (g.has_hint) flags += flags.empty() ? "hint" : ",hint";
      out += fmt("%10" PRIu32 "  %-16s %12" PRIu64 " %9" PRIu64 " %9" PRIu64 " %12" PRIu64
                 " %12" PRIu64 " %10" PRIu64 "  %s\n",
                 g.id, g.file.c_str(), g.size, g.records, g.live_records, g.live_bytes,
                 g.dead_bytes, g.tombstones, flags.c_str());
    }
  }
  write_out(out);
  finish_stdout();
  return kExitOk;
}

int cmd_check(const Args& a) {
  // Problems are the output of check: printed on stdout, not as warnings.
  auto db = open_read(a.dir, /*warn=*/false);
  const bitcask::RecoveryReport& report = db->recovery_report();

  std::vector<bitcask::Problem> problems = db->verify();
  problems.insert(problems.end(), report.truncated_tails.begin(), report.truncated_tails.end());
  problems.insert(problems.end(), report.corrupt_records.begin(), report.corrupt_records.end());
  // verify() and recovery may name the same place: keep one line for each.
  std::sort(problems.begin(), problems.end(),
            [](const bitcask::Problem& x, const bitcask::Problem& y) {
              return std::tie(x.file, x.offset, x.what) < std::tie(y.file, y.offset, y.what);
            });
  std::set<std::pair<std::string, std::uint64_t>> seen;
  std::vector<bitcask::Problem> unique;
  for (bitcask::Problem& p : problems) {
    if (seen.emplace(p.file, p.offset).second) unique.push_back(std::move(p));
  }

  const bitcask::Stats s = db->stats();
  std::uint64_t records = 0;
  for (const bitcask::SegmentStats& g : s.segment_stats) records += g.records;

  std::string out;
  for (const bitcask::Problem& p : unique) out += problem_line(p) + "\n";
  if (unique.empty()) {
    out += "OK: " + std::to_string(records) + " records in " + std::to_string(s.segments) +
           " segments verified\n";
  } else {
    out += "CORRUPT: " + std::to_string(unique.size()) + " problem(s) in " +
           std::to_string(s.segments) + " segments\n";
  }
  write_out(out);
  finish_stdout();
  return unique.empty() ? kExitOk : kExitCorrupt;
}

int cmd_dump(const Args& a) {
  auto db = open_read(a.dir);
  std::vector<std::uint32_t> ids = db->segment_ids();
  if (a.has_segment) {
    if (std::find(ids.begin(), ids.end(), a.segment) == ids.end()) {
      std::string known;
      for (std::uint32_t id : ids) known += (known.empty() ? "" : ", ") + std::to_string(id);
      print_error(
          "no segment " + std::to_string(a.segment) + " in " + a.dir +
          (known.empty() ? std::string(" (it has no segments)") : " (segments: " + known + ")"));
      return kExitError;
    }
    ids = {a.segment};
  }
  if (!a.no_header) write_out("segment\toffset\tkind\tkey\tkey_size\tvalue_size\ttimestamp\tcrc\n");
  std::string buffer;
  for (std::uint32_t id : ids) {
    std::uint64_t offset = 0;
    for (;;) {
      buffer.clear();
      std::size_t visited = 0;
      const std::uint64_t next =
          db->read_records(id, offset, kPageSize, [&](const bitcask::RecordInfo& r) {
            ++visited;
            buffer += std::to_string(r.segment);
            buffer += '\t';
            buffer += std::to_string(r.offset);
            buffer += '\t';
            buffer += bitcask::to_string(r.kind);
            buffer += '\t';
            buffer += json_quoted(r.key);
            buffer += '\t';
            buffer += std::to_string(r.key.size());
            buffer += '\t';
            buffer += std::to_string(r.value_size);
            buffer += '\t';
            buffer += iso8601_utc(r.timestamp_us);
            buffer += '\t';
            buffer += r.checksum_ok ? "ok" : "BAD";
            buffer += '\n';
            return true;
          });
      write_out(buffer);
      if (visited < kPageSize || next <= offset) break;
      offset = next;
    }
  }
  finish_stdout();
  return kExitOk;
}

bitcask::ProgressFn progress_on_tty(const char* what) {
  if (!::isatty(STDERR_FILENO)) return {};
  auto last = std::make_shared<int>(-1);
  return [what, last](std::uint64_t done, std::uint64_t total) {
    const int percent = total == 0 ? 100 : static_cast<int>(done * 100 / total);
    if (percent != *last) {
      *last = percent;
      std::cerr << '\r' << what << ": " << fmt("%3d %%", percent);
      if (percent >= 100) std::cerr << '\n';
      std::cerr.flush();
    }
    return true;
  };
}

int import_into(const Args& a);

int cmd_import(const Args& a) {
  // A failed import removes the directory it created: no empty database
  // (marker, lock, segment) is left behind to be mistaken for a result.
  std::error_code ec;
  const bool existed = fs::exists(a.dir, ec);
  try {
    return import_into(a);
  } catch (...) {
    if (!existed) fs::remove_all(a.dir, ec);
    throw;
  }
}

int import_into(const Args& a) {
  bitcask::ImportResult result;
  std::unique_ptr<bitcask::DB> db;
  if (!a.from_src.empty()) {
    // The source is opened (and refused, when it is no Bitcask) before the
    // destination is created.
    bitcask::Options source_options;
    source_options.read_only = true;
    source_options.create_if_missing = false;
    open_with(a.from_src, source_options);
    db = open_write(a.dir, a.sync, /*create=*/true, a.max_segment_size);
    result = bitcask::import_directory(a.from_src, *db, progress_on_tty("importing"));
  } else if (a.jsonl_src == "-") {
    db = open_write(a.dir, a.sync, /*create=*/true, a.max_segment_size);
    result = bitcask::import_jsonl(std::cin, *db);
  } else {
    // A directory opens as a stream that reads nothing: refuse it rather
    // than import zero records.
    std::error_code ec;
    if (fs::is_directory(a.jsonl_src, ec)) {
      print_error("cannot import " + a.jsonl_src +
                  ": it is a directory (--jsonl takes a file of JSON lines, or - for standard "
                  "input; --pybitcask takes a directory)");
      return kExitError;
    }
    std::ifstream in(a.jsonl_src, std::ios::binary);
    if (!in) {
      print_error("cannot open " + a.jsonl_src + ": " + std::strerror(errno));
      return kExitError;
    }
    db = open_write(a.dir, a.sync, /*create=*/true, a.max_segment_size);
    result = bitcask::import_jsonl(in, *db, progress_on_tty("importing"));
  }
  db->close();
  for (const std::string& w : result.warnings) print_warning(w);
  std::cout << "records read:      " << result.records_read << '\n'
            << "keys written:      " << result.keys_written << '\n'
            << "keys deleted:      " << result.keys_deleted << '\n'
            << "not-strict values: " << result.not_strict_json << '\n'
            << "warnings:          " << result.warnings.size() << '\n';
  finish_stdout();
  return result.source_problems ? kExitCorrupt : kExitOk;
}

// Exports what can be read: a damaged record's key is left out with a
// warning, and the exit code says damage was found, whether by the export
// or by the open (whose warnings open_read printed).
int cmd_export(const Args& a) {
  auto db = open_read(a.dir);
  std::vector<std::string> skipped;
  bitcask::export_jsonl(*db, std::cout, {}, &skipped);
  finish_stdout();
  for (const std::string& line : skipped) print_warning(line);
  return skipped.empty() ? read_exit(*db, kExitOk) : kExitCorrupt;
}

int cmd_merge(const Args& a) {
  auto db = open_write(a.dir, bitcask::SyncPolicy::None, /*create=*/false, a.max_segment_size);
  if (a.if_needed && !db->merge_recommended()) {
    std::cout << "no merge needed: fragmentation "
              << fmt("%.1f %%", db->stats().fragmentation * 100) << '\n';
    finish_stdout();
    return kExitOk;
  }
  bitcask::MergeOptions options;
  bitcask::ProgressFn bar = progress_on_tty("merging");
  if (bar) {
    options.progress = [&bar](const bitcask::MergeProgress& p) {
      return bar(p.bytes_read, p.bytes_total);
    };
  }
  const bitcask::MergeResult r = db->merge(options);
  db->close();
  for (const std::string& note : r.notes) print_warning(note);
  // Damage the merge met is gone from the segments: say where it was and
  // where its bytes are now, and exit 3 as check does.
  for (std::size_t i = 0; i < r.damaged.size(); ++i) {
    print_warning(problem_line(r.damaged[i]) + " (damaged record not copied; its bytes are in " +
                  (fs::path(a.dir) / r.saved_to[i]).string() + ")");
  }
  const double seconds = std::max(r.seconds, 1e-9);
  std::cout << "segments merged:   " << r.inputs << " into " << r.outputs << " ("
            << r.inputs_removed << " removed)\n"
            << "bytes before:      " << human_bytes(r.bytes_before) << '\n'
            << "bytes after:       " << human_bytes(r.bytes_after) << '\n'
            << "reclaimed:         " << human_bytes(r.bytes_reclaimed()) << '\n'
            << "records copied:    " << r.records_copied << '\n'
            << "records dropped:   " << r.records_dropped << '\n';
  if (r.damaged_keys_removed > 0) {
    std::cout << "damaged keys gone: " << r.damaged_keys_removed
              << " (their live record was damaged; saved in lost+found/)\n";
  }
  std::cout << "time:              "
            << fmt("%.2f s (%.0f MiB/s)", r.seconds,
                   static_cast<double>(r.bytes_before) / (1 << 20) / seconds)
            << '\n';
  finish_stdout();
  // An input kept although the merge read it to its end holds records the
  // merge could not copy (see the note): the database is not as it should
  // be, even though nothing was lost.
  const bool kept = !r.cancelled && r.inputs_removed < r.inputs;
  return r.damaged.empty() && !kept ? kExitOk : kExitCorrupt;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);

  CLI::App app{
      "Bitcask database tool.\n"
      "Read commands (get, keys, stats, check, dump, export) open the database read-only:\n"
      "they never create or modify files and work beside a running writer.\n"
      "Exit codes: 0 ok, 1 key not found, 2 usage or database error,\n"
      "3 damage: check found damaged records, a torn tail or a hint that does not\n"
      "match its segment; get, keys or export opened a database with damaged records\n"
      "or a torn tail (what they print leaves it out); merge met damaged records or\n"
      "kept a segment it could not merge.",
      "bitcask"};
  app.set_version_flag("--version", std::string("bitcask ") + bitcask::kVersion);
  app.require_subcommand(1);
  app.footer("Keys beginning with '-' go after '--': bitcask get DIR -- -key");

  Args a;
  std::string sync_name = "none";

  auto add_dir = [&](CLI::App* sub) {
    sub->add_option("DIR", a.dir, "Database directory")->required();
  };
  auto add_key = [&](CLI::App* sub) {
    sub->add_option("KEY", a.key, "Key (UTF-8 text)")->required();
  };
  auto add_sync = [&](CLI::App* sub) {
    sub->add_option("--sync", sync_name,
                    "When writes reach the disk: always (fdatasync before each write returns), "
                    "none (the default; synced when the command ends), interval (every second)")
        ->transform(CLI::IsMember({"always", "none", "interval"}, CLI::ignore_case));
  };

  auto add_segment_size = [&](CLI::App* sub) {
    sub->add_option("--max-segment-size", a.max_segment_size,
                    "Seal the active segment at this many bytes (default 256 MiB)")
        ->check(CLI::Range(std::uint64_t{4096}, bitcask::kMaxSegmentSize));
  };

  CLI::App* put = app.add_subcommand("put", "Store a JSON value under KEY (creates the database)");
  add_segment_size(put);
  add_dir(put);
  add_key(put);
  put->add_option("JSON", a.value, "The value as JSON text, e.g. '{\"a\":1}' or '\"text\"'")
      ->required();
  add_sync(put);

  CLI::App* get =
      app.add_subcommand("get", "Print the value of KEY as compact JSON (exit 1 if absent)");
  add_dir(get);
  add_key(get);

  CLI::App* del = app.add_subcommand("delete", "Delete KEY (exit 1 if it was absent)");
  add_dir(del);
  add_key(del);
  add_sync(del);

  CLI::App* keys = app.add_subcommand(
      "keys",
      "Print the live keys in key order, one a line; a backslash prints as \\\\ and a control "
      "byte (newline, tab, ...) as \\xHH");
  add_dir(keys);
  keys->add_flag("-z,--null", a.null_terminated,
                 "Print each key as it is, ended by a NUL byte instead of a newline (for "
                 "xargs -0)");
  keys->add_option("--prefix", a.prefix, "Only keys beginning with this");
  CLI::Option* limit_opt = keys->add_option("--limit", a.limit, "Print at most N keys")
                               ->check(CLI::Validator(
                                   [](const std::string& text) {
                                     return text.find('-') == std::string::npos
                                                ? std::string()
                                                : std::string("must not be negative");
                                   },
                                   "N"));

  CLI::App* stats =
      app.add_subcommand("stats", "Print figures about the database and its segments");
  add_dir(stats);
  stats->add_flag("--json", a.json_output, "One JSON object instead of a table");

  CLI::App* check =
      app.add_subcommand("check",
                         "Verify every record's checksum; prints 'file offset: what' for each "
                         "problem (with the key when a damaged record's key still reads). "
                         "Exit 0 when sound, 3 when damaged records or a torn tail were found");
  add_dir(check);

  CLI::App* dump = app.add_subcommand(
      "dump",
      "Print one line per record: segment, offset, kind, key, key size, value size, "
      "timestamp (UTC), crc ok/BAD (tab-separated; keys as JSON strings)");
  add_dir(dump);
  CLI::Option* segment_opt =
      dump->add_option("SEGMENT", a.segment, "Only this segment (its id number)");
  dump->add_flag("--no-header", a.no_header, "Do not print the column names");

  CLI::App* imp =
      app.add_subcommand("import", "Import data into the database (creates it); prints a summary");
  add_dir(imp);
  add_sync(imp);
  add_segment_size(imp);
  CLI::Option_group* source = imp->add_option_group("source", "What to import (exactly one)");
  source->add_option("--from", a.from_src,
                     "Any Bitcask directory: this engine's, pybitcask's (every released "
                     "layout) or Basho bitcask's (read only, never changed)");
  source->add_option("--pybitcask", a.from_src, "The same as --from (kept for scripts)");
  source->add_option("--jsonl", a.jsonl_src,
                     "A file of JSON lines {\"key\":..,\"value\":..}, or - for stdin");
  source->require_option(1);

  CLI::App* exp = app.add_subcommand(
      "export",
      "Print every live key as JSON lines {\"key\":..,\"value\":..} in key order (\"raw\" or "
      "\"raw_hex\" for bytes that are not exactly compact JSON); a key whose record is "
      "damaged is left out with a warning (exit 3)");
  add_dir(exp);

  CLI::App* merge = app.add_subcommand(
      "merge",
      "Compact the database: rewrite live records, drop dead ones, write hint files "
      "(a progress bar on a terminal)");
  add_dir(merge);
  add_segment_size(merge);
  merge->add_flag("--if-needed", a.if_needed,
                  "Only when the merge thresholds say so (60 % fragmented or 512 MiB dead)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitError;
  }
  a.has_limit = limit_opt->count() > 0;
  a.sync = sync_name == "always"     ? bitcask::SyncPolicy::Always
           : sync_name == "interval" ? bitcask::SyncPolicy::Interval
                                     : bitcask::SyncPolicy::None;
  a.has_segment = segment_opt->count() > 0;

  try {
    if (*put) return cmd_put(a);
    if (*get) return cmd_get(a);
    if (*del) return cmd_delete(a);
    if (*keys) return cmd_keys(a);
    if (*stats) return cmd_stats(a);
    if (*check) return cmd_check(a);
    if (*dump) return cmd_dump(a);
    if (*imp) return cmd_import(a);
    if (*exp) return cmd_export(a);
    if (*merge) return cmd_merge(a);
  } catch (const bitcask::Error& e) {
    print_error(e.what());
    return kExitError;
  } catch (const std::exception& e) {
    print_error(e.what());
    return kExitError;
  }
  return kExitError;
}
