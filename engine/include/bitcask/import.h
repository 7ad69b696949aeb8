// Converting other data into a database.
#pragma once

#include <bitcask/db.h>
#include <bitcask/export.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace bitcask {

struct BITCASK_EXPORT ImportResult {
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
BITCASK_EXPORT ImportResult import_pybitcask(const std::filesystem::path& src, DB& dst,
                                             const ProgressFn& progress = {});

// Reads JSON lines into `dst`, one object a line: {"key": "...", "value":
// <json>}. Instead of "value", "raw" gives the stored text verbatim (values
// that are not strict JSON) and "raw_hex" bytes that are not UTF-8; instead
// of "key", "key_hex" gives a key that is not UTF-8. A line that is not such
// an object stops the import with kInvalidArgument naming the line number;
// what was written before it stays.
BITCASK_EXPORT ImportResult import_jsonl(std::istream& in, DB& dst,
                                         const ProgressFn& progress = {});

// Writes every live key in key order as JSON lines {"key":..,"value":..},
// the format import_jsonl reads, so export and import round-trip exactly:
// values that are not strict JSON go out as "raw" text, bytes that are not
// UTF-8 as "key_hex" / "raw_hex". Returns the keys written.
// With `skipped`, a key whose record cannot be read (it fails its checksum
// or is malformed) is left out and the export goes on, rescuing everything
// else: one line a key goes to *skipped, naming it and where the damage is.
// Without, the first such key stops the export (kCorruption).
BITCASK_EXPORT std::uint64_t export_jsonl(const DB& db, std::ostream& out,
                                          const ProgressFn& progress = {},
                                          std::vector<std::string>* skipped = nullptr);

}  // namespace bitcask
