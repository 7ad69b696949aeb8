// Atomic batches: all-or-nothing at every cut point, JSON batch_write.
#include <QTest>

#include "test_util.h"

using namespace bitcask;
using namespace testutil;

class BatchTest : public QObject {
  Q_OBJECT
 private slots:
  void batchAppliesInOrder() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    db->put("gone", "x");
    WriteBatch b;
    b.put("a", "1");
    b.put("b", "2");
    b.put("a", "3");
    b.remove("gone");
    b.remove("b");
    db->write(b);
    QCOMPARE(*db->get("a"), std::string("3"));
    QVERIFY(!db->contains("b"));
    QVERIFY(!db->contains("gone"));
    db->close();
    auto again = DB::open(path_of(tmp));
    QVERIFY(again->recovery_report().clean());
    QCOMPARE(*again->get("a"), std::string("3"));
    QCOMPARE(again->size(), 1ull);
  }

  void batchIsAllOrNothingAtEveryCut() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      auto db = DB::open(dir);
      db->put("before", "kept");
    }
    const std::size_t base = fs::file_size(segment_files(dir).back());
    {
      auto db = DB::open(dir);
      WriteBatch b;
      for (int i = 0; i < 5; ++i) b.put("k" + std::to_string(i), "value" + std::to_string(i));
      b.remove("before");
      db->write(b);
    }
    const fs::path seg = segment_files(dir).back();
    const std::string full = read_file(seg);
    QVERIFY(full.size() > base);
    for (std::size_t cut = base; cut <= full.size(); ++cut) {
      write_file(seg, full.substr(0, cut));
      auto db = DB::open(dir, read_only_options());
      const bool complete = cut == full.size();
      QCOMPARE(db->contains("k0"), complete);
      QCOMPARE(db->contains("k4"), complete);
      QCOMPARE(db->contains("before"), !complete);
      QCOMPARE(db->size(), complete ? 5ull : 1ull);
    }
    // A writable open cuts the incomplete batch away, and later writes work.
    write_file(seg, full.substr(0, full.size() - 1));
    {
      auto db = DB::open(dir);
      QCOMPARE(db->recovery_report().truncated_tails.size(), std::size_t{1});
      db->put("after", "1");
    }
    auto db = DB::open(dir);
    QVERIFY(db->recovery_report().clean());
    QCOMPARE(*db->get("before"), std::string("kept"));
    QCOMPARE(*db->get("after"), std::string("1"));
    QVERIFY(!db->contains("k0"));
  }

  void invalidBatchWritesNothing() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    WriteBatch b;
    b.put("ok", "1");
    b.put(std::string(kMaxKeySize + 1, 'k'), "key over the limit");
    QVERIFY_THROWS_EXCEPTION(Error, db->write(b));
    QVERIFY(!db->contains("ok"));
    QCOMPARE(db->stats().segment_stats[0].records, 0ull);
  }

  void jsonBatchWrite() {
    QTemporaryDir tmp;
    Options o;
    o.sync = SyncPolicy::Always;
    Bitcask db(path_of(tmp), o);
    db.batch_write({{"user:1", {{"name", "Ann"}}}, {"user:2", {{"name", "Bo"}}}, {"n", 3}});
    QCOMPARE_JSON((*db.get("user:2"))["name"], "Bo");
    QCOMPARE_JSON(*db.get("n"), 3);
    QVERIFY_THROWS_EXCEPTION(Error, db.batch_write(nlohmann::json::array({1, 2})));
  }

  // A cleared batch keeps its strings for the next ops: what it holds
  // then is exactly the new ops, none of the old ones or their bytes.
  void clearedBatchHoldsOnlyTheNewOps() {
    WriteBatch batch;
    batch.put("a", std::string(1000, 'a'));
    batch.remove("b");
    batch.put_in_place("c") = "long value of c";
    batch.clear();
    QVERIFY(batch.empty());
    QCOMPARE(batch.ops().size(), std::size_t{0});
    batch.put_in_place("x").append("x");
    batch.put("y", "y");
    QCOMPARE(batch.size(), std::size_t{2});
    QCOMPARE(batch.ops()[0].key, std::string("x"));
    QCOMPARE(batch.ops()[0].value, std::string("x"));
    QCOMPARE(batch.ops()[0].kind, RecordKind::kPut);
    QCOMPARE(batch.ops()[1].key, std::string("y"));
    QCOMPARE(batch.ops()[1].value, std::string("y"));
    batch.remove("z");
    QCOMPARE(batch.ops()[2].kind, RecordKind::kTombstone);
    QCOMPARE(batch.ops()[2].value, std::string());
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    db->put("z", "there");
    db->write(batch);
    QCOMPARE(db->size(), std::uint64_t{2});
    QCOMPARE(*db->get("x"), std::string("x"));
    QVERIFY(!db->contains("a") && !db->contains("c") && !db->contains("z"));
  }

  // Each value's text is made in the batch itself (put_in_place): plain
  // strings, strings that need escapes, and everything else are stored as
  // a put of the same value stores them.
  void jsonBatchWriteStoresWhatPutStores() {
    QTemporaryDir tmp;
    Bitcask db(path_of(tmp));
    const nlohmann::json values = {
        {"plain", std::string(100, 'p')},
        {"quote", "say \"hi\""},
        {"utf8", "caf\u00e9"},
        {"empty", ""},
        {"object", {{"a", 1}}},
        {"number", 2.5},
    };
    db.batch_write(values);
    for (const auto& [key, value] : values.items()) {
      QCOMPARE(*db.get_text(key), to_json_text(value));
      QVERIFY2(*db.get(key) == value, key.c_str());
    }
    WriteBatch batch;
    batch.put_in_place("filled") = "in place";
    batch.put_in_place("left empty");
    db.db().write(batch);
    QCOMPARE(*db.db().get("filled"), std::string("in place"));
    QCOMPARE(*db.db().get("left empty"), std::string());
  }
};

QTEST_APPLESS_MAIN(BatchTest)
#include "tst_batch.moc"
