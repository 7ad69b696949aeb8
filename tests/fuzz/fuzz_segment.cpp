// Fuzzes the record parser and the segment walker (native and Python
// formats) with arbitrary bytes: every input must be classified as records
// or damage without reading outside the buffer.
#include <cstddef>
#include <cstdint>
#include <string>

#include "format.h"
#include "segment_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto* bytes = reinterpret_cast<const char*>(data);
  bitcask::format::RecordHeader h;
  (void)bitcask::format::parse_record(bytes, size, &h);
  for (auto format : {bitcask::SegmentFormat::kNative, bitcask::SegmentFormat::kPython}) {
    bitcask::SegmentReader reader(
        bytes, size, format,
        format == bitcask::SegmentFormat::kNative ? (size < 16 ? size : 16) : 0);
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
