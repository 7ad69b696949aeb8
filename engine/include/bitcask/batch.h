// An atomic group of writes: all of a batch is applied, or none of it, also
// across a crash (engine/FORMAT.md, "Batches"). Under SyncPolicy::Always a
// batch costs one fdatasync.
#pragma once

#include <bitcask/export.h>
#include <bitcask/record.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace bitcask {

class BITCASK_EXPORT WriteBatch {
 public:
  struct Op {
    RecordKind kind;  // kPut or kTombstone
    std::string key;
    std::string value;
  };

  void put(std::string_view key, std::string_view value) {
    next(RecordKind::kPut, key).value.assign(value);
  }
  // Adds a put of `key` and returns its value, empty, for the caller to
  // fill: a value made for the batch (a JSON text) is made in place instead
  // of copied in. The reference is valid until the batch next changes.
  std::string& put_in_place(std::string_view key) {
    std::string& value = next(RecordKind::kPut, key).value;
    value.clear();
    return value;
  }
  void remove(std::string_view key) { next(RecordKind::kTombstone, key).value.clear(); }
  // Empties the batch. The ops' strings are kept for the ops that come
  // next: a batch reused for batch after batch stops allocating once its
  // strings have grown to the sizes it sees (a fresh batch of 100 values of
  // 10 KB allocates 1 MB, and the allocator may hand it back and fault it
  // in again, batch after batch).
  void clear() { size_ = 0; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const Op> ops() const { return {ops_.data(), size_}; }

 private:
  Op& next(RecordKind kind, std::string_view key) {
    if (size_ == ops_.size()) ops_.emplace_back();
    Op& op = ops_[size_++];
    op.kind = kind;
    op.key.assign(key);
    return op;
  }

  std::vector<Op> ops_;  // the first size_ are the batch's
  std::size_t size_ = 0;
};

}  // namespace bitcask
