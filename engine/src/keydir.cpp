#include "keydir.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <new>
#include <tuple>
#include <utility>

#include "key_order.h"

namespace bitcask {

namespace {
constexpr std::size_t kRecHeader = offsetof(KeyDir::Rec, key_bytes);
std::size_t rec_bytes(std::size_t key_size) { return kRecHeader + key_size; }

constexpr std::size_t kHugePage = 2u << 20;
// Below this an allocation is not worth huge pages of its own.
constexpr std::size_t kHugeTableMin = kHugePage;
// Entries fetched ahead of a scan (scan_locked).
constexpr std::ptrdiff_t kPrefetchAhead = 8;
}  // namespace

std::size_t KeyDir::footprint(std::size_t bytes) {
  return bytes < kHugeTableMin ? bytes : (bytes + kHugePage - 1) & ~(kHugePage - 1);
}

void* KeyDir::allocate_bytes(std::size_t bytes) {
  if (bytes < kHugeTableMin) return ::operator new(bytes);
  void* p = std::aligned_alloc(kHugePage, footprint(bytes));
  if (!p) throw std::bad_alloc();
  // Only advice: without transparent huge pages this changes nothing.
  ::madvise(p, footprint(bytes), MADV_HUGEPAGE);
  return p;
}

void KeyDir::free_bytes(void* p, std::size_t bytes) {
  if (bytes < kHugeTableMin) {
    ::operator delete(p);
  } else {
    std::free(p);
  }
}

KeyDir::KeyDir()
    : hash_(0, Hash(), Eq(), CountingAllocator<Rec*>(&hash_bytes_)),
      sorted_(CountingAllocator<Rec*>(&ordered_bytes_)),
      ordered_(Less(), CountingAllocator<Rec*>(&ordered_bytes_)) {}

KeyDir::~KeyDir() = default;

Location KeyDir::location_of(const Rec* r) {
  return Location{r->segment, r->offset, r->size, r->timestamp_us,
                  static_cast<std::uint8_t>(r->flags & ~kDead)};
}

void KeyDir::set_location(Rec* r, const Location& loc) {
  r->segment = loc.segment;
  r->offset = loc.offset;
  r->size = loc.size;
  r->timestamp_us = loc.timestamp_us;
  r->flags = loc.flags & ~kDead;
}

KeyDir::Rec* KeyDir::allocate(std::string_view key) {
  const std::size_t need = rec_bytes(key.size());
  if (block_used_ + need > current_block_size_) {
    // Blocks grow with the arena (4 KiB up to 2 MiB, the largest on huge
    // pages), so a small database holds a small arena.
    const std::size_t grown = std::clamp<std::size_t>(arena_bytes_, 4096, kBlockSize);
    current_block_size_ = std::max(grown, need);
    if (!blocks_.empty()) block_ends_.push_back(block_used_);
    blocks_.emplace_back(static_cast<char*>(allocate_bytes(current_block_size_)),
                         BlockDeleter{current_block_size_});
    arena_bytes_ += current_block_size_;
    block_used_ = 0;
  }
  auto* r = reinterpret_cast<Rec*>(blocks_.back().get() + block_used_);
  block_used_ += need;
  r->key_size = static_cast<std::uint16_t>(key.size());
  std::memcpy(r->key_bytes, key.data(), key.size());
  return r;
}

void KeyDir::release(Rec* rec) { dead_bytes_ += rec_bytes(rec->key_size); }

std::optional<Location> KeyDir::find(std::string_view key) const {
  auto it = hash_.find(key);
  if (it == hash_.end() || dead(*it)) return std::nullopt;
  return location_of(*it);
}

std::optional<Location> KeyDir::put(std::string_view key, const Location& loc) {
  // One hash probe for both the lookup and the insertion.
  Rec* added = nullptr;
  auto it = hash_.lazy_emplace(key, [&](const auto& construct) {
    added = allocate(key);
    set_location(added, loc);
    construct(added);
  });
  // A new key: the key-order index learns of it (from the arena) when a
  // scan needs it.
  if (added) return std::nullopt;
  Rec* r = *it;
  if (dead(r)) {
    // Put again after a removal: the entry is still in the index (or not
    // yet merged) at its key's place, so only its location changes.
    --dead_;
    dead_bytes_ -= rec_bytes(r->key_size);
    set_location(r, loc);
    return std::nullopt;
  }
  Location old = location_of(r);
  set_location(r, loc);
  return old;
}

std::optional<Location> KeyDir::remove(std::string_view key) {
  auto it = hash_.find(key);
  if (it == hash_.end() || dead(*it)) return std::nullopt;
  Rec* r = *it;
  Location old = location_of(r);
  r->flags |= kDead;
  ++dead_;
  release(r);
  compact_arena_if_wasteful();
  return old;
}

void KeyDir::clear() {
  ++generation_;
  {
    WriterMutexLock lock(&ordered_mu_);
    Run{CountingAllocator<Rec*>(&ordered_bytes_)}.swap(sorted_);
    ordered_.clear();
    merged_block_ = 0;
    merged_offset_ = 0;
  }
  hash_.clear();
  dead_ = 0;
  blocks_.clear();
  block_ends_.clear();
  block_used_ = kBlockSize;
  current_block_size_ = 0;
  arena_bytes_ = 0;
  dead_bytes_ = 0;
}

// Copies the live entries into fresh blocks, in key order, and rebuilds the
// indexes without the dead ones. Runs only when more than half of a sizeable
// arena is dead, so its cost is amortised over at least as many removals as
// it moves entries.
void KeyDir::compact_arena_if_wasteful() {
  if (dead_bytes_ < (8u << 20) || dead_bytes_ * 2 < arena_bytes_) return;
  ++generation_;
  WriterMutexLock lock(&ordered_mu_);
  merge_pending();
  rebuild_sorted(Run{CountingAllocator<Rec*>(&ordered_bytes_)});
  const std::uint64_t live = size();
  decltype(blocks_) old_blocks;
  old_blocks.swap(blocks_);
  block_ends_.clear();
  Run old_order{CountingAllocator<Rec*>(&ordered_bytes_)};
  old_order.swap(sorted_);
  sorted_.reserve(live);
  hash_.clear();
  dead_ = 0;
  block_used_ = kBlockSize;
  current_block_size_ = 0;
  arena_bytes_ = 0;
  dead_bytes_ = 0;
  hash_.reserve(live);
  for (Rec* old : old_order) {
    if (dead(old)) continue;
    Rec* r = allocate(old->key());
    set_location(r, location_of(old));
    hash_.insert(r);
    sorted_.push_back(r);
  }
  // Every entry of the new arena is in sorted_.
  merged_block_ = blocks_.empty() ? 0 : blocks_.size() - 1;
  merged_offset_ = blocks_.empty() ? 0 : block_used_;
}

// Sorts by key with 8 bytes of each key beside its pointer (key_order.h):
// callgrind gave about 1,000 instructions a key for 100,000 random keys with
// std::sort on the pointers alone, and 940 for 20,000 keys with a long shared
// prefix if the first 8 bytes were taken, against 330.
std::vector<std::pair<std::uint64_t, KeyDir::Rec*>> KeyDir::keyed_by_prefix(
    std::span<Rec* const> recs) {
  const std::size_t shared = key_order::shared_prefix(recs, [](const Rec* r) { return r->key(); });
  std::vector<std::pair<std::uint64_t, Rec*>> keyed;
  keyed.reserve(recs.size());
  for (Rec* r : recs) keyed.emplace_back(key_order::leading_number(r->key().substr(shared)), r);
  return keyed;
}

void KeyDir::sort_by_key(std::span<Rec*> recs) {
  if (recs.size() < 2) return;
  std::vector<std::pair<std::uint64_t, Rec*>> keyed = keyed_by_prefix(recs);
  std::sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) {
    if (a.first != b.first) return a.first < b.first;
    return a.second->key() < b.second->key();
  });
  for (std::size_t i = 0; i < keyed.size(); ++i) recs[i] = keyed[i].second;
}

// Keeps the sorted runs in place and sorts only the keys that break their
// order, so the cost follows the disorder, not the run's length. Left to
// right, each run is joined to the sorted prefix built so far: where the two
// overlap, the smaller side of the overlap (the prefix's tail above the
// run's first key, or the run's head below the prefix's last key) is set
// aside. What is set aside is sorted on its own and merged back from the
// end, each key placed by a binary search; only the keys above the smallest
// of them move. A key out of order at the end of 10M costs two binary
// searches and one move of the run, instead of a sort.
void KeyDir::sort_runs(std::span<Rec*> recs, std::span<const std::size_t> breaks) {
  Rec** const a = recs.data();
  const std::size_t n = recs.size();
  std::vector<Rec*> aside;
  std::size_t kept = breaks.empty() ? n : breaks.front();  // a[0, kept) is sorted
  for (std::size_t b = 0; b < breaks.size(); ++b) {
    const std::size_t begin = breaks[b];
    const std::size_t end = b + 1 < breaks.size() ? breaks[b + 1] : n;
    Rec** tail = std::upper_bound(a, a + kept, a[begin], Less());
    const std::size_t above = static_cast<std::size_t>(a + kept - tail);
    std::size_t from = begin;
    if (above > 0) {
      Rec** head_end = std::lower_bound(a + begin, a + end, a[kept - 1], Less());
      const std::size_t below = static_cast<std::size_t>(head_end - (a + begin));
      if (above <= below) {
        aside.insert(aside.end(), tail, a + kept);
        kept -= above;
      } else {
        aside.insert(aside.end(), a + begin, head_end);
        from += below;
      }
    }
    if (kept != from) std::copy(a + from, a + end, a + kept);
    kept += end - from;
  }
  if (aside.empty()) return;
  // Mostly out of order after all: one sort of everything costs less than
  // a binary search per key set aside.
  if (aside.size() > n / 16) {
    std::copy(aside.begin(), aside.end(), a + kept);
    sort_by_key(recs);
    return;
  }
  sort_by_key(aside);
  std::size_t out = n;
  for (std::size_t i = aside.size(); i-- > 0;) {
    Rec** pos = std::upper_bound(a, a + kept, aside[i], Less());
    const std::size_t k = static_cast<std::size_t>(pos - a);
    std::move_backward(pos, a + kept, a + out);
    out -= kept - k;
    kept = k;
    a[--out] = aside[i];
  }
}

template <typename Vector>
void KeyDir::gather_pending(Vector* pending, std::vector<std::size_t>* breaks,
                            bool* unordered) const {
  *unordered = false;
  for (std::size_t b = merged_block_; b < blocks_.size(); ++b) {
    const char* block = blocks_[b].get();
    const std::size_t end = b + 1 < blocks_.size() ? block_ends_[b] : block_used_;
    for (std::size_t at = b == merged_block_ ? merged_offset_ : 0; at < end;) {
      auto* r = reinterpret_cast<Rec*>(const_cast<char*>(block) + at);
      at += rec_bytes(r->key_size);
      if (!*unordered && !pending->empty() && !Less()(pending->back(), r)) {
        if (breaks->size() < kMaxBreaks) {
          breaks->push_back(pending->size());
        } else {
          *unordered = true;
        }
      }
      pending->push_back(r);
    }
  }
}

void KeyDir::merge_pending() const {
  const std::size_t indexed = sorted_.size() + ordered_.size();
  if (hash_.size() == indexed) return;
  // The entries past the cursor, in the order they were allocated, and the
  // places where they break key order.
  Run pending{CountingAllocator<Rec*>(&ordered_bytes_)};
  pending.reserve(hash_.size() - indexed);
  std::vector<std::size_t> breaks;
  bool unordered;
  gather_pending(&pending, &breaks, &unordered);
  merged_block_ = blocks_.size() - 1;
  merged_offset_ = block_used_;
  if (unordered) {
    sort_by_key(pending);
  } else if (!breaks.empty()) {
    sort_runs(pending, breaks);
  }
  add_sorted(pending);
}

void KeyDir::add_sorted(Run& pending) const {
  if (ordered_.empty() && (sorted_.empty() || Less()(sorted_.back(), pending.front()))) {
    // All after the last key (the first scan after opening, or keys written
    // in order): appended, no comparison.
    if (sorted_.empty()) {
      sorted_.swap(pending);
    } else {
      sorted_.insert(sorted_.end(), pending.begin(), pending.end());
    }
  } else if (ordered_.size() + pending.size() >= sorted_.size() / 8) {
    // Many: one linear merge of everything. Rebuilding when the tree holds
    // an eighth of the array costs each key merged into the tree about 9
    // key moves and comparisons, fewer than a tree descent.
    rebuild_sorted(pending);
  } else {
    // A few: each costs a descent of the tree. In key order, the position
    // after the last one is often right for the next one (a hint the tree
    // checks before it trusts).
    auto hint = ordered_.end();
    for (Rec* r : pending) hint = std::next(ordered_.insert(hint, r));
  }
}

bool KeyDir::collect_pending(std::size_t min_keys, Presort* presort) const {
  ReaderMutexLock lock(&ordered_mu_);
  const std::size_t indexed = sorted_.size() + ordered_.size();
  if (hash_.size() < indexed + std::max<std::size_t>(min_keys, 1)) return false;
  std::vector<Rec*> pending;
  pending.reserve(hash_.size() - indexed);
  std::vector<std::size_t> breaks;
  bool unordered;
  gather_pending(&pending, &breaks, &unordered);
  // In order but for a few breaks, a scan merges them in linear time.
  if (!unordered) return false;
  presort->generation_ = generation_;
  presort->from_block_ = merged_block_;
  presort->from_offset_ = merged_offset_;
  presort->to_block_ = blocks_.size() - 1;
  presort->to_offset_ = block_used_;
  presort->keyed_ = keyed_by_prefix(pending);
  return true;
}

void KeyDir::Presort::sort() {
  std::sort(keyed_.begin(), keyed_.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
}

bool KeyDir::install(Presort* presort) const {
  WriterMutexLock lock(&ordered_mu_);
  if (presort->generation_ != generation_ || presort->from_block_ != merged_block_ ||
      presort->from_offset_ != merged_offset_) {
    return false;  // the entries moved, or a scan merged them
  }
  auto& keyed = presort->keyed_;
  // Entries whose first distinct bytes are equal, ordered by the whole key
  // (the entries are valid again: the owner's lock is held).
  for (auto run = keyed.begin(); run != keyed.end();) {
    auto end =
        std::find_if(run + 1, keyed.end(), [&](const auto& e) { return e.first != run->first; });
    if (end - run > 1) {
      std::sort(run, end, [](const auto& a, const auto& b) { return Less()(a.second, b.second); });
    }
    run = end;
  }
  Run pending{CountingAllocator<Rec*>(&ordered_bytes_)};
  pending.reserve(keyed.size());
  for (const auto& e : keyed) pending.push_back(e.second);
  keyed = {};
  merged_block_ = presort->to_block_;
  merged_offset_ = presort->to_offset_;
  add_sorted(pending);
  return true;
}

void KeyDir::rebuild_sorted(const Run& more) const {
  if (ordered_.empty() && more.empty()) return;
  Run recent{CountingAllocator<Rec*>(&ordered_bytes_)};
  recent.reserve(ordered_.size() + more.size());
  std::merge(ordered_.begin(), ordered_.end(), more.begin(), more.end(), std::back_inserter(recent),
             Less());
  ordered_.clear();
  Run merged{CountingAllocator<Rec*>(&ordered_bytes_)};
  merged.reserve(sorted_.size() + recent.size());
  std::merge(sorted_.begin(), sorted_.end(), recent.begin(), recent.end(),
             std::back_inserter(merged), Less());
  sorted_.swap(merged);
}

void KeyDir::scan(const ScanOptions& range, Visitor visit) const {
  {
    WriterMutexLock lock(&ordered_mu_);
    merge_pending();
  }
  // Shared: other scans may read the tree at the same time. No writer can
  // change it before this returns (the owner's lock is held shared), so it
  // is still merged.
  ReaderMutexLock lock(&ordered_mu_);
  scan_locked(range, visit);
}

KeyDir::Position KeyDir::lower_bound(std::string_view key) const {
  return {std::lower_bound(sorted_.begin(), sorted_.end(), key, Less()), ordered_.lower_bound(key)};
}

KeyDir::Position KeyDir::upper_bound(std::string_view key) const {
  return {std::upper_bound(sorted_.begin(), sorted_.end(), key, Less()), ordered_.upper_bound(key)};
}

void KeyDir::scan_locked(const ScanOptions& o, Visitor visit) const {
  // Dead entries are passed over; the key bytes handed out are the arena's.
  auto emit = [&](const Rec* r) { return dead(r) || visit(r->key(), location_of(r)); };
  auto has_prefix = [&](const Rec* r) { return r->key().starts_with(o.prefix); };
  if (!o.reverse) {
    std::string_view from = o.start;
    if (from < o.prefix) from = o.prefix;
    auto [s, t] = (o.exclusive_start && from == o.start) ? upper_bound(from) : lower_bound(from);
    // The smaller of the two next keys, until both indexes are done.
    for (;;) {
      const Rec* r;
      // The array holds pointers in key order to entries in arena (write)
      // order: each entry is a random access, so those a few places on are
      // fetched while this one is compared.
      if (sorted_.end() - s > kPrefetchAhead) __builtin_prefetch(*(s + kPrefetchAhead));
      if (s != sorted_.end() && (t == ordered_.end() || Less()(*s, *t))) {
        r = *s++;
      } else if (t != ordered_.end()) {
        r = *t++;
      } else {
        return;
      }
      if (!has_prefix(r) || !emit(r)) return;
    }
  }

  // Reverse: start from the last key <= start (or < start when exclusive),
  // or from the last key of the prefix range when no start is given.
  auto s = sorted_.end();
  auto t = ordered_.end();
  if (!o.start.empty()) {
    std::tie(s, t) = o.exclusive_start ? lower_bound(o.start) : upper_bound(o.start);
  } else if (!o.prefix.empty()) {
    // First key after every key with the prefix.
    std::string after = o.prefix;
    while (!after.empty() && static_cast<unsigned char>(after.back()) == 0xff) after.pop_back();
    if (!after.empty()) {
      after.back() = static_cast<char>(static_cast<unsigned char>(after.back()) + 1);
      std::tie(s, t) = lower_bound(after);
    }
  }
  // The larger of the two previous keys, until both indexes are done.
  for (;;) {
    const Rec* r;
    if (s != sorted_.begin() && (t == ordered_.begin() || Less()(*std::prev(t), *std::prev(s)))) {
      r = *--s;
    } else if (t != ordered_.begin()) {
      r = *--t;
    } else {
      return;
    }
    if (r->key() < std::string_view(o.prefix)) return;
    if (!has_prefix(r)) continue;  // keys above the prefix range
    if (!emit(r)) return;
  }
}

std::uint64_t KeyDir::count(std::string_view prefix) const {
  if (prefix.empty()) return size();
  std::uint64_t n = 0;
  ScanOptions range;
  range.prefix = std::string(prefix);
  scan(range, [&](std::string_view, const Location&) {
    ++n;
    return true;
  });
  return n;
}

std::uint64_t KeyDir::memory_bytes() const {
  ReaderMutexLock lock(&ordered_mu_);
  return arena_bytes_ + hash_bytes_ + ordered_bytes_;
}

}  // namespace bitcask
