// Sorting many keys fast: beside each key goes the number its 8 bytes after
// the prefix all of them share make (big-endian, zero-padded), so that most
// comparisons are one integer comparison in the array being sorted instead
// of a byte comparison through two pointers (the keydir's index and the hint
// writer sort this way). Keys such as "user:000012345" or zero-padded
// numbers differ only after a long shared prefix, where their first 8 bytes
// would decide nothing. Equal numbers still need the keys compared.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace bitcask::key_order {

// The first 8 bytes of `key` as a big-endian number (zero-padded): ordering
// by it orders by key wherever two keys' first 8 bytes differ.
inline std::uint64_t leading_number(std::string_view key) {
  unsigned char b[8] = {};
  std::memcpy(b, key.data(), std::min<std::size_t>(key.size(), 8));
  std::uint64_t v = 0;
  for (unsigned char c : b) v = (v << 8) | c;
  return v;
}

// The length of the prefix every key of `items` shares (key_of(item) gives
// an item's key).
template <typename Items, typename KeyOf>
std::size_t shared_prefix(const Items& items, KeyOf key_of) {
  if (std::begin(items) == std::end(items)) return 0;
  const std::string_view first = key_of(*std::begin(items));
  std::size_t shared = first.size();
  for (const auto& item : items) {
    const std::string_view k = key_of(item);
    // Most keys share it whole: one memcmp, not a byte loop.
    if (k.size() >= shared && std::memcmp(k.data(), first.data(), shared) == 0) continue;
    const std::size_t n = std::min(shared, k.size());
    shared = static_cast<std::size_t>(
        std::mismatch(first.begin(), first.begin() + n, k.begin()).first - first.begin());
    if (shared == 0) break;
  }
  return shared;
}

}  // namespace bitcask::key_order
