#include "core/keysnapshot.h"

#include <bitcask/error.h>

#include <algorithm>
#include <limits>

namespace bb {

namespace {

constexpr std::uint64_t kMaxArenaBytes = std::numeric_limits<std::uint32_t>::max();
// Keys per scan page: large enough that the per-page lock and seek cost vanish,
// small enough that a cancel or a writer waits only milliseconds.
constexpr std::size_t kScanPage = 32768;

}  // namespace

std::size_t KeySnapshot::lowerBound(std::string_view key) const {
  std::size_t lo = 0;
  std::size_t hi = size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (this->key(mid) < key) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

std::int64_t KeySnapshot::indexOf(std::string_view key) const {
  const std::size_t i = lowerBound(key);
  return i < size() && this->key(i) == key ? std::int64_t(i) : -1;
}

void KeySnapshot::reserve(std::size_t keys, std::size_t bytes) {
  ends_.reserve(keys);
  arena_.reserve(std::min<std::uint64_t>(bytes, kMaxArenaBytes));
}

bool KeySnapshot::append(std::string_view key) {
  if (arena_.size() + key.size() > kMaxArenaBytes) return false;
  arena_.append(key);
  ends_.push_back(std::uint32_t(arena_.size()));
  return true;
}

bool KeySnapshot::insert(std::size_t i, std::string_view key) {
  if (arena_.size() + key.size() > kMaxArenaBytes) return false;
  const std::uint32_t at = i == 0 ? 0 : ends_[i - 1];
  arena_.insert(at, key);
  const auto n = std::uint32_t(key.size());
  for (std::size_t j = i; j < ends_.size(); ++j) ends_[j] += n;
  ends_.insert(ends_.begin() + std::ptrdiff_t(i), at + n);
  return true;
}

void KeySnapshot::erase(std::size_t i) {
  const std::uint32_t begin = i == 0 ? 0 : ends_[i - 1];
  const std::uint32_t n = ends_[i] - begin;
  arena_.erase(begin, n);
  ends_.erase(ends_.begin() + std::ptrdiff_t(i));
  for (std::size_t j = i; j < ends_.size(); ++j) ends_[j] -= n;
}

void loadKeySnapshotTask(QPromise<KeySnapshotResult>& promise, DbPtr db, std::string prefix,
                         quint64 expected) {
  KeySnapshotResult result;
  auto keys = std::make_shared<KeySnapshot>();
  promise.setProgressRange(0, 1000);
  bitcask::ScanOptions options;
  options.prefix = std::move(prefix);
  options.limit = kScanPage;
  try {
    for (bool first = true;; first = false) {
      if (promise.isCanceled()) return;
      const auto page = db->scan(options);
      if (first && !page.empty()) {
        // Sized once from the first page's key lengths (+5 %): growing a
        // 200 MB arena by doubling would hold two copies for a moment.
        std::size_t bytes = 0;
        for (const auto& e : page) bytes += e.key.size();
        const double mean = double(bytes) / double(page.size());
        const std::size_t n = std::max<std::size_t>(expected, page.size());
        keys->reserve(n + n / 20, std::size_t(mean * 1.05 * double(n)) + 4096);
      }
      for (const auto& e : page) {
        if (!keys->append(e.key)) {
          result.error = QStringLiteral("more than 4 GiB of keys to list");
          promise.addResult(std::move(result));
          return;
        }
      }
      if (expected > 0) {
        promise.setProgressValue(int(std::min<quint64>(1000, keys->size() * 1000 / expected)));
      }
      if (page.size() < options.limit) break;
      options.start = page.back().key;
      options.exclusive_start = true;
    }
  } catch (const bitcask::Error& e) {
    result.error = QString::fromStdString(e.what());
    promise.addResult(std::move(result));
    return;
  }
  result.keys = std::move(keys);
  promise.addResult(std::move(result));
}

}  // namespace bb
