// What the engine found when it opened a directory.
#pragma once

#include <bitcask/export.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace bitcask {

// One damaged or unreadable place in a segment.
struct BITCASK_EXPORT Problem {
  Problem() = default;
  Problem(std::string file_name, std::uint64_t at, std::uint64_t bytes, std::string why,
          std::optional<std::string> key_bytes = std::nullopt)
      : file(std::move(file_name)),
        offset(at),
        length(bytes),
        what(std::move(why)),
        key(std::move(key_bytes)) {}

  std::string file;          // file name inside the database directory
  std::uint64_t offset = 0;  // byte offset of the damaged record or region
  std::uint64_t length = 0;  // bytes affected (0 when unknown)
  std::string what;          // "checksum mismatch", "truncated record", ...
  // The key of the damaged record, when its header and key still read as a
  // record exactly filling the damaged bytes (a flipped value or checksum
  // byte). Unverified: the checksum that failed covers the key too.
  std::optional<std::string> key;
};

struct BITCASK_EXPORT RecoveryReport {
  std::uint64_t segments = 0;
  std::uint64_t records = 0;  // complete, checksummed records applied
  // Torn or garbage tail of the last segment that was cut back (writable
  // opens) or ignored (read-only opens). The bytes cut are kept under
  // lost+found/ in the database directory.
  std::vector<Problem> truncated_tails;
  // Damaged records inside segments: reported, never served, never deleted.
  std::vector<Problem> corrupt_records;

  bool clean() const { return truncated_tails.empty() && corrupt_records.empty(); }
};

}  // namespace bitcask
