// SQLite (Debian libsqlite3-dev) as a key-value table, through its C API.
#pragma once

#include "engines/engine.h"

struct sqlite3;
struct sqlite3_stmt;

namespace bench {

class SqliteEngine final : public KvEngine {
 public:
  SqliteEngine();
  ~SqliteEngine() override;
  static std::string description();

  const char* name() const override { return "sqlite"; }
  void open(const std::filesystem::path& dir, bool sync) override;
  void put(std::string_view key, std::string_view value) override;
  void put_batch(const Pairs& pairs) override;
  bool get(std::string_view key, std::string* value) override;
  void del(std::string_view key) override;
  std::size_t scan(const ScanFn& fn) override;
  std::unique_ptr<KvReader> reader() override;
  void close() override;

 private:
  std::filesystem::path file_;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* put_ = nullptr;
  sqlite3_stmt* get_ = nullptr;
  sqlite3_stmt* del_ = nullptr;
  sqlite3_stmt* scan_ = nullptr;
};

}  // namespace bench
