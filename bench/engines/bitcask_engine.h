// This project's engine through its raw byte API (bitcask::DB).
#pragma once

#include "engines/engine.h"

namespace bitcask {
class DB;
}

namespace bench {

// Every live pair of `db` in key order, as KvEngine::scan: pages of keys from
// the ordered index, then each value by key.
std::size_t scan_in_key_order(const bitcask::DB& db, const KvEngine::ScanFn& fn);

class BitcaskEngine final : public KvEngine {
 public:
  BitcaskEngine();
  ~BitcaskEngine() override;
  static std::string description();

  const char* name() const override { return "bitcask"; }
  void open(const std::filesystem::path& dir, bool sync) override;
  void put(std::string_view key, std::string_view value) override;
  void put_batch(const Pairs& pairs) override;
  bool get(std::string_view key, std::string* value) override;
  void del(std::string_view key) override;
  std::size_t scan(const ScanFn& fn) override;
  std::unique_ptr<KvReader> reader() override;
  void close() override;

 private:
  std::unique_ptr<bitcask::DB> db_;
};

}  // namespace bench
