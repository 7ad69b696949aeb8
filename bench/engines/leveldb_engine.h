// LevelDB (Debian libleveldb-dev), through its C++ API.
#pragma once

#include "engines/engine.h"

namespace leveldb {
class DB;
class Cache;
class FilterPolicy;
}  // namespace leveldb

namespace bench {

class LevelDbEngine final : public KvEngine {
 public:
  LevelDbEngine();
  ~LevelDbEngine() override;
  static std::string description();

  const char* name() const override { return "leveldb"; }
  void open(const std::filesystem::path& dir, bool sync) override;
  void put(std::string_view key, std::string_view value) override;
  void put_batch(const Pairs& pairs) override;
  bool get(std::string_view key, std::string* value) override;
  void del(std::string_view key) override;
  std::size_t scan(const ScanFn& fn) override;
  std::unique_ptr<KvReader> reader() override;
  void close() override;

 private:
  leveldb::DB* db_ = nullptr;
  leveldb::Cache* cache_ = nullptr;
  const leveldb::FilterPolicy* filter_ = nullptr;
  bool sync_ = false;
};

}  // namespace bench
