// Fuzzes the record parser and the segment walker of the native format
// with arbitrary bytes: every input must be classified as records or damage
// without reading outside the buffer. (Foreign layouts have their own
// fuzzers: fuzz_layout_pybitcask, fuzz_layout_basho.)
#include <cstddef>
#include <cstdint>
#include <string>

#include "format.h"
#include "segment_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* bytes = reinterpret_cast<const char*>(data);
  bitcask::format::RecordHeader h;
  (void)bitcask::format::parse_record(bytes, size, &h);
  for (std::uint64_t start : {std::uint64_t{16}, std::uint64_t{1}}) {
    if (start > size) continue;
    bitcask::SegmentReader reader(bytes, size, bitcask::SegmentFormat::kNative, start);
    bitcask::RawRecord rec;
    std::uint64_t covered = 0;
    while (reader.next(&rec)) {
      if (rec.offset + rec.length > size) __builtin_trap();
      if (rec.ok && rec.key.data() + rec.key.size() > bytes + size) __builtin_trap();
      covered += rec.length;
      if (rec.length == 0) __builtin_trap();  // no progress: would loop forever
    }
    (void)covered;
  }
  return 0;
}
