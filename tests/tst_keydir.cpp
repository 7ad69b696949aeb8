// The keydir's indexes (a hash set updated on every write, a key-order index
// brought up to date when a scan needs it) and DB::scan_values, which walks
// keys and values in place.
#include <QTest>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <map>
#include <random>
#include <shared_mutex>
#include <thread>

#include "../engine/src/keydir.h"
#include "test_util.h"

using namespace bitcask;
using testutil::path_of;

namespace {

Location loc_of(std::uint32_t n) { return Location{n, n * 2, n * 3 + 1, n * 4ull, 0}; }

// Every key the keydir scans with `range`, with its location's segment.
std::vector<std::pair<std::string, std::uint32_t>> scan_all(const KeyDir& kd,
                                                            const ScanOptions& range = {}) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  kd.scan(range, [&](std::string_view k, const Location& loc) {
    out.emplace_back(std::string(k), loc.segment);
    return true;
  });
  return out;
}

std::vector<std::pair<std::string, std::uint32_t>> model_scan(
    const std::map<std::string, std::uint32_t>& model, const ScanOptions& o) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  auto in_range = [&](const std::string& k) {
    if (!k.starts_with(o.prefix)) return false;
    if (o.start.empty()) return true;
    if (!o.reverse) return o.exclusive_start ? k > o.start : k >= o.start;
    return o.exclusive_start ? k < o.start : k <= o.start;
  };
  for (const auto& [k, v] : model)
    if (in_range(k)) out.emplace_back(k, v);
  if (o.reverse) std::reverse(out.begin(), out.end());
  return out;
}

std::string key_of(std::uint64_t n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "k%07llu", static_cast<unsigned long long>(n));
  return buf;
}

}  // namespace

class TestKeyDir : public QObject {
  Q_OBJECT

 private slots:
  // Random puts, overwrites, removals and puts again after removal, with
  // scans in between (each merges what is pending: sometimes a few keys
  // into a large tree, sometimes more than the tree holds), against a
  // std::map.
  void matchesAnOrderedMap() {
    KeyDir kd;
    std::map<std::string, std::uint32_t> model;
    std::mt19937_64 rng(7);
    for (int round = 0; round < 40; ++round) {
      const int ops = round % 3 == 0 ? 2000 : 15;
      for (int i = 0; i < ops; ++i) {
        const std::string k = key_of(rng() % 3000);
        const auto n = static_cast<std::uint32_t>(rng() % 1000000);
        if (rng() % 4 == 0) {
          const bool had = model.erase(k) > 0;
          QCOMPARE(kd.remove(k).has_value(), had);
        } else {
          const bool had = model.count(k) > 0;
          QCOMPARE(kd.put(k, loc_of(n)).has_value(), had);
          model[k] = n;
        }
      }
      QCOMPARE(kd.size(), model.size());
      ScanOptions all;
      QCOMPARE(scan_all(kd, all), model_scan(model, all));
      ScanOptions o;
      o.prefix = "k00012";
      QCOMPARE(scan_all(kd, o), model_scan(model, o));
      QCOMPARE(kd.count(o.prefix), model_scan(model, o).size());
      o.reverse = true;
      QCOMPARE(scan_all(kd, o), model_scan(model, o));
      o = {};
      o.start = key_of(1500);
      o.exclusive_start = true;
      QCOMPARE(scan_all(kd, o), model_scan(model, o));
      o.reverse = true;
      QCOMPARE(scan_all(kd, o), model_scan(model, o));
      for (int i = 0; i < 50; ++i) {
        const std::string k = key_of(rng() % 3000);
        const auto found = kd.find(k);
        QCOMPARE(found.has_value(), model.count(k) > 0);
        if (found) QCOMPARE(found->segment, model[k]);
      }
    }
  }

  // A visitor that returns false stops the walk there.
  // Runs that are in key order but for a few keys, as opening appends the
  // hint files' sorted runs: each shape scans as a std::map does, whether
  // it goes into an empty tree or a filled one, and however many keys are
  // out of order (up to all of them).
  void nearlySortedRunsScanInOrder_data() {
    QTest::addColumn<std::vector<std::uint64_t>>("order");
    auto ascending = [](std::uint64_t from, std::uint64_t to) {
      std::vector<std::uint64_t> v;
      for (std::uint64_t i = from; i < to; ++i) v.push_back(i);
      return v;
    };
    auto cat = [](std::vector<std::uint64_t> a, const std::vector<std::uint64_t>& b) {
      a.insert(a.end(), b.begin(), b.end());
      return a;
    };
    QTest::newRow("sorted") << ascending(1, 5000);
    QTest::newRow("smallest key last") << cat(ascending(1, 5000), {0});
    QTest::newRow("smallest key opens the last run")
        << cat(cat(ascending(1, 3000), {0}), ascending(3000, 5000));
    QTest::newRow("largest key inside, then the rest")
        << cat(cat(ascending(0, 3000), {9999}), ascending(3000, 5000));
    std::vector<std::uint64_t> evens;
    for (std::uint64_t i = 0; i < 10000; i += 2) evens.push_back(i);
    QTest::newRow("a key from the middle, at the end") << cat(evens, {5001});
    // Consecutive hint files: sorted runs that overlap each other.
    std::vector<std::uint64_t> interleaved;
    for (int run = 0; run < 4; ++run) {
      for (std::uint64_t i = run; i < 8000; i += 4) interleaved.push_back(i);
    }
    QTest::newRow("four interleaved runs") << interleaved;
    std::vector<std::uint64_t> strays = ascending(0, 5000);
    for (std::uint64_t i = 0; i < 50; ++i) strays.insert(strays.begin() + i * 97, 6000 + i * 13);
    QTest::newRow("fifty strays") << strays;
    std::vector<std::uint64_t> shuffled = ascending(0, 20000);
    std::shuffle(shuffled.begin(), shuffled.end(), std::mt19937(7));
    QTest::newRow("random (past the break limit)") << shuffled;
    QTest::newRow("descending") << std::vector<std::uint64_t>{5, 4, 3, 2, 1, 0};
  }
  void nearlySortedRunsScanInOrder() {
    QFETCH(std::vector<std::uint64_t>, order);
    for (bool filled : {false, true}) {
      KeyDir kd;
      std::map<std::string, std::uint32_t> model;
      if (filled) {
        // A tree already holding keys on both sides of the run's.
        for (std::uint64_t i = 0; i < 40000; i += 7) {
          const std::string k = key_of(i) + "~";
          kd.put(k, loc_of(1));
          model[k] = 1;
        }
        QCOMPARE(scan_all(kd).size(), model.size());
      }
      for (std::uint64_t n : order) {
        kd.put(key_of(n), loc_of(static_cast<std::uint32_t>(n)));
        model[key_of(n)] = static_cast<std::uint32_t>(n);
      }
      QCOMPARE(scan_all(kd), model_scan(model, {}));
      QCOMPARE(kd.size(), model.size());
    }
  }

  // The sort itself, on the same shapes: the runs' breaks as put() notes
  // them, the result in key order with every entry once.
  void sortRunsSortsNearlySortedRuns() {
    QFETCH(std::vector<std::uint64_t>, order);
    std::vector<std::vector<char>> storage;
    std::vector<KeyDir::Rec*> recs;
    std::vector<std::size_t> breaks;
    for (std::uint64_t n : order) {
      const std::string k = key_of(n);
      auto& bytes = storage.emplace_back(sizeof(KeyDir::Rec) + k.size());
      auto* r = reinterpret_cast<KeyDir::Rec*>(bytes.data());
      r->key_size = static_cast<std::uint16_t>(k.size());
      std::memcpy(r->key_bytes, k.data(), k.size());
      if (!recs.empty() && !(recs.back()->key() < r->key())) breaks.push_back(recs.size());
      recs.push_back(r);
    }
    std::vector<KeyDir::Rec*> expected = recs;
    std::sort(expected.begin(), expected.end(),
              [](const KeyDir::Rec* a, const KeyDir::Rec* b) { return a->key() < b->key(); });
    KeyDir::sort_runs(recs, breaks);
    QVERIFY(recs == expected);
  }
  void sortRunsSortsNearlySortedRuns_data() { nearlySortedRunsScanInOrder_data(); }

  // Removed keys stay in the pending run as dead marks, and a key put again
  // after its removal is revived where it is (not appended a second time):
  // neither may show up out of place or twice.
  void nearlySortedRunsWithDeadAndRevivedKeys() {
    KeyDir kd;
    std::map<std::string, std::uint32_t> model;
    auto put = [&](std::uint64_t n, std::uint32_t seg) {
      kd.put(key_of(n), loc_of(seg));
      model[key_of(n)] = seg;
    };
    auto remove = [&](std::uint64_t n) {
      kd.remove(key_of(n));
      model.erase(key_of(n));
    };
    for (std::uint64_t i = 100; i < 3000; ++i) put(i, 1);
    for (std::uint64_t i = 100; i < 3000; i += 3) remove(i);  // dead marks in the run
    put(5, 2);                                                // out of order
    for (std::uint64_t i = 100; i < 3000; i += 9) put(i, 3);  // revived in place
    for (std::uint64_t i = 3000; i < 4000; ++i) put(i, 4);
    remove(5);
    put(50, 5);  // out of order again
    QCOMPARE(scan_all(kd), model_scan(model, {}));
    QCOMPARE(kd.size(), model.size());
    // And the same once merged: a second run, revived keys among it.
    for (std::uint64_t i = 101; i < 3000; i += 3) remove(i);
    put(5, 6);
    for (std::uint64_t i = 4000; i < 4100; ++i) put(i, 7);
    put(1, 8);
    QCOMPARE(scan_all(kd), model_scan(model, {}));
    ScanOptions back;
    back.reverse = true;
    QCOMPARE(scan_all(kd, back), model_scan(model, back));
  }

  // Keys merged a few at a time go into a tree beside the sorted array of
  // the others; every kind of scan walks both in one order.
  void scansWalkArrayAndTreeTogether() {
    KeyDir kd;
    std::map<std::string, std::uint32_t> model;
    auto put = [&](std::uint64_t n) {
      kd.put(key_of(n), loc_of(static_cast<std::uint32_t>(n)));
      model[key_of(n)] = static_cast<std::uint32_t>(n);
    };
    for (std::uint64_t i = 0; i < 4000; i += 2) put(i);
    QCOMPARE(scan_all(kd), model_scan(model, {}));  // the array
    std::mt19937_64 rng(3);
    for (int round = 0; round < 12; ++round) {
      for (int i = 0; i < 20; ++i) put((rng() % 2000) * 2 + 1);  // into the tree
      if (round % 4 == 1) {                                      // a dead entry in the array
        const std::string k = key_of(2 * (rng() % 2000));
        kd.remove(k);
        model.erase(k);
      }
      std::vector<ScanOptions> ranges(8);
      ranges[1].reverse = true;
      ranges[2].prefix = "k00012";
      ranges[3].prefix = "k00012";
      ranges[3].reverse = true;
      ranges[4].start = key_of(1501);
      ranges[5].start = key_of(1501);
      ranges[5].exclusive_start = true;
      ranges[5].reverse = true;
      ranges[6].start = key_of(2999);
      ranges[6].reverse = true;
      ranges[7].prefix = "k0003";
      ranges[7].start = key_of(3333);
      for (const ScanOptions& o : ranges) QCOMPARE(scan_all(kd, o), model_scan(model, o));
      QCOMPARE(kd.count("k00012"), model_scan(model, ranges[2]).size());
    }
  }

  void visitorStops() {
    KeyDir kd;
    for (int i = 0; i < 100; ++i) kd.put(key_of(99 - i), loc_of(i));
    int seen = 0;
    std::string first;
    kd.scan({}, [&](std::string_view k, const Location&) {
      if (seen == 0) first = k;
      return ++seen < 10;
    });
    QCOMPARE(seen, 10);
    QCOMPARE(first, std::string("k0000000"));
  }

  // A removed key is neither found, counted nor scanned, and a put of it
  // afterwards brings it back with the new location only.
  void removedKeysStayInvisible() {
    KeyDir kd;
    kd.put("a", loc_of(1));
    kd.put("b", loc_of(2));
    (void)scan_all(kd);  // merged into the tree
    QVERIFY(kd.remove("a").has_value());
    QVERIFY(!kd.remove("a").has_value());
    QVERIFY(!kd.find("a"));
    QCOMPARE(kd.size(), 1u);
    QCOMPARE(kd.count("a"), 0u);
    QCOMPARE(scan_all(kd), (std::vector<std::pair<std::string, std::uint32_t>>{{"b", 2}}));
    QVERIFY(!kd.put("a", loc_of(5)).has_value());
    QCOMPARE(kd.find("a")->segment, 5u);
    QCOMPARE(scan_all(kd),
             (std::vector<std::pair<std::string, std::uint32_t>>{{"a", 5}, {"b", 2}}));
    // Removed while still pending (never merged), then put again.
    kd.put("c", loc_of(3));
    kd.remove("c");
    QCOMPARE(kd.size(), 2u);
    kd.put("c", loc_of(4));
    QCOMPARE(scan_all(kd),
             (std::vector<std::pair<std::string, std::uint32_t>>{{"a", 5}, {"b", 2}, {"c", 4}}));
  }

  // Enough removals to compact the arena (over 8 MiB dead): the live keys
  // survive with their locations, and memory goes down.
  void compactionKeepsLiveKeys() {
    KeyDir kd;
    const std::string pad(40, 'p');
    const int n = 400000;
    for (int i = 0; i < n; ++i) kd.put(pad + key_of(i), loc_of(static_cast<std::uint32_t>(i)));
    const std::uint64_t before = kd.memory_bytes();
    for (int i = 0; i < n; ++i)
      if (i % 10 != 0) kd.remove(pad + key_of(i));
    QVERIFY2(kd.memory_bytes() < before,
             qPrintable(QString("%1 -> %2").arg(before).arg(kd.memory_bytes())));
    QCOMPARE(kd.size(), static_cast<std::uint64_t>(n / 10));
    const auto all = scan_all(kd);
    QCOMPARE(all.size(), static_cast<std::size_t>(n / 10));
    for (std::size_t j = 0; j < all.size(); ++j) {
      QCOMPARE(all[j].first, pad + key_of(j * 10));
      QCOMPARE(all[j].second, static_cast<std::uint32_t>(j * 10));
    }
    QCOMPARE(kd.find(pad + key_of(20))->offset, 40u);
    QVERIFY(!kd.find(pad + key_of(21)));
    // Keys put after the compaction (into its new arena) reach the index.
    kd.put(pad + key_of(21), loc_of(21));
    kd.put(pad + key_of(n + 5), loc_of(5));
    kd.put("a", loc_of(1));
    const auto after = scan_all(kd);
    QCOMPARE(after.size(), static_cast<std::size_t>(n / 10 + 3));
    QCOMPARE(after.front().first, std::string("a"));
    QCOMPARE(after[4].first, pad + key_of(21));  // after "a", 0, 10, 20
    QCOMPARE(after.back().first, pad + key_of(n + 5));
  }

  // A presort (collected, sorted without a lock, installed) orders keys
  // written out of order, including keys whose first distinct 8 bytes are
  // equal, and leaves keys written after it was collected to the next scan;
  // removals and puts again in between change nothing of the order.
  void presortOrdersKeysWrittenOutOfOrder() {
    KeyDir kd;
    std::map<std::string, std::uint32_t> model;
    std::mt19937_64 rng(11);
    auto put = [&](const std::string& k, std::uint32_t n) {
      kd.put(k, loc_of(n));
      model[k] = n;
    };
    for (std::uint32_t i = 0; i < 40000; ++i) {
      // "user:" then 8 shared bytes for a quarter of the keys: ties the
      // sort without a lock cannot break.
      const std::string k = "user:" + std::string(rng() % 4 == 0 ? "samebyte" : "") +
                            std::to_string(rng() % 10000000);
      put(k, i);
    }
    KeyDir::Presort presort;
    QVERIFY(kd.collect_pending(1000, &presort));
    put("user:zz-after", 1);  // allocated after the collection
    put("a-after", 2);
    const std::string removed = model.begin()->first;
    kd.remove(removed);
    model.erase(removed);
    presort.sort();
    QVERIFY(kd.install(&presort));
    const auto all = scan_all(kd);
    QCOMPARE(all.size(), model.size());
    std::size_t i = 0;
    for (const auto& [k, n] : model) {
      QCOMPARE(all[i].first, k);
      QCOMPARE(all[i].second, n);
      ++i;
    }
    // Keys already in order are left to the scan's linear merge.
    KeyDir ordered;
    for (std::uint32_t j = 0; j < 40000; ++j) ordered.put(key_of(j), loc_of(j));
    QVERIFY(!ordered.collect_pending(1000, &presort));
    QVERIFY(!kd.collect_pending(1000, &presort));  // nothing pending beyond a few
  }

  // A presort collected before the arena was rebuilt or cleared names
  // entries that moved: install() drops it, and a scan still sees every key
  // once, in order.
  void presortOfMovedEntriesIsDropped_data() {
    QTest::addColumn<bool>("compact");
    QTest::newRow("arena rebuilt") << true;
    QTest::newRow("cleared") << false;
  }
  void presortOfMovedEntriesIsDropped() {
    QFETCH(bool, compact);
    KeyDir kd;
    const std::string pad(40, 'p');
    std::mt19937_64 rng(5);
    std::vector<std::uint32_t> ids(300000);
    for (std::uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
    std::shuffle(ids.begin(), ids.end(), rng);
    for (std::uint32_t id : ids) kd.put(pad + key_of(id), loc_of(id));
    KeyDir::Presort presort;
    QVERIFY(kd.collect_pending(1000, &presort));
    if (compact) {
      for (std::uint32_t id : ids)
        if (id % 10 != 0) kd.remove(pad + key_of(id));  // more than half dead: rebuilt
    } else {
      kd.clear();
      for (std::uint32_t id = 0; id < 1000; id += 10) kd.put(pad + key_of(id), loc_of(id));
    }
    presort.sort();
    QVERIFY(!kd.install(&presort));
    const auto all = scan_all(kd);
    QCOMPARE(all.size(), compact ? ids.size() / 10 : std::size_t{100});
    for (std::size_t j = 0; j < all.size(); ++j) QCOMPARE(all[j].first, pad + key_of(j * 10));
  }

  // Presorts beside writers and scans, as the database runs them: writers
  // hold the owner's lock exclusively, scans and the presort's two locked
  // steps hold it shared, its sort none.
  void presortBesideWritersAndScans() {
    KeyDir kd;
    std::shared_mutex owner;
    constexpr int kOps = 300000, kScanEvery = 30000;
    std::atomic<int> written{0}, bad{0}, installed{0}, dropped{0};
    std::atomic<bool> done{false};
    std::thread writer([&] {
      std::mt19937_64 rng(7);
      for (int i = 0; i < kOps; ++i) {
        {
          std::unique_lock lock(owner);
          const std::string k = key_of(rng() % 1000000);
          if (i % 7 == 0) {
            kd.remove(k);
          } else {
            kd.put(k, loc_of(1));
          }
        }
        written = i + 1;
        // Once, until the presorter has collected: then its sort and install
        // meet the writes that follow.
        while (i == kScanEvery / 2 && installed + dropped == 0 && !done) {
          std::this_thread::sleep_for(std::chrono::microseconds(100));
        }
      }
      done = true;
    });
    std::thread presorter([&] {
      while (!done) {
        KeyDir::Presort presort;
        bool collected;
        {
          std::shared_lock lock(owner);
          collected = kd.collect_pending(100, &presort);
        }
        if (collected) {
          presort.sort();
          std::shared_lock lock(owner);
          (kd.install(&presort) ? installed : dropped)++;
        }
        // The shared lock prefers readers: left no gap, the writer starves.
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    });
    std::thread scanner([&] {
      // Every kScanEvery writes, so that thousands of keys are pending in
      // between: only keys far out of order are presorted.
      for (int next = kScanEvery; !done;) {
        if (written < next) {
          std::this_thread::sleep_for(std::chrono::microseconds(200));
          continue;
        }
        next += kScanEvery;
        std::shared_lock lock(owner);
        std::string prev;
        bool first = true;
        kd.scan({}, [&](std::string_view k, const Location&) {
          if (!first && !(prev < k)) ++bad;
          first = false;
          prev.assign(k);
          return true;
        });
      }
    });
    writer.join();
    presorter.join();
    scanner.join();
    QCOMPARE(bad.load(), 0);
    QVERIFY2(installed + dropped > 0, "the presorter never collected");
    qInfo("%d presorts installed, %d dropped", installed.load(), dropped.load());
    std::uint64_t seen = 0;
    std::string prev;
    kd.scan({}, [&](std::string_view k, const Location&) {
      if (seen++ > 0 && !(prev < k)) ++bad;
      prev.assign(k);
      return true;
    });
    QCOMPARE(seen, kd.size());
    QCOMPARE(bad.load(), 0);
  }

  // Scans from several threads at once (the owner's lock shared): the
  // first merges what is pending, and every one sees every key in order.
  void concurrentScansAgree() {
    KeyDir kd;
    std::mt19937_64 rng(3);
    for (int i = 0; i < 50000; ++i) kd.put(key_of(rng() % 1000000), loc_of(1));
    const std::uint64_t n = kd.size();
    std::atomic<int> bad{0};
    std::vector<std::thread> pool;
    for (int t = 0; t < 4; ++t) {
      pool.emplace_back([&] {
        std::string prev;
        std::uint64_t seen = 0;
        kd.scan({}, [&](std::string_view k, const Location&) {
          if (seen++ > 0 && !(prev < k)) ++bad;
          prev.assign(k);
          return true;
        });
        if (seen != n) ++bad;
      });
    }
    for (auto& th : pool) th.join();
    QCOMPARE(bad.load(), 0);
  }

  // DB::scan_values: every live pair in order, values as get() reads them
  // (stored as they are, compressed), expired keys left out, ranges and
  // limits as DB::scan takes them.
  void scanValuesMatchesGet() {
    QTemporaryDir tmp;
    Options opts;
    opts.compression = Compression::Zstd;
    auto db = DB::open(path_of(tmp), opts);
    std::map<std::string, std::string> model;
    for (int i = 0; i < 3000; ++i) {
      const std::string k = key_of(static_cast<std::uint64_t>(i) * 7919 % 3000);
      const std::string v = k + std::string(i % 3 == 0 ? 200 : 5, static_cast<char>('a' + i % 26));
      db->put(k, v);
      model[k] = v;
    }
    for (int i = 0; i < 3000; i += 5) {
      db->remove(key_of(i));
      model.erase(key_of(i));
    }
    db->put_with_ttl("k_expired", "gone", std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));

    ScanOptions all;
    all.limit = std::numeric_limits<std::size_t>::max();
    std::vector<std::pair<std::string, std::string>> got;
    const std::size_t n = db->scan_values(all, [&](std::string_view k, std::string_view v) {
      got.emplace_back(k, v);
      return true;
    });
    QCOMPARE(n, model.size());
    QCOMPARE(got, (std::vector<std::pair<std::string, std::string>>(model.begin(), model.end())));

    ScanOptions some;
    some.prefix = "k00001";
    some.reverse = true;
    some.limit = 7;
    got.clear();
    QCOMPARE(db->scan_values(some,
                             [&](std::string_view k, std::string_view v) {
                               got.emplace_back(k, v);
                               return true;
                             }),
             std::size_t{7});
    const std::vector<KeyEntry> keys = db->scan(some);
    QCOMPARE(keys.size(), got.size());
    for (std::size_t i = 0; i < keys.size(); ++i) {
      QCOMPARE(got[i].first, keys[i].key);
      QCOMPARE(got[i].second, model[keys[i].key]);
    }
    // The visitor may call the database (no lock is held while it runs).
    std::size_t calls = 0;
    db->scan_values(all, [&](std::string_view k, std::string_view) {
      std::string v;
      if (!db->get(k, &v)) return false;
      return ++calls < 2500;
    });
    QCOMPARE(calls, std::min<std::size_t>(2500, model.size()));
  }

  // Writers and a merge run while scan_values walks: every pair it hands
  // out is a value that key really had (never another key's bytes, never
  // bytes of a segment that went away), and keys come in order.
  void scanValuesDuringWritesAndMerge() {
    QTemporaryDir tmp;
    Options opts;
    opts.max_segment_size = 64 * 1024;
    auto db = DB::open(path_of(tmp), opts);
    const int n = 4000;
    auto value_of = [](const std::string& k, int version) {
      return k + "#" + std::to_string(version) + std::string(50, 'v');
    };
    for (int i = 0; i < n; ++i) db->put(key_of(i), value_of(key_of(i), 0));
    std::atomic<bool> stop{false};
    std::thread writer([&] {
      std::mt19937_64 rng(11);
      for (int version = 1; !stop.load(); ++version) {
        const std::string k = key_of(rng() % n);
        if (rng() % 5 == 0)
          db->remove(k);
        else
          db->put(k, value_of(k, version));
        if (version % 3000 == 0) db->merge();
      }
    });
    int bad = 0;
    ScanOptions all;
    all.limit = std::numeric_limits<std::size_t>::max();
    for (int pass = 0; pass < 15; ++pass) {
      std::string prev;
      db->scan_values(all, [&](std::string_view k, std::string_view v) {
        if (!prev.empty() && !(prev < k)) ++bad;
        if (!v.starts_with(std::string(k) + "#") || !v.ends_with(std::string(50, 'v'))) ++bad;
        prev.assign(k);
        return true;
      });
    }
    // DB::scan pages through the same tree while it changes: keys in order,
    // sizes as written.
    for (int pass = 0; pass < 15; ++pass) {
      ScanOptions page;
      page.limit = 500;
      std::string prev;
      for (;;) {
        const std::vector<KeyEntry> keys = db->scan(page);
        for (const KeyEntry& e : keys) {
          if (!prev.empty() && !(prev < e.key)) ++bad;
          if (e.value_size < e.key.size() + 52) ++bad;
          prev = e.key;
        }
        if (keys.size() < page.limit) break;
        page.start = keys.back().key;
        page.exclusive_start = true;
      }
    }
    stop = true;
    writer.join();
    QCOMPARE(bad, 0);
  }
};

QTEST_GUILESS_MAIN(TestKeyDir)
#include "tst_keydir.moc"
