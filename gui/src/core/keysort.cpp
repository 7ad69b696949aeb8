#include "core/keysort.h"

#include <bitcask/error.h>

#include <algorithm>
#include <functional>
#include <limits>
#include <unordered_map>

namespace bb {

namespace {

constexpr std::size_t kScanPage = 32768;
// Up to this many distinct values (2-byte ids) a counting sort orders the rows (sizes and
// segments nearly always; times of batched writes often): linear time, 6 bytes a row. Past
// it, a comparison sort of the gathered values (12 to 16 bytes a row).
constexpr std::size_t kMaxCountedValues = 1 << 16;

std::uint64_t fieldOf(const bitcask::KeyEntry& e, SortField field) {
  switch (field) {
    case SortField::kSize:
      return e.value_size;
    case SortField::kTimestamp:
      return e.timestamp_us;
    case SortField::kSegment:
      return e.segment;
  }
  return 0;
}

#pragma pack(push, 4)
// A 64-bit value (microseconds) and the row: 12 bytes.
struct Stamped {
  std::uint64_t t;
  std::uint32_t i;
  bool operator<(const Stamped& o) const { return t != o.t ? t < o.t : i < o.i; }
};
#pragma pack(pop)

// Visits every row in row order with its field: from the list's entries, or read beside the
// snapshot. Progress from `from` to `to`. False when cancelled, failed (*error set) or
// stopped by `visit`.
class RowWalk {
 public:
  RowWalk(QPromise<KeySortResult>& promise, const DbPtr& db, const KeySnapshot* keys,
          std::string prefix, const std::vector<bitcask::KeyEntry>* list, SortField field)
      : promise_(promise),
        db_(db),
        keys_(keys),
        prefix_(std::move(prefix)),
        list_(list),
        field_(field) {}

  std::size_t rows() const { return keys_ ? keys_->size() : (list_ ? list_->size() : 0); }

  bool run(int from, int to, const std::function<bool(std::size_t, std::uint64_t)>& visit,
           QString* error) {
    const std::size_t n = rows();
    auto progress = [&](std::size_t at) {
      promise_.setProgressValue(
          from + int(std::uint64_t(at) * std::uint64_t(to - from) / std::max<std::size_t>(n, 1)));
    };
    if (list_) {
      for (std::size_t i = 0; i < n; ++i) {
        if (!visit(i, fieldOf((*list_)[i], field_))) return false;
      }
      progress(n);
      return true;
    }
    // The snapshot and the index are both in key order: walk them side by side. A key gone
    // from the index since the snapshot was taken sorts as 0 (its removal reaches the model
    // as an edit and takes its row away).
    bitcask::ScanOptions options;
    options.prefix = prefix_;
    options.limit = kScanPage;
    std::size_t at = 0;
    try {
      while (at < n) {
        if (promise_.isCanceled()) return false;
        const auto page = db_->scan(options);
        for (const auto& e : page) {
          while (at < n && keys_->key(at) < e.key) {
            if (!visit(at++, 0)) return false;
          }
          if (at < n && keys_->key(at) == e.key) {
            if (!visit(at++, fieldOf(e, field_))) return false;
          }
        }
        progress(at);
        if (page.size() < options.limit) break;
        options.start = page.back().key;
        options.exclusive_start = true;
      }
    } catch (const bitcask::Error& e) {
      *error = QString::fromStdString(e.what());
      return false;
    }
    while (at < n) {
      if (!visit(at++, 0)) return false;
    }
    return true;
  }

 private:
  QPromise<KeySortResult>& promise_;
  const DbPtr& db_;
  const KeySnapshot* keys_;
  std::string prefix_;
  const std::vector<bitcask::KeyEntry>* list_;
  SortField field_;
};

// A counting sort in one walk: each row's value is noted as a 2-byte id (the order values
// were first met in), then each row is put in its place. Needs 6 bytes a row at its peak
// (the ids and the result). Null past kMaxCountedValues distinct values (the caller sorts
// the other way).
RowOrder countingSort(RowWalk& walk, bool descending, QString* error) {
  const std::size_t n = walk.rows();
  std::unordered_map<std::uint64_t, std::uint16_t> idOf;
  std::vector<std::uint64_t> valueOf;
  std::vector<quint32> count;
  std::vector<std::uint16_t> ids(n);
  if (!walk.run(
          0, 800,
          [&](std::size_t row, std::uint64_t v) {
            auto [it, added] = idOf.try_emplace(v, std::uint16_t(valueOf.size()));
            if (added) {
              if (valueOf.size() == kMaxCountedValues) return false;
              valueOf.push_back(v);
              count.push_back(0);
            }
            ++count[it->second];
            ids[row] = it->second;
            return true;
          },
          error)) {
    return nullptr;
  }
  std::vector<std::uint32_t> byValue(valueOf.size());
  for (std::size_t i = 0; i < byValue.size(); ++i) byValue[i] = std::uint32_t(i);
  std::sort(byValue.begin(), byValue.end(), [&](std::uint32_t a, std::uint32_t b) {
    return descending ? valueOf[a] > valueOf[b] : valueOf[a] < valueOf[b];
  });
  std::vector<quint32> next(valueOf.size());
  quint32 at = 0;
  for (std::uint32_t id : byValue) {
    next[id] = at;
    at += count[id];
  }
  auto rows = std::make_shared<std::vector<quint32>>(n);
  for (std::size_t i = 0; i < n; ++i) (*rows)[next[ids[i]]++] = quint32(i);
  return rows;
}

// A comparison sort of the gathered values and rows.
template <typename T>
RowOrder comparisonSort(QPromise<KeySortResult>& promise, RowWalk& walk, bool descending,
                        QString* error) {
  const std::size_t n = walk.rows();
  auto rows = std::make_shared<std::vector<quint32>>();
  if constexpr (sizeof(T) == 4) {
    // A 32-bit value and the row in one integer: plain uint64s sort several times faster
    // than an indirect sort.
    std::vector<std::uint64_t> packed(n);
    if (!walk.run(
            0, 800,
            [&](std::size_t i, std::uint64_t v) {
              const auto f = std::uint32_t(descending ? ~v : v);
              packed[i] = (std::uint64_t(f) << 32) | std::uint32_t(i);
              return true;
            },
            error)) {
      return nullptr;
    }
    if (promise.isCanceled()) return nullptr;
    std::sort(packed.begin(), packed.end());
    rows->resize(n);
    for (std::size_t r = 0; r < n; ++r) (*rows)[r] = quint32(packed[r]);
  } else {
    std::vector<Stamped> stamped(n);
    if (!walk.run(
            0, 800,
            [&](std::size_t i, std::uint64_t v) {
              stamped[i] = {descending ? ~v : v, std::uint32_t(i)};
              return true;
            },
            error)) {
      return nullptr;
    }
    if (promise.isCanceled()) return nullptr;
    std::sort(stamped.begin(), stamped.end());
    rows->resize(n);
    for (std::size_t r = 0; r < n; ++r) (*rows)[r] = stamped[r].i;
  }
  return rows;
}

}  // namespace

void sortKeysTask(QPromise<KeySortResult>& promise, DbPtr db,
                  std::shared_ptr<const KeySnapshot> keys, std::string prefix,
                  std::shared_ptr<const std::vector<bitcask::KeyEntry>> list, SortField field,
                  Qt::SortOrder order) {
  promise.setProgressRange(0, 1000);
  const bool descending = order == Qt::DescendingOrder;
  RowWalk walk(promise, db, keys.get(), std::move(prefix), list.get(), field);
  KeySortResult result;
  if (walk.rows() < 0x80000000u) result.order = countingSort(walk, descending, &result.error);
  if (!result.order && result.error.isEmpty() && !promise.isCanceled()) {
    // Sizes and segment ids are 32-bit: half the memory of a time's 64 bits.
    if (field == SortField::kTimestamp) {
      result.order = comparisonSort<std::uint64_t>(promise, walk, descending, &result.error);
    } else {
      result.order = comparisonSort<std::uint32_t>(promise, walk, descending, &result.error);
    }
  }
  if (promise.isCanceled()) return;
  if (!result.order && result.error.isEmpty()) return;
  promise.setProgressValue(1000);
  promise.addResult(std::move(result));
}

}  // namespace bb
