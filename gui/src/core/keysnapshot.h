// The keys of a view in key order, held compactly: one arena of key bytes and
// a 4-byte end offset per key, so a table over 10M keys costs the keys' bytes
// + 4 bytes a key (an std::string per key would cost 32 bytes + heap blocks).
// The key table keeps one of these instead of paging, so it knows every row at
// once: the scrollbar, Ctrl+End and a sort cover all keys.
//
// Built off the GUI thread by loadKeySnapshotTask and then owned by the GUI
// thread; background sorts read it (shared, const) while no edit touches it.
#pragma once

#include <QPromise>
#include <QString>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/database.h"

namespace bb {

class KeySnapshot {
 public:
  std::size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::string_view key(std::size_t i) const {
    const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
    return {arena_.data() + begin, ends_[i] - begin};
  }
  // The index of the first key not less than `key` (size() when none).
  std::size_t lowerBound(std::string_view key) const;
  // The index of `key`, or -1.
  std::int64_t indexOf(std::string_view key) const;

  // Room for `keys` keys of `bytes` bytes in all.
  void reserve(std::size_t keys, std::size_t bytes);
  // Appends a key greater than every key held. False when the arena is full
  // (4 GiB of key bytes: the offsets are 32-bit).
  bool append(std::string_view key);
  // Inserts `key` at index `i` / removes index `i` (moves the keys after it).
  bool insert(std::size_t i, std::string_view key);
  void erase(std::size_t i);

  // Bytes held (arena and offsets, as allocated).
  std::uint64_t memoryBytes() const {
    return arena_.capacity() + ends_.capacity() * sizeof(std::uint32_t);
  }

 private:
  std::string arena_;
  std::vector<std::uint32_t> ends_;  // ends_[i]: one past key i's last byte
};

using KeySnapshotPtr = std::shared_ptr<KeySnapshot>;

struct KeySnapshotResult {
  KeySnapshotPtr keys;
  QString error;  // the engine's message when the scan failed
};

// Reads every live key beginning with `prefix` from the index, a page at a
// time (writers go on between pages). `expected` (the count when started)
// sizes the arena up front. Progress 0..1000; cancel between pages.
void loadKeySnapshotTask(QPromise<KeySnapshotResult>& promise, DbPtr db, std::string prefix,
                         quint64 expected);

}  // namespace bb
