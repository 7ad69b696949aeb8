// The pybitcask layouts (agaonker/pybitcask, every released layout): the
// pieces of layout_pybitcask.cpp that tests and the fuzzer reach directly.
// See engine/FORMAT.md, "Foreign layouts: pybitcask".
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "layout.h"

namespace bitcask::pybitcask_layout {

// How the records of one file are encoded.
enum class Encoding {
  kIIQ,        // >IIQ header (key size, value size, timestamp ms) + key + JSON value
  kJsonLines,  // one json.dumps({"key", "value", "timestamp"[, "deleted"]}) a line
  kProtobuf,   // u32 big-endian length + a Record message (pybitcask_record.proto)
  kNoRecords,  // an empty file, or a format byte and nothing after it
};

// "protobuf", "JSON lines", ">IIQ", "no records": ForeignFile::encoding.
const char* encoding_name(Encoding encoding);

// How files are named: "<N>.data" (2024 to April 2025) or "data_<N>.db"
// (from a8fb92d, April 2025, to today).
enum class Naming { kDotData, kDataDb };

struct FileFormat {
  Encoding encoding = Encoding::kNoRecords;
  std::uint64_t first_record_offset = 0;  // 1 past the format byte, 0 without one
  std::string writer;                     // the pybitcask releases that write this
};

// Decides how the file `path` (its whole contents `bytes`) is encoded, by
// parsing its first records in every encoding its name and first byte allow
// (see the table in layout_pybitcask.cpp). Throws Error(kCorruption) naming
// the file and the layouts tried when its first record parses in none, or
// in two that then parse its records equally far. `torn_tail_of`, given for
// the last file of a directory only, is the encoding of the file before it
// with the same first byte: a first record cut short in that encoding is then
// the directory's torn tail, not damage.
FileFormat classify_file(Naming naming, const std::filesystem::path& path, std::string_view bytes,
                         std::optional<Encoding> torn_tail_of = std::nullopt);

// Decodes the record at `offset` of data[0, size) in `encoding`.
DecodeStatus decode_record(Encoding encoding, const char* data, std::uint64_t size,
                           std::uint64_t offset, ForeignRecord* out, std::string* why);

// decode_record() in a file whose records start at `first_record_offset`,
// with the one repair pybitcask's own bug calls for: a stray copy of the
// file's format byte between two records (38b5eec, reopened with 10 or more
// files, appends to data_9.db, and its next rotation "creates" the existing
// data_10.db: it appends the format byte again, mid-file). The stray byte
// is taken as the start of the record after it (offset and length include
// it), and only where the record cannot start at the byte itself; as the
// file's very last byte it gives kEnd (one byte before the end: the engine
// must not take that byte for a torn tail).
DecodeStatus decode_file_record(Encoding encoding, std::uint64_t first_record_offset,
                                const char* data, std::uint64_t size, std::uint64_t offset,
                                ForeignRecord* out, std::string* why);

// True when `text` is one JSON value as Python's json.dumps writes it: RFC
// 8259 JSON (checked by nlohmann::json) plus the NaN, Infinity and -Infinity
// tokens Python allows. Integers of any size are accepted.
bool is_python_json(std::string_view text, std::string* why);

}  // namespace bitcask::pybitcask_layout
