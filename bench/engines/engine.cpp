#include "engines/engine.h"

#include <stdexcept>

#include "engines/bitcask_engine.h"
#include "engines/leveldb_engine.h"
#include "engines/lmdb_engine.h"
#include "engines/rocksdb_engine.h"
#include "engines/sqlite_engine.h"

namespace bench {

const std::vector<std::string>& engine_names() {
  static const std::vector<std::string> names = {"bitcask", "leveldb", "rocksdb", "lmdb", "sqlite"};
  return names;
}

std::unique_ptr<KvEngine> make_engine(std::string_view name) {
  if (name == "bitcask") return std::make_unique<BitcaskEngine>();
  if (name == "leveldb") return std::make_unique<LevelDbEngine>();
  if (name == "rocksdb") return std::make_unique<RocksDbEngine>();
  if (name == "lmdb") return std::make_unique<LmdbEngine>();
  if (name == "sqlite") return std::make_unique<SqliteEngine>();
  throw std::invalid_argument("unknown engine '" + std::string(name) + "'");
}

std::string engine_description(std::string_view name) {
  if (name == "bitcask") return BitcaskEngine::description();
  if (name == "leveldb") return LevelDbEngine::description();
  if (name == "rocksdb") return RocksDbEngine::description();
  if (name == "lmdb") return LmdbEngine::description();
  if (name == "sqlite") return SqliteEngine::description();
  throw std::invalid_argument("unknown engine '" + std::string(name) + "'");
}

}  // namespace bench
