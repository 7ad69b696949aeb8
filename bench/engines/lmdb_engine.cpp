#include "engines/lmdb_engine.h"

#include <lmdb.h>

#include <stdexcept>

namespace bench {

namespace {

// Address space reserved for the map. Only touched pages take memory or disk
// (the file is sparse); the largest benchmark database needs about 2 GiB.
constexpr std::size_t kMapSize = 16ull << 30;

void check(int rc, const char* what) {
  if (rc != MDB_SUCCESS)
    throw std::runtime_error(std::string("lmdb ") + what + ": " + mdb_strerror(rc));
}

MDB_val val(std::string_view s) { return {s.size(), const_cast<char*>(s.data())}; }

// A read-only transaction kept between reads in the reset state and renewed
// for each get (LMDB's recommended pattern for repeated reads; MDB_NOTLS lets
// it belong to this object rather than to a thread).
class LmdbReader final : public KvReader {
 public:
  LmdbReader(MDB_env* env, MDB_dbi dbi) : dbi_(dbi) {
    check(mdb_txn_begin(env, nullptr, MDB_RDONLY, &txn_), "begin read");
    mdb_txn_reset(txn_);
  }
  ~LmdbReader() override { mdb_txn_abort(txn_); }
  bool get(std::string_view key, std::string* value) override {
    check(mdb_txn_renew(txn_), "renew read");
    MDB_val k = val(key), v;
    const int rc = mdb_get(txn_, dbi_, &k, &v);
    if (rc == MDB_SUCCESS) value->assign(static_cast<const char*>(v.mv_data), v.mv_size);
    mdb_txn_reset(txn_);
    if (rc == MDB_NOTFOUND) return false;
    check(rc, "get");
    return true;
  }

 private:
  MDB_txn* txn_ = nullptr;
  MDB_dbi dbi_;
};

}  // namespace

LmdbEngine::LmdbEngine() = default;
LmdbEngine::~LmdbEngine() {
  try {
    close();
  } catch (...) {
  }
}

std::string LmdbEngine::description() {
  return std::string(MDB_VERSION_STRING) +
         ": one write transaction per put/delete; no sync: MDB_WRITEMAP | MDB_NOSYNC (the map is "
         "shared with the page cache, so a killed process loses nothing; an OS crash may lose "
         "the latest commits); sync: default flags (data and meta page synced on every commit); "
         "MDB_NOTLS, reads in a renewed read-only transaction";
}

void LmdbEngine::open(const std::filesystem::path& dir, bool sync) {
  close();
  std::filesystem::create_directories(dir);
  check(mdb_env_create(&env_), "env create");
  try {
    check(mdb_env_set_mapsize(env_, kMapSize), "set mapsize");
    unsigned flags = MDB_NOTLS;
    if (!sync) flags |= MDB_WRITEMAP | MDB_NOSYNC;
    check(mdb_env_open(env_, dir.c_str(), flags, 0644), "open");
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env_, nullptr, 0, &txn), "begin");
    MDB_dbi dbi = 0;
    const int rc = mdb_dbi_open(txn, nullptr, 0, &dbi);
    if (rc != MDB_SUCCESS) mdb_txn_abort(txn);
    check(rc, "dbi open");
    check(mdb_txn_commit(txn), "commit");
    dbi_ = dbi;
    own_reader_ = std::make_unique<LmdbReader>(env_, dbi_);
  } catch (...) {
    mdb_env_close(env_);
    env_ = nullptr;
    throw;
  }
}

void LmdbEngine::put(std::string_view key, std::string_view value) {
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env_, nullptr, 0, &txn), "begin");
  MDB_val k = val(key), v = val(value);
  const int rc = mdb_put(txn, dbi_, &k, &v, 0);
  if (rc != MDB_SUCCESS) mdb_txn_abort(txn);
  check(rc, "put");
  check(mdb_txn_commit(txn), "commit");
}

bool LmdbEngine::get(std::string_view key, std::string* value) {
  return own_reader_->get(key, value);
}

// One write transaction for the whole batch.
void LmdbEngine::put_batch(const Pairs& pairs) {
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env_, nullptr, 0, &txn), "begin");
  for (const auto& [key, value] : pairs) {
    MDB_val k = val(key), v = val(value);
    const int rc = mdb_put(txn, dbi_, &k, &v, 0);
    if (rc != MDB_SUCCESS) mdb_txn_abort(txn);
    check(rc, "batch put");
  }
  check(mdb_txn_commit(txn), "commit");
}

void LmdbEngine::del(std::string_view key) {
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env_, nullptr, 0, &txn), "begin");
  MDB_val k = val(key);
  const int rc = mdb_del(txn, dbi_, &k, nullptr);
  if (rc != MDB_SUCCESS && rc != MDB_NOTFOUND) {
    mdb_txn_abort(txn);
    check(rc, "delete");
  }
  check(mdb_txn_commit(txn), "commit");
}

std::size_t LmdbEngine::scan(const ScanFn& fn) {
  MDB_txn* txn = nullptr;
  check(mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn), "begin read");
  MDB_cursor* cur = nullptr;
  int rc = mdb_cursor_open(txn, dbi_, &cur);
  if (rc != MDB_SUCCESS) mdb_txn_abort(txn);
  check(rc, "cursor");
  std::size_t n = 0;
  MDB_val k, v;
  for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == MDB_SUCCESS;
       rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
    ++n;
    if (!fn({static_cast<const char*>(k.mv_data), k.mv_size},
            {static_cast<const char*>(v.mv_data), v.mv_size})) {
      rc = MDB_NOTFOUND;
      break;
    }
  }
  mdb_cursor_close(cur);
  mdb_txn_abort(txn);
  if (rc != MDB_NOTFOUND) check(rc, "scan");
  return n;
}

std::unique_ptr<KvReader> LmdbEngine::reader() { return std::make_unique<LmdbReader>(env_, dbi_); }

void LmdbEngine::close() {
  own_reader_.reset();
  if (env_) {
    mdb_env_close(env_);
    env_ = nullptr;
  }
}

}  // namespace bench
