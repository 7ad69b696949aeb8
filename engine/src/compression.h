// Value compression, chosen per database and recorded per record (flag bits
// 1-2), so plain and compressed records mix freely. A compressed value is
// stored as: original size u32 | compressed bytes.
#pragma once

#include <bitcask/options.h>

#include <cstdint>
#include <string>
#include <string_view>

namespace bitcask::compression {

// Values shorter than this are never compressed: the frame overhead eats
// what little could be saved, and small reads stay a plain memcpy.
inline constexpr std::size_t kMinSize = 64;

// Compresses `value` into *out when that saves at least an eighth of it.
// Returns the record flag bits to set (0: store `value` plain).
std::uint8_t compress(Compression algorithm, std::string_view value, std::string* out);

// Restores a value stored with `flags`. Throws Error(kCorruption) when the
// bytes do not decompress to the recorded size.
void decompress(std::uint8_t flags, std::string_view stored, std::string* out);

}  // namespace bitcask::compression
