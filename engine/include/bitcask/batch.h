// An atomic group of writes: all of a batch is applied, or none of it, also
// across a crash (engine/FORMAT.md, "Batches"). Under SyncPolicy::Always a
// batch costs one fdatasync.
#pragma once

#include <bitcask/export.h>
#include <bitcask/record.h>

#include <cstddef>
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
    ops_.push_back({RecordKind::kPut, std::string(key), std::string(value)});
  }
  // Adds a put of `key` and returns its value, empty, for the caller to
  // fill: a value made for the batch (a JSON text) is made in place instead
  // of copied in. The reference is valid until the batch next changes.
  std::string& put_in_place(std::string_view key) {
    return ops_.emplace_back(Op{RecordKind::kPut, std::string(key), {}}).value;
  }
  void remove(std::string_view key) {
    ops_.push_back({RecordKind::kTombstone, std::string(key), {}});
  }
  void clear() { ops_.clear(); }
  std::size_t size() const { return ops_.size(); }
  bool empty() const { return ops_.empty(); }
  const std::vector<Op>& ops() const { return ops_; }

 private:
  std::vector<Op> ops_;
};

}  // namespace bitcask
