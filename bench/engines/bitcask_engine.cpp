#include "engines/bitcask_engine.h"

#include <bitcask/db.h>
#include <bitcask/version.h>

#include <limits>

namespace bench {

namespace {

class BitcaskReader final : public KvReader {
 public:
  explicit BitcaskReader(const bitcask::DB* db) : db_(db) {}
  // bitcask::DB is safe to read from any number of threads.
  bool get(std::string_view key, std::string* value) override { return db_->get(key, value); }

 private:
  const bitcask::DB* db_;
};

}  // namespace

BitcaskEngine::BitcaskEngine() = default;
BitcaskEngine::~BitcaskEngine() {
  try {
    close();
  } catch (...) {
  }
}

std::string BitcaskEngine::description() {
  return std::string("bitcask ") + bitcask::kVersion +
         ": default Options (CRC-32C verified on every read, 256 MiB segments, no compression); "
         "SyncPolicy::None / SyncPolicy::Always";
}

void BitcaskEngine::open(const std::filesystem::path& dir, bool sync) {
  close();
  bitcask::Options o;
  o.sync = sync ? bitcask::SyncPolicy::Always : bitcask::SyncPolicy::None;
  db_ = bitcask::DB::open(dir, o);
}

void BitcaskEngine::put(std::string_view key, std::string_view value) { db_->put(key, value); }

void BitcaskEngine::put_batch(const Pairs& pairs) {
  bitcask::WriteBatch batch;
  for (const auto& [key, value] : pairs) batch.put(key, value);
  db_->write(batch);
}

bool BitcaskEngine::get(std::string_view key, std::string* value) { return db_->get(key, value); }

void BitcaskEngine::del(std::string_view key) { db_->remove(key); }

std::size_t scan_in_key_order(const bitcask::DB& db, const KvEngine::ScanFn& fn) {
  // Key and value viewed in place, a page at a time (DB::scan_values).
  bitcask::ScanOptions s;
  s.limit = std::numeric_limits<std::size_t>::max();
  return db.scan_values(s, fn);
}

std::size_t BitcaskEngine::scan(const ScanFn& fn) { return scan_in_key_order(*db_, fn); }

std::unique_ptr<KvReader> BitcaskEngine::reader() {
  return std::make_unique<BitcaskReader>(db_.get());
}

void BitcaskEngine::close() {
  if (db_) {
    db_->close();
    db_.reset();
  }
}

}  // namespace bench
