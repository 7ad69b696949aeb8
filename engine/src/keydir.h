// The keydir: the in-memory index from every live key to where its latest
// record lives.
//
// Memory is what limits a Bitcask (every key is in RAM), so an entry is kept
// compact: the key and its location are packed into one arena allocation
// (23 bytes + the key), and two indexes hold 8-byte pointers to it: a hash
// set for point lookups at hash speed, and a key-order index for scans and
// seeks. The key-order index is a sorted array with a B-tree beside it for
// the keys added since the array was last rebuilt; a scan walks the two
// merged. Opening or a bulk load fills the array at memcpy speed (building
// a B-tree of 10M keys cost 150 instructions a key), and the B-tree keeps a
// few keys added between scans cheap. The original Bitcask takes about 91
// bytes + the key per entry; this takes 47 (10M keys) to 55 (1M keys) + the
// key (measured: `bitcask-bench engine`, with huge-page rounding).
//
// Point writes and removals pay for the hash set only (and the arena). The
// key-order index is brought up to date when a scan or count needs it: the
// entries allocated in the arena since the last merge are the new keys, in
// the order they came, and the next scan gathers, sorts and merges them in
// bulk. Once writes pause, the database's background thread does that
// ahead of the scan (Presort), sorting with no lock held, so a first scan
// after many random puts does not pay for the sort (1M keys of 100 B:
// 0.18 -> 0.10 us a pair, what later scans take). Writers take no lock of
// the index's (a lock per new key was a tenth of opening from hints, perf).
// Opening appends the hint files' sorted runs one after another, so the new
// keys are usually in order but for a few, and the merge then only sorts
// those few (a full sort of 10M keys took 0.35 s). A removal only marks its
// entry dead, in both indexes: a later put of the key revives the entry in
// place, and dead entries are skipped by scans and dropped, with their
// arena bytes, when the arena is compacted. Half of a small put used to be
// the B-tree insertion (callgrind), and a removal's B-tree erase cost more
// than its hash erase.
//
// Threads: every change (put, remove, clear, reserve) is made with the
// owner's lock held exclusively, every read with it held at least shared
// (SegmentTable::mu()). Scans under a shared lock may run side by side and
// all need the index merged, so the index has a lock of its own,
// ordered_mu_: the first scan to come merges under it exclusively, the
// others then read under it shared. The arena is the owner lock's: a merge
// reads it under the shared lock, when no writer can change it.
#pragma once

#include <absl/container/btree_set.h>
#include <absl/container/flat_hash_set.h>
#include <absl/functional/function_ref.h>
#include <bitcask/db.h>
// Inlined: hashing a short key costs less than the call.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "mutex.h"

namespace bitcask {

// Where a key's latest record is.
struct Location {
  std::uint32_t segment = 0;
  std::uint32_t offset = 0;  // of the record's first byte
  std::uint32_t size = 0;    // of the whole record
  std::uint64_t timestamp_us = 0;
  std::uint8_t flags = 0;  // the record's flags (expiry, compression)
};

class KeyDir {
 public:
  KeyDir();
  ~KeyDir();
  KeyDir(const KeyDir&) = delete;
  KeyDir& operator=(const KeyDir&) = delete;

  std::optional<Location> find(std::string_view key) const;
  // Points `key` at `loc`. Returns the location it replaced, if any.
  std::optional<Location> put(std::string_view key, const Location& loc)
      ABSL_LOCKS_EXCLUDED(ordered_mu_);
  // Removes `key`. Returns its location, if it was there.
  std::optional<Location> remove(std::string_view key) ABSL_LOCKS_EXCLUDED(ordered_mu_);
  void clear() ABSL_LOCKS_EXCLUDED(ordered_mu_);
  // Makes room for `n` keys at once (opening knows the count from hints).
  void reserve(std::size_t n) { hash_.reserve(n); }
  // Starts loading the hash slots `key` would probe into the cache, ahead of
  // a put() or find() of it (opening inserts from hints in batches).
  void prefetch(std::string_view key) const { hash_.prefetch(key); }

  std::uint64_t size() const { return hash_.size() - dead_; }
  // Calls `visit` with each key in the range `range` describes (start,
  // exclusive_start, prefix, reverse; its limit is not looked at) in order,
  // until `visit` returns false. The key's bytes are the keydir's own: valid
  // until the next change. `visit` must not call back into the keydir.
  using Visitor = absl::FunctionRef<bool(std::string_view key, const Location& loc)>;
  void scan(const ScanOptions& range, Visitor visit) const ABSL_LOCKS_EXCLUDED(ordered_mu_);
  std::uint64_t count(std::string_view prefix) const ABSL_LOCKS_EXCLUDED(ordered_mu_);

  // Bytes of memory the keydir holds (arena blocks + the indexes).
  std::uint64_t memory_bytes() const ABSL_LOCKS_EXCLUDED(ordered_mu_);

  // Packed so an entry costs 23 bytes + its key.
  struct __attribute__((packed)) Rec {
    std::uint32_t segment;
    std::uint32_t offset;
    std::uint32_t size;
    std::uint64_t timestamp_us;
    std::uint8_t flags;  // the record's flags, and kDead
    std::uint16_t key_size;
    char key_bytes[1];  // key_size bytes follow (the [1] keeps this standard C++)

    std::string_view key() const { return {key_bytes, key_size}; }
  };

  // Sorts `recs` (distinct keys) by key, given that they are sorted runs
  // starting at 0 and at each index of `breaks` (ascending). Public for its
  // test: a scan cannot tell, as the tree corrects a wrong order, slowly.
  static void sort_runs(std::span<Rec*> recs, std::span<const std::size_t> breaks);

  // Sorting new keys into the key-order index ahead of the first scan that
  // needs them, off the owner's lock for the sort itself: collect_pending()
  // and install() run with the owner's lock held shared (they read the
  // arena), sort() with no lock. Only keys written out of order are worth
  // it (keys written in order, as hints load them, merge in linear time).
  // What was collected is dropped by install() when the arena was rebuilt
  // or cleared, or a scan merged, in between.
  class Presort {
   public:
    // Sorts by the keys' first distinct bytes only: the entries may be
    // freed meanwhile, so their keys are not read. install() orders the
    // entries those bytes do not tell apart.
    void sort();

   private:
    friend class KeyDir;
    std::uint64_t generation_ = 0;
    std::size_t from_block_ = 0, from_offset_ = 0;  // the merge cursor when collected
    std::size_t to_block_ = 0, to_offset_ = 0;      // the arena's end then
    std::vector<std::pair<std::uint64_t, Rec*>> keyed_;
  };
  // Fills *presort with the entries not yet in the index when there are at
  // least `min_keys` of them, out of key order; false otherwise.
  bool collect_pending(std::size_t min_keys, Presort* presort) const
      ABSL_LOCKS_EXCLUDED(ordered_mu_);
  // Adds what *presort holds to the index; false when it was stale (and
  // dropped).
  bool install(Presort* presort) const ABSL_LOCKS_EXCLUDED(ordered_mu_);

 private:
  // Large tables (the hash set's slots at a million keys) on huge pages
  // where the kernel allows: a lookup is a random access into tens of MB,
  // and with 4 KiB pages each one also misses the TLB.
  static void* allocate_bytes(std::size_t bytes);
  static std::size_t footprint(std::size_t bytes);  // what allocate_bytes takes
  static void free_bytes(void* p, std::size_t bytes);

  // Counts what the indexes allocate, so memory_bytes() is exact.
  template <typename T>
  struct CountingAllocator {
    using value_type = T;
    std::uint64_t* counter;
    explicit CountingAllocator(std::uint64_t* c) : counter(c) {}
    template <typename U>
    CountingAllocator(const CountingAllocator<U>& o) : counter(o.counter) {}
    T* allocate(std::size_t n) {
      *counter += footprint(n * sizeof(T));
      return static_cast<T*>(allocate_bytes(n * sizeof(T)));
    }
    void deallocate(T* p, std::size_t n) {
      *counter -= footprint(n * sizeof(T));
      free_bytes(p, n * sizeof(T));
    }
    template <typename U>
    bool operator==(const CountingAllocator<U>& o) const {
      return counter == o.counter;
    }
  };

  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view k) const { return XXH3_64bits(k.data(), k.size()); }
    std::size_t operator()(const Rec* r) const { return (*this)(r->key()); }
  };
  struct Eq {
    using is_transparent = void;
    static std::string_view k(std::string_view s) { return s; }
    static std::string_view k(const Rec* r) { return r->key(); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return k(a) == k(b);
    }
  };
  struct Less {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Eq::k(a) < Eq::k(b);
    }
  };

  // In Rec::flags: the key was removed; its entry stays in both indexes
  // until the arena is compacted (or the key is put again). Record flags
  // never use the bit (format::kKnownFlags).
  static constexpr std::uint8_t kDead = 0x80;
  static bool dead(const Rec* r) { return r->flags & kDead; }

  using OrderedSet = absl::btree_set<Rec*, Less, CountingAllocator<Rec*>>;
  using Run = std::vector<Rec*, CountingAllocator<Rec*>>;

  Rec* allocate(std::string_view key);
  void release(Rec* rec);
  void compact_arena_if_wasteful() ABSL_LOCKS_EXCLUDED(ordered_mu_);
  static Location location_of(const Rec* r);
  static void set_location(Rec* r, const Location& loc);
  static void sort_by_key(std::span<Rec*> recs);
  // Sorts the entries allocated since the last merge into the key-order
  // index.
  void merge_pending() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(ordered_mu_);
  // The entries allocated since the last merge, in arena order, and where
  // they break key order (`breaks`, up to kMaxBreaks; *unordered past that).
  // (A Run, counted in ordered_bytes_, when merging; a plain vector when
  // collecting under ordered_mu_ shared.)
  template <typename Vector>
  void gather_pending(Vector* pending, std::vector<std::size_t>* breaks, bool* unordered) const
      ABSL_SHARED_LOCKS_REQUIRED(ordered_mu_);
  // Adds `pending` (sorted, not empty) to the index; the merge cursor has
  // moved past it.
  void add_sorted(Run& pending) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(ordered_mu_);
  // Each entry of `recs` beside the 8 bytes of its key that follow the
  // prefix all of them share.
  static std::vector<std::pair<std::uint64_t, Rec*>> keyed_by_prefix(std::span<Rec* const> recs);
  // Merges ordered_ and the sorted `more` into sorted_, leaving ordered_
  // empty.
  void rebuild_sorted(const Run& more) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(ordered_mu_);
  // The first key >= (lower) or > (upper) `key` in sorted_ and in ordered_.
  using Position = std::pair<Run::iterator, OrderedSet::iterator>;
  Position lower_bound(std::string_view key) const ABSL_SHARED_LOCKS_REQUIRED(ordered_mu_);
  Position upper_bound(std::string_view key) const ABSL_SHARED_LOCKS_REQUIRED(ordered_mu_);
  void scan_locked(const ScanOptions& range, Visitor visit) const
      ABSL_SHARED_LOCKS_REQUIRED(ordered_mu_);

  // Bytes the hash set holds (changed only with the owner's lock exclusive).
  std::uint64_t hash_bytes_ = 0;
  // Changed whenever entries move or are freed (arena rebuilt, cleared): a
  // Presort collected before is stale.
  std::uint64_t generation_ = 0;
  // Every entry, live and dead.
  absl::flat_hash_set<Rec*, Hash, Eq, CountingAllocator<Rec*>> hash_;
  std::uint64_t dead_ = 0;  // entries of hash_ marked kDead

  // Every entry of hash_ is in sorted_ or ordered_, or was allocated in the
  // arena after the merge cursor. They change under ordered_mu_: writers
  // that rebuild the arena (the owner's lock exclusive) and scans (the
  // owner's lock shared, several at once) both take it.
  mutable SharedMutex ordered_mu_;
  // Bytes sorted_ and ordered_ hold: a scan's merge changes them while
  // other readers may ask memory_bytes().
  mutable std::uint64_t ordered_bytes_ ABSL_GUARDED_BY(ordered_mu_) = 0;
  // In key order: the bulk of the keys, rebuilt (a linear merge) when
  // ordered_ grows past an eighth of it.
  mutable Run sorted_ ABSL_GUARDED_BY(ordered_mu_);
  // In key order: the keys merged since sorted_ was rebuilt.
  mutable OrderedSet ordered_ ABSL_GUARDED_BY(ordered_mu_);
  // The merge cursor: the arena position up to which entries are indexed
  // (block, offset in it).
  mutable std::size_t merged_block_ ABSL_GUARDED_BY(ordered_mu_) = 0;
  mutable std::size_t merged_offset_ ABSL_GUARDED_BY(ordered_mu_) = 0;
  // Past this many places where the new keys break key order they count as
  // unordered (random writes) and are sorted whole.
  static constexpr std::size_t kMaxBreaks = 4096;

  // Bump-allocated blocks. Freed entries are only counted; the arena is
  // rebuilt when more than half of it is dead.
  static constexpr std::size_t kBlockSize = 2 << 20;
  struct BlockDeleter {
    std::size_t bytes;
    void operator()(char* p) const { free_bytes(p, bytes); }
  };
  std::vector<std::unique_ptr<char[], BlockDeleter>> blocks_;
  // Bytes used in each block but the last (whose count is block_used_): a
  // block's tail is left empty when the next entry does not fit.
  std::vector<std::size_t> block_ends_;
  std::size_t block_used_ = kBlockSize;
  std::size_t current_block_size_ = 0;
  std::uint64_t arena_bytes_ = 0;
  std::uint64_t dead_bytes_ = 0;
};

}  // namespace bitcask
