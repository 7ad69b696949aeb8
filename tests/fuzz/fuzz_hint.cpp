// Fuzzes hint files behind a valid checksum. A random file almost never
// passes a hint's CRC, so fuzz_open seldom reaches the checks behind it; here
// the input describes the hint's entries field by field (key, offset, size,
// kind, flags, expiry), drawing numbers either freely or near the boundaries
// of the segment's real records, and hint::Builder encodes them (sorted keys,
// shared prefixes, deltas). Then the input may patch the trailer's counts and
// coverage, or bytes among the entries (shared prefixes longer than the
// previous key, overlong varints), and the hint is resealed with a correct
// CRC. It sits beside a fixed, valid sealed segment; the database is opened
// read-only, every key read and the database verified, then opened writable
// (which rebuilds a refused hint). Every input must give data or a clear
// bitcask::Error, never a crash, and a value read must be the segment's.
#include <bitcask/db.h>
#include <bitcask/error.h>
#include <fuzzer/FuzzedDataProvider.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "coding.h"
#include "crc32c.h"
#include "format.h"
#include "hint.h"

namespace fs = std::filesystem;
using namespace bitcask;

namespace {

void write(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// The fixed segment 1: puts, an overwrite, a tombstone, a record with an
// expiry far ahead, and the key and value every record boundary gives.
struct Segment {
  std::string bytes;
  std::vector<std::uint64_t> offsets;  // of each record, then the end
  std::vector<std::string> keys;       // of each record
  std::map<std::string, std::string> live;

  Segment() {
    bytes = format::encode_segment_header(1);
    auto add = [&](RecordKind kind, const std::string& key, const std::string& value,
                   std::uint8_t flags = 0, std::uint64_t expiry = 0) {
      offsets.push_back(bytes.size());
      keys.push_back(key);
      format::append_record(&bytes, kind, 1'700'000'000'000'000ull + bytes.size(), key, value,
                            flags, expiry);
      if (kind == RecordKind::kTombstone) {
        live.erase(key);
      } else {
        live[key] = value;
      }
    };
    add(RecordKind::kPut, "a", "1");
    add(RecordKind::kPut, "ab", "22");
    add(RecordKind::kPut, "abc", std::string(300, 'x'));
    add(RecordKind::kPut, "b", "");
    add(RecordKind::kPut, "a", "3");
    add(RecordKind::kPut, "gone", "soon");
    add(RecordKind::kTombstone, "gone", "");
    add(RecordKind::kPut, "ttl", "later", format::kFlagExpiry, ~0ull >> 2);
    add(RecordKind::kPut, "zz", "last");
    offsets.push_back(bytes.size());
  }
};

const Segment& segment() {
  static const Segment s;
  return s;
}

// A number for an offset, a size or a count: small, at or near a record
// boundary, a boundary of the format's fields, or anything.
std::uint64_t number(FuzzedDataProvider& in) {
  static constexpr std::uint64_t kEdges[] = {0,
                                             1,
                                             format::kSegmentHeaderSize - 1,
                                             format::kSegmentHeaderSize,
                                             format::kRecordHeaderSize,
                                             format::kRecordHeaderSize + 1,
                                             format::kRecordHeaderSize + 8,
                                             kMaxKeySize,
                                             kMaxValueSize,
                                             0xFFFFF000u,
                                             4'000'000'000u,
                                             UINT32_MAX,
                                             1ull << 32,
                                             1ull << 40,
                                             1ull << 63,
                                             ~0ull};
  const auto& offsets = segment().offsets;
  switch (in.ConsumeIntegralInRange(0, 4)) {
    case 0:
      return in.ConsumeIntegralInRange<std::uint64_t>(0, 64);
    case 1:
      return offsets[in.ConsumeIntegralInRange<std::size_t>(0, offsets.size() - 1)] +
             in.ConsumeIntegralInRange<std::int64_t>(-3, 3);
    case 2:
      return kEdges[in.ConsumeIntegralInRange<std::size_t>(0, std::size(kEdges) - 1)] +
             in.ConsumeIntegralInRange<std::int64_t>(-1, 1);
    default:
      return in.ConsumeIntegral<std::uint64_t>();
  }
}

// One hint entry, as a walk of a segment would hand it to the builder: most
// often a real record, some fields then changed.
void add_entry(FuzzedDataProvider& in, hint::Builder* b, std::vector<std::string>* keys) {
  const Segment& s = segment();
  const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, s.keys.size() - 1);
  RawRecord r;
  r.offset = s.offsets[i];
  r.length = s.offsets[i + 1] - s.offsets[i];
  format::RecordHeader h;
  format::parse_record(s.bytes.data() + r.offset, r.length, &h, false);
  r.kind = h.kind;
  r.flags = h.flags;
  r.expiry_us = h.expiry_us;
  r.timestamp_us = h.timestamp_us;
  keys->push_back(s.keys[i]);
  const std::uint8_t changes = in.ConsumeIntegral<std::uint8_t>();
  if (changes & 1) keys->back() = in.ConsumeRandomLengthString(24);
  if (changes & 2) r.offset = number(in);
  if (changes & 4) r.length = number(in);
  if (changes & 8) r.kind = in.ConsumeBool() ? RecordKind::kTombstone : RecordKind::kPut;
  if (changes & 16) r.flags = in.ConsumeIntegralInRange<std::uint8_t>(0, 7);
  if (changes & 32) r.expiry_us = number(in);
  if (changes & 64) r.timestamp_us = number(in);
  r.key = keys->back();
  r.key_size = static_cast<std::uint32_t>(r.key.size());
  b->add(r);
}

// The hint of segment 1, from the input.
std::string make_hint(FuzzedDataProvider& in, const fs::path& dir) {
  hint::Builder b(1);
  std::vector<std::string> keys;
  keys.reserve(64);  // the builder keeps views of them
  const int entries = in.ConsumeIntegralInRange(0, 40);
  for (int i = 0; i < entries; ++i) add_entry(in, &b, &keys);
  for (int i = in.ConsumeIntegralInRange(0, 3); i > 0; --i) b.count_record();
  const std::uint64_t size = segment().bytes.size();
  b.write(dir, in.ConsumeBool() ? size : number(in));
  std::string hint = read(dir / hint::file_name(1));
  // Trailer: entry count u64 | records u64 | covered u64 | crc32c u32.
  const std::size_t trailer = hint.size() - 28;
  for (int field = 0; field < 3; ++field) {
    if (in.ConsumeIntegralInRange(0, 3) == 0) {
      encode_u64_le(hint.data() + trailer + 8 * field, number(in));
    }
  }
  // Bytes among the header and the entries.
  for (int i = in.ConsumeIntegralInRange(0, 3); i > 0 && trailer > 0; --i) {
    const auto at = in.ConsumeIntegralInRange<std::size_t>(0, trailer - 1);
    hint[at] = static_cast<char>(in.ConsumeIntegral<std::uint8_t>());
  }
  encode_u32_le(hint.data() + hint.size() - 4, crc32c::value(hint.data(), hint.size() - 4));
  return hint;
}

void exercise(DB& db, bool hint_may_be_used) {
  ScanOptions all;
  all.limit = 1000;
  for (const auto& e : db.scan(all)) {
    std::string v;
    try {
      if (db.get(e.key, &v) && !hint_may_be_used) {
        // Without a trusted hint, what is read is the segment's.
        const auto it = segment().live.find(e.key);
        if (it == segment().live.end() || it->second != v) std::abort();
      }
    } catch (const Error&) {
    }
  }
  (void)db.verify();
  (void)db.stats();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // In memory where it can be: every run writes files durably (fsync).
  static const fs::path dir =
      (fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path()) /
      ("bitcask-fuzz-hint-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  FuzzedDataProvider in(data, size);
  write(dir / "BITCASK", "bitcask-format 1\n");
  write(dir / format::segment_file_name(1), segment().bytes);
  write(dir / format::segment_file_name(2), format::encode_segment_header(2));
  const std::string hint = make_hint(in, dir);
  write(dir / hint::file_name(1), hint);
  for (bool read_only : {true, false}) {
    try {
      Options o;
      o.read_only = read_only;
      o.create_if_missing = false;
      auto db = DB::open(dir, o);
      // A hint verify finds nothing wrong with names each key's newest
      // record of the segment, and one it reports damaged is never used:
      // either way every read is the segment's. One it reports as not
      // matching its segment passed the open's checks and is used: its
      // reads may fail, name other records or older ones.
      bool mismatched = false;
      for (const auto& p : db->verify()) {
        mismatched |= p.file == hint::file_name(1) && !p.what.starts_with("damaged hint file");
      }
      exercise(*db, mismatched);
    } catch (const Error&) {
    }
  }
  return 0;
}
