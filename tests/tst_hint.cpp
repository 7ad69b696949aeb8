// Hint files, version 2: varints, prefix-compressed keys, delta-coded
// numbers; every way a hint can be wrong makes it ignored as a whole.
#include <QTest>
#include <fstream>
#include <functional>

#include "../engine/src/coding.h"
#include "../engine/src/crc32c.h"
#include "../engine/src/format.h"
#include "../engine/src/hint.h"
#include "../engine/src/segment_reader.h"
#include "test_util.h"

using namespace bitcask;
using testutil::path_of;
using testutil::read_file;
using testutil::write_file;

namespace {

// One record as a segment walk would hand it to the builder.
RawRecord record(std::string_view key, std::uint64_t offset, std::uint64_t length,
                 std::uint64_t timestamp, RecordKind kind = RecordKind::kPut,
                 std::uint8_t flags = 0, std::uint64_t expiry = 0) {
  RawRecord r;
  r.key = key;
  r.key_size = static_cast<std::uint32_t>(key.size());
  r.offset = offset;
  r.length = length;
  r.timestamp_us = timestamp;
  r.kind = kind;
  r.flags = flags;
  r.expiry_us = expiry;
  return r;
}

struct Read {
  std::vector<hint::Entry> entries;
  std::vector<std::string> keys;  // entries' keys, owned
  std::uint64_t records = 0, covered = 0;
};

// Opens the hint of segment `id` in `dir`; nullopt when it is refused.
std::optional<Read> read_hint(const fs::path& dir, std::uint32_t id, std::uint64_t segment_size) {
  hint::Reader reader;
  if (!reader.open(dir / hint::file_name(id), id, segment_size)) return std::nullopt;
  Read out;
  out.records = reader.records();
  out.covered = reader.covered();
  hint::Cursor cursor = reader.entries();
  hint::Entry e;
  while (cursor.next(&e)) {
    out.keys.emplace_back(e.key);
    out.entries.push_back(e);
  }
  for (std::size_t i = 0; i < out.entries.size(); ++i) out.entries[i].key = out.keys[i];
  return out;
}

// Rewrites the trailer's CRC, so a test can change a hint's content and
// still have it reach the checks behind the checksum.
void reseal(const fs::path& path, std::string bytes) {
  const std::size_t at = bytes.size() - 4;
  encode_u32_le(bytes.data() + at, crc32c::value(bytes.data(), at));
  write_file(path, bytes);
}

// A database of one segment, k0 … k9 holding "v0" … "v9", closed, so its
// hint covers all of it.
// The records of segment 1 of `dir`, for crafting hints of it: the views
// point into `bytes`.
struct SegmentRecords {
  std::string bytes;
  std::vector<RawRecord> records;
};
void read_records(const fs::path& dir, SegmentRecords* out) {
  out->bytes = read_file(dir / "0000000001.seg");
  SegmentReader reader(out->bytes.data(), out->bytes.size(), SegmentFormat::kNative);
  for (RawRecord rec; reader.next(&rec);) out->records.push_back(rec);
}

void make_ten_keys(const fs::path& dir) {
  auto db = DB::open(dir);
  for (int i = 0; i < 10; ++i) db->put("k" + std::to_string(i), "v" + std::to_string(i));
}

// Every key of make_ten_keys is read back right, and verify names the hint
// of segment 1 as damaged: what an open must make of a hint it refuses.
void expect_hint_refused(const fs::path& dir) {
  auto db = DB::open(dir, testutil::read_only_options());
  QCOMPARE(db->size(), 10ull);
  for (int i = 0; i < 10; ++i) {
    QCOMPARE(db->get("k" + std::to_string(i)).value_or("<missing>"), "v" + std::to_string(i));
  }
  const auto problems = db->verify();
  QCOMPARE(problems.size(), std::size_t{1});
  QCOMPARE(problems[0].file, hint::file_name(1));
}

}  // namespace

class HintTest : public QObject {
  Q_OBJECT
 private slots:
  void varintsRoundTrip() {
    for (std::uint64_t v : {0ull, 1ull, 127ull, 128ull, 300ull, 16383ull, 16384ull, 1ull << 35,
                            (1ull << 63) - 1, 1ull << 63, ~0ull}) {
      std::string s;
      put_varint64(&s, v);
      const char* p = s.data();
      std::uint64_t back = 0;
      QVERIFY(get_varint64(&p, s.data() + s.size(), &back));
      QCOMPARE(back, v);
      QCOMPARE(p, s.data() + s.size());
      // Cut short anywhere, it does not decode.
      for (std::size_t cut = 0; cut < s.size(); ++cut) {
        const char* q = s.data();
        QVERIFY(!get_varint64(&q, s.data() + cut, &back));
      }
    }
    // More than ten bytes of continuation is not a 64-bit number.
    const std::string overlong(11, '\x80');
    const char* p = overlong.data();
    std::uint64_t v = 0;
    QVERIFY(!get_varint64(&p, overlong.data() + overlong.size(), &v));
  }

  void zigzagRoundTrip() {
    for (std::int64_t v : {std::int64_t{0}, std::int64_t{-1}, std::int64_t{1}, std::int64_t{-64},
                           std::int64_t{63}, INT64_MIN, INT64_MAX}) {
      QCOMPARE(zigzag_decode(zigzag_encode(v)), v);
    }
    QCOMPARE(zigzag_encode(-1), 1ull);
    QCOMPARE(zigzag_encode(1), 2ull);
  }

  // Every field survives, in key order, the last record of a key winning,
  // whatever order the offsets and timestamps come in.
  void entriesRoundTrip() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fs::create_directories(dir);
    const std::string long_key(kMaxKeySize, 'z');
    // Large enough for the largest record at the last 32-bit offset.
    constexpr std::uint64_t kCovered = 1ull << 33;
    constexpr std::uint32_t kLargest = format::kRecordHeaderSize + 1 + kMaxValueSize;
    hint::Builder b(7);
    b.add(record("user:0002", 16, 40, 5'000'000));
    b.add(record("user:0001", 100, 41, 4'000'000));  // offset and time going down
    b.add(record("user:0002", 200, 29, 6'000'000, RecordKind::kTombstone));
    b.add(record("user:00011", 300, 43, 1, RecordKind::kPut, format::kFlagExpiry | 0x02,
                 0xFFFF'FFFF'FFFFull));
    b.add(record("a", 0xFFFF'FF00u, kLargest, ~0ull >> 1));
    b.add(record(long_key, 400, 70000, 2));
    b.add(record("user:0001", 500, 44, 7'000'000), 16);  // a merge output's new offset
    b.count_record();                                    // a batch marker
    b.write(dir, kCovered);

    auto read = read_hint(dir, 7, kCovered);
    QVERIFY(read);
    QCOMPARE(read->records, 8ull);
    QCOMPARE(read->covered, kCovered);
    const auto& e = read->entries;
    QCOMPARE(e.size(), std::size_t(5));
    QCOMPARE(e[0].key, std::string_view("a"));
    QCOMPARE(e[0].loc.offset, 0xFFFF'FF00u);
    QCOMPARE(e[0].loc.size, kLargest);
    QCOMPARE(e[0].loc.timestamp_us, ~0ull >> 1);
    QCOMPARE(e[0].loc.segment, 7u);
    QCOMPARE(e[1].key, std::string_view("user:0001"));
    QCOMPARE(e[1].loc.offset, 16u);
    QCOMPARE(e[1].loc.size, 44u);
    QCOMPARE(e[1].loc.timestamp_us, 7'000'000ull);
    QCOMPARE(e[2].key, std::string_view("user:00011"));
    QCOMPARE(e[2].loc.flags, std::uint8_t(format::kFlagExpiry | 0x02));
    QCOMPARE(e[2].expiry_us, 0xFFFF'FFFF'FFFFull);
    QCOMPARE(e[2].loc.timestamp_us, 1ull);
    QCOMPARE(e[3].key, std::string_view("user:0002"));
    QCOMPARE(e[3].kind, RecordKind::kTombstone);
    QCOMPARE(e[3].loc.offset, 200u);
    QCOMPARE(e[4].key.size(), std::size_t(kMaxKeySize));
    QCOMPARE(e[4].loc.size, 70000u);
    for (std::size_t i = 0; i + 1 < e.size(); ++i) {
      if (i != 3) QCOMPARE(e[i].kind, RecordKind::kPut);
      QVERIFY(e[i].key < e[i + 1].key);
    }
    // Sizing the keydir: the trailer's count, bounded by what segment 7
    // could hold, and nothing without the segment.
    QCOMPARE(hint::entry_count(dir, 7), 0ull);
    write_file(dir / format::segment_file_name(7), std::string(123456, '\0'));
    QCOMPARE(hint::entry_count(dir, 7), 5ull);
    fs::resize_file(dir / format::segment_file_name(7), 16 + 4 * 21);
    QCOMPARE(hint::entry_count(dir, 7), 0ull);  // the hint is larger than it could be
  }

  // Keys written in order share their prefixes and their numbers move by
  // small steps: a few bytes an entry, not the 20 + key of fixed fields.
  void sequentialKeysTakeFewBytes() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fs::create_directories(dir);
    hint::Builder b(1);
    constexpr int kKeys = 10000;
    std::vector<std::string> keys;
    for (int i = 0; i < kKeys; ++i) keys.push_back(QString::asprintf("key%012d", i).toStdString());
    for (int i = 0; i < kKeys; ++i) {
      b.add(record(keys[i], 16 + 130ull * i, 130, 1'700'000'000'000'000ull + 2ull * i));
    }
    b.write(dir, 16 + 130ull * kKeys);
    const auto bytes = fs::file_size(dir / hint::file_name(1));
    QVERIFY2(bytes < 12u * kKeys, qPrintable(QString::number(bytes)));
    auto read = read_hint(dir, 1, 16 + 130ull * kKeys);
    QVERIFY(read);
    QCOMPARE(read->entries.size(), std::size_t(kKeys));
    for (int i = 0; i < kKeys; ++i) {
      QCOMPARE(read->entries[i].key, std::string_view(keys[i]));
      QCOMPARE(read->entries[i].loc.offset, std::uint32_t(16 + 130 * i));
    }
  }

  // A hint is trusted whole or not at all: any flipped byte fails the
  // checksum, and content behind a valid checksum is checked too.
  void damagedHintsAreRefused() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fs::create_directories(dir);
    hint::Builder b(3);
    b.add(record("alpha", 16, 30, 10));
    b.add(record("alphabet", 46, 30, 11));
    b.add(record("beta", 76, 24, 12, RecordKind::kTombstone));
    b.write(dir, 100);
    const fs::path path = dir / hint::file_name(3);
    const std::string good = read_file(path);
    QVERIFY(read_hint(dir, 3, 100));

    for (std::size_t i = 0; i < good.size(); ++i) {
      std::string bad = good;
      bad[i] ^= 0x20;
      write_file(path, bad);
      QVERIFY2(!read_hint(dir, 3, 100), qPrintable(QString("byte %1").arg(i)));
    }
    write_file(path, good.substr(0, good.size() - 1));
    QVERIFY(!read_hint(dir, 3, 100));

    write_file(path, good);
    QVERIFY(!read_hint(dir, 4, 100));  // names another segment
    QVERIFY(!read_hint(dir, 3, 99));   // covers more than the segment has

    // Behind a valid checksum: the entry count, the version, a key sharing
    // more bytes than the previous key has, unknown flags.
    const std::size_t trailer = good.size() - 28;
    std::string bad = good;
    encode_u64_le(bad.data() + trailer, 4);
    reseal(path, bad);
    QVERIFY(!read_hint(dir, 3, 100));

    bad = good;
    encode_u16_le(bad.data() + 8, 1);
    reseal(path, bad);
    QVERIFY(!read_hint(dir, 3, 100));

    bad = good;
    bad[16] = 9;  // the first entry's shared bytes: there is no previous key
    reseal(path, bad);
    QVERIFY(!read_hint(dir, 3, 100));

    bad = good;
    bad[18] = 0x08 << 1;  // kind_flags: a flag no record format has
    reseal(path, bad);
    QVERIFY(!read_hint(dir, 3, 100));

    bad = good;
    bad[18] = '\x80';  // kind_flags 0x200: more than 8 bits of flags
    bad.insert(19, 1, '\x04');
    reseal(path, bad);
    QVERIFY(!read_hint(dir, 3, 100));

    reseal(path, good);
    QVERIFY(read_hint(dir, 3, 100));
  }

  // A hint far larger than its segment could need (here sparse, 100 GiB
  // for one key, its trailer claiming 2^40 entries) is refused before it is
  // mapped or read, and its count sizes nothing: opening used to abort on
  // the allocation, and took seconds and gigabytes at 1 GiB.
  void oversizedHintsAreIgnored() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    make_ten_keys(dir);
    const fs::path path = dir / hint::file_name(1);
    constexpr std::uint64_t kSize = 100ull << 30;
    std::error_code ec;
    fs::resize_file(path, kSize, ec);
    if (ec) QSKIP("no sparse files here");
    {
      std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
      f.seekp(static_cast<std::streamoff>(kSize - 28));
      f.write("\0\0\0\0\0\1\0\0", 8);
    }
    expect_hint_refused(dir);
  }

  // Entries behind a valid checksum that cannot describe their segment: any
  // one of them makes the whole hint refused (the segment is scanned) and
  // verify report it. Each used to be trusted, and a read through it went
  // outside the mapping (SIGSEGV, SIGBUS) while check said OK.
  void entriesMustFitTheirSegment() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    make_ten_keys(dir);
    const fs::path path = dir / hint::file_name(1);
    const std::uint64_t segment_size = fs::file_size(dir / format::segment_file_name(1));
    const auto good = read_hint(dir, 1, segment_size);
    QVERIFY(good);
    QCOMPARE(good->entries.size(), std::size_t{10});
    QCOMPARE(good->covered, segment_size);
    const std::string good_bytes = read_file(path);

    // Rewrites the hint from the good entries, the fourth changed by `bad`.
    auto rewrite = [&](auto bad, std::uint64_t covered) {
      std::vector<RawRecord> recs;
      std::vector<std::string> keys(good->keys);
      for (std::size_t i = 0; i < good->entries.size(); ++i) {
        const hint::Entry& e = good->entries[i];
        recs.push_back(record(keys[i], e.loc.offset, e.loc.size, e.loc.timestamp_us, e.kind,
                              e.loc.flags, e.expiry_us));
      }
      bad(recs[3]);
      hint::Builder b(1);
      for (const RawRecord& r : recs) b.add(r);
      b.write(dir, covered);
    };
    struct Case {
      const char* what;
      std::function<void(RawRecord&)> bad;
      std::uint64_t covered;
    };
    const std::vector<Case> cases = {
        {"offset far past the end", [](RawRecord& r) { r.offset = 0xFFFFF000u; }, segment_size},
        {"size of 4e9", [](RawRecord& r) { r.length = 4'000'000'000u; }, segment_size},
        {"offset inside the segment header", [](RawRecord& r) { r.offset = 4; }, segment_size},
        {"size below header + key", [](RawRecord& r) { r.length = 10; }, segment_size},
        {"expiry flag without room for it", [](RawRecord& r) { r.flags |= format::kFlagExpiry; },
         segment_size},
        {"tombstone holding a value", [](RawRecord& r) { r.kind = RecordKind::kTombstone; },
         segment_size},
        {"both compression bits", [](RawRecord& r) { r.flags |= format::kFlagCompressionMask; },
         segment_size},
        {"past the bytes covered", [](RawRecord&) {}, segment_size - 1},
        {"covering less than the segment header", [](RawRecord&) {}, 8},
    };
    for (const Case& c : cases) {
      rewrite(c.bad, c.covered);
      QVERIFY2(!read_hint(dir, 1, segment_size), c.what);
      expect_hint_refused(dir);
    }

    // The trailer's counts: more entries than records, and more records
    // than the bytes covered can hold (a record takes at least 20 bytes).
    const std::size_t trailer = good_bytes.size() - 28;
    std::string bad = good_bytes;
    encode_u64_le(bad.data() + trailer + 8, 9);
    reseal(path, bad);
    QVERIFY(!read_hint(dir, 1, segment_size));
    expect_hint_refused(dir);
    bad = good_bytes;
    encode_u64_le(bad.data() + trailer + 8, segment_size / 20 + 1);
    reseal(path, bad);
    QVERIFY(!read_hint(dir, 1, segment_size));
    expect_hint_refused(dir);

    write_file(path, good_bytes);
    QVERIFY(read_hint(dir, 1, segment_size));
    auto db = DB::open(dir, testutil::read_only_options());
    QVERIFY(db->verify().empty());
  }

  // A version 1 hint (from 0.1.0 before this format) is ignored like a
  // damaged one: the segment is scanned, every key comes back, and a
  // writable open writes a version 2 hint in its place.
  // A hint that passes every check of its own, CRC included, but names
  // records its segment holds elsewhere (k0 and k1 swapped): an open trusts
  // it, so no read may serve the other key's value, and verify names the
  // hint, the key and the offset.
  void hintNamingOtherRecordsIsReported() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    make_ten_keys(dir);
    SegmentRecords segment;
    read_records(dir, &segment);
    const std::string& bytes = segment.bytes;
    const std::vector<RawRecord>& records = segment.records;
    QCOMPARE(records.size(), std::size_t{10});
    QCOMPARE(records[0].key, std::string_view("k0"));
    QCOMPARE(records[1].key, std::string_view("k1"));
    hint::Builder swapped(1);
    swapped.add(records[0], static_cast<std::uint32_t>(records[1].offset));
    swapped.add(records[1], static_cast<std::uint32_t>(records[0].offset));
    for (std::size_t i = 2; i < records.size(); ++i) swapped.add(records[i]);
    swapped.write(dir, bytes.size());
    QVERIFY(read_hint(dir, 1, bytes.size()));  // it passes its own checks

    auto db = DB::open(dir, testutil::read_only_options());
    QCOMPARE(db->get("k2").value_or("<missing>"), std::string("v2"));
    try {
      const auto got = db->get("k0");
      QFAIL(qPrintable("k0 read as " + QString::fromStdString(got.value_or("<missing>"))));
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kCorruption);
    }
    const auto problems = db->verify();
    QCOMPARE(problems.size(), std::size_t{1});
    QCOMPARE(problems[0].file, hint::file_name(1));
    QVERIFY2(problems[0].what.find("2 of 10 entries") != std::string::npos &&
                 problems[0].what.find("key 'k0'") != std::string::npos,
             problems[0].what.c_str());
  }

  // A hint can name only real records of its keys and still be wrong: an
  // older record of a key (of the same size), or no record of a key at all.
  // An open trusts it and serves the older value; verify must say so.
  void hintNamingOlderRecordsOrLeavingKeysOutIsReported_data() {
    QTest::addColumn<bool>("older");
    QTest::newRow("an older record of k0") << true;
    QTest::newRow("k2 left out") << false;
  }
  void hintNamingOlderRecordsOrLeavingKeysOutIsReported() {
    QFETCH(bool, older);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    make_ten_keys(dir);
    {
      auto db = DB::open(dir);
      db->put("k0", "w0");
    }
    SegmentRecords segment;
    read_records(dir, &segment);
    const std::string& bytes = segment.bytes;
    const std::vector<RawRecord>& records = segment.records;
    QCOMPARE(records.size(), std::size_t{11});
    QCOMPARE(records[0].key, std::string_view("k0"));
    QCOMPARE(records[10].key, std::string_view("k0"));
    hint::Builder crafted(1);
    crafted.add(older ? records[0] : records[10]);
    for (std::size_t i = 1; i < 10; ++i) {
      if (older || records[i].key != "k2") crafted.add(records[i]);
    }
    crafted.write(dir, bytes.size());
    QVERIFY(read_hint(dir, 1, bytes.size()));  // it passes its own checks

    auto db = DB::open(dir, testutil::read_only_options());
    QCOMPARE(db->get("k0").value_or("<missing>"), std::string(older ? "v0" : "w0"));
    const auto problems = db->verify();
    QCOMPARE(problems.size(), std::size_t{1});
    QCOMPARE(problems[0].file, hint::file_name(1));
    const std::string expected = older ? "1 entry names an older record than its key's newest"
                                       : "1 key of the segment named by no entry";
    QVERIFY2(problems[0].what.find(expected) != std::string::npos, problems[0].what.c_str());
    if (older) {
      QVERIFY2(problems[0].what.find("key 'k0' names its record at offset " +
                                     std::to_string(records[0].offset)) != std::string::npos,
               problems[0].what.c_str());
    }
    db.reset();

    // A merge would keep what the hint names and drop the rest: refused.
    {
      auto writer = DB::open(dir);
      try {
        writer->merge();
        QFAIL("merged beside a hint that does not name every key's newest record");
      } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::kCorruption);
        QVERIFY2(std::string(e.what()).find("Not merged") != std::string::npos, e.what());
      }
    }
    QCOMPARE(read_file(dir / "0000000001.seg"), bytes);
    fs::remove(dir / hint::file_name(1));
    auto rebuilt = DB::open(dir);
    QCOMPARE(rebuilt->get("k0").value_or("<missing>"), std::string("w0"));
    QCOMPARE(rebuilt->get("k2").value_or("<missing>"), std::string("v2"));
    rebuilt->merge();
    QCOMPARE(rebuilt->get("k0").value_or("<missing>"), std::string("w0"));
    QVERIFY(rebuilt->verify().empty());
  }

  void olderHintVersionsAreRebuilt() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options small;
    small.max_segment_size = 4096;
    {
      auto db = DB::open(dir, small);
      for (int i = 0; i < 200; ++i) db->put("k" + std::to_string(i), std::string(40, 'v'));
      db->remove("k7");
    }
    const fs::path path = dir / hint::file_name(1);
    std::string bytes = read_file(path);
    QCOMPARE(decode_u16_le(bytes.data() + 8), std::uint16_t(2));
    encode_u16_le(bytes.data() + 8, 1);
    reseal(path, bytes);
    {
      auto db = DB::open(dir, testutil::read_only_options());
      QCOMPARE(db->size(), 199ull);
      QVERIFY(!db->contains("k7"));
      QCOMPARE(db->get("k0").value_or(""), std::string(40, 'v'));
    }
    QCOMPARE(decode_u16_le(read_file(path).data() + 8), std::uint16_t(1));  // read-only: kept
    {
      auto db = DB::open(dir, small);
      QCOMPARE(db->size(), 199ull);
    }
    QCOMPARE(decode_u16_le(read_file(path).data() + 8), std::uint16_t(2));
    auto db = DB::open(dir, testutil::read_only_options());
    QCOMPARE(db->size(), 199ull);
    QVERIFY(!db->contains("k7"));
  }
};

QTEST_GUILESS_MAIN(HintTest)
#include "tst_hint.moc"
