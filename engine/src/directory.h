// What a database directory holds, as DB::open and peek_first_keys tell it
// apart: nothing yet, native segments (with their format marker), or files
// of another kind (a foreign layout, or not a database).
#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace bitcask {

enum class DirKind { kMissing, kNotADirectory, kEmpty, kNative, kOther };

// Lists the native segment ids in `dir` into *segment_ids, sorted.
DirKind classify_directory(const std::filesystem::path& dir,
                           std::vector<std::uint32_t>* segment_ids);

// Throws kNotADatabase when the marker file does not name the Bitcask
// format, kUnsupportedVersion when it names another version than 1.
void check_marker(const std::filesystem::path& dir);

}  // namespace bitcask
