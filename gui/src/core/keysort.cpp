#include "core/keysort.h"

#include <bitcask/error.h>

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace bb {

namespace {

constexpr std::size_t kScanPage = 32768;
constexpr int kGatherShare = 800;  // of the progress range: the index pass; the sort the rest
// Up to this many distinct values a counting sort orders the rows (sizes and segments nearly
// always; times of batched writes often): linear time, and no memory beyond the values and
// the result. Past it, a comparison sort.
constexpr std::size_t kMaxCountedValues = 1 << 18;

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

// Turns `p` (row -> destination) into its inverse (destination -> row) in place, following
// each cycle once; the top bit marks a slot done (n < 2^31).
void invertInPlace(std::vector<quint32>& p) {
  constexpr quint32 kDone = 0x80000000u;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] & kDone) continue;
    quint32 prev = quint32(i);
    quint32 k = p[i];
    while (k != i) {
      const quint32 next = p[k];
      p[k] = prev | kDone;
      prev = k;
      k = next;
    }
    p[i] = prev | kDone;
  }
  for (quint32& v : p) v &= ~kDone;
}

// Rows 0..n-1 ordered by values[row] (ties in row order, both directions). Frees `values`.
template <typename T>
RowOrder orderBy(std::vector<T>& values, bool descending) {
  const std::size_t n = values.size();
  auto rows = std::make_shared<std::vector<quint32>>();
  std::unordered_map<T, quint32> starts;
  bool few = n < 0x80000000u;
  for (std::size_t i = 0; few && i < n; ++i) {
    auto [it, added] = starts.try_emplace(values[i], 0);
    ++it->second;
    few = !added || starts.size() <= kMaxCountedValues;
  }
  if (few) {
    std::vector<std::pair<T, quint32>> distinct(starts.begin(), starts.end());
    std::sort(distinct.begin(), distinct.end(), [descending](const auto& a, const auto& b) {
      return descending ? a.first > b.first : a.first < b.first;
    });
    quint32 at = 0;
    for (const auto& [v, count] : distinct) {
      starts[v] = at;
      at += count;
    }
    // Each row's place, then the rows of the places: 32-bit values become the result
    // where they lie, so the sort needs no memory beyond them.
    if constexpr (sizeof(T) == sizeof(quint32)) {
      for (std::size_t i = 0; i < n; ++i) values[i] = starts[values[i]]++;
      *rows = std::move(values);
    } else {
      rows->resize(n);
      for (std::size_t i = 0; i < n; ++i) (*rows)[i] = starts[values[i]]++;
      values = {};
    }
    invertInPlace(*rows);
    return rows;
  }
  starts = {};
  if constexpr (sizeof(T) == 4) {
    // A 32-bit value and the row in one integer: plain uint64s sort several times faster
    // than an indirect sort.
    std::vector<std::uint64_t> packed(n);
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t v = descending ? ~values[i] : values[i];
      packed[i] = (std::uint64_t(v) << 32) | std::uint32_t(i);
    }
    values = {};
    std::sort(packed.begin(), packed.end());
    rows->resize(n);
    for (std::size_t r = 0; r < n; ++r) (*rows)[r] = quint32(packed[r]);
  } else {
    std::vector<Stamped> stamped(n);
    for (std::size_t i = 0; i < n; ++i) {
      stamped[i] = {descending ? ~values[i] : values[i], std::uint32_t(i)};
    }
    values = {};
    std::sort(stamped.begin(), stamped.end());
    rows->resize(n);
    for (std::size_t r = 0; r < n; ++r) (*rows)[r] = stamped[r].i;
  }
  return rows;
}

// The field of every row: from the list's entries, or read beside the snapshot.
template <typename T>
bool gather(QPromise<KeySortResult>& promise, const DbPtr& db, const KeySnapshot* keys,
            std::string prefix, const std::vector<bitcask::KeyEntry>* list, SortField field,
            std::vector<T>& values, QString* error) {
  const std::size_t n = values.size();
  if (list) {
    for (std::size_t i = 0; i < n; ++i) values[i] = T(fieldOf((*list)[i], field));
    return true;
  }
  if (!keys) return true;
  // The snapshot and the index are both in key order: walk them side by side. A key gone
  // from the index since the snapshot was taken sorts as 0 (its removal reaches the model
  // as an edit and takes its row away).
  bitcask::ScanOptions options;
  options.prefix = std::move(prefix);
  options.limit = kScanPage;
  std::size_t at = 0;
  try {
    while (at < n) {
      if (promise.isCanceled()) return false;
      const auto page = db->scan(options);
      for (const auto& e : page) {
        while (at < n && keys->key(at) < e.key) values[at++] = 0;
        if (at < n && keys->key(at) == e.key) values[at++] = T(fieldOf(e, field));
      }
      promise.setProgressValue(int(std::uint64_t(at) * kGatherShare / std::max<std::size_t>(n, 1)));
      if (page.size() < options.limit) break;
      options.start = page.back().key;
      options.exclusive_start = true;
    }
  } catch (const bitcask::Error& e) {
    *error = QString::fromStdString(e.what());
    return false;
  }
  return true;
}

template <typename T>
void sortBy(QPromise<KeySortResult>& promise, const DbPtr& db, const KeySnapshot* keys,
            std::string prefix, const std::vector<bitcask::KeyEntry>* list, SortField field,
            bool descending) {
  KeySortResult result;
  const std::size_t n = keys ? keys->size() : (list ? list->size() : 0);
  std::vector<T> values(n);
  if (!gather(promise, db, keys, std::move(prefix), list, field, values, &result.error)) {
    if (!result.error.isEmpty()) promise.addResult(std::move(result));
    return;
  }
  if (promise.isCanceled()) return;
  promise.setProgressValue(kGatherShare);
  result.order = orderBy(values, descending);
  if (promise.isCanceled()) return;
  promise.setProgressValue(1000);
  promise.addResult(std::move(result));
}

}  // namespace

void sortKeysTask(QPromise<KeySortResult>& promise, DbPtr db,
                  std::shared_ptr<const KeySnapshot> keys, std::string prefix,
                  std::shared_ptr<const std::vector<bitcask::KeyEntry>> list, SortField field,
                  Qt::SortOrder order) {
  promise.setProgressRange(0, 1000);
  const bool descending = order == Qt::DescendingOrder;
  // Sizes and segment ids are 32-bit: half the memory of a time's 64 bits.
  if (field == SortField::kTimestamp) {
    sortBy<std::uint64_t>(promise, db, keys.get(), std::move(prefix), list.get(), field,
                          descending);
  } else {
    sortBy<std::uint32_t>(promise, db, keys.get(), std::move(prefix), list.get(), field,
                          descending);
  }
}

}  // namespace bb
