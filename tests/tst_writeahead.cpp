// The active segment's write-ahead thread (engine/src/segment.h): it grows
// the file, writes zeros into the page cache and faults pages in ahead of
// the writer, and hands written data
// to the disk behind it. None of that may change what is stored: records of
// every size land intact across allocation steps and roll-overs, a failure
// of the thread is never an error of a put (the writer does the step itself,
// and only its own failure is the put's), sealing stops the thread before
// the file is cut, and a process that dies while the thread works leaves a
// directory that opens clean.
#include <sys/resource.h>

#include <QTest>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "../engine/src/fault_injection.h"
#include "../engine/src/format.h"
#include "../engine/src/segment.h"
#include "test_util.h"

using namespace bitcask;
using namespace testutil;

namespace {

// Values of sizes from a few bytes to past the large-append size, so that
// records are copied into the mapping and large appends both copied and
// written with pwrite.
std::string value_for(int i) {
  static const std::size_t sizes[] = {3, 100, 1000, 8191, 8192, 10000, 20000, 70000};
  const std::size_t n = sizes[i % std::size(sizes)];
  std::string v(n, static_cast<char>('a' + i % 26));
  const std::string tag = std::to_string(i);
  v.replace(0, std::min(tag.size(), n), tag, 0, std::min(tag.size(), n));
  return v;
}

// Puts, batches and deletes over keys k0..k{n-1}; `live` gets what is live.
void workload(DB& db, int n, std::map<std::string, std::string>* out) {
  std::map<std::string, std::string>& live = *out;
  for (int i = 0; i < n; ++i) {
    const std::string k = "k" + std::to_string(i % (n / 2));
    if (i % 7 == 3) {
      WriteBatch b;
      for (int j = 0; j < 20; ++j) {
        const std::string bk = "b" + std::to_string(i) + "-" + std::to_string(j);
        b.put(bk, value_for(i + j));
        live[bk] = value_for(i + j);
      }
      db.write(b);
    } else if (i % 11 == 5 && live.count(k)) {
      QVERIFY(db.remove(k));
      live.erase(k);
    } else {
      db.put(k, value_for(i));
      live[k] = value_for(i);
    }
  }
}

void check_contents(DB& db, const std::map<std::string, std::string>& live) {
  QCOMPARE(db.size(), std::uint64_t(live.size()));
  for (const auto& [k, v] : live) {
    const std::optional<std::string> got = db.get(k);
    QVERIFY2(got && *got == v, k.c_str());
  }
}

}  // namespace

Q_DECLARE_METATYPE(bitcask::SyncPolicy)

class WriteAheadTest : public QObject {
  Q_OBJECT
 private slots:
  void cleanup() { fault::set_hook({}); }

  // Records of every size across many allocation steps and roll-overs:
  // each sealed segment ends at its data, everything reads back before and
  // after a reopen, and verify finds nothing.
  void recordsOfEverySizeAcrossStepsAndRollOvers() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options o;
    o.max_segment_size = 3 << 20;
    std::map<std::string, std::string> live;
    {
      auto db = DB::open(dir, o);
      workload(*db, 3000, &live);
      if (QTest::currentTestFailed()) return;
      check_contents(*db, live);
      const Stats st = db->stats();
      QVERIFY(st.segments > 3);
      for (const SegmentStats& s : st.segment_stats) {
        if (!s.active) QCOMPARE(std::uint64_t(fs::file_size(dir / s.file)), s.size);
      }
      QVERIFY(db->verify().empty());
      db->close();
    }
    auto again = DB::open(dir, o);
    QVERIFY(again->recovery_report().clean());
    check_contents(*again, live);
    for (const SegmentStats& s : again->stats().segment_stats) {
      QCOMPARE(std::uint64_t(fs::file_size(dir / s.file)), s.size);
    }
    QVERIFY(again->verify().empty());
  }

  // A step the disk has no room for does not refuse an append that fits:
  // under a file size limit (RLIMIT_FSIZE, where the file system answers
  // EFBIG as a full one answers ENOSPC) records go in up to the limit, the
  // first one past it is refused as kNoSpace, and every acknowledged record
  // is there after a reopen. (The step after the first MiB is a second MiB;
  // the limit is half-way.)
  void appendsFillTheRoomBelowAStepThatDoesNotFit() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto db = DB::open(dir);
    const std::string value(10000, 'v');
    rlimit before{};
    QCOMPARE(::getrlimit(RLIMIT_FSIZE, &before), 0);
    rlimit limited = before;
    limited.rlim_cur = (3 << 20) / 2;
    const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
    QCOMPARE(::setrlimit(RLIMIT_FSIZE, &limited), 0);
    int acknowledged = 0;
    std::optional<ErrorCode> refused;
    for (; acknowledged < 1000; ++acknowledged) {
      try {
        db->put("k" + std::to_string(acknowledged), value);
      } catch (const Error& e) {
        refused = e.code();
        break;
      }
    }
    db->close();
    ::setrlimit(RLIMIT_FSIZE, &before);
    std::signal(SIGXFSZ, old_handler);
    QVERIFY2(refused, "1,000 records of 10 KB went past a limit of 1.5 MiB");
    QCOMPARE(*refused, ErrorCode::kNoSpace);
    // Past the first MiB (about 100 records), nearly up to the limit.
    QVERIFY2(acknowledged >= 140, qPrintable(QString::number(acknowledged) + " records"));
    auto again = DB::open(dir);
    QCOMPARE(again->size(), std::uint64_t(acknowledged));
    for (int i = 0; i < acknowledged; ++i) QVERIFY(again->get("k" + std::to_string(i)) == value);
    QVERIFY(again->verify().empty());
  }

  // The thread's allocations fail (a full disk it saw first): no put
  // fails for it. The writer makes each step itself when it gets there,
  // and those succeed.
  void failedStepAheadIsTheWritersToRetry() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const std::thread::id writer = std::this_thread::get_id();
    std::mutex mu;
    std::condition_variable cv;
    int failed_ahead = 0;
    int by_writer = 0;
    fault::set_hook([&](fault::Op op, const fs::path& p) {
      if (op != fault::Op::kAllocate || p.extension() != ".seg") return 0;
      std::lock_guard lock(mu);
      if (std::this_thread::get_id() == writer) {
        ++by_writer;
        return 0;
      }
      ++failed_ahead;
      cv.notify_all();
      return ENOSPC;
    });
    auto db = DB::open(dir);
    std::map<std::string, std::string> live;
    // Past half the first step (the piece made when the segment is
    // created, 1 MiB), where the thread grows the file.
    for (int i = 0; i < 600; ++i) {
      const std::string k = "first" + std::to_string(i);
      db->put(k, std::string(1000, 'f'));
      live[k] = std::string(1000, 'f');
    }
    {
      // Wait for the thread's step (an event, not a time: the bound only
      // keeps a broken build from hanging).
      std::unique_lock lock(mu);
      QVERIFY(cv.wait_for(lock, std::chrono::seconds(60), [&] { return failed_ahead > 0; }));
      by_writer = 0;
    }
    for (int i = 0; i < 1000; ++i) {
      const std::string k = "k" + std::to_string(i);
      db->put(k, std::string(1000, 'x'));  // must not throw
      live[k] = std::string(1000, 'x');
    }
    fault::set_hook({});
    {
      std::lock_guard lock(mu);
      QVERIFY2(by_writer > 0, "1 MB was written without the writer growing the file");
    }
    check_contents(*db, live);
    db->close();
    auto again = DB::open(dir);
    QVERIFY(again->recovery_report().clean());
    check_contents(*again, live);
  }

  // The thread writes zeros ahead of the writer (so that the page cache
  // holds the pages it will copy into). Here each of its pieces is slow, so
  // the writer keeps catching up with it and prepares pages itself (under
  // Always, large appends go past it with pwrite): zeros written late must never land
  // on records (prepare_mu_ and prepared_). Every record reads back, before
  // and after a reopen.
  // Under SyncPolicy::Always the pages are made a page at a time
  // (PagePieces::kSinglePage), by the same rule.
  void zerosAheadNeverLandOnData_data() {
    QTest::addColumn<SyncPolicy>("sync");
    QTest::newRow("none") << SyncPolicy::None;
    QTest::newRow("always") << SyncPolicy::Always;
  }
  void zerosAheadNeverLandOnData() {
    QFETCH(SyncPolicy, sync);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const std::thread::id writer = std::this_thread::get_id();
    std::atomic<int> slowed{0};
    fault::set_hook([&](fault::Op op, const fs::path& p) {
      if (op == fault::Op::kAllocate && p.extension() == ".seg" &&
          std::this_thread::get_id() != writer) {
        ++slowed;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
      return 0;
    });
    Options o;
    o.max_segment_size = 4 << 20;
    o.sync = sync;
    std::map<std::string, std::string> live;
    {
      auto db = DB::open(dir, o);
      workload(*db, 2000, &live);
      fault::set_hook({});
      if (QTest::currentTestFailed()) return;
      QVERIFY2(slowed > 0, "the thread never prepared pages");
      check_contents(*db, live);
      QVERIFY(db->verify().empty());
      db->close();
    }
    auto again = DB::open(dir, o);
    QVERIFY(again->recovery_report().clean());
    check_contents(*again, live);
    QVERIFY(again->verify().empty());
  }

  // Seal stops the thread before the cut: the file ends at the data and
  // stays there, and the segment takes no more appends.
  void sealStopsTheThreadBeforeTheCut() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fs::create_directories(dir);
    auto seg = Segment::create(dir, 1, 64 << 20, PagePieces::kLarge);
    const std::string rec(5000, 'r');
    for (int i = 0; i < 2000; ++i) seg->append(rec);
    QVERIFY(seg->allocated() >= seg->size());
    seg->seal();
    const std::uint64_t size = seg->size();
    QCOMPARE(size, std::uint64_t(format::kSegmentHeaderSize + 2000 * rec.size()));
    QCOMPARE(std::uint64_t(fs::file_size(seg->path())), size);
    QCOMPARE(seg->allocated(), size);
    try {
      seg->append("more");
      QFAIL("a sealed segment took an append");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kReadOnly);
    }
    // A thread still running would grow the file again.
    seg.reset();
    QCOMPARE(std::uint64_t(fs::file_size(dir / format::segment_file_name(1))), size);
  }

  // A process that dies while the thread grows, faults in and writes back:
  // the directory as the page cache holds it (a copy taken while the
  // writer is open, what kill -9 leaves) opens clean, with every record,
  // its zero tail taken for the data end and cut by the next seal.
  void deathWithTheThreadAtWorkOpensClean() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const fs::path copy = path_of(tmp, "copy");
    Options o;
    o.max_segment_size = 8 << 20;
    auto db = DB::open(dir, o);
    std::map<std::string, std::string> live;
    workload(*db, 1500, &live);
    if (QTest::currentTestFailed()) return;
    const fs::path last = segment_files(dir).back();
    QVERIFY2(fs::file_size(last) > db->stats().segment_stats.back().size,
             "the active segment is preallocated");
    // File by file: the background thread writes hints meanwhile (a
    // temporary file renamed into place), which may come and go.
    fs::create_directories(copy);
    for (const auto& entry : fs::directory_iterator(dir)) {
      const fs::path name = entry.path().filename();
      if (name == "LOCK" || name.extension() == ".tmp") continue;
      std::error_code ec;
      fs::copy_file(entry.path(), copy / name, ec);
      QVERIFY2(!ec || ec == std::errc::no_such_file_or_directory, ec.message().c_str());
    }
    db->close();
    {
      auto reopened = DB::open(copy, o);
      QVERIFY(reopened->recovery_report().clean());
      check_contents(*reopened, live);
      QVERIFY(reopened->verify().empty());
      reopened->put("after", "crash");
      reopened->close();
    }
    auto again = DB::open(copy, o);
    QVERIFY(again->recovery_report().clean());
    QCOMPARE(*again->get("after"), std::string("crash"));
    for (const SegmentStats& s : again->stats().segment_stats) {
      QCOMPARE(std::uint64_t(fs::file_size(copy / s.file)), s.size);
    }
  }

  // A database whose writes failed is closed without a seal: the thread is
  // stopped all the same, so the file no longer changes once close returns
  // (another writer may take the directory then).
  void closeAfterAFailureStopsTheThread() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto db = DB::open(dir);
    for (int i = 0; i < 100; ++i) db->put("k" + std::to_string(i), std::string(1000, 'v'));
    int writes = 0;
    fault::set_hook([&](fault::Op op, const fs::path& p) {
      return op == fault::Op::kWrite && p.extension() == ".seg" && ++writes == 1 ? EIO : 0;
    });
    QVERIFY_THROWS_EXCEPTION(Error, db->put("big", std::string(100000, 'b')));
    fault::set_hook({});
    db->close();
    const fs::path last = segment_files(dir).back();
    const auto size = fs::file_size(last);
    // Would grow if the thread went on; another writer opens it meanwhile.
    auto other = DB::open(dir);
    QCOMPARE(other->recovery_report().truncated_tails.size(), std::size_t{1});
    QCOMPARE(*other->get("k99"), std::string(1000, 'v'));
    QVERIFY(!other->contains("big"));
    QVERIFY(fs::file_size(last) <= size);
  }
};

QTEST_APPLESS_MAIN(WriteAheadTest)
#include "tst_writeahead.moc"
