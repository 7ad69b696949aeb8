// A foreign on-disk layout: a Bitcask directory written by another program
// (the Python pybitcask in its released layouts, Basho bitcask as Riak uses
// it), read in place and never changed.
//
// The engine's keydir, history, inspector, verify and export stay
// layout-agnostic: they see a foreign directory as an ordered list of files,
// each a sequence of records that a Layout decodes one at a time. A layout
// is chosen at open by recognise_layout(), which looks at the directory's
// file names *and* parses the first record of each file in the candidate
// layout: a name alone never decides (a Basho "1.bitcask.data" must not be
// read as a Python "1.data", a pybitcask "data_1.db" whose first byte is an
// unknown format byte is refused, not taken for an empty file).
//
// One file a layout: layout_pybitcask.cpp, layout_basho.cpp.
#pragma once

#include <bitcask/db.h>
#include <bitcask/record.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bitcask {

// One record decoded from a foreign file. `key` and `value` are the stored
// bytes exactly (a JSON-lines value is the JSON text as the writer wrote it,
// a protobuf value the field's bytes, a Basho key/value the Erlang external
// term bytes). They point either into the file's bytes or into `key_buf` /
// `value_buf` (when decoding had to unescape or copy), so they stay valid
// until the next decode into the same object.
struct ForeignRecord {
  std::uint64_t offset = 0;            // of the record's first byte in the file
  std::uint64_t length = 0;            // bytes of the record in the file
  RecordKind kind = RecordKind::kPut;  // kPut or kTombstone
  std::uint64_t timestamp_us = 0;      // converted from the layout's unit
  std::string_view key;
  std::string_view value;   // empty for a tombstone
  bool checksum_ok = true;  // layouts without checksums: always true
  std::string key_buf, value_buf;
};

enum class DecodeStatus {
  kOk,
  kEnd,        // offset == size: no more records
  kTruncated,  // an incomplete record running to the end of the file
  kDamaged,    // bytes that are not a record of this layout (see *why)
};

// One file of a foreign directory, in the order its records apply.
struct ForeignFile {
  std::filesystem::path path;
  std::uint32_t id = 0;  // 1-based position in apply order (shown as the segment id)
  std::uint64_t first_record_offset = 0;  // e.g. 1 past a pybitcask format byte
  std::string encoding;                   // e.g. "protobuf", "JSON lines", ">IIQ"
};

class Layout {
 public:
  virtual ~Layout() = default;

  // "pybitcask (protobuf, 7 files)", "Basho bitcask": for the read-only
  // banner and `bitcask stats`.
  virtual std::string description() const = 0;
  // kPythonBitcask or kBasho.
  virtual DataFormat data_format() const = 0;
  // Set when the writer may still be running (Basho's bitcask.write.lock /
  // bitcask.merge.lock present): the data may change while it is read.
  virtual std::string live_writer_warning() const { return {}; }

  // The data files in apply order: a later record of a key wins over an
  // earlier one, across files too.
  virtual const std::vector<ForeignFile>& files() const = 0;

  // Decodes the record of `file` at `offset` of its bytes data[0, size).
  // On kDamaged/kTruncated, *why says what was expected.
  virtual DecodeStatus decode(const ForeignFile& file, const char* data, std::uint64_t size,
                              std::uint64_t offset, ForeignRecord* out, std::string* why) const = 0;
};

// Recognises `dir` as a foreign layout. Returns null when it is none of them
// (a native directory, an empty one, anything else), or throws Error(kNotADatabase / kCorruption)
// naming the file and what was expected when the names match a layout but the first record of a
// file does not parse in it.
std::unique_ptr<Layout> recognise_layout(const std::filesystem::path& dir);

// The layouts recognise_layout() tries, one a file, with the same contract.
std::unique_ptr<Layout> recognise_pybitcask(const std::filesystem::path& dir);
std::unique_ptr<Layout> recognise_basho(const std::filesystem::path& dir);

}  // namespace bitcask
