// The versions of one key still on disk, for the History tab.
//
// KeyHistorySource is what the History tab needs; EngineKeyHistory provides
// it through the engine (DB::history, DB::read_version), so the browser
// never reads segment files itself.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/database.h"

namespace bb {

struct KeyVersion {
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;  // of the record in its segment file
  std::uint32_t recordSize = 0;
  std::uint32_t valueSize = 0;
  std::uint64_t timestampUs = 0;
  bool tombstone = false;
  bool checksumOk = true;
  bool live = false;  // the version get() returns now
};

class KeyHistorySource {
 public:
  virtual ~KeyHistorySource();
  // (done, total) in any unit; return false to stop early.
  using Progress = std::function<bool(std::uint64_t done, std::uint64_t total)>;
  // Every version of `key` on disk, oldest first. May be slow (runs off the
  // GUI thread). Returns what was found so far when `progress` stops it.
  virtual std::vector<KeyVersion> versions(const std::string& key,
                                           const Progress& progress) const = 0;
  // The value of a put version. Throws bitcask::Error when it cannot be read.
  virtual std::string value(const KeyVersion& version) const = 0;
};

// The best history source for `db`.
std::unique_ptr<KeyHistorySource> makeHistorySource(DbPtr db);

// Versions from DB::history(), values from DB::read_version() (checksum
// verified, decompressed).
class EngineKeyHistory : public KeyHistorySource {
 public:
  explicit EngineKeyHistory(DbPtr db);
  std::vector<KeyVersion> versions(const std::string& key, const Progress& progress) const override;
  std::string value(const KeyVersion& version) const override;

 private:
  DbPtr db_;
};

}  // namespace bb
