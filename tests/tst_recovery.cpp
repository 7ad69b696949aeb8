// Recovery: torn tails, garbage, corrupt records in sealed segments, and the
// end of data in a segment the writer preallocated (engine/FORMAT.md).
#include <QTest>
#include <random>

#include "../engine/src/crc32c.h"
#include "../engine/src/fault_injection.h"
#include "test_util.h"

using namespace bitcask;
using namespace testutil;

class RecoveryTest : public QObject {
  Q_OBJECT

  // Writes keys k0..k{n-1} with values v0..; returns the last segment file.
  static fs::path make_db(const fs::path& dir, int n, const Options& o = {}) {
    auto db = DB::open(dir, o);
    for (int i = 0; i < n; ++i) db->put("k" + std::to_string(i), "v" + std::to_string(i));
    db->close();
    return segment_files(dir).back();
  }

 private slots:
  // Cutting the last record at every byte offset keeps every record before it.
  void truncateLastRecordAtEveryOffset() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const fs::path seg = make_db(dir, 5);
    const std::string full = read_file(seg);
    // The same four records alone: the fifth record is the bytes past them.
    const std::string before = [&] {
      QTemporaryDir t2;
      return read_file(make_db(path_of(t2), 4));
    }();
    const std::size_t record_len = full.size() - before.size();
    QVERIFY(record_len > 20);
    for (std::size_t cut = 0; cut < record_len; ++cut) {
      write_file(seg, full.substr(0, before.size() + cut));
      auto db = DB::open(dir);
      QCOMPARE(db->size(), 4ull);
      for (int i = 0; i < 4; ++i)
        QCOMPARE(*db->get("k" + std::to_string(i)), "v" + std::to_string(i));
      QVERIFY(!db->contains("k4"));
      // The record starts with its CRC, and a CRC may start with zero bytes
      // (its timestamp differs from run to run): a cut that keeps only zeros
      // of it is the preallocated zero tail, as engine/FORMAT.md says.
      const std::string kept = full.substr(before.size(), cut);
      if (kept.find_first_not_of('\0') == std::string::npos) {
        QVERIFY(db->recovery_report().clean());
      } else {
        QCOMPARE(db->recovery_report().truncated_tails.size(), std::size_t{1});
        QCOMPARE(db->recovery_report().truncated_tails[0].offset, before.size());
      }
      // New writes go after the last good record and survive a reopen.
      db->put("after", "cut");
      db->close();
      auto again = DB::open(dir);
      QVERIFY(again->recovery_report().clean());
      QCOMPARE(*again->get("after"), std::string("cut"));
      QCOMPARE(again->size(), 5ull);
      again->close();
      std::error_code ec;
      fs::remove_all(dir / "lost+found", ec);
    }
  }

  void garbageTailIsCutAndKept_data() {
    QTest::addColumn<QByteArray>("garbage");
    // Zeros alone are the preallocated tail (zeroTailIsTheDataEnd); zeros
    // with other bytes after them are garbage.
    QByteArray zeros_then_garbage(4096, '\0');
    zeros_then_garbage.append("junk", 4);
    QTest::newRow("zeros then garbage") << zeros_then_garbage;
    std::mt19937 rng(7);
    QByteArray random(10000, '\0');
    for (auto& c : random) c = static_cast<char>(rng());
    random.back() = 'x';  // the saved bytes end at the last non-zero one
    QTest::newRow("random") << random;
    QTest::newRow("one byte") << QByteArray("\x01", 1);
  }
  void garbageTailIsCutAndKept() {
    QFETCH(QByteArray, garbage);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const fs::path seg = make_db(dir, 100);
    const std::size_t good = fs::file_size(seg);
    append_file(seg, garbage.toStdString());
    {
      // Read-only: reported, ignored, the file untouched.
      auto ro = DB::open(dir, read_only_options());
      QCOMPARE(ro->size(), 100ull);
      QCOMPARE(ro->recovery_report().truncated_tails.size(), std::size_t{1});
      QCOMPARE(fs::file_size(seg), good + garbage.size());
    }
    auto db = DB::open(dir);
    QCOMPARE(db->size(), 100ull);
    QCOMPARE(*db->get("k99"), std::string("v99"));
    const auto& tails = db->recovery_report().truncated_tails;
    QCOMPARE(tails.size(), std::size_t{1});
    QCOMPARE(tails[0].offset, good);
    QCOMPARE(tails[0].length, std::uint64_t(garbage.size()));
    QCOMPARE(fs::file_size(seg), good);
    // The bytes cut are saved, not lost.
    const fs::path saved =
        dir / "lost+found" / (seg.filename().string() + "." + std::to_string(good) + ".tail");
    QVERIFY(fs::exists(saved));
    QCOMPARE(QByteArray::fromStdString(read_file(saved)), garbage);
  }

  // The rule that tells the preallocated tail from a record: 20 zero bytes
  // never form a valid record, because the CRC of the 16 zero bytes after
  // the CRC field is not zero (FORMAT.md quotes this value).
  void zeroHeaderIsNeverARecord() {
    const std::string zeros(16, '\0');
    QCOMPARE(crc32c::value(zeros.data(), zeros.size()), 0x42709AEAu);
  }

  // A crash leaves the active segment longer than its records, zeros after
  // them: the data ends there. Nothing is reported or saved, readers do not
  // see the zeros, and appends go on over them.
  void zeroTailIsTheDataEnd_data() {
    QTest::addColumn<int>("zeros");
    QTest::newRow("one byte") << 1;
    QTest::newRow("under a header") << 19;
    QTest::newRow("a page") << 4096;
    QTest::newRow("a preallocation step") << (1 << 20);
  }
  void zeroTailIsTheDataEnd() {
    QFETCH(int, zeros);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const fs::path seg = make_db(dir, 100);
    const std::uint64_t good = fs::file_size(seg);
    fs::resize_file(seg, good + static_cast<std::uint64_t>(zeros));
    {
      auto ro = DB::open(dir, read_only_options());
      QVERIFY(ro->recovery_report().clean());
      QCOMPARE(ro->size(), 100ull);
      QCOMPARE(ro->stats().total_bytes, good);
      QVERIFY(ro->verify().empty());
      QCOMPARE(fs::file_size(seg), good + zeros);  // a reader changes nothing
    }
    {
      auto db = DB::open(dir);
      QVERIFY(db->recovery_report().clean());
      QCOMPARE(*db->get("k99"), std::string("v99"));
      QVERIFY(!fs::exists(dir / "lost+found"));
      db->put("after", "zeros");
      QCOMPARE(*db->get("after"), std::string("zeros"));
      QVERIFY(db->verify().empty());
      db->close();
    }
    // Close cut the file back to its records.
    auto again = DB::open(dir);
    QVERIFY(again->recovery_report().clean());
    QCOMPARE(again->size(), 101ull);
    QCOMPARE(fs::file_size(seg), again->stats().total_bytes);
  }

  // A process stopped while it copied a record into the mapping: the
  // record's first bytes, then the preallocated zeros. A torn tail: the
  // bytes of the record (not the zeros) are saved and cut, the records
  // before it kept.
  void halfCopiedRecordBeforeZeros() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const fs::path seg = make_db(dir, 5);
    const std::string full = read_file(seg);
    const std::string before = [&] {
      QTemporaryDir t2;
      return read_file(make_db(path_of(t2), 4));
    }();
    const std::size_t record_len = full.size() - before.size();
    for (std::size_t copied : {std::size_t{1}, std::size_t{4}, std::size_t{20}, record_len - 1}) {
      const std::string part = full.substr(before.size(), copied);
      if (part.find_last_not_of('\0') == std::string::npos) continue;
      const std::size_t nonzero = part.find_last_not_of('\0') + 1;
      write_file(seg, before + part + std::string(65536, '\0'));
      fs::remove(fs::path(seg).replace_extension(".hint"));  // it covers the old fifth record
      {
        auto ro = DB::open(dir, read_only_options());
        QCOMPARE(ro->size(), 4ull);
        QCOMPARE(ro->recovery_report().truncated_tails.size(), std::size_t{1});
        QVERIFY(ro->recovery_report().corrupt_records.empty());
      }
      auto db = DB::open(dir);
      QCOMPARE(db->size(), 4ull);
      QVERIFY(!db->contains("k4"));
      const auto& tails = db->recovery_report().truncated_tails;
      QCOMPARE(tails.size(), std::size_t{1});
      QCOMPARE(tails[0].offset, std::uint64_t(before.size()));
      QCOMPARE(tails[0].length, std::uint64_t(nonzero));
      QVERIFY(db->recovery_report().corrupt_records.empty());
      const fs::path saved =
          dir / "lost+found" /
          (seg.filename().string() + "." + std::to_string(before.size()) + ".tail");
      QCOMPARE(read_file(saved), part.substr(0, nonzero));
      QCOMPARE(fs::file_size(seg), std::uint64_t(before.size()));
      db->put("k4", "again");
      db->close();
      auto again = DB::open(dir);
      QVERIFY(again->recovery_report().clean());
      QCOMPARE(*again->get("k4"), std::string("again"));
      again->close();
      fs::remove_all(dir / "lost+found");
      write_file(seg, full);
    }
  }

  // Zeros followed by a valid record are not a tail (pages lost from the
  // middle): damage, reported where it is, and the record after it kept.
  void zerosBeforeARecordAreDamage() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const fs::path seg = make_db(dir, 5);
    const std::string full = read_file(seg);
    const std::string before = [&] {
      QTemporaryDir t2;
      return read_file(make_db(path_of(t2), 4));
    }();
    write_file(seg, before + std::string(4096, '\0') + full.substr(before.size()) +
                        std::string(4096, '\0'));
    fs::remove(fs::path(seg).replace_extension(".hint"));  // it covers the old layout
    auto db = DB::open(dir);
    QCOMPARE(db->size(), 5ull);
    QVERIFY(db->recovery_report().truncated_tails.empty());
    QCOMPARE(db->recovery_report().corrupt_records.size(), std::size_t{1});
    QCOMPARE(db->recovery_report().corrupt_records[0].offset, std::uint64_t(before.size()));
    QCOMPARE(db->recovery_report().corrupt_records[0].length, std::uint64_t(4096));
  }

  // While a writer is open its active segment is longer than its data;
  // roll-over and close cut every segment back to its records, durably.
  void writerPreallocatesAndCutsBack() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options o;
    o.max_segment_size = 64 << 10;
    auto db = DB::open(dir, o);
    for (int i = 0; i < 2000; ++i) db->put("k" + std::to_string(i), std::string(100, 'v'));
    const Stats live = db->stats();
    QVERIFY(live.segments > 2);
    const auto files = segment_files(dir);
    for (const SegmentStats& st : live.segment_stats) {
      const std::uint64_t on_disk = fs::file_size(dir / st.file);
      if (st.active) {
        QVERIFY2(on_disk > st.size, "the active segment is preallocated");
      } else {
        QCOMPARE(on_disk, st.size);
      }
    }
    {
      // A reader of the live directory sees no damage in the zeros.
      auto ro = DB::open(dir, read_only_options());
      QVERIFY(ro->recovery_report().clean());
      QCOMPARE(ro->size(), 2000ull);
      QVERIFY(ro->verify().empty());
    }
    db->close();
    auto again = DB::open(dir, o);
    QVERIFY(again->recovery_report().clean());
    for (const SegmentStats& st : again->stats().segment_stats) {
      QCOMPARE(fs::file_size(dir / st.file), st.size);
    }
  }

  // A large record (copied into the mapping like any other) stopped
  // half-way is a torn tail before the zeros.
  void largeRecordTornBeforeTheZeros() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const std::string big(20000, 'b');
    {
      auto db = DB::open(dir);
      db->put("small", "s");
      db->put("big1", big);
      QCOMPARE(*db->get("big1"), big);
      int writes = 0;
      fault::set_hook([&](fault::Op op, const fs::path& p) {
        return op == fault::Op::kWrite && p.extension() == ".seg" && ++writes == 1 ? EIO : 0;
      });
      QVERIFY_THROWS_EXCEPTION(Error, db->put("big2", big));
      fault::set_hook({});
      QVERIFY(fs::file_size(segment_files(dir).back()) > db->stats().total_bytes);
    }
    auto db = DB::open(dir);
    QCOMPARE(db->recovery_report().truncated_tails.size(), std::size_t{1});
    QCOMPARE(db->recovery_report().truncated_tails[0].length, std::uint64_t((20 + 4 + 20000) / 2));
    QVERIFY(db->recovery_report().corrupt_records.empty());
    QCOMPARE(*db->get("big1"), big);
    QCOMPARE(*db->get("small"), std::string("s"));
    QVERIFY(!db->contains("big2"));
    db->put("big2", big);
    db->close();
    auto again = DB::open(dir);
    QVERIFY(again->recovery_report().clean());
    QCOMPARE(*again->get("big2"), big);
    QVERIFY(again->verify().empty());
  }

  // A full disk shows when the file is grown, as an error of the put that
  // needed the room (never a fault during the copy); nothing acknowledged
  // is lost.
  void fullDiskIsAnErrorOfThePut() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto db = DB::open(dir);
    db->put("first", "kept");
    bool failed = false;
    fault::set_hook([&](fault::Op op, const fs::path&) {
      if (op == fault::Op::kAllocate) {
        failed = true;
        return ENOSPC;
      }
      return 0;
    });
    int acknowledged = 0;
    try {
      for (; acknowledged < 100000; ++acknowledged) {
        db->put("k" + std::to_string(acknowledged), std::string(1000, 'x'));
      }
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kNoSpace);
      QVERIFY(std::string(e.what()).find("cannot allocate") != std::string::npos);
    }
    fault::set_hook({});
    QVERIFY(failed);
    QVERIFY(acknowledged < 100000);
    db->close();
    auto again = DB::open(dir);
    QCOMPARE(*again->get("first"), std::string("kept"));
    QCOMPARE(again->size(), std::uint64_t(acknowledged) + 1);
    QVERIFY(again->verify().empty());
  }

  // A damaged record in a sealed segment: reported, not served, not deleted,
  // and the records after it in the same segment are still found.
  void corruptRecordInSealedSegment() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options o;
    o.max_segment_size = 4096;
    make_db(dir, 500, o);
    const auto segs = segment_files(dir);
    QVERIFY(segs.size() > 3);
    const fs::path victim = segs[1];
    std::string bytes = read_file(victim);
    const std::size_t at = bytes.size() / 2;
    bytes[at] = static_cast<char>(bytes[at] ^ 0x5a);
    write_file(victim, bytes);
    {
      // With hints an open reads no values, so the damage shows on read and
      // on verify instead: the damaged value is refused, never served.
      auto db = DB::open(dir, read_only_options());
      QVERIFY(fs::exists(dir / "0000000002.hint"));
      int refused = 0;
      ScanOptions all;
      all.limit = 1000;
      for (const auto& e : db->scan(all)) {
        try {
          db->get(e.key);
        } catch (const Error& err) {
          QCOMPARE(err.code(), ErrorCode::kCorruption);
          ++refused;
        }
      }
      QCOMPARE(refused, 1);
      QCOMPARE(db->verify().size(), std::size_t{1});
    }
    // Without hints, recovery itself finds and reports it.
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".hint") fs::remove(e.path());
    }
    auto db = DB::open(dir);
    const auto& report = db->recovery_report();
    QCOMPARE(report.corrupt_records.size(), std::size_t{1});
    QCOMPARE(report.corrupt_records[0].file, victim.filename().string());
    QVERIFY(report.corrupt_records[0].offset <= at);
    QVERIFY(report.corrupt_records[0].offset + report.corrupt_records[0].length > at);
    QVERIFY(report.truncated_tails.empty());
    // The damaged record's key still reads: it counts as it does with hints,
    // and its value is refused, never served.
    QVERIFY(report.corrupt_records[0].key.has_value());
    QCOMPARE(db->size(), 500ull);
    QVERIFY_THROWS_EXCEPTION(Error, db->get(*report.corrupt_records[0].key));
    QCOMPARE(read_file(victim), bytes);  // never modified
    // No hint is written for a damaged segment: every open reports it.
    QVERIFY(!fs::exists(dir / (victim.stem().string() + ".hint")));
    QVERIFY(fs::exists(dir / "0000000001.hint"));
    const auto problems = db->verify();
    QCOMPARE(problems.size(), std::size_t{1});
    QCOMPARE(problems[0].offset, report.corrupt_records[0].offset);
    // Writes still work, into the active segment.
    db->put("new", "value");
    QCOMPARE(*db->get("new"), std::string("value"));
  }

  // A value damaged after open is refused on read, never served.
  void corruptionAfterOpenIsNotServed() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto db = DB::open(dir);
    db->put("key", std::string(100, 'x'));
    db->put("other", "fine");
    const fs::path seg = segment_files(dir).back();
    std::string bytes = read_file(seg);
    const std::size_t at = bytes.find(std::string(100, 'x')) + 50;
    bytes[at] = 'y';
    // Overwrite in place (same inode), as bit rot would.
    std::fstream f(seg, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(at));
    f.put('y');
    f.close();
    try {
      db->get("key");
      QFAIL("a corrupt value was served");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kCorruption);
      QVERIFY(std::string(e.what()).find(seg.filename().string()) != std::string::npos);
    }
    QCOMPARE(*db->get("other"), std::string("fine"));
  }

  // Hints are applied in batches of 16 (so the keydir can prefetch a whole
  // batch): every count around that size must apply every entry, in order,
  // tombstones included.
  void hintEntriesAroundTheBatchSize_data() {
    QTest::addColumn<int>("keys");
    for (int n : {1, 2, 15, 16, 17, 31, 32, 33, 300}) QTest::addRow("%d", n) << n;
  }
  void hintEntriesAroundTheBatchSize() {
    QFETCH(int, keys);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir);
      for (int i = 0; i < keys; ++i) db->put("k" + std::to_string(i), "v" + std::to_string(i));
      // Overwrites and a delete inside the same hint: the last entry wins.
      db->put("k0", "again");
      if (keys > 1) db->remove("k" + std::to_string(keys - 1));
      db->close();
    }
    QVERIFY(fs::exists(dir / "0000000001.hint"));
    Options ro;
    ro.read_only = true;
    auto db = DB::open(dir, ro);
    QCOMPARE(db->size(), std::uint64_t(keys > 1 ? keys - 1 : 1));
    QCOMPARE(db->get("k0").value_or(""), std::string("again"));
    for (int i = 1; i < keys - 1; ++i) {
      QCOMPARE(db->get("k" + std::to_string(i)).value_or(""), "v" + std::to_string(i));
    }
    if (keys > 1) QVERIFY(!db->get("k" + std::to_string(keys - 1)));
  }

  void tombstonesSurviveReopen() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir);
      db->put("a", "1");
      db->put("b", "2");
      QVERIFY(db->remove("a"));
      QVERIFY(!db->remove("a"));
      QVERIFY(!db->remove("never"));
    }
    for (int round = 0; round < 2; ++round) {
      auto db = DB::open(dir);
      QVERIFY(!db->contains("a"));
      QCOMPARE(*db->get("b"), std::string("2"));
      QCOMPARE(db->stats().tombstones, 1ull);
    }
  }

  void shortSegmentHeaderFromACrashedCreate() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    make_db(dir, 3);
    // A crash right after creating the next segment file.
    write_file(dir / "0000000002.seg", std::string("\x89"
                                                   "BC",
                                                   3));
    {
      // To a read-only reader this is also a live writer creating the
      // segment: it held no record, nothing is reported, nothing changes.
      auto ro = DB::open(dir, read_only_options());
      QCOMPARE(ro->size(), 3ull);
      QVERIFY(ro->recovery_report().clean());
      QVERIFY(ro->verify().empty());
      QCOMPARE(read_file(dir / "0000000002.seg").size(), std::size_t{3});
    }
    {
      // Bytes that are not the start of its header are reported.
      write_file(dir / "0000000002.seg", std::string("BC\x89", 3));
      auto ro = DB::open(dir, read_only_options());
      QCOMPARE(ro->recovery_report().truncated_tails.size(), std::size_t{1});
      write_file(dir / "0000000002.seg", std::string("\x89"
                                                     "BC",
                                                     3));
    }
    auto db = DB::open(dir);
    QCOMPARE(db->size(), 3ull);
    QCOMPARE(db->recovery_report().truncated_tails.size(), std::size_t{1});
    db->put("x", "y");
    db->close();
    auto again = DB::open(dir);
    QCOMPARE(*again->get("x"), std::string("y"));
    QVERIFY(again->recovery_report().clean());
  }

  void newerFormatIsRefused() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    make_db(dir, 1);
    write_file(dir / "BITCASK", "bitcask-format 2\n");
    try {
      DB::open(dir);
      QFAIL("a newer format was opened");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kUnsupportedVersion);
    }
  }
};

QTEST_APPLESS_MAIN(RecoveryTest)
#include "tst_recovery.moc"
