// Converting other data into a database.
#pragma once

#include <bitcask/db.h>
#include <bitcask/export.h>
#include <bitcask/options.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace bitcask {

struct BITCASK_EXPORT ImportResult {
  std::uint64_t records_read = 0;
  std::uint64_t keys_written = 0;
  std::uint64_t keys_deleted = 0;     // tombstones applied
  std::uint64_t not_strict_json = 0;  // values kept as text (NaN, Infinity)
  std::vector<std::string> warnings;  // torn tails, lines skipped, ...
  // Damaged records and torn tails of an import_directory source: what they
  // held was not imported (each is also in `warnings`).
  std::uint64_t source_problems = 0;
};

// Progress: (done, total) in bytes; return false to cancel (kCancelled).
using ProgressFn = std::function<bool(std::uint64_t done, std::uint64_t total)>;

// Copies the live keys of any Bitcask directory this engine reads (its own,
// pybitcask's in every released layout, Basho's) into `dst`, reading `src`
// only (it is never modified). Keys and values keep their exact bytes.
// Damage or a torn tail found in `src` is listed in `warnings`: the caller
// must report it (what it held was not imported).
BITCASK_EXPORT ImportResult import_directory(const std::filesystem::path& src, DB& dst,
                                             const ProgressFn& progress = {});

// The longest JSON line import_jsonl takes: what export_jsonl writes for the
// largest record, a kMaxKeySize key and a kMaxValueSize value both as hex,
// with room for the field names. A longer line could not become a record,
// so it is refused before more of it is read.
inline constexpr std::uint64_t kMaxJsonlLineBytes = 2 * (kMaxKeySize + kMaxValueSize) + 64;

// Reads JSON lines into `dst`, one object a line: {"key": "...", "value":
// <json>}. "value" is stored as its compact JSON text. Instead of "value",
// "raw" gives the stored bytes verbatim as a JSON string (values that are
// not strict JSON) and "raw_hex" as hex (bytes that are not UTF-8); instead
// of "key", "key_hex" gives a key as hex. A line that is not such an object,
// holds a NUL byte, nests deeper than kMaxJsonDepth + 1 levels (its object
// and a value of kMaxJsonDepth) or is longer than kMaxJsonlLineBytes stops
// the import with kInvalidArgument naming the line number; what was written
// before it stays.
BITCASK_EXPORT ImportResult import_jsonl(std::istream& in, DB& dst,
                                         const ProgressFn& progress = {});

// Writes every live key in key order as JSON lines {"key":..,"value":..},
// the format import_jsonl reads. Export and import round-trip exactly: a
// value goes out as "value" only when import would store it as the same
// bytes (its compact JSON), otherwise as "raw" text or "raw_hex"; a key
// goes out as "key" text or "key_hex", whoever wrote the database (a
// pybitcask value keeps its spacing and NaN tokens). Returns the keys
// written.
// With `skipped`, a key whose record cannot be read (it fails its checksum
// or is malformed) is left out and the export goes on, rescuing everything
// else: one line a key goes to *skipped, naming it and where the damage is.
// Without, the first such key stops the export (kCorruption).
BITCASK_EXPORT std::uint64_t export_jsonl(const DB& db, std::ostream& out,
                                          const ProgressFn& progress = {},
                                          std::vector<std::string>* skipped = nullptr);

// The line export_jsonl writes for `key` holding the stored bytes `value`,
// '\n' included: for writers of some keys only (a selection, a filter's
// matches, a clipboard copy) in the format import_jsonl reads back.
BITCASK_EXPORT std::string export_jsonl_line(std::string_view key, std::string_view value);

}  // namespace bitcask
