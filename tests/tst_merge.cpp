// Merge, hint files, expiry, compression and key history, plus a
// model-based random test of them all together.
#include <QTest>
#include <map>
#include <random>
#include <thread>

#include "test_util.h"

using namespace bitcask;
using namespace testutil;

namespace {

using Model = std::map<std::string, std::string>;

void check_model(const DB& db, const Model& model) {
  QCOMPARE(db.size(), std::uint64_t(model.size()));
  ScanOptions all;
  all.limit = model.size() + 10;
  std::vector<KeyEntry> keys = db.scan(all);
  QCOMPARE(keys.size(), model.size());
  auto it = model.begin();
  for (const auto& e : keys) {
    QCOMPARE(e.key, it->first);
    QCOMPARE(*db.get(e.key), it->second);
    ++it;
  }
}

Options small_segments() {
  Options o;
  o.max_segment_size = 4096;
  return o;
}

}  // namespace

class MergeTest : public QObject {
  Q_OBJECT
 private slots:
  void mergeDropsDeadDataAndKeepsLive() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Model model;
    {
      auto db = DB::open(dir, small_segments());
      for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < 200; ++i) {
          const std::string k = "key" + std::to_string(i);
          const std::string v = "round" + std::to_string(round) + std::string(20, 'x');
          db->put(k, v);
          model[k] = v;
        }
      }
      for (int i = 0; i < 200; i += 3) {
        db->remove("key" + std::to_string(i));
        model.erase("key" + std::to_string(i));
      }
      const Stats before = db->stats();
      QVERIFY(before.fragmentation > 0.5);
      QVERIFY(db->merge_recommended());
      std::vector<MergeProgress> seen;
      MergeOptions mo;
      mo.progress = [&](const MergeProgress& p) {
        seen.push_back(p);
        return true;
      };
      const MergeResult r = db->merge(mo);
      QVERIFY(!r.cancelled);
      QVERIFY(r.inputs > 10);
      QCOMPARE(r.inputs_removed, r.inputs);
      QCOMPARE(r.records_copied, std::uint64_t(model.size()));
      QVERIFY(r.bytes_reclaimed() > before.dead_bytes / 2);
      QVERIFY(!seen.empty());
      QCOMPARE(seen.back().bytes_read, seen.back().bytes_total);
      const Stats after = db->stats();
      QCOMPARE(after.tombstones, 0ull);  // nothing older left for them to shadow
      QVERIFY(after.dead_bytes < 200);   // only the active segment's header
      QVERIFY(after.total_bytes < before.total_bytes / 3);
      for (const auto& s : after.segment_stats) QVERIFY(s.active || s.has_hint);
      check_model(*db, model);
    }
    auto db = DB::open(dir, small_segments());
    QVERIFY(db->recovery_report().clean());
    check_model(*db, model);
  }

  // The original Bitcask's bug: a deleted key back after a partial merge.
  void deletedKeysStayDeletedAfterPartialMerge() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options o = small_segments();
    o.merge_thresholds.small_segment_threshold = 0;
    o.merge_thresholds.fragmentation_threshold = 0.9;
    o.merge_thresholds.dead_bytes_threshold = UINT64_MAX;
    {
      auto db = DB::open(dir, o);
      for (int i = 0; i < 400; ++i) db->put("old" + std::to_string(i), std::string(30, 'o'));
      // Delete them later, in segments that become fully dead, then more.
      for (int i = 0; i < 400; ++i) db->remove("old" + std::to_string(i));
      for (int i = 0; i < 400; ++i) db->put("pad" + std::to_string(i), std::string(30, 'p'));
      for (int i = 0; i < 400; ++i) db->put("pad" + std::to_string(i), std::string(30, 'q'));
      MergeOptions partial;
      partial.all_segments = false;
      const MergeResult r = db->merge(partial);
      QVERIFY(r.inputs > 0);
      for (int i = 0; i < 400; ++i) QVERIFY(!db->contains("old" + std::to_string(i)));
    }
    for (int reopen = 0; reopen < 2; ++reopen) {
      auto db = DB::open(dir, o);
      for (int i = 0; i < 400; ++i) QVERIFY(!db->contains("old" + std::to_string(i)));
      QCOMPARE(db->size(), 400ull);
      db->merge();
    }
    auto db = DB::open(dir, o);
    QCOMPARE(db->size(), 400ull);
    QCOMPARE(*db->get("pad7"), std::string(30, 'q'));
  }

  // Cancel at every progress call in turn: the database is always whole.
  void cancelAtEveryPoint() {
    QTemporaryDir tmp;
    const fs::path src = path_of(tmp, "src");
    Model model;
    {
      auto db = DB::open(src, small_segments());
      std::mt19937 rng(3);
      for (int i = 0; i < 6000; ++i) {
        const std::string k = "k" + std::to_string(rng() % 900);
        if (rng() % 4 == 0) {
          db->remove(k);
          model.erase(k);
        } else {
          db->put(k, std::to_string(i));
          model[k] = std::to_string(i);
        }
      }
    }
    for (int cancel_at = 1; cancel_at < 8; ++cancel_at) {
      const fs::path dir = path_of(tmp, ("c" + std::to_string(cancel_at)).c_str());
      fs::copy(src, dir);
      {
        auto db = DB::open(dir, small_segments());
        int calls = 0;
        MergeOptions mo;
        mo.progress = [&](const MergeProgress&) { return ++calls < cancel_at; };
        const MergeResult r = db->merge(mo);
        check_model(*db, model);
        if (r.cancelled) QVERIFY(r.inputs_removed < r.inputs);
      }
      auto db = DB::open(dir, small_segments());
      QVERIFY(db->recovery_report().clean());
      check_model(*db, model);
      db->merge();
      check_model(*db, model);
    }
  }

  void mergeWithConcurrentWriters() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto db = DB::open(dir, small_segments());
    for (int i = 0; i < 3000; ++i)
      db->put("k" + std::to_string(i % 500), "initial" + std::to_string(i));
    std::atomic<bool> stop{false};
    Model model;  // written by the writer thread only
    std::thread writer([&] {
      std::mt19937 rng(9);
      int i = 0;
      while (!stop.load() || i < 2000) {
        const std::string k = "k" + std::to_string(rng() % 600);
        if (rng() % 5 == 0) {
          db->remove(k);
          model[k] = "";
        } else {
          const std::string v = "w" + std::to_string(i);
          db->put(k, v);
          model[k] = v;
        }
        ++i;
      }
    });
    int merges = 0;
    for (; merges < 5; ++merges) db->merge();
    stop = true;
    writer.join();
    auto check = [&](const DB& d) {
      for (const auto& [k, v] : model) {
        if (v.empty()) {
          QVERIFY2(!d.contains(k), k.c_str());
        } else {
          QCOMPARE(*d.get(k), v);
        }
      }
    };
    check(*db);
    db->close();
    auto again = DB::open(dir, small_segments());
    QVERIFY(again->recovery_report().clean());
    check(*again);
  }

  // Merge erases expired keys from the keydir while another thread removes
  // keys: remove() must read the keydir under its lock (ThreadSanitizer
  // reported the race when it did not). Every key ends absent: removed, or
  // expired.
  void removeBesideAMergeOfExpiredKeys() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp), small_segments());
    for (int i = 0; i < 2000; ++i) {
      db->put_with_ttl("t" + std::to_string(i), std::string(30, 'v'), std::chrono::milliseconds(1));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // all expired
    std::atomic<int> removed{0};
    std::thread remover([&] {
      for (int i = 0; i < 2000; ++i) removed += db->remove("t" + std::to_string(i));
    });
    for (int round = 0; round < 3; ++round) db->merge();
    remover.join();
    QCOMPARE(removed.load(), 0);  // expired keys are absent: nothing to remove
    QCOMPARE(db->size(), std::uint64_t(0));
    for (int i = 0; i < 2000; i += 97) QVERIFY(!db->contains("t" + std::to_string(i)));
  }

  void damagedHintFallsBackToScan() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Model model;
    {
      auto db = DB::open(dir, small_segments());
      for (int i = 0; i < 500; ++i) {
        db->put("k" + std::to_string(i), "v" + std::to_string(i));
        model["k" + std::to_string(i)] = "v" + std::to_string(i);
      }
    }
    const fs::path hint = dir / "0000000002.hint";
    QVERIFY(fs::exists(hint));
    std::string bytes = read_file(hint);
    bytes[bytes.size() / 2] ^= 1;
    write_file(hint, bytes);
    fs::remove(dir / "0000000003.hint");  // and one missing
    {
      auto db = DB::open(dir, read_only_options());
      check_model(*db, model);
      const auto problems = db->verify();
      QCOMPARE(problems.size(), std::size_t{1});
      QCOMPARE(problems[0].file, std::string("0000000002.hint"));
    }
    {
      auto db = DB::open(dir, small_segments());  // rebuilds both
      check_model(*db, model);
    }
    QVERIFY(fs::exists(dir / "0000000003.hint"));
    QVERIFY(read_file(hint) != bytes);
    auto db = DB::open(dir, read_only_options());
    QVERIFY(db->verify().empty());
    check_model(*db, model);
  }

  void expiry() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto db = DB::open(dir, small_segments());
    // No assertion depends on how soon the next line runs: "k" may already be gone at the first
    // check (1 ms), is surely gone after the sleep, and "long" lives for an hour.
    db->put("k", "old");
    db->put_with_ttl("k", "short-lived", std::chrono::milliseconds(1));
    db->put_with_ttl("long", "stays", std::chrono::hours(1));
    QCOMPARE(*db->get("long"), std::string("stays"));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    QVERIFY(!db->get("k"));
    QVERIFY(!db->contains("k"));
    QVERIFY(!db->remove("k"));
    QCOMPARE(db->size(), 1ull);
    QCOMPARE(db->scan({}).size(), std::size_t{1});
    ScanOptions with_expired;
    with_expired.include_expired = true;
    const auto all = db->scan(with_expired);
    QCOMPARE(all.size(), std::size_t{2});
    QVERIFY(all[0].expired && all[0].key == "k");
    QVERIFY(!all[1].expired && all[1].expires_at_us > 0);
    db->merge();
    QVERIFY(!db->get("k"));  // the old value does not come back
    QCOMPARE(db->scan(with_expired).size(), std::size_t{1});
    db->close();
    auto again = DB::open(dir, small_segments());
    QVERIFY(!again->get("k"));
    QCOMPARE(*again->get("long"), std::string("stays"));
    QVERIFY_THROWS_EXCEPTION(Error, again->put_with_ttl("x", "y", std::chrono::milliseconds(0)));
  }

  void compressionMixesWithPlain_data() {
    QTest::addColumn<int>("algorithm");
    QTest::newRow("zstd") << static_cast<int>(Compression::Zstd);
    QTest::newRow("lz4") << static_cast<int>(Compression::Lz4);
  }
  void compressionMixesWithPlain() {
    QFETCH(int, algorithm);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    const std::string compressible(5000, 'a');
    std::mt19937 rng(5);
    std::string random(5000, ' ');
    for (auto& c : random) c = static_cast<char>(rng());
    {
      auto plain = DB::open(dir);
      plain->put("plain-before", compressible);
    }
    {
      Options o;
      o.compression = static_cast<Compression>(algorithm);
      auto db = DB::open(dir, o);
      db->put("squeezed", compressible);
      db->put("random", random);  // does not pay: stored plain
      db->put("tiny", "abc");     // too small: stored plain
      WriteBatch b;
      b.put("batched", compressible);
      db->write(b);
      ScanOptions all;
      for (const auto& e : db->scan(all)) {
        const bool expect = e.key == "squeezed" || e.key == "batched";
        QCOMPARE(e.compressed, expect);
        if (expect) QVERIFY(e.value_size < 200);
      }
      QCOMPARE(*db->get("squeezed"), compressible);
      QCOMPARE(*db->get("batched"), compressible);
    }
    auto db = DB::open(dir);  // a database opened without compression reads all
    QCOMPARE(*db->get("plain-before"), compressible);
    QCOMPARE(*db->get("squeezed"), compressible);
    QCOMPARE(*db->get("random"), random);
    QCOMPARE(*db->get("tiny"), std::string("abc"));
    db->merge();
    QCOMPARE(*db->get("squeezed"), compressible);
  }

  void keyHistory() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp), small_segments());
    db->put("k", "v1");
    db->put("other", "x");
    db->put("k", "v2");
    db->remove("k");
    db->put("k", "v3");
    const auto h = db->history("k");
    QCOMPARE(h.size(), std::size_t{4});
    QCOMPARE(h[0].kind, RecordKind::kPut);
    QCOMPARE(h[2].kind, RecordKind::kTombstone);
    QVERIFY(h[3].live && !h[0].live);
    QVERIFY(h[0].timestamp_us <= h[3].timestamp_us);
    QCOMPARE(*db->read_version(h[0].segment, h[0].offset), std::string("v1"));
    QCOMPARE(*db->read_version(h[1].segment, h[1].offset), std::string("v2"));
    QVERIFY(!db->read_version(h[2].segment, h[2].offset).has_value());
    QVERIFY_THROWS_EXCEPTION(Error, db->read_version(h[0].segment, h[0].offset + 1));
    // Restoring an old version is a put of its value.
    db->put("k", *db->read_version(h[0].segment, h[0].offset));
    QCOMPARE(*db->get("k"), std::string("v1"));
    db->merge();
    const auto after = db->history("k");
    QCOMPARE(after.size(), std::size_t{1});
    QVERIFY(after[0].live);
    QVERIFY(db->history("never").empty());
  }

  // Random puts, deletes, batches, merges and reopens against a model.
  void modelBasedRandomOperations() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options o = small_segments();
    o.merge_thresholds.fragmentation_threshold = 0.3;
    Model model;
    std::mt19937 rng(2024);
    auto db = DB::open(dir, o);
    for (int step = 0; step < 3000; ++step) {
      const int op = static_cast<int>(rng() % 100);
      const std::string k = "key" + std::to_string(rng() % 300);
      if (op < 55) {
        const std::string v = std::string(rng() % 80, 'a' + step % 26) + std::to_string(step);
        db->put(k, v);
        model[k] = v;
      } else if (op < 75) {
        QCOMPARE(db->remove(k), model.erase(k) == 1);
      } else if (op < 90) {
        WriteBatch b;
        const int n = 1 + static_cast<int>(rng() % 8);
        for (int i = 0; i < n; ++i) {
          const std::string bk = "key" + std::to_string(rng() % 300);
          if (rng() % 3 == 0) {
            b.remove(bk);
            model.erase(bk);
          } else {
            b.put(bk, "batch" + std::to_string(step));
            model[bk] = "batch" + std::to_string(step);
          }
        }
        db->write(b);
      } else if (op < 95) {
        MergeOptions mo;
        mo.all_segments = rng() % 2;
        db->merge(mo);
      } else {
        db->close();
        db = DB::open(dir, o);
        QVERIFY(db->recovery_report().clean());
      }
      if (step % 100 == 0) check_model(*db, model);
    }
    check_model(*db, model);
    db->close();
    db = DB::open(dir, o);
    check_model(*db, model);
  }
};

QTEST_APPLESS_MAIN(MergeTest)
#include "tst_merge.moc"
