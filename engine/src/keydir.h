// The keydir: the in-memory index from every live key to where its latest
// record lives.
//
// Memory is what limits a Bitcask (every key is in RAM), so an entry is kept
// compact: the key and its location are packed into one arena allocation
// (23 bytes + the key), and two indexes hold 8-byte pointers to it: a hash
// set for point lookups at hash speed, and a B-tree in key order for scans
// and seeks. The original Bitcask takes about 91 bytes + the key per entry;
// this takes 47 (10M keys) to 55 (1M keys) + the key (measured:
// `bitcask-bench engine`, with huge-page rounding).
#pragma once

#include <absl/container/btree_set.h>
#include <absl/container/flat_hash_set.h>
#include <bitcask/db.h>
// Inlined: hashing a short key costs less than the call.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

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
  std::optional<Location> put(std::string_view key, const Location& loc);
  // Removes `key`. Returns its location, if it was there.
  std::optional<Location> remove(std::string_view key);
  void clear();
  // Makes room for `n` keys at once (opening knows the count from hints).
  void reserve(std::size_t n) { hash_.reserve(n); }
  // Starts loading the hash slots `key` would probe into the cache, ahead of
  // a put() or find() of it (opening inserts from hints in batches).
  void prefetch(std::string_view key) const { hash_.prefetch(key); }

  std::uint64_t size() const { return hash_.size(); }
  // Keys in order with their locations, as ScanOptions asks.
  std::vector<std::pair<std::string, Location>> scan(const ScanOptions& options) const;
  std::uint64_t count(std::string_view prefix) const;

  // Bytes of memory the keydir holds (arena blocks + both indexes).
  std::uint64_t memory_bytes() const;

  // Packed so an entry costs 23 bytes + its key.
  struct __attribute__((packed)) Rec {
    std::uint32_t segment;
    std::uint32_t offset;
    std::uint32_t size;
    std::uint64_t timestamp_us;
    std::uint8_t flags;
    std::uint16_t key_size;
    char key_bytes[1];  // key_size bytes follow (the [1] keeps this standard C++)

    std::string_view key() const { return {key_bytes, key_size}; }
  };

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

  Rec* allocate(std::string_view key);
  void release(Rec* rec);
  void compact_arena_if_wasteful();
  static Location location_of(const Rec* r);
  static void set_location(Rec* r, const Location& loc);

  // Where the last insertion into ordered_ ended: keys that arrive in order
  // (hints are sorted) then insert in amortised constant time. Any other
  // change to ordered_ invalidates it.
  using OrderedSet = absl::btree_set<Rec*, Less, CountingAllocator<Rec*>>;
  std::optional<OrderedSet::iterator> insert_hint_;

  std::uint64_t index_bytes_ = 0;
  absl::flat_hash_set<Rec*, Hash, Eq, CountingAllocator<Rec*>> hash_;
  OrderedSet ordered_;

  // Bump-allocated blocks. Freed entries are only counted; the arena is
  // rebuilt when more than half of it is dead.
  static constexpr std::size_t kBlockSize = 2 << 20;
  struct BlockDeleter {
    std::size_t bytes;
    void operator()(char* p) const { free_bytes(p, bytes); }
  };
  std::vector<std::unique_ptr<char[], BlockDeleter>> blocks_;
  std::size_t block_used_ = kBlockSize;
  std::size_t current_block_size_ = 0;
  std::uint64_t arena_bytes_ = 0;
  std::uint64_t dead_bytes_ = 0;
};

}  // namespace bitcask
