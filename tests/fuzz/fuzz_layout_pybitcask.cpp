// Fuzzes the pybitcask layouts (layout_pybitcask.cpp): the input's first byte
// picks the file naming ("<N>.data" or "data_<N>.db") and whether the file is
// the last of a directory after one of each encoding; the rest is the file.
// Its encoding is decided by parsing, then its records are walked as the
// engine walks them; every record must lie inside the file and move forward.
#include <bitcask/error.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "layout_pybitcask.h"

namespace pl = bitcask::pybitcask_layout;

namespace {

void walk(pl::Encoding encoding, std::string_view bytes, std::uint64_t first) {
  bitcask::ForeignRecord r;
  std::string why;
  for (std::uint64_t offset = first;;) {
    const auto status =
        pl::decode_file_record(encoding, first, bytes.data(), bytes.size(), offset, &r, &why);
    if (status != bitcask::DecodeStatus::kOk) {
      if (status != bitcask::DecodeStatus::kEnd && why.empty()) std::abort();  // say why
      return;
    }
    if (r.offset != offset || r.length == 0 || r.length > bytes.size() - offset) std::abort();
    if (r.kind == bitcask::RecordKind::kTombstone && !r.value.empty()) std::abort();
    // The views stay valid and readable.
    std::size_t sum = r.key.size() + r.value.size();
    if (!r.key.empty()) sum += static_cast<unsigned char>(r.key.back());
    if (!r.value.empty()) sum += static_cast<unsigned char>(r.value.back());
    volatile std::size_t sink = sum;
    (void)sink;
    offset += r.length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t control = data[0];
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  const pl::Naming naming = (control & 1) ? pl::Naming::kDataDb : pl::Naming::kDotData;
  std::optional<pl::Encoding> torn_tail_of;
  if (control & 2) torn_tail_of = static_cast<pl::Encoding>((control >> 2) % 3);
  try {
    const pl::FileFormat format = pl::classify_file(naming, "fuzz", bytes, torn_tail_of);
    if (format.first_record_offset > bytes.size()) std::abort();
    walk(format.encoding, bytes, format.first_record_offset);
  } catch (const bitcask::Error&) {
  }
  // Every decoder on its own, from the first two offsets.
  for (pl::Encoding e : {pl::Encoding::kIIQ, pl::Encoding::kJsonLines, pl::Encoding::kProtobuf}) {
    walk(e, bytes, 0);
    if (!bytes.empty()) walk(e, bytes, 1);
  }
  (void)pl::is_python_json(bytes, nullptr);
  return 0;
}
