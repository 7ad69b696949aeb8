#include "directory.h"

#include <algorithm>
#include <fstream>
#include <string>

#include "file_util.h"
#include "format.h"

namespace bitcask {

DirKind classify_directory(const fs::path& dir, std::vector<std::uint32_t>* segment_ids) {
  std::error_code ec;
  auto status = fs::status(dir, ec);
  if (ec || !fs::exists(status)) {
    if (ec && ec != std::errc::no_such_file_or_directory) {
      throw_errno(ec.value(), "cannot access", dir);
    }
    return DirKind::kMissing;
  }
  if (!fs::is_directory(status)) return DirKind::kNotADirectory;
  bool marker = false, other = false;
  fs::directory_iterator it(dir, ec);
  if (ec) throw_errno(ec.value(), "cannot list directory", dir);
  for (const auto& entry : it) {
    const std::string name = entry.path().filename().string();
    std::uint32_t id;
    if (format::parse_segment_file_name(name, &id)) {
      segment_ids->push_back(id);
    } else if (name == format::kMarkerFile) {
      marker = true;
    } else if (name == "LOCK" || entry.path().extension() == ".tmp") {
      // Left by a creation that failed half-way: a lock file, or a marker
      // never renamed into place. The directory is still empty of data.
    } else {
      other = true;
    }
  }
  std::sort(segment_ids->begin(), segment_ids->end());
  if (marker || !segment_ids->empty()) return DirKind::kNative;
  return other ? DirKind::kOther : DirKind::kEmpty;
}

void check_marker(const fs::path& dir) {
  std::ifstream in(dir / format::kMarkerFile);
  std::string line;
  std::getline(in, line);
  const std::string prefix = format::kMarkerPrefix;
  if (!line.starts_with(prefix)) {
    throw Error(ErrorCode::kNotADatabase, "'" + (dir / format::kMarkerFile).string() +
                                              "' is not a Bitcask format marker (expected '" +
                                              prefix + "1')");
  }
  const std::string version = line.substr(prefix.size());
  if (version != "1") {
    throw Error(ErrorCode::kUnsupportedVersion, "database '" + dir.string() +
                                                    "' uses format version " + version +
                                                    "; this build reads version 1");
  }
}

}  // namespace bitcask
