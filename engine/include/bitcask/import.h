// Converting other data into a database.
#pragma once

#include <bitcask/db.h>
#include <bitcask/options.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace bitcask {

struct ImportResult {
  std::uint64_t records_read = 0;
  std::uint64_t keys_written = 0;
  std::uint64_t keys_deleted = 0;     // tombstones applied
  std::uint64_t not_strict_json = 0;  // values kept as text (NaN, Infinity)
  std::vector<std::string> warnings;  // torn tails, lines skipped, ...
};

// Progress: (done, total) in bytes; return false to cancel (kCancelled).
using ProgressFn = std::function<bool(std::uint64_t done, std::uint64_t total)>;

// Copies the live keys of a directory written by the Python original into
// `dst`, reading `src` only (it is never modified). Values are re-encoded as
// compact JSON; values that are not strict JSON are kept as their text.
ImportResult import_pybitcask(const std::filesystem::path& src, DB& dst,
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
ImportResult import_jsonl(std::istream& in, DB& dst, const ProgressFn& progress = {});

// Writes every live key in key order as JSON lines {"key":..,"value":..},
// the format import_jsonl reads. Export and import round-trip exactly: a
// value goes out as "value" only when import would store it as the same
// bytes (its compact JSON), otherwise as "raw" text or "raw_hex"; a key
// goes out as "key" text or "key_hex". A database written by the Python
// original is the exception: its JSON values are re-encoded compactly, as
// import_pybitcask stores them. Returns the keys written.
// With `skipped`, a key whose record cannot be read (it fails its checksum
// or is malformed) is left out and the export goes on, rescuing everything
// else: one line a key goes to *skipped, naming it and where the damage is.
// Without, the first such key stops the export (kCorruption).
std::uint64_t export_jsonl(const DB& db, std::ostream& out, const ProgressFn& progress = {},
                           std::vector<std::string>* skipped = nullptr);

}  // namespace bitcask
