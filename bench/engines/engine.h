// A small key-value interface over the engines the benchmarks compare, so
// the suites are engine-agnostic: one adapter class per engine
// (bench/engines/<name>_engine.{h,cpp}), each configured for its best honest
// settings at one of two durability levels:
//
//   sync = false  every write reaches the operating system before put()/del()
//                 return: a killed process loses nothing, an OS crash may lose
//                 the latest writes (bitcask SyncPolicy::None);
//   sync = true   every write is on stable storage before it returns
//                 (bitcask SyncPolicy::Always).
//
// Errors are thrown as std::runtime_error naming the engine.
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bench {

// Reads from one thread. An engine hands out one per reading thread; each
// must be destroyed before the engine is closed.
class KvReader {
 public:
  virtual ~KvReader() = default;
  // Copies the value of `key` into *value; false when absent.
  virtual bool get(std::string_view key, std::string* value) = 0;
};

class KvEngine {
 public:
  // Called for each live pair in ascending bytewise key order; return false to stop.
  using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

  virtual ~KvEngine() = default;
  virtual const char* name() const = 0;
  // Opens (creating) a database in `dir` (created when missing).
  virtual void open(const std::filesystem::path& dir, bool sync) = 0;
  virtual void put(std::string_view key, std::string_view value) = 0;
  // Writes every pair as one atomic batch of the engine (a WriteBatch, one
  // transaction), so batched writes can be compared across engines; with sync
  // the batch as a whole is on stable storage when it returns.
  using Pairs = std::vector<std::pair<std::string_view, std::string_view>>;
  virtual void put_batch(const Pairs& pairs) = 0;
  // Copies the value of `key` into *value; false when absent. From the
  // thread that opened the engine (others use reader()).
  virtual bool get(std::string_view key, std::string* value) = 0;
  // Removes `key` (absent keys are not an error).
  virtual void del(std::string_view key) = 0;
  // Visits every live pair in ascending bytewise key order; returns how many were visited.
  virtual std::size_t scan(const ScanFn& fn) = 0;
  // A reader for another thread, valid until close().
  virtual std::unique_ptr<KvReader> reader() = 0;
  // Flushes and closes; the destructor closes too.
  virtual void close() = 0;
};

// "bitcask", "leveldb", "rocksdb", "lmdb", "sqlite", in that order.
const std::vector<std::string>& engine_names();
// Throws std::invalid_argument for an unknown name.
std::unique_ptr<KvEngine> make_engine(std::string_view name);
// One line per engine: library version and the settings used.
std::string engine_description(std::string_view name);

}  // namespace bench
