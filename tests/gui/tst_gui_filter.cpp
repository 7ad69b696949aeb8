// The key filter: prefix, substring and regex scans over the engine, their
// results in the key table, and cancelling.
#include <QAbstractItemModelTester>
#include <QFutureWatcher>
#include <QtConcurrent>

#include "core/keyfilter.h"
#include "core/keytablemodel.h"
#include "gui_test_util.h"

using namespace bb;

class TestFilter : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  std::unique_ptr<Database> db_;

  FilterResult run(KeyFilter::Mode mode, const QString& text, bool caseSensitive = true) {
    KeyFilter f;
    f.mode = mode;
    f.text = text;
    f.caseSensitive = caseSensitive;
    QFuture<FilterResult> future = QtConcurrent::run(runFilterScan, db_->handle(), f);
    future.waitForFinished();
    if (future.resultCount() != 1) qFatal("filter returned no result");
    return future.result();
  }

  static QStringList keysOf(const FilterResult& r) {
    QStringList out;
    for (const auto& e : *r.matches) out << QString::fromStdString(e.key);
    return out;
  }

 private slots:
  void initTestCase() {
    isolateSettings();
    dir_ = std::make_unique<QTemporaryDir>();
    db_ = guitest::openWritable(guitest::dbPath(*dir_));
    guitest::fill(db_->db(), 20'000);  // key:000000 .. key:019999
    bitcask::WriteBatch b;
    for (const char* k :
         {"user:1001:name", "user:1001:Email", "user:1002:name", "USER:9", "order:1"}) {
      b.put(k, "1");
    }
    db_->write(b);
  }

  void prefixUsesTheIndex() {
    const FilterResult r = run(KeyFilter::Mode::kPrefix, "user:");
    QCOMPARE(keysOf(r), (QStringList{"user:1001:Email", "user:1001:name", "user:1002:name"}));
    QCOMPARE(r.scanned, quint64(3));  // only the prefix's keys were visited
  }

  void substring() {
    QCOMPARE(keysOf(run(KeyFilter::Mode::kSubstring, ":name")),
             (QStringList{"user:1001:name", "user:1002:name"}));
    // Case-insensitive: USER:9 and every user: key.
    QCOMPARE(run(KeyFilter::Mode::kSubstring, "user", false).matches->size(), std::size_t(4));
    QCOMPARE(run(KeyFilter::Mode::kSubstring, "user", true).matches->size(), std::size_t(3));
    // Across pages of the scan: key:01xxxx has 10,000 keys.
    const FilterResult r = run(KeyFilter::Mode::kSubstring, "key:01");
    QCOMPARE(r.matches->size(), std::size_t(10'000));
    QCOMPARE(r.matches->front().key, guitest::key(10'000));
    QCOMPARE(r.matches->back().key, guitest::key(19'999));
    QCOMPARE(r.scanned, quint64(20'005));
  }

  void regex() {
    QCOMPARE(keysOf(run(KeyFilter::Mode::kRegex, "^user:\\d+:e")), (QStringList{}));
    QCOMPARE(keysOf(run(KeyFilter::Mode::kRegex, "^user:\\d+:e", false)),
             (QStringList{"user:1001:Email"}));
    QCOMPARE(run(KeyFilter::Mode::kRegex, "^key:0199[0-4]\\d$").matches->size(), std::size_t(50));
  }

  void invalidRegexIsReportedNotRun() {
    KeyFilter f;
    f.mode = KeyFilter::Mode::kRegex;
    f.text = "user:(";
    const KeyMatcher m(f);
    QVERIFY(!m.isValid());
    QVERIFY(m.error().contains("at character"));
    QCOMPARE(run(KeyFilter::Mode::kRegex, "user:(").matches->size(), std::size_t(0));
  }

  void cancelStopsTheScan() {
    KeyFilter f;
    f.mode = KeyFilter::Mode::kSubstring;
    f.text = "key";
    QPromise<FilterResult> promise;
    QFuture<FilterResult> future = promise.future();
    promise.start();
    future.cancel();  // as when the user types on
    runFilterScan(promise, db_->handle(), f);
    promise.finish();
    QVERIFY(future.isCanceled());
    QCOMPARE(future.resultCount(), 0);
  }

  void matchesInTheTable() {
    KeyTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db_.get());
    FilterResult r = run(KeyFilter::Mode::kSubstring, "name");
    model.showMatches(r.filter, r.matches);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.matchCount(), quint64(2));
    QVERIFY(model.isFiltered());
    QVERIFY(!model.canFetchMore({}));
    // A new key that matches joins the list; one that does not, does not.
    bitcask::WriteBatch b;
    b.put("a:name", "1");
    b.put("a:other", "1");
    db_->write(b);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.keyAt(0), std::string("a:name"));
    bitcask::WriteBatch d;
    d.remove("a:name");
    d.remove("a:other");
    db_->write(d);
    QCOMPARE(model.rowCount(), 2);
  }

  void prefixSuccessor() {
    QCOMPARE(bb::prefixSuccessor("user:"), std::string("user;"));
    QCOMPARE(bb::prefixSuccessor(std::string("a\xff\xff", 3)), std::string("b"));
    QCOMPARE(bb::prefixSuccessor(std::string("\xff", 1)), std::string());
  }
};

QTEST_GUILESS_MAIN(TestFilter)
#include "tst_gui_filter.moc"
