// RocksDB (Debian librocksdb-dev), through its C++ API.
#pragma once

#include "engines/engine.h"

namespace rocksdb {
class DB;
}

namespace bench {

class RocksDbEngine final : public KvEngine {
 public:
  RocksDbEngine();
  ~RocksDbEngine() override;
  static std::string description();

  const char* name() const override { return "rocksdb"; }
  void open(const std::filesystem::path& dir, bool sync) override;
  void put(std::string_view key, std::string_view value) override;
  void put_batch(const Pairs& pairs) override;
  bool get(std::string_view key, std::string* value) override;
  void del(std::string_view key) override;
  std::size_t scan(const ScanFn& fn) override;
  std::unique_ptr<KvReader> reader() override;
  void close() override;

 private:
  rocksdb::DB* db_ = nullptr;
  bool sync_ = false;
};

}  // namespace bench
