// Hostile files and second processes: each case is a reproduction that once
// crashed the engine, failed a reader, or lost bytes without a word.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <QProcess>
#include <QTest>
#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <thread>

#include "fault_injection.h"
#include "format.h"
#include "test_util.h"

using namespace bitcask;
using namespace testutil;

namespace {

// Runs `fn`, which must throw bitcask::Error with `code`; returns its text.
std::string expect_error(const std::function<void()>& fn, ErrorCode code) {
  try {
    fn();
  } catch (const Error& e) {
    if (e.code() != code) {
      QTest::qFail(qPrintable(QString("wrong error code: ") + e.what()), __FILE__, __LINE__);
    }
    return e.what();
  }
  QTest::qFail("no error was thrown", __FILE__, __LINE__);
  return {};
}

// A native segment file holding `records` puts of k<i> = v<i>.
std::string segment_with(std::uint32_t id, int records) {
  std::string bytes = format::encode_segment_header(id);
  for (int i = 0; i < records; ++i) {
    format::append_record(&bytes, RecordKind::kPut, format::now_us(), "k" + std::to_string(i),
                          "v" + std::to_string(i));
  }
  return bytes;
}

Options tiny_segments() {
  Options o;
  o.max_segment_size = 256;
  return o;
}

}  // namespace

class HostileTest : public QObject {
  Q_OBJECT
 private slots:
  void cleanup() { fault::set_hook({}); }

  // Every public method after close() says so instead of reading freed
  // memory (stats and verify used to).
  void closedDatabaseRefusesEveryMethod() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    db->put("k", "v");
    db->close();
    std::string v;
    const std::vector<std::function<void()>> calls = {
        [&] { db->put("k", "v"); },
        [&] { db->remove("k"); },
        [&] { db->get("k", &v); },
        [&] { db->contains("k"); },
        [&] { db->scan({}); },
        [&] { db->count(""); },
        [&] { db->size(); },
        [&] { db->sync(); },
        [&] { db->stats(); },
        [&] { db->history("k"); },
        [&] { db->read_version(1, 16); },
        [&] { db->segment_ids(); },
        [&] { db->read_records(1, 0, 10, [](const RecordInfo&) { return true; }); },
        [&] { db->verify({}); },
        [&] { db->read_raw(1, 0, 4); },
        [&] { db->merge({}); },
    };
    for (const auto& call : calls) {
      expect_error(call, ErrorCode::kClosed);
      if (QTest::currentTestFailed()) return;
    }
    QVERIFY(!db->merge_recommended());
  }

  // A segment named with the largest id (or any id far above the others)
  // is read; a writer cannot go past it and says so.
  void largestSegmentIdsOpen_data() {
    QTest::addColumn<quint32>("id");
    QTest::newRow("4294967295") << quint32(0xffffffffu);
    QTest::newRow("4000000000") << quint32(4000000000u);
  }
  void largestSegmentIdsOpen() {
    QFETCH(quint32, id);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fs::create_directories(dir);
    write_file(dir / format::kMarkerFile, std::string(format::kMarkerPrefix) + "1\n");
    write_file(dir / format::segment_file_name(id), segment_with(id, 3));
    {
      auto db = DB::open(dir, read_only_options());
      QCOMPARE(db->get("k2").value_or(""), std::string("v2"));
      QCOMPARE(db->size(), std::uint64_t(3));
      QCOMPARE(db->segment_ids(), std::vector<std::uint32_t>{id});
    }
    {
      auto db = DB::open(dir, tiny_segments());
      db->put("new", "x");  // into the same segment: it has room
      QCOMPARE(db->get("k1").value_or(""), std::string("v1"));
      if (id == format::kMaxSegmentId) {
        // Rotation needs an id after the largest: refused, with a reason.
        const std::string why = expect_error(
            [&] {
              for (int i = 0; i < 100; ++i)
                db->put("fill" + std::to_string(i), std::string(100, 'f'));
            },
            ErrorCode::kFailed);
        QVERIFY2(why.find("4294967295") != std::string::npos, why.c_str());
      }
    }
    auto db = DB::open(dir, read_only_options());
    QCOMPARE(db->get("new").value_or(""), std::string("x"));
  }

  // The last segment replaced by a link to another file: the open refuses
  // it by name, and the file the link points to is not touched.
  void symlinkedSegmentIsRefused() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir);
      db->put("a", "1");
    }
    const fs::path seg = segment_files(dir).back();
    const fs::path target = path_of(tmp, "elsewhere");
    const std::string precious = "precious bytes that are not a segment";
    write_file(target, precious);
    fs::remove(seg);
    fs::create_symlink(target, seg);
    for (bool read_only : {false, true}) {
      Options o = read_only ? read_only_options() : Options{};
      const std::string why = expect_error([&] { DB::open(dir, o); }, ErrorCode::kNotADatabase);
      QVERIFY2(why.find("symbolic link") != std::string::npos, why.c_str());
      QVERIFY2(why.find(seg.filename().string()) != std::string::npos, why.c_str());
    }
    QCOMPARE(read_file(target), precious);
  }

  // Only the active segment keeps a descriptor: 1,250 segments open under
  // a limit of 256 open files.
  void manySegmentsOpenUnderALowFileLimit() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir, tiny_segments());
      for (int i = 0; i < 1250; ++i) db->put("key" + std::to_string(i), std::string(200, 'v'));
    }
    QVERIFY(segment_files(dir).size() >= 1250);
    rlimit saved{};
    QCOMPARE(getrlimit(RLIMIT_NOFILE, &saved), 0);
    rlimit low = saved;
    low.rlim_cur = 256;
    QCOMPARE(setrlimit(RLIMIT_NOFILE, &low), 0);
    std::string failure;
    for (bool read_only : {true, false}) {
      try {
        auto db = DB::open(dir, read_only ? read_only_options() : tiny_segments());
        if (db->get("key1249").value_or("") != std::string(200, 'v')) failure = "wrong value";
        if (!read_only) db->put("one more", "x");
      } catch (const Error& e) {
        failure = e.what();
      }
    }
    setrlimit(RLIMIT_NOFILE, &saved);
    QVERIFY2(failure.empty(), failure.c_str());
  }

  // A read-only reader opened on a segment with a torn tail, then a writer
  // opens and cuts the tail: the reader goes on reading every byte it saw
  // (its copy), where a shared mapping faulted past the new end (SIGBUS).
  void readerKeepsReadingWhileAWriterCutsATornTail() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir);
      for (int i = 0; i < 100; ++i) db->put("k" + std::to_string(i), "v" + std::to_string(i));
    }
    const fs::path seg = segment_files(dir).back();
    const auto good_size = fs::file_size(seg);
    append_file(seg, std::string(64 << 10, '\x5a'));  // pages of garbage past the records
    auto reader = DB::open(dir, read_only_options());
    QCOMPARE(reader->recovery_report().truncated_tails.size(), std::size_t(1));
    {
      auto writer = DB::open(dir);
      QCOMPARE(fs::file_size(seg), good_size);  // cut back
    }
    const std::vector<Problem> problems = reader->verify({});
    QCOMPARE(problems.size(), std::size_t(1));  // the tail it saw, still reported
    std::uint64_t records = 0;
    reader->read_records(1, 0, 1000000, [&](const RecordInfo&) { return ++records, true; });
    QVERIFY(records >= 100);
    const std::string tail = reader->read_raw(1, good_size, 4096);
    QCOMPARE(tail, std::string(4096, '\x5a'));
    QCOMPARE(reader->get("k99").value_or(""), std::string("v99"));
  }

  // A read-only reader maps what the hint covers of the newest segment instead of copying it
  // (a 256 MiB segment would cost it 256 MiB of memory), and copies the rest, which a writer
  // may still cut; reads stay right when the writer then seals the file.
  void readerMapsWhatTheHintCoversOfTheNewestSegment() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const std::string value(1000, 'v');
    {
      auto db = DB::open(dir);
      for (int i = 0; i < 2000; ++i) db->put("k" + std::to_string(i), value);
    }  // closed: the hint covers the whole segment
    const fs::path seg = segment_files(dir).back();
    auto writer = DB::open(dir);
    writer->put("after", "the hint");  // past the hint, before preallocated zeros
    auto reader = DB::open(dir, read_only_options());
    // The writer maps its active segment read-write; a read-only mapping is the reader's.
    auto mapped_read_only = [&] {
      std::ifstream maps("/proc/self/maps");
      for (std::string line; std::getline(maps, line);) {
        if (line.find(seg.string()) != std::string::npos &&
            line.find(" r--s ") != std::string::npos)
          return true;
      }
      return false;
    };
    QVERIFY(mapped_read_only());
    QCOMPARE(reader->get("after").value_or(""), std::string("the hint"));
    QCOMPARE(reader->get("k1999").value_or(""), value);
    writer->close();  // cuts the preallocated zeros
    QCOMPARE(reader->get("after").value_or(""), std::string("the hint"));
    QCOMPARE(reader->get("k0").value_or(""), value);
    QVERIFY(reader->verify({}).empty());
  }

  // A merge removes segments while a read-only reader lists and opens them:
  // the reader starts over instead of failing on a vanished file.
  void readOnlyOpensNeverFailBesideMerges() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto writer = DB::open(dir, tiny_segments());
    for (int i = 0; i < 200; ++i) writer->put("k" + std::to_string(i), "v" + std::to_string(i));
    std::atomic<bool> stop{false};
    std::thread merger([&] {
      for (int round = 0; !stop.load(); ++round) {
        for (int i = 0; i < 200; i += 7) {
          writer->put("k" + std::to_string(i), "v" + std::to_string(i));
        }
        writer->merge({});
      }
    });
    std::string failure;
    for (int attempt = 0; attempt < 300 && failure.empty(); ++attempt) {
      try {
        auto reader = DB::open(dir, read_only_options());
        for (int i = 0; i < 200; i += 13) {
          const std::string k = "k" + std::to_string(i);
          if (reader->get(k).value_or("(missing)") != "v" + std::to_string(i)) {
            failure = "wrong value of " + k;
          }
        }
      } catch (const Error& e) {
        failure = e.what();
      }
    }
    stop = true;
    merger.join();
    QVERIFY2(failure.empty(), failure.c_str());
  }

  // Merge of a segment holding a damaged record: the bytes are saved under
  // lost+found/ and reported before the segment goes.
  void mergeSavesAndReportsDamagedRecords() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir);
      for (int i = 1; i <= 3; ++i)
        db->put("k" + std::to_string(i), "\"v" + std::to_string(i) + "\"");
    }
    const fs::path seg = dir / format::segment_file_name(1);
    std::string bytes = read_file(seg);
    bytes[40] ^= 1;
    write_file(seg, bytes);
    fs::remove(dir / "0000000001.hint");
    MergeResult result;
    {
      auto db = DB::open(dir);
      QCOMPARE(db->recovery_report().corrupt_records.size(), std::size_t(1));
      result = db->merge({});
    }
    QCOMPARE(result.damaged.size(), std::size_t(1));
    QCOMPARE(result.saved_to.size(), std::size_t(1));
    const Problem& p = result.damaged[0];
    QCOMPARE(p.file, format::segment_file_name(1));
    const std::string saved = read_file(dir / result.saved_to[0]);
    QCOMPARE(saved.size(), p.length);
    QCOMPARE(saved, bytes.substr(p.offset, p.length));
    QVERIFY(!fs::exists(seg));  // removed, but only after the save
  }

  // `bitcask merge` says so and exits 3 when it met damage.
  void cliMergeReportsDamageAndExits3() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir);
      for (int i = 1; i <= 3; ++i) db->put("k" + std::to_string(i), "\"v\"");
    }
    const fs::path seg = dir / format::segment_file_name(1);
    std::string bytes = read_file(seg);
    bytes[40] ^= 1;
    write_file(seg, bytes);
    fs::remove(dir / "0000000001.hint");
    QProcess p;
    p.start(BITCASK_CLI_PATH, {"merge", QString::fromStdString(dir.string())});
    QVERIFY(p.waitForFinished(60000));
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QCOMPARE(p.exitCode(), 3);
    QVERIFY2(err.contains("0000000001.seg") && err.contains("lost+found"), qPrintable(err));
  }

  // A merge that fails writing its second output (disk full) removes its
  // outputs and points every key back at the inputs: the directory holds
  // what it held before, and a retry succeeds.
  void failedMergeRemovesItsOutputs() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options o;
    o.max_segment_size = 4096;
    auto db = DB::open(dir, o);
    for (int round = 0; round < 3; ++round) {
      for (int i = 0; i < 300; ++i) {
        db->put("k" + std::to_string(i), "r" + std::to_string(round) + std::string(40, 'x'));
      }
    }
    std::vector<fs::path> before = segment_files(dir);
    auto seen = std::make_shared<int>(0);
    fault::set_hook([seen](fault::Op op, const fs::path& p) {
      // The third write of a merge output: after one output is finished.
      if (op == fault::Op::kWrite && p.extension() == ".tmp" &&
          p.filename().string().find(".seg") != std::string::npos && ++*seen == 3) {
        return ENOSPC;
      }
      return 0;
    });
    expect_error([&] { db->merge({}); }, ErrorCode::kNoSpace);
    fault::set_hook({});
    QVERIFY(*seen >= 3);
    std::vector<fs::path> after = segment_files(dir);
    // The new active segment the merge started is the only addition.
    QCOMPARE(after.size(), before.size() + 1);
    for (const auto& f : before) QVERIFY2(fs::exists(f), f.c_str());
    for (int i = 0; i < 300; ++i) {
      QCOMPARE(db->get("k" + std::to_string(i)).value_or(""), "r2" + std::string(40, 'x'));
    }
    QVERIFY(db->verify({}).empty());
    const MergeResult retry = db->merge({});
    QVERIFY(retry.outputs >= 1);
    QCOMPARE(db->size(), std::uint64_t(300));
    db.reset();
    auto reopened = DB::open(dir, read_only_options());
    QCOMPARE(reopened->get("k299").value_or(""), "r2" + std::string(40, 'x'));
  }

  // Readers in other processes (the `bitcask` tool, read-only) beside a
  // process that writes and merges: no reader ever fails or sees a value
  // that was never written.
  // A read-only reader copies the newest segment while its writer appends:
  // a record the writer was still copying into its mapping when the reader
  // read that page, with records after it the writer finished before the
  // reader got to them, is not damage. Here the first read of the file finds
  // one record in the middle as zeros (not written yet) and the file then
  // holds it: the reader opens clean, serves it and verifies.
  void readerCopyingTheNewestSegmentMidWriteSeesNoDamage() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto writer = DB::open(dir);
    for (int i = 0; i < 10; ++i) writer->put("k" + std::to_string(i), std::string(100, 'a' + i));
    ScanOptions one;
    one.start = "k5";
    one.limit = 1;
    const KeyEntry k5 = writer->scan(one).at(0);
    const fs::path seg = dir / "0000000001.seg";
    const std::uint64_t length = format::record_size(2, k5.value_size, 0);
    const std::string record = read_file(seg).substr(k5.offset, length);
    auto overwrite = [&](const std::string& bytes) {
      std::fstream f(seg, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(static_cast<std::streamoff>(k5.offset));
      f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    };
    int reads = 0;
    fault::set_hook([&](fault::Op op, const fs::path& p) {
      if (op == fault::Op::kRead && p.filename() == "0000000001.seg" && reads++ == 0) {
        overwrite(std::string(length, '\0'));  // the writer has not got there yet
      }
      return 0;
    });
    // The writer finishes the record after the reader's first read.
    fault::set_observer([&](fault::Op op, const fs::path& p, const fs::path&) {
      if (op == fault::Op::kRead && p.filename() == "0000000001.seg" && reads == 1) {
        overwrite(record);
      }
    });
    auto reader = DB::open(dir, read_only_options());
    fault::set_hook({});
    fault::set_observer({});
    QVERIFY2(reads >= 2, "the copy was not read again");
    QVERIFY(reader->recovery_report().clean());
    QCOMPARE(reader->get("k5").value_or("<missing>"), std::string(100, 'f'));
    QCOMPARE(reader->size(), std::uint64_t{10});
    QVERIFY(reader->verify().empty());
  }

  void readersInOtherProcessesBesideWritesAndMerges() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir, tiny_segments());
      for (int i = 0; i < 50; ++i) db->put("k" + std::to_string(i), "\"v0\"");
    }
    const pid_t child = fork();
    if (child == 0) {
      // The writer: overwrites and merges until killed.
      auto db = DB::open(dir, tiny_segments());
      for (int round = 1;; ++round) {
        for (int i = 0; i < 50; ++i) {
          db->put("k" + std::to_string(i), "\"v" + std::to_string(round) + "\"");
        }
        db->merge({});
      }
    }
    QVERIFY(child > 0);
    std::string failure;
    for (int run = 0; run < 60 && failure.empty(); ++run) {
      QProcess p;
      const QString key = QString("k%1").arg(run % 50);
      p.start(BITCASK_CLI_PATH, {"get", QString::fromStdString(dir.string()), key});
      p.waitForFinished(60000);
      const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
      if (p.exitCode() != 0 || !out.startsWith("\"v")) {
        failure = "get " + key.toStdString() + " exited " + std::to_string(p.exitCode()) + ": " +
                  out.toStdString() + " " + p.readAllStandardError().toStdString();
      }
    }
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    QVERIFY2(failure.empty(), failure.c_str());
  }
};

QTEST_GUILESS_MAIN(HostileTest)
#include "tst_hostile.moc"
