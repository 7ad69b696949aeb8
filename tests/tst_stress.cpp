// Many threads reading while others write, with rotation under way. Each
// reader checks that every value it sees is one some writer wrote for that
// key, never a torn or foreign value. Run under ThreadSanitizer in CI.
#include <QTest>
#include <atomic>
#include <random>
#include <thread>

#include "test_util.h"

using namespace bitcask;
using namespace testutil;

class StressTest : public QObject {
  Q_OBJECT
 private slots:
  void concurrentReadersAndWriters() {
    QTemporaryDir tmp;
    Options o;
    o.max_segment_size = 64 * 1024;
    auto db = DB::open(path_of(tmp), o);
    constexpr int kKeys = 500, kWriters = 2, kReaders = 3, kWrites = 5000;
    std::atomic<bool> done{false};
    std::atomic<long> reads{0}, bad{0};
    auto value_for = [](int key, int version) {
      return "k" + std::to_string(key) + ":v" + std::to_string(version) +
             std::string(static_cast<std::size_t>(version % 200), '.');
    };
    std::vector<std::thread> threads;
    for (int w = 0; w < kWriters; ++w) {
      threads.emplace_back([&, w] {
        std::mt19937 rng(w);
        for (int i = 0; i < kWrites; ++i) {
          const int key = static_cast<int>(rng() % kKeys);
          if (rng() % 10 == 0) {
            db->remove("key" + std::to_string(key));
          } else {
            db->put("key" + std::to_string(key), value_for(key, i));
          }
        }
      });
    }
    for (int r = 0; r < kReaders; ++r) {
      threads.emplace_back([&, r] {
        std::mt19937 rng(100 + r);
        std::string v;
        while (!done.load()) {
          const int key = static_cast<int>(rng() % kKeys);
          if (db->get("key" + std::to_string(key), &v)) {
            ++reads;
            const std::string prefix = "k" + std::to_string(key) + ":v";
            if (v.rfind(prefix, 0) != 0) ++bad;
          }
          if (rng() % 50 == 0) {
            ScanOptions s;
            s.limit = 50;
            s.start = "key" + std::to_string(key);
            auto page = db->scan(s);
            for (std::size_t i = 1; i < page.size(); ++i) {
              if (!(page[i - 1].key < page[i].key)) ++bad;
            }
          }
        }
      });
    }
    for (int w = 0; w < kWriters; ++w) threads[w].join();
    done = true;
    for (std::size_t i = kWriters; i < threads.size(); ++i) threads[i].join();
    QCOMPARE(bad.load(), 0L);
    QVERIFY(reads.load() > 0);
    QVERIFY(db->segment_ids().size() > 3);
    // Everything written is readable after a reopen, and agrees.
    std::map<std::string, std::string> before;
    ScanOptions all;
    all.limit = kKeys + 1;
    for (const auto& e : db->scan(all)) before[e.key] = *db->get(e.key);
    db->close();
    auto again = DB::open(path_of(tmp), o);
    QCOMPARE(again->size(), std::uint64_t(before.size()));
    for (const auto& [k, v] : before) QCOMPARE(*again->get(k), v);
  }
};

QTEST_APPLESS_MAIN(StressTest)
#include "tst_stress.moc"
