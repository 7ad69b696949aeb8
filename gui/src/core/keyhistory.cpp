#include "core/keyhistory.h"

#include <bitcask/error.h>

namespace bb {

KeyHistorySource::~KeyHistorySource() = default;

std::unique_ptr<KeyHistorySource> makeHistorySource(DbPtr db) {
  return std::make_unique<EngineKeyHistory>(std::move(db));
}

EngineKeyHistory::EngineKeyHistory(DbPtr db) : db_(std::move(db)) {}

std::vector<KeyVersion> EngineKeyHistory::versions(const std::string& key,
                                                   const Progress& progress) const {
  std::vector<KeyVersion> out;
  for (const bitcask::KeyVersion& v : db_->history(key)) {
    KeyVersion k;
    k.segment = v.segment;
    k.offset = v.offset;
    k.recordSize = v.record_size;
    k.valueSize = v.value_size;
    k.timestampUs = v.timestamp_us;
    k.tombstone = v.kind == bitcask::RecordKind::kTombstone;
    k.checksumOk = !v.damaged;
    k.live = v.live;
    out.push_back(k);
  }
  if (progress) progress(1, 1);
  return out;
}

std::string EngineKeyHistory::value(const KeyVersion& version) const {
  std::optional<std::string> value = db_->read_version(version.segment, version.offset);
  if (!value) {
    throw bitcask::Error(bitcask::ErrorCode::kInvalidArgument,
                         "the version at segment " + std::to_string(version.segment) + " offset " +
                             std::to_string(version.offset) + " is a deletion and has no value");
  }
  return *value;
}

}  // namespace bb
