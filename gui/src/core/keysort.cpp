#include "core/keysort.h"

#include <bitcask/error.h>

#include <algorithm>
#include <limits>

namespace bb {

namespace {

constexpr std::size_t kScanPage = 32768;
constexpr int kGatherShare = 800;  // of the progress range: the index pass; the sort the rest

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

// A 32-bit field and the row's index in one integer: sorting plain uint64s
// is several times faster than an indirect sort, and needs 8 bytes a row.
struct Packed32 {
  std::vector<std::uint64_t> items;
  void set(std::size_t i, std::uint64_t v, bool descending) {
    auto f = std::uint32_t(v);
    if (descending) f = ~f;
    items[i] = (std::uint64_t(f) << 32) | std::uint32_t(i);
  }
};

#pragma pack(push, 4)
// A 64-bit field (microseconds) and the index: 12 bytes a row.
struct Stamped {
  std::uint64_t t;
  std::uint32_t i;
  bool operator<(const Stamped& o) const { return t != o.t ? t < o.t : i < o.i; }
};
#pragma pack(pop)

}  // namespace

void sortKeysTask(QPromise<KeySortResult>& promise, DbPtr db,
                  std::shared_ptr<const KeySnapshot> keys, std::string prefix,
                  std::shared_ptr<const std::vector<bitcask::KeyEntry>> list, SortField field,
                  Qt::SortOrder order) {
  KeySortResult result;
  promise.setProgressRange(0, 1000);
  const bool descending = order == Qt::DescendingOrder;
  const std::size_t n = keys ? keys->size() : (list ? list->size() : 0);
  const bool wide = field == SortField::kTimestamp;
  Packed32 narrow;
  std::vector<Stamped> stamped;
  auto set = [&](std::size_t i, std::uint64_t v) {
    if (wide) {
      stamped[i] = {descending ? ~v : v, std::uint32_t(i)};
    } else {
      narrow.set(i, v, descending);
    }
  };
  if (wide) {
    stamped.resize(n);
  } else {
    narrow.items.resize(n);
  }
  if (list) {
    for (std::size_t i = 0; i < n; ++i) set(i, fieldOf((*list)[i], field));
  } else if (keys) {
    // The snapshot and the index are both in key order: walk them side by side. A key gone
    // from the index since the snapshot was taken sorts as 0 (its removal reaches the model
    // as an edit and takes its row away).
    bitcask::ScanOptions options;
    options.prefix = std::move(prefix);
    options.limit = kScanPage;
    std::size_t at = 0;
    try {
      while (at < n) {
        if (promise.isCanceled()) return;
        const auto page = db->scan(options);
        for (const auto& e : page) {
          while (at < n && keys->key(at) < e.key) set(at++, 0);
          if (at < n && keys->key(at) == e.key) set(at++, fieldOf(e, field));
        }
        promise.setProgressValue(
            int(std::uint64_t(at) * kGatherShare / std::max<std::size_t>(n, 1)));
        if (page.size() < options.limit) break;
        options.start = page.back().key;
        options.exclusive_start = true;
      }
    } catch (const bitcask::Error& e) {
      result.error = QString::fromStdString(e.what());
      promise.addResult(std::move(result));
      return;
    }
    while (at < n) set(at++, 0);
  }
  if (promise.isCanceled()) return;
  promise.setProgressValue(kGatherShare);
  auto rows = std::make_shared<std::vector<quint32>>();
  if (wide) {
    std::sort(stamped.begin(), stamped.end());
    if (promise.isCanceled()) return;
    rows->resize(n);
    for (std::size_t r = 0; r < n; ++r) (*rows)[r] = stamped[r].i;
  } else {
    std::sort(narrow.items.begin(), narrow.items.end());
    if (promise.isCanceled()) return;
    rows->resize(n);
    for (std::size_t r = 0; r < n; ++r) (*rows)[r] = quint32(narrow.items[r]);
  }
  promise.setProgressValue(1000);
  result.order = std::move(rows);
  promise.addResult(std::move(result));
}

}  // namespace bb
