#include "crc32c.h"

#include <isa-l/crc.h>

#include <climits>

namespace bitcask::crc32c {

// ISA-L's crc32_iscsi computes the CRC-32C register without the final
// inversion, using SSE4.2 / PCLMULQDQ when the CPU has them. Inverting on
// the way in and out gives the standard CRC-32C value and lets calls chain.
std::uint32_t extend(std::uint32_t crc, const char* data, std::size_t n) {
  std::uint32_t reg = ~crc;
  auto* p = reinterpret_cast<unsigned char*>(const_cast<char*>(data));
  // One call for any record (every read checks one: the loop is for buffers
  // over 2 GiB, which ISA-L's int length cannot take at once).
  if (n <= static_cast<std::size_t>(INT_MAX)) return ~crc32_iscsi(p, static_cast<int>(n), reg);
  while (n > 0) {
    const int chunk = n > static_cast<std::size_t>(INT_MAX) ? INT_MAX : static_cast<int>(n);
    reg = crc32_iscsi(p, chunk, reg);
    p += chunk;
    n -= static_cast<std::size_t>(chunk);
  }
  return ~reg;
}

}  // namespace bitcask::crc32c
