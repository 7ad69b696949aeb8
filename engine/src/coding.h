// Fixed-width integer encoding with an explicit byte order. The native
// format is little-endian; the Python original's is big-endian. Integers are
// always encoded byte by byte, never by copying structs, so the files mean
// the same on every machine.
#pragma once

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>

namespace bitcask {

inline void encode_u16_le(char* p, std::uint16_t v) {
  p[0] = static_cast<char>(v);
  p[1] = static_cast<char>(v >> 8);
}
inline void encode_u32_le(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * i));
}
inline void encode_u64_le(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * i));
}

// On a little-endian host the bytes already are the value: one load.
template <typename T>
inline T decode_le(const char* p) {
  if constexpr (std::endian::native == std::endian::little) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
  } else {
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    T v = 0;
    for (int i = sizeof(T) - 1; i >= 0; --i) v = static_cast<T>((v << 8) | u[i]);
    return v;
  }
}
inline std::uint16_t decode_u16_le(const char* p) { return decode_le<std::uint16_t>(p); }
inline std::uint32_t decode_u32_le(const char* p) { return decode_le<std::uint32_t>(p); }
inline std::uint64_t decode_u64_le(const char* p) { return decode_le<std::uint64_t>(p); }

inline std::uint32_t decode_u32_be(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | u[i];
  return v;
}
inline std::uint64_t decode_u64_be(const char* p) {
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | u[i];
  return v;
}
inline void encode_u32_be(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>(v >> (8 * (3 - i)));
}
inline void encode_u64_be(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>(v >> (8 * (7 - i)));
}

// Variable-length integers (LevelDB's varint: 7 bits a byte, low bits first,
// high bit set on every byte but the last), for hint files, where most
// numbers are small deltas.
inline void put_varint64(std::string* out, std::uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>(v | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Decodes a varint from [*p, end); advances *p past it. False when it runs
// past `end` or over 64 bits. Opening decodes some ten varint bytes for each
// of millions of keys, so: a local copy of the position (a char read may
// alias *p, which would then be reloaded and stored on every byte), and with
// ten bytes of room, an unrolled loop without bounds checks.
inline bool get_varint64(const char** p, const char* end, std::uint64_t* v) {
  const auto* q = reinterpret_cast<const std::uint8_t*>(*p);
  std::uint64_t result = 0;
  if (end - *p >= 10) {
#pragma GCC unroll 10
    for (int i = 0; i < 10; ++i) {
      result |= static_cast<std::uint64_t>(q[i] & 0x7f) << (7 * i);
      if (q[i] < 0x80) {
        *v = result;
        *p += i + 1;
        return true;
      }
    }
    return false;
  }
  for (std::ptrdiff_t i = 0; i < end - *p; ++i) {
    result |= static_cast<std::uint64_t>(q[i] & 0x7f) << (7 * i);
    if (q[i] < 0x80) {
      *v = result;
      *p += i + 1;
      return true;
    }
  }
  return false;
}

// Signed deltas as small unsigned numbers: 0, -1, 1, -2 ... -> 0, 1, 2, 3 ...
inline std::uint64_t zigzag_encode(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
inline std::int64_t zigzag_decode(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

}  // namespace bitcask
