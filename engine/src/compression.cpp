#include "compression.h"

#include <bitcask/error.h>
#include <lz4.h>
#include <zstd.h>

#include "coding.h"
#include "format.h"

namespace bitcask::compression {

namespace {
constexpr std::uint8_t kZstd = 0x02;
constexpr std::uint8_t kLz4 = 0x04;
constexpr int kZstdLevel = 3;
}  // namespace

std::uint8_t compress(Compression algorithm, std::string_view value, std::string* out) {
  if (algorithm == Compression::None || value.size() < kMinSize) return 0;
  std::size_t n = 0;
  if (algorithm == Compression::Zstd) {
    out->resize(4 + ZSTD_compressBound(value.size()));
    n = ZSTD_compress(out->data() + 4, out->size() - 4, value.data(), value.size(), kZstdLevel);
    if (ZSTD_isError(n)) return 0;
  } else {
    out->resize(4 + static_cast<std::size_t>(LZ4_compressBound(static_cast<int>(value.size()))));
    n = static_cast<std::size_t>(LZ4_compress_default(value.data(), out->data() + 4,
                                                      static_cast<int>(value.size()),
                                                      static_cast<int>(out->size() - 4)));
    if (n == 0) return 0;
  }
  if (4 + n > value.size() - value.size() / 8) return 0;  // does not pay
  out->resize(4 + n);
  encode_u32_le(out->data(), static_cast<std::uint32_t>(value.size()));
  return algorithm == Compression::Zstd ? kZstd : kLz4;
}

void decompress(std::uint8_t flags, std::string_view stored, std::string* out) {
  const std::uint8_t algo = flags & format::kFlagCompressionMask;
  if (stored.size() < 4) throw Error(ErrorCode::kCorruption, "compressed value too short");
  const std::uint32_t size = decode_u32_le(stored.data());
  if (size > kMaxValueSize) throw Error(ErrorCode::kCorruption, "compressed value too large");
  out->resize(size);
  const char* src = stored.data() + 4;
  const std::size_t src_size = stored.size() - 4;
  bool ok;
  if (algo == kZstd) {
    const std::size_t n = ZSTD_decompress(out->data(), size, src, src_size);
    ok = !ZSTD_isError(n) && n == size;
  } else if (algo == kLz4) {
    const int n =
        LZ4_decompress_safe(src, out->data(), static_cast<int>(src_size), static_cast<int>(size));
    ok = n == static_cast<int>(size);
  } else {
    ok = false;
  }
  if (!ok) throw Error(ErrorCode::kCorruption, "compressed value does not decompress");
}

}  // namespace bitcask::compression
