// Basho bitcask (Riak KV's storage backend, bitcask 2.1.0 as Debian 12
// packages it): the details of the layout that its tests and tools need
// beside the Layout interface (layout.h). The format and the rules are
// described in engine/FORMAT.md, "Foreign layouts: Basho bitcask".
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "layout.h"

namespace bitcask::basho {

// crc32 u32 | tstamp u32 | keysz u16 | valsz u32, big-endian.
inline constexpr std::size_t kHeaderSize = 14;

// bitcask:is_tombstone/1 takes every value that begins with this prefix for
// a tombstone: "bitcask_tombstone" (version 0), "bitcask_tombstone1" and
// "bitcask_tombstone2" followed by a 32-bit file id (versions 1 and 2; 2.1.0
// writes version 2). A value the user stored with this prefix reads as a
// delete in Basho too; we follow the writer.
inline constexpr std::string_view kTombstonePrefix = "bitcask_tombstone";

inline constexpr std::string_view kWriteLock = "bitcask.write.lock";
inline constexpr std::string_view kMergeLock = "bitcask.merge.lock";

// The CRC-32 (IEEE 802.3, reflected: zlib's and erlang:crc32/1's) of bytes,
// continuing `crc`, the CRC-32 of the bytes before them (0 for none).
std::uint32_t crc32(const char* data, std::size_t n, std::uint32_t crc = 0);

// Basho's own file id of a data file: N of "N.bitcask.data" (ForeignFile::id
// is the position in apply order instead).
std::uint32_t file_id_of(const ForeignFile& file);

// Where a key's current record lives in Basho's keydir.
struct KeydirEntry {
  std::uint32_t file_id = 0;
  std::uint64_t offset = 0;
  std::uint32_t tstamp = 0;  // seconds
};

// Basho's rule for a record met while it builds its keydir from the files
// (bitcask:scan_key_files/5 -> bitcask_nifs_keydir_put_int with newest_put =
// false): a put of `incoming` replaces the `existing` entry of its key when
//   existing.tstamp < incoming.tstamp, or
//   existing.file_id < incoming.file_id, or
//   the same file and existing.offset < incoming.offset.
// A tombstone removes the key whatever its entry (keydir_remove/3 is not
// conditional). As the files are scanned by id and each file from its start,
// the second or third clause always holds: the later record wins, whatever
// the timestamps say (a clock set back does not resurrect older data).
bool put_replaces(const KeydirEntry& existing, const KeydirEntry& incoming);

// One entry of a hint file N.bitcask.hint: where a record of data file N is.
struct HintEntry {
  std::uint32_t tstamp = 0;
  std::string key;
  std::uint32_t total_size = 0;  // of the data record
  bool tombstone = false;
  std::uint64_t offset = 0;  // of the data record
};

// The entries of a hint file's bytes when it validates as Basho checks it
// (bitcask_fileops:has_valid_hintfile/1): it ends in a trailer entry
// `0 | 0 | crc32 | bit | 2^63-1` whose CRC-32 covers every byte before it,
// and the entries before it parse back to back. nullopt otherwise (a hint
// the writer had not closed, as in a directory copied under a running node,
// has no trailer). The engine does not need hints (the data files are the
// source of truth); this is how they are checked against the data.
std::optional<std::vector<HintEntry>> read_hint(std::string_view bytes);

// True when `value` is what bitcask:is_tombstone/1 takes for a tombstone.
inline bool is_tombstone(std::string_view value) { return value.starts_with(kTombstonePrefix); }

}  // namespace bitcask::basho
