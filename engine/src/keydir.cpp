#include "keydir.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <new>

namespace bitcask {

namespace {
constexpr std::size_t kRecHeader = offsetof(KeyDir::Rec, key_bytes);
std::size_t rec_bytes(std::size_t key_size) { return kRecHeader + key_size; }

constexpr std::size_t kHugePage = 2u << 20;
// Below this an allocation is not worth huge pages of its own.
constexpr std::size_t kHugeTableMin = kHugePage;
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
    : hash_(0, Hash(), Eq(), CountingAllocator<Rec*>(&index_bytes_)),
      ordered_(Less(), CountingAllocator<Rec*>(&index_bytes_)) {}

KeyDir::~KeyDir() = default;

Location KeyDir::location_of(const Rec* r) {
  return Location{r->segment, r->offset, r->size, r->timestamp_us, r->flags};
}

void KeyDir::set_location(Rec* r, const Location& loc) {
  r->segment = loc.segment;
  r->offset = loc.offset;
  r->size = loc.size;
  r->timestamp_us = loc.timestamp_us;
  r->flags = loc.flags;
}

KeyDir::Rec* KeyDir::allocate(std::string_view key) {
  const std::size_t need = rec_bytes(key.size());
  if (block_used_ + need > current_block_size_) {
    // Blocks grow with the arena (4 KiB up to 2 MiB, the largest on huge
    // pages), so a small database holds a small arena.
    const std::size_t grown = std::clamp<std::size_t>(arena_bytes_, 4096, kBlockSize);
    current_block_size_ = std::max(grown, need);
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
  if (it == hash_.end()) return std::nullopt;
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
  if (added) {
    auto at = ordered_.insert(insert_hint_.value_or(ordered_.end()), added);
    // After the last key the hint is end(): advancing past the last key of
    // the rightmost leaf would climb the whole tree on every append.
    insert_hint_ = *at == *ordered_.rbegin() ? ordered_.end() : std::next(at);
    return std::nullopt;
  }
  Location old = location_of(*it);
  set_location(*it, loc);
  return old;
}

std::optional<Location> KeyDir::remove(std::string_view key) {
  auto it = hash_.find(key);
  if (it == hash_.end()) return std::nullopt;
  Rec* r = *it;
  Location old = location_of(r);
  hash_.erase(it);
  ordered_.erase(r);
  insert_hint_.reset();
  release(r);
  compact_arena_if_wasteful();
  return old;
}

void KeyDir::clear() {
  insert_hint_.reset();
  hash_.clear();
  ordered_.clear();
  blocks_.clear();
  block_used_ = kBlockSize;
  current_block_size_ = 0;
  arena_bytes_ = 0;
  dead_bytes_ = 0;
}

// Copies the live entries into fresh blocks, in key order, and rebuilds the
// indexes. Runs only when more than half of a sizeable arena is dead, so its
// cost is amortised over at least as many removals as it moves entries.
void KeyDir::compact_arena_if_wasteful() {
  if (dead_bytes_ < (8u << 20) || dead_bytes_ * 2 < arena_bytes_) return;
  decltype(blocks_) old_blocks;
  old_blocks.swap(blocks_);
  insert_hint_.reset();
  std::vector<Rec*> old_order(ordered_.begin(), ordered_.end());
  hash_.clear();
  ordered_.clear();
  block_used_ = kBlockSize;
  current_block_size_ = 0;
  arena_bytes_ = 0;
  dead_bytes_ = 0;
  hash_.reserve(old_order.size());
  for (Rec* old : old_order) {
    Rec* r = allocate(old->key());
    set_location(r, location_of(old));
    hash_.insert(r);
    ordered_.insert(ordered_.end(), r);
  }
}

std::vector<std::pair<std::string, Location>> KeyDir::scan(const ScanOptions& o) const {
  std::vector<std::pair<std::string, Location>> out;
  if (o.limit == 0) return out;
  out.reserve(std::min<std::size_t>(o.limit, 1024));
  auto emit = [&](const Rec* r) { out.emplace_back(std::string(r->key()), location_of(r)); };
  auto has_prefix = [&](const Rec* r) { return r->key().starts_with(o.prefix); };

  if (!o.reverse) {
    std::string_view from = o.start;
    if (from < o.prefix) from = o.prefix;
    auto it = (o.exclusive_start && from == o.start) ? ordered_.upper_bound(from)
                                                     : ordered_.lower_bound(from);
    for (; it != ordered_.end() && out.size() < o.limit; ++it) {
      if (!has_prefix(*it)) break;
      emit(*it);
    }
    return out;
  }

  // Reverse: start from the last key <= start (or < start when exclusive),
  // or from the last key of the prefix range when no start is given.
  auto it = ordered_.end();
  if (!o.start.empty()) {
    it = o.exclusive_start ? ordered_.lower_bound(std::string_view(o.start))
                           : ordered_.upper_bound(std::string_view(o.start));
  } else if (!o.prefix.empty()) {
    // First key after every key with the prefix.
    std::string after = o.prefix;
    while (!after.empty() && static_cast<unsigned char>(after.back()) == 0xff) after.pop_back();
    if (!after.empty()) {
      after.back() = static_cast<char>(static_cast<unsigned char>(after.back()) + 1);
      it = ordered_.lower_bound(std::string_view(after));
    }
  }
  while (it != ordered_.begin() && out.size() < o.limit) {
    --it;
    const Rec* r = *it;
    if (r->key() < std::string_view(o.prefix)) break;
    if (!has_prefix(r)) continue;  // keys above the prefix range
    emit(r);
  }
  return out;
}

std::uint64_t KeyDir::count(std::string_view prefix) const {
  if (prefix.empty()) return size();
  std::uint64_t n = 0;
  for (auto it = ordered_.lower_bound(prefix);
       it != ordered_.end() && (*it)->key().starts_with(prefix); ++it) {
    ++n;
  }
  return n;
}

std::uint64_t KeyDir::memory_bytes() const { return arena_bytes_ + index_bytes_; }

}  // namespace bitcask
