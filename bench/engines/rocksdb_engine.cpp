#include "engines/rocksdb_engine.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/options.h>
#include <rocksdb/table.h>
#include <rocksdb/version.h>
#include <rocksdb/write_batch.h>

#include <memory>
#include <stdexcept>

namespace bench {

namespace {

void check(const rocksdb::Status& s, const char* what) {
  if (!s.ok()) throw std::runtime_error(std::string("rocksdb ") + what + ": " + s.ToString());
}

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

bool get_from(rocksdb::DB* db, std::string_view key, std::string* value) {
  // A PinnableSlice avoids a copy inside RocksDB; the one copy out is the
  // interface's (every engine copies the value into *value).
  rocksdb::PinnableSlice pinned;
  const rocksdb::Status s =
      db->Get(rocksdb::ReadOptions(), db->DefaultColumnFamily(), slice(key), &pinned);
  if (s.IsNotFound()) return false;
  check(s, "get");
  value->assign(pinned.data(), pinned.size());
  return true;
}

class RocksDbReader final : public KvReader {
 public:
  explicit RocksDbReader(rocksdb::DB* db) : db_(db) {}
  // rocksdb::DB::Get is safe from any number of threads.
  bool get(std::string_view key, std::string* value) override { return get_from(db_, key, value); }

 private:
  rocksdb::DB* db_;
};

}  // namespace

RocksDbEngine::RocksDbEngine() = default;
RocksDbEngine::~RocksDbEngine() {
  try {
    close();
  } catch (...) {
  }
}

std::string RocksDbEngine::description() {
  return "rocksdb " + std::to_string(ROCKSDB_MAJOR) + "." + std::to_string(ROCKSDB_MINOR) + "." +
         std::to_string(ROCKSDB_PATCH) +
         ": 2 background jobs, 64 MiB write buffers (3), 64 MiB files, dynamic level sizes, "
         "256 MiB block cache, 10-bit Bloom filter, no compression; WAL on, "
         "WriteOptions.sync = false / true";
}

void RocksDbEngine::open(const std::filesystem::path& dir, bool sync) {
  close();
  std::filesystem::create_directories(dir);
  sync_ = sync;
  rocksdb::Options o;
  o.create_if_missing = true;
  o.IncreaseParallelism(2);
  o.max_background_jobs = 2;
  o.write_buffer_size = 64u << 20;
  o.max_write_buffer_number = 3;
  o.target_file_size_base = 64u << 20;
  o.max_bytes_for_level_base = 256u << 20;
  o.level_compaction_dynamic_level_bytes = true;
  o.compression = rocksdb::kNoCompression;
  o.max_open_files = 5000;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = rocksdb::NewLRUCache(256u << 20);
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  check(rocksdb::DB::Open(o, dir.string(), &db_), "open");
}

void RocksDbEngine::put(std::string_view key, std::string_view value) {
  rocksdb::WriteOptions w;
  w.sync = sync_;
  check(db_->Put(w, slice(key), slice(value)), "put");
}

void RocksDbEngine::put_batch(const Pairs& pairs) {
  rocksdb::WriteBatch batch;
  for (const auto& [key, value] : pairs) check(batch.Put(slice(key), slice(value)), "batch put");
  rocksdb::WriteOptions w;
  w.sync = sync_;
  check(db_->Write(w, &batch), "write batch");
}

bool RocksDbEngine::get(std::string_view key, std::string* value) {
  return get_from(db_, key, value);
}

void RocksDbEngine::del(std::string_view key) {
  rocksdb::WriteOptions w;
  w.sync = sync_;
  check(db_->Delete(w, slice(key)), "delete");
}

std::size_t RocksDbEngine::scan(const ScanFn& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  std::size_t n = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    ++n;
    const rocksdb::Slice k = it->key(), v = it->value();
    if (!fn({k.data(), k.size()}, {v.data(), v.size()})) break;
  }
  check(it->status(), "scan");
  return n;
}

std::unique_ptr<KvReader> RocksDbEngine::reader() { return std::make_unique<RocksDbReader>(db_); }

void RocksDbEngine::close() {
  if (db_) {
    const rocksdb::Status s = db_->Close();
    delete db_;
    db_ = nullptr;
    check(s, "close");
  }
}

}  // namespace bench
