#include "engines/sqlite_engine.h"

#include <sqlite3.h>

#include <stdexcept>

namespace bench {

namespace {

void fail(sqlite3* db, const char* what) {
  throw std::runtime_error(std::string("sqlite ") + what + ": " +
                           (db ? sqlite3_errmsg(db) : "out of memory"));
}

void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

// A connection in multi-thread mode (one thread at a time per connection:
// each reading thread gets its own), with the settings every connection uses.
sqlite3* connect(const std::filesystem::path& file) {
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      file.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    const std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    throw std::runtime_error("sqlite open " + file.string() + ": " + msg);
  }
  try {
    exec(db, "PRAGMA busy_timeout=10000");
    exec(db, "PRAGMA cache_size=-262144");    // 256 MiB page cache
    exec(db, "PRAGMA mmap_size=4294967296");  // read through mmap (capped by the build's limit)
    exec(db, "PRAGMA temp_store=MEMORY");
  } catch (...) {
    sqlite3_close(db);
    throw;
  }
  return db;
}

sqlite3_stmt* prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK)
    fail(db, sql);
  return st;
}

void bind(sqlite3* db, sqlite3_stmt* st, int i, std::string_view s) {
  if (sqlite3_bind_blob(st, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC) != SQLITE_OK)
    fail(db, "bind");
}

// Runs a statement that returns no rows, and resets it.
void run(sqlite3* db, sqlite3_stmt* st, const char* what) {
  const int rc = sqlite3_step(st);
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) fail(db, what);
}

bool get_with(sqlite3* db, sqlite3_stmt* st, std::string_view key, std::string* value) {
  bind(db, st, 1, key);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_ROW) {
    const void* p = sqlite3_column_blob(st, 0);
    const int n = sqlite3_column_bytes(st, 0);
    value->assign(static_cast<const char*>(p), static_cast<std::size_t>(n));
    sqlite3_reset(st);
    return true;
  }
  sqlite3_reset(st);
  if (rc != SQLITE_DONE) fail(db, "get");
  return false;
}

constexpr const char* kGet = "SELECT v FROM kv WHERE k = ?1";

class SqliteReader final : public KvReader {
 public:
  explicit SqliteReader(const std::filesystem::path& file) : db_(connect(file)) {
    try {
      get_ = prepare(db_, kGet);
    } catch (...) {
      sqlite3_close(db_);
      throw;
    }
  }
  ~SqliteReader() override {
    sqlite3_finalize(get_);
    sqlite3_close(db_);
  }
  bool get(std::string_view key, std::string* value) override {
    return get_with(db_, get_, key, value);
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* get_ = nullptr;
};

}  // namespace

SqliteEngine::SqliteEngine() = default;
SqliteEngine::~SqliteEngine() {
  try {
    close();
  } catch (...) {
  }
}

std::string SqliteEngine::description() {
  return std::string("sqlite ") + sqlite3_libversion() +
         ": table kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID, WAL, 8 KiB pages, prepared "
         "statements (upsert, select, delete; one transaction per statement), 256 MiB cache, mmap "
         "reads, "
         "a connection per reading thread; synchronous = OFF / FULL";
}

void SqliteEngine::open(const std::filesystem::path& dir, bool sync) {
  close();
  std::filesystem::create_directories(dir);
  file_ = dir / "kv.sqlite";
  db_ = connect(file_);
  try {
    // 8 KiB pages: with 4 KiB ones a 1 KB row of a WITHOUT ROWID table overflows its leaf
    // (at most about 1,000 bytes are kept in the page), which doubles the pages read and
    // written; 8 KiB pages were the fastest for 100 B, 1 KB and 10 KB values here.
    exec(db_, "PRAGMA page_size=8192");
    exec(db_, "PRAGMA journal_mode=WAL");
    exec(db_, sync ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=OFF");
    exec(db_, "CREATE TABLE IF NOT EXISTS kv(k BLOB PRIMARY KEY, v BLOB) WITHOUT ROWID");
    put_ = prepare(
        db_, "INSERT INTO kv(k, v) VALUES(?1, ?2) ON CONFLICT(k) DO UPDATE SET v = excluded.v");
    get_ = prepare(db_, kGet);
    del_ = prepare(db_, "DELETE FROM kv WHERE k = ?1");
    scan_ = prepare(db_, "SELECT k, v FROM kv ORDER BY k");
  } catch (...) {
    close();
    throw;
  }
}

void SqliteEngine::put(std::string_view key, std::string_view value) {
  bind(db_, put_, 1, key);
  bind(db_, put_, 2, value);
  run(db_, put_, "put");
}

// The upserts in one explicit transaction (a single WAL commit, one sync with FULL).
void SqliteEngine::put_batch(const Pairs& pairs) {
  exec(db_, "BEGIN IMMEDIATE");
  try {
    for (const auto& [key, value] : pairs) {
      bind(db_, put_, 1, key);
      bind(db_, put_, 2, value);
      run(db_, put_, "batch put");
    }
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
  exec(db_, "COMMIT");
}

bool SqliteEngine::get(std::string_view key, std::string* value) {
  return get_with(db_, get_, key, value);
}

void SqliteEngine::del(std::string_view key) {
  bind(db_, del_, 1, key);
  run(db_, del_, "delete");
}

std::size_t SqliteEngine::scan(const ScanFn& fn) {
  std::size_t n = 0;
  int rc;
  while ((rc = sqlite3_step(scan_)) == SQLITE_ROW) {
    ++n;
    const auto* k = static_cast<const char*>(sqlite3_column_blob(scan_, 0));
    const auto kn = static_cast<std::size_t>(sqlite3_column_bytes(scan_, 0));
    const auto* v = static_cast<const char*>(sqlite3_column_blob(scan_, 1));
    const auto vn = static_cast<std::size_t>(sqlite3_column_bytes(scan_, 1));
    if (!fn({k, kn}, {v, vn})) {
      rc = SQLITE_DONE;
      break;
    }
  }
  sqlite3_reset(scan_);
  if (rc != SQLITE_DONE) fail(db_, "scan");
  return n;
}

std::unique_ptr<KvReader> SqliteEngine::reader() { return std::make_unique<SqliteReader>(file_); }

void SqliteEngine::close() {
  for (sqlite3_stmt** st : {&put_, &get_, &del_, &scan_}) {
    sqlite3_finalize(*st);
    *st = nullptr;
  }
  if (db_) {
    const int rc = sqlite3_close(db_);
    db_ = nullptr;
    if (rc != SQLITE_OK) throw std::runtime_error("sqlite close: busy (a reader is still open)");
  }
}

}  // namespace bench
