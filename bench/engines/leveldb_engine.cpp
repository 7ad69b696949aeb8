#include "engines/leveldb_engine.h"

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/write_batch.h>

#include <memory>
#include <stdexcept>

namespace bench {

namespace {

void check(const leveldb::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string("leveldb ") + what + ": " + s.ToString());
}

leveldb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

class LevelDbReader final : public KvReader {
 public:
  explicit LevelDbReader(leveldb::DB* db) : db_(db) {}
  // leveldb::DB::Get is safe from any number of threads.
  bool get(std::string_view key, std::string* value) override {
    const leveldb::Status s = db_->Get(leveldb::ReadOptions(), slice(key), value);
    if (s.IsNotFound()) return false;
    check(s, "get");
    return true;
  }

 private:
  leveldb::DB* db_;
};

}  // namespace

LevelDbEngine::LevelDbEngine() = default;
LevelDbEngine::~LevelDbEngine() {
  try {
    close();
  } catch (...) {
  }
}

std::string LevelDbEngine::description() {
  return "leveldb " + std::to_string(leveldb::kMajorVersion) + "." +
         std::to_string(leveldb::kMinorVersion) +
         ": 64 MiB write buffer, 256 MiB block cache, 10-bit Bloom filter, no compression "
         "(the values are random text); WriteOptions.sync = false / true";
}

void LevelDbEngine::open(const std::filesystem::path& dir, bool sync) {
  close();
  std::filesystem::create_directories(dir);
  sync_ = sync;
  cache_ = leveldb::NewLRUCache(256u << 20);
  filter_ = leveldb::NewBloomFilterPolicy(10);
  leveldb::Options o;
  o.create_if_missing = true;
  o.write_buffer_size = 64u << 20;
  o.block_cache = cache_;
  o.filter_policy = filter_;
  o.compression = leveldb::kNoCompression;
  o.max_open_files = 5000;
  check(leveldb::DB::Open(o, dir.string(), &db_), "open");
}

void LevelDbEngine::put(std::string_view key, std::string_view value) {
  leveldb::WriteOptions w;
  w.sync = sync_;
  check(db_->Put(w, slice(key), slice(value)), "put");
}

void LevelDbEngine::put_batch(const Pairs& pairs) {
  leveldb::WriteBatch batch;
  for (const auto& [key, value] : pairs) batch.Put(slice(key), slice(value));
  leveldb::WriteOptions w;
  w.sync = sync_;
  check(db_->Write(w, &batch), "write batch");
}

bool LevelDbEngine::get(std::string_view key, std::string* value) {
  const leveldb::Status s = db_->Get(leveldb::ReadOptions(), slice(key), value);
  if (s.IsNotFound()) return false;
  check(s, "get");
  return true;
}

void LevelDbEngine::del(std::string_view key) {
  leveldb::WriteOptions w;
  w.sync = sync_;
  check(db_->Delete(w, slice(key)), "delete");
}

std::size_t LevelDbEngine::scan(const ScanFn& fn) {
  std::unique_ptr<leveldb::Iterator> it(db_->NewIterator(leveldb::ReadOptions()));
  std::size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++n;
    const leveldb::Slice k = it->key(), v = it->value();
    if (!fn({k.data(), k.size()}, {v.data(), v.size()})) break;
  }
  check(it->status(), "scan");
  return n;
}

std::unique_ptr<KvReader> LevelDbEngine::reader() { return std::make_unique<LevelDbReader>(db_); }

void LevelDbEngine::close() {
  delete db_;
  db_ = nullptr;
  delete cache_;
  cache_ = nullptr;
  delete filter_;
  filter_ = nullptr;
}

}  // namespace bench
