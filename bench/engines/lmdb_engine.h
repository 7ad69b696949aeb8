// LMDB (Debian liblmdb-dev), through its C API.
#pragma once

#include "engines/engine.h"

struct MDB_env;
struct MDB_txn;

namespace bench {

class LmdbEngine final : public KvEngine {
 public:
  LmdbEngine();
  ~LmdbEngine() override;
  static std::string description();

  const char* name() const override { return "lmdb"; }
  void open(const std::filesystem::path& dir, bool sync) override;
  void put(std::string_view key, std::string_view value) override;
  void put_batch(const Pairs& pairs) override;
  bool get(std::string_view key, std::string* value) override;
  void del(std::string_view key) override;
  std::size_t scan(const ScanFn& fn) override;
  std::unique_ptr<KvReader> reader() override;
  void close() override;

 private:
  MDB_env* env_ = nullptr;
  unsigned int dbi_ = 0;
  std::unique_ptr<KvReader> own_reader_;  // get() from the opening thread
};

}  // namespace bench
