// The first keys of a database in key order, read from its hint files
// without opening it.
//
// DB::open builds the whole keydir before it returns: seconds at ten million
// keys. A browser wants to show keys at once. Each hint file is sorted by key
// and holds the last record of every key in its segment, so merging the
// hints' heads (the newest segment's entry winning) gives the first live keys
// exactly, after reading a few bytes of each hint. A peek takes no lock and
// writes nothing, so it can run beside the open and beside a writer; it
// describes the files as they were when it read them, like any read-only
// reader.
//
// A peek is exact or absent: it returns nothing whenever it could not be
// sure, and the open then is the only answer (it also reports why). That is:
// not a native database (a foreign layout has no hints), a segment or hint
// that does not read cleanly, a damaged record, or more unhinted bytes to
// scan than the caller allows (records appended after a segment's hint
// must be read one by one).
#pragma once

#include <bitcask/export.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace bitcask {

struct BITCASK_EXPORT PeekedKey {
  std::string key;
  std::uint32_t value_size = 0;  // bytes of the value as stored
  std::uint64_t timestamp_us = 0;
  std::uint32_t segment = 0;
};

struct BITCASK_EXPORT KeyPeek {
  // The first live keys in key order (at most the limit asked for).
  std::vector<PeekedKey> keys;
  // Every key the hints and scanned records list, live or not: an upper
  // bound of the key count (a key in several segments counts in each).
  std::uint64_t listed_entries = 0;
};

// The first `limit` live keys of the native database in `dir`, or nothing
// when they cannot be known exactly without opening it (see above). Reads
// at most `max_scan_bytes` of segments their hints do not cover.
BITCASK_EXPORT std::optional<KeyPeek> peek_first_keys(const std::filesystem::path& dir,
                                                      std::size_t limit,
                                                      std::uint64_t max_scan_bytes = 64ull << 20);

}  // namespace bitcask
