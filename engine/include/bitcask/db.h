// The raw byte API: keys and values are arbitrary bytes.
//
//   bitcask::Options opts;
//   auto db = bitcask::DB::open("dir", opts);   // throws bitcask::Error
//   db->put("k", "v");
//   std::string v;
//   if (db->get("k", &v)) { ... }
//
// A DB is safe to use from any number of threads: reads run in parallel with
// each other and with writes; writes are serialised.
#pragma once

#include <bitcask/batch.h>
#include <bitcask/export.h>
#include <bitcask/merge.h>
#include <bitcask/options.h>
#include <bitcask/record.h>
#include <bitcask/recovery.h>
#include <bitcask/stats.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bitcask {

// The on-disk layout a directory was recognised as.
// Foreign layouts are read in place, read-only, and never changed (no hint,
// lock or marker is written into them); `bitcask import` converts them.
enum class DataFormat {
  kNative,         // this engine's format (engine/FORMAT.md)
  kPythonBitcask,  // written by pybitcask, any released layout
  kBasho,          // written by Basho bitcask (Riak KV's backend)
};

// One key of an ordered scan with where its live value lives.
struct BITCASK_EXPORT KeyEntry {
  std::string key;
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;
  std::uint32_t value_size = 0;  // as stored (compressed size when compressed)
  std::uint64_t timestamp_us = 0;
  std::uint64_t expires_at_us = 0;  // 0: never
  bool expired = false;             // only with ScanOptions::include_expired
  bool compressed = false;
};

// One version of a key still on disk (until a merge removes it).
struct BITCASK_EXPORT KeyVersion {
  std::uint32_t segment = 0;
  std::uint64_t offset = 0;
  std::uint32_t record_size = 0;
  RecordKind kind = RecordKind::kPut;  // kPut or kTombstone
  std::uint64_t timestamp_us = 0;
  std::uint32_t value_size = 0;     // as stored
  std::uint64_t expires_at_us = 0;  // 0: never
  bool live = false;                // the version get() returns
  // Fails its checksum: the header and key still read (see Problem::key),
  // the value cannot be trusted; read_version() throws kCorruption for it.
  bool damaged = false;
};

// Which keys a scan visits, in key (bytewise) order.
struct BITCASK_EXPORT ScanOptions {
  std::string start;             // first key visited (inclusive); empty: the first
  bool exclusive_start = false;  // skip `start` itself (for paging)
  std::string prefix;            // only keys beginning with this
  bool reverse = false;          // descending order; `start` is then the upper end
  std::size_t limit = 100;       // at most this many entries
  bool include_expired = false;  // also keys whose time-to-live has passed
};

class BITCASK_EXPORT DB {
 public:
  // Opens `dir`, creating it when Options::create_if_missing allows. Throws
  // Error: kNotFound, kNotADatabase, kLocked, kPermissionDenied, kIo, ...
  static std::unique_ptr<DB> open(const std::filesystem::path& dir, const Options& options = {});

  virtual ~DB();
  DB(const DB&) = delete;
  DB& operator=(const DB&) = delete;

  // Writes `value` under `key`. Empty keys and sizes over kMaxKeySize /
  // kMaxValueSize are refused with kInvalidArgument.
  virtual void put(std::string_view key, std::string_view value) = 0;
  // As put(), with the value given in parts stored one after the other (as
  // RocksDB's SliceParts): a caller that frames a value, such as quotes
  // around a JSON string, writes it without first joining it into a copy.
  virtual void put_parts(std::string_view key, std::span<const std::string_view> value_parts) = 0;
  // As put(), and the key reads as absent once `ttl` has passed (a merge
  // then drops it).
  virtual void put_with_ttl(std::string_view key, std::string_view value,
                            std::chrono::milliseconds ttl) = 0;
  // Writes a tombstone. Returns whether the key existed.
  virtual bool remove(std::string_view key) = 0;
  // Reads the live value of `key` into *value. Returns false when absent.
  // Throws kCorruption when the record fails its checksum.
  virtual bool get(std::string_view key, std::string* value) const = 0;
  std::optional<std::string> get(std::string_view key) const;
  // Reads at most `max_bytes` of the live value of `key` into *prefix and
  // its whole size into *value_size, without copying the rest (a preview of
  // a 100 MB value copies a few KB). The record is checked as get() checks
  // it. Returns false when absent.
  virtual bool get_prefix(std::string_view key, std::size_t max_bytes, std::string* prefix,
                          std::uint64_t* value_size) const = 0;
  virtual bool contains(std::string_view key) const = 0;
  // Applies every operation of `batch` in order, atomically: readers and
  // recovery see all of it or none. A batch encodes to at most
  // kMaxBatchBytes; validation of every key and value happens before
  // anything is written.
  virtual void write(const WriteBatch& batch) = 0;

  // Live keys in order, a page at a time (copies only what it returns).
  virtual std::vector<KeyEntry> scan(const ScanOptions& options) const = 0;
  // Live keys in order with their values, as `options` asks (at most
  // options.limit pairs), calling `visit` for each until it returns false.
  // Returns the number of pairs visited. Nothing is copied where the value
  // is stored as it is: the views point into the mapped segment, and are
  // valid during the call only. Each value is checked as get() checks it.
  // `visit` runs without the database's lock held (it may call the
  // database, and writers are not held up for the whole walk); a key written
  // during the walk is seen with its old or its new value.
  using ScanVisitor = std::function<bool(std::string_view key, std::string_view value)>;
  virtual std::size_t scan_values(const ScanOptions& options, const ScanVisitor& visit) const = 0;
  // Number of live keys beginning with `prefix` (all keys when empty).
  virtual std::uint64_t count(std::string_view prefix = {}) const = 0;
  // Live keys (expired ones not counted).
  virtual std::uint64_t size() const = 0;

  // Makes every acknowledged write durable now, whatever the sync policy.
  virtual void sync() = 0;
  // Flushes, syncs and releases the lock. Further calls throw kClosed.
  // Called by the destructor (errors there are swallowed: call close() to
  // see them).
  virtual void close() = 0;

  virtual Stats stats() const = 0;
  virtual const RecoveryReport& recovery_report() const = 0;
  virtual DataFormat format() const = 0;
  // Who wrote the directory, for people: "Bitcask Browser (native)",
  // "pybitcask (protobuf, 7 files)", "Basho bitcask (3 data files)".
  virtual std::string format_description() const = 0;
  // Non-empty when another program may be changing the directory while it
  // is read (a Riak node's bitcask.write.lock): say so to the user.
  virtual std::string live_writer_warning() const = 0;
  virtual bool read_only() const = 0;
  virtual const std::filesystem::path& path() const = 0;

  // Every version of `key` still in the segments, oldest first: older
  // values, tombstones, and the live one. Reads the segments (not values of
  // other keys' records), without blocking writers.
  virtual std::vector<KeyVersion> history(std::string_view key) const = 0;
  // The value of the version at (segment, offset), checksum verified;
  // nullopt for a tombstone. Throws kInvalidArgument when no record starts
  // there, kCorruption when it fails its checksum.
  virtual std::optional<std::string> read_version(std::uint32_t segment,
                                                  std::uint64_t offset) const = 0;

  // Ids of the segments, oldest first.
  virtual std::vector<std::uint32_t> segment_ids() const = 0;
  // Reads records of one segment from `offset` (0: the first record) in file
  // order, calling `visit` for each until it returns false or `limit` records
  // were visited. Returns the offset after the last record visited (pass it
  // back to continue), or the file size at the end. Damaged regions are
  // reported as records with checksum_ok = false.
  virtual std::uint64_t read_records(std::uint32_t segment, std::uint64_t offset, std::size_t limit,
                                     const std::function<bool(const RecordInfo&)>& visit) const = 0;
  // Verifies every record of every segment against its checksum, and every
  // hint file. Returns the problems found (empty when the database is sound).
  // `progress` (bytes done, bytes in all) is called as it goes; returning
  // false stops it with Error(kCancelled).
  virtual std::vector<Problem> verify(
      const std::function<bool(std::uint64_t done, std::uint64_t total)>& progress = {}) const = 0;
  // The raw bytes [offset, offset + length) of a segment file, for hex
  // views. Throws kInvalidArgument outside the segment.
  virtual std::string read_raw(std::uint32_t segment, std::uint64_t offset,
                               std::uint32_t length) const = 0;
  // The parts of the record at (segment, offset) in its file's layout:
  // header or framing, key and value where they lie as stored bytes. A
  // layout that escapes its keys or values (JSON lines) gives the whole
  // record as one part. Throws kCorruption when no record decodes there.
  virtual std::vector<RecordPart> record_parts(std::uint32_t segment,
                                               std::uint64_t offset) const = 0;

  // Compacts sealed segments (bitcask/merge.h). Reads and writes go on
  // meanwhile. Only one merge runs at a time; a second caller waits.
  virtual MergeResult merge(const MergeOptions& options = {}) = 0;
  // Whether Options::merge_thresholds say a merge is due.
  virtual bool merge_recommended() const = 0;

 protected:
  DB() = default;
};

}  // namespace bitcask
