// The key table over every key at once: the true row count from the start,
// rows far down read without paging, sorting by each column in both
// directions (off the GUI thread, cancellable), edits followed in a sorted
// order, and engine errors reported by a signal.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QHeaderView>
#include <QSemaphore>
#include <QSignalSpy>
#include <QStyle>
#include <QStyleFactory>
#include <QTest>
#include <QThreadPool>
#include <algorithm>

#include "app/keytableview.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/taskpool.h"
#include "gui_test_util.h"

using namespace bb;
using guitest::key;

namespace {

// Keys whose size, written time and segment orders all differ from key order.
std::unique_ptr<Database> openMixed(const QString& path, int n) {
  bitcask::Options options;
  options.max_segment_size = 2048;  // many segments
  auto db = std::make_unique<Database>(bitcask::DB::open(path.toStdString(), options));
  for (int i = 0; i < n; ++i) {
    // Written in a shuffled key order, sizes by another permutation.
    const int k = (i * 37) % n;
    const int size = 1 + (i * 53) % 97;
    db->db().put(key(k), std::string(std::size_t(size), 'x'));
  }
  return db;
}

std::vector<std::string> rowsOf(const KeyTableModel& model) {
  std::vector<std::string> keys;
  for (int r = 0; r < model.rowCount(); ++r) keys.push_back(model.keyAt(r));
  return keys;
}

// The keys ordered by `field` (ties in key order), computed from the index directly.
std::vector<std::string> expected(bitcask::DB& db, int column, Qt::SortOrder order) {
  bitcask::ScanOptions o;
  o.limit = 1'000'000;
  auto all = db.scan(o);
  auto field = [column](const bitcask::KeyEntry& e) -> std::uint64_t {
    switch (column) {
      case KeyTableModel::kSizeColumn:
        return e.value_size;
      case KeyTableModel::kTimestampColumn:
        return e.timestamp_us;
      case KeyTableModel::kSegmentColumn:
        return e.segment;
    }
    return 0;
  };
  std::stable_sort(all.begin(), all.end(), [&](const auto& a, const auto& b) {
    if (column == KeyTableModel::kKeyColumn) {
      return order == Qt::AscendingOrder ? a.key < b.key : a.key > b.key;
    }
    return order == Qt::AscendingOrder ? field(a) < field(b) : field(a) > field(b);
  });
  std::vector<std::string> keys;
  for (const auto& e : all) keys.push_back(e.key);
  return keys;
}

// Holds the task pool's only thread, so a task started meanwhile waits in its queue.
class PoolBlocker {
 public:
  PoolBlocker() : threads_(taskPool()->maxThreadCount()) {
    taskPool()->setMaxThreadCount(1);
    taskPool()->start([this] { gate_.acquire(); });
  }
  ~PoolBlocker() {
    gate_.release();
    taskPool()->waitForDone();
    taskPool()->setMaxThreadCount(threads_);
  }

 private:
  int threads_;
  QSemaphore gate_;
};

}  // namespace

class TestKeyTable : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void knowsEveryRowAtOnce() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 100'000);
    KeyTableModel model;
    model.setPageSize(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    // The true count at once, while the keys are still being read.
    QCOMPARE(model.rowCount(), 100'000);
    QCOMPARE(model.matchCount(), quint64(100'000));
    QCOMPARE(model.keyAt(0), key(0));
    // The last rows are read directly (Ctrl+End before the snapshot is in).
    QCOMPARE(model.keyAt(99'999), key(99'999));
    QCOMPARE(model.data(model.index(99'998, KeyTableModel::kKeyColumn)).toString(),
             QString::fromStdString(key(99'998)));
    QSignalSpy loaded(&model, &KeyTableModel::loaded);
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(model.rowCount(), 100'000);
    // Any row, with its index entry and preview, without paging towards it.
    for (int row : {1, 999, 1000, 54'321, 99'999}) {
      QCOMPARE(model.keyAt(row), key(row));
      QCOMPARE(model.data(model.index(row, KeyTableModel::kKeyColumn)).toString(),
               QString::fromStdString(key(row)));
    }
    QCOMPARE(model.data(model.index(54'321, 0), KeyTableModel::kValueSizeRole).toUInt(),
             quint32(std::string("{\"n\":54321}").size()));
    QVERIFY(model.data(model.index(54'321, KeyTableModel::kPreviewColumn))
                .toString()
                .contains("\"n\":54321"));
    QCOMPARE(model.rowOfKey(key(77'777)), 77'777);
    QCOMPARE(model.rowOfKey("nope"), -1);
    // A prefix view counts its keys.
    model.showPrefix("key:001");
    QCOMPARE(model.rowCount(), 1000);
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.keyAt(999), key(1999));
  }

  void editsWhileLoadingAreNotLost() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 50'000);
    KeyTableModel model;
    model.setPageSize(100);
    model.setDatabase(db.get());
    EditController edits;
    edits.setDatabase(db.get());
    QVERIFY(edits.addKey("key:0250005", "1").ok);
    QVERIFY(edits.deleteKeys({key(40'000)}).ok);
    model.waitForLoaded();
    QVERIFY(!model.isLoading());
    QCOMPARE(model.rowCount(), 50'000);
    QCOMPARE(model.matchCount(), quint64(50'000));
    QVERIFY(model.rowOfKey("key:0250005") >= 0);
    QCOMPARE(model.rowOfKey(key(40'000)), -1);
    QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kKeyColumn, Qt::AscendingOrder));
  }

  void sortsByEveryColumnBothWays() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 300);
    QVERIFY(db->db().segment_ids().size() > 3);
    KeyTableModel model;
    model.setPageSize(50);  // the snapshot is read in the background
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    QTRY_VERIFY(!model.isLoading());
    QSignalSpy changed(&model, &KeyTableModel::sortChanged);
    for (int column : {int(KeyTableModel::kSizeColumn), int(KeyTableModel::kTimestampColumn),
                       int(KeyTableModel::kSegmentColumn), int(KeyTableModel::kKeyColumn)}) {
      for (Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder}) {
        model.sort(column, order);
        QTRY_VERIFY(!model.isSorting());
        QCOMPARE(model.sortColumn(), column);
        QCOMPARE(model.sortOrder(), order);
        QVERIFY(!changed.isEmpty());
        QCOMPARE(changed.last().at(0).toInt(), column);
        QCOMPARE(rowsOf(model), expected(db->db(), column, order));
        // The rows' data follows the order.
        const auto want = expected(db->db(), column, order);
        QCOMPARE(model.data(model.index(0, 0), KeyTableModel::kKeyBytesRole).toByteArray(),
                 QByteArray::fromStdString(want.front()));
      }
    }
    // The preview column has no order: the one in force stays.
    model.sort(KeyTableModel::kPreviewColumn, Qt::AscendingOrder);
    QCOMPARE(model.sortColumn(), int(KeyTableModel::kKeyColumn));
  }

  void matchListSorts() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 200);
    KeyTableModel model;
    model.setDatabase(db.get());
    KeyFilter f;
    f.mode = KeyFilter::Mode::kSubstring;
    f.text = "1";
    auto matches = std::make_shared<std::vector<bitcask::KeyEntry>>();
    for (const auto& k : expected(db->db(), KeyTableModel::kKeyColumn, Qt::AscendingOrder)) {
      if (k.find('1') != std::string::npos) matches->push_back(*db->entry(k));
    }
    const std::size_t n = matches->size();
    model.showMatches(f, matches);
    QCOMPARE(model.rowCount(), int(n));
    model.sort(KeyTableModel::kSizeColumn, Qt::DescendingOrder);
    QTRY_VERIFY(!model.isSorting());
    quint32 last = UINT32_MAX;
    for (int r = 0; r < model.rowCount(); ++r) {
      const quint32 size = model.data(model.index(r, 0), KeyTableModel::kValueSizeRole).toUInt();
      QVERIFY(size <= last);
      last = size;
    }
    QCOMPARE(model.entries().size(), n);
  }

  void sortsManyDistinctValues() {
    // More distinct sizes and times than a counting sort takes: the comparison sorts.
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    KeyTableModel model;
    model.setDatabase(db.get());
    const int n = 300'000;
    auto matches = std::make_shared<std::vector<bitcask::KeyEntry>>(std::size_t(n));
    for (int i = 0; i < n; ++i) {
      auto& e = (*matches)[std::size_t(i)];
      e.key = key(i);
      e.value_size = quint32((std::uint64_t(i) * 7919) % 1'000'003);
      e.timestamp_us = 1'700'000'000'000'000ull + (std::uint64_t(i) * 104'729) % 10'000'019;
    }
    KeyFilter f;
    f.mode = KeyFilter::Mode::kSubstring;
    f.text = "key";
    model.showMatches(f, matches);
    QCOMPARE(model.rowCount(), n);
    for (int column : {int(KeyTableModel::kSizeColumn), int(KeyTableModel::kTimestampColumn)}) {
      for (Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        model.sort(column, order);
        QTRY_VERIFY_WITH_TIMEOUT(!model.isSorting(), 60000);
        const int role = column == KeyTableModel::kSizeColumn ? int(KeyTableModel::kValueSizeRole)
                                                              : int(KeyTableModel::kTimestampRole);
        quint64 last = model.data(model.index(0, 0), role).toULongLong();
        std::string lastKey = model.keyAt(0);
        for (int r = 1; r < n; ++r) {
          const quint64 v = model.data(model.index(r, 0), role).toULongLong();
          const std::string k = model.keyAt(r);
          QVERIFY(order == Qt::AscendingOrder ? v >= last : v <= last);
          if (v == last) QVERIFY(k > lastKey);  // ties in key order
          last = v;
          lastKey = k;
        }
      }
    }
  }

  void cancelledSortKeepsThePreviousOrder() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 300);
    KeyTableModel model;
    model.setDatabase(db.get());
    QTRY_VERIFY(!model.isLoading());
    model.sort(KeyTableModel::kSizeColumn, Qt::DescendingOrder);
    QTRY_VERIFY(!model.isSorting());
    const auto bySize = rowsOf(model);
    QSignalSpy changed(&model, &KeyTableModel::sortChanged);
    {
      PoolBlocker blocker;  // the sort waits in the queue: the cancel comes first
      model.sort(KeyTableModel::kTimestampColumn, Qt::AscendingOrder);
      QVERIFY(model.isSorting());
      model.cancelSort();
    }
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.sortColumn(), int(KeyTableModel::kSizeColumn));
    QCOMPARE(model.sortOrder(), Qt::DescendingOrder);
    QCOMPARE(rowsOf(model), bySize);
    QCOMPARE(changed.count(), 1);  // the header goes back to size
    QCOMPARE(changed.last().at(0).toInt(), int(KeyTableModel::kSizeColumn));
  }

  void editsFollowASortedOrder() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 1200);
    KeyTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    model.sort(KeyTableModel::kSizeColumn, Qt::DescendingOrder);
    QTRY_VERIFY(!model.isSorting());
    EditController edits;
    edits.setDatabase(db.get());
    // A new largest value goes to the top, a small one among its size.
    QVERIFY(edits.addKey("big", QString("\"%1\"").arg(QString(4998, QChar(u'b')))).ok);
    QCOMPARE(model.rowCount(), 1201);
    QCOMPARE(model.keyAt(0), std::string("big"));
    QVERIFY(edits.addKey("small", "1").ok);
    QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kSizeColumn, Qt::DescendingOrder));
    QVERIFY(edits.deleteKeys({"big", key(10)}).ok);
    QCOMPARE(model.rowCount(), 1200);
    QCOMPARE(model.matchCount(), quint64(1200));
    QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kSizeColumn, Qt::DescendingOrder));
    // A bulk change re-sorts.
    std::vector<std::string> many;
    for (int i = 0; i < 700; ++i) many.push_back(key(i));
    std::erase(many, key(10));
    QVERIFY(edits.deleteKeys(many).ok);
    QVERIFY(model.isSorting());
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.rowCount(), 1200 - 699);
    QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kSizeColumn, Qt::DescendingOrder));
    edits.undoStack()->undo();
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.rowCount(), 1200);
    QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kSizeColumn, Qt::DescendingOrder));
    // Back to key order, descending: the last key first.
    model.sort(KeyTableModel::kKeyColumn, Qt::DescendingOrder);
    QCOMPARE(model.keyAt(0), std::string("small"));
    QVERIFY(edits.addKey("zzz", "1").ok);
    QCOMPARE(model.keyAt(0), std::string("zzz"));
    QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kKeyColumn, Qt::DescendingOrder));
  }

  void selectionFollowsItsKeyThroughASort() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 100);
    KeyTableModel model;
    model.setDatabase(db.get());
    KeyTableView view;
    view.setModel(&model);
    view.setCurrentIndex(model.index(5, 0));
    const std::string current = model.keyAt(5);
    model.sort(KeyTableModel::kSizeColumn, Qt::AscendingOrder);
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.keyAt(view.currentIndex().row()), current);
    QCOMPARE(view.horizontalHeader()->sortIndicatorSection(), int(KeyTableModel::kSizeColumn));
  }

  void largestValuesIsOneClick() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 300);
    KeyTableModel model;
    model.setDatabase(db.get());
    KeyTableView view;
    view.setModel(&model);
    view.largestValuesAction()->trigger();
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.sortColumn(), int(KeyTableModel::kSizeColumn));
    QCOMPARE(model.sortOrder(), Qt::DescendingOrder);
    QCOMPARE(view.horizontalHeader()->sortIndicatorSection(), int(KeyTableModel::kSizeColumn));
    QCOMPARE(view.horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    QCOMPARE(view.currentIndex().row(), 0);
    QCOMPARE(model.keyAt(0),
             expected(db->db(), KeyTableModel::kSizeColumn, Qt::DescendingOrder).front());
    // A header click sorts too.
    view.horizontalHeader()->setSortIndicator(KeyTableModel::kSegmentColumn, Qt::AscendingOrder);
    QTRY_COMPARE(model.sortColumn(), int(KeyTableModel::kSegmentColumn));
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kSegmentColumn, Qt::AscendingOrder));
  }

  // Largest first shows an arrow pointing down, smallest first one pointing up, in Fusion (the
  // style of the light and dark themes, which on Linux draws Qt's descending indicator
  // pointing up) and in the Windows style (which draws it pointing down); the model's order is
  // Qt's either way.
  void sortArrowPointsDownForLargestFirst() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 50);
    for (const char* styleName : {"Fusion", "Windows"}) {
      std::unique_ptr<QStyle> style(QStyleFactory::create(styleName));
      QVERIFY2(style, styleName);
      KeyTableModel model;
      model.setDatabase(db.get());
      KeyTableView view;
      view.setStyle(style.get());
      view.horizontalHeader()->setStyle(style.get());
      view.setModel(&model);
      view.resize(900, 300);
      QHeaderView* header = view.horizontalHeader();
      // The arrow is found as what the indicator adds to a section. Size's label is aligned
      // right and moves aside for it; the Key column's stays put, so it is measured there
      // (one header draws every column's arrow alike).
      auto grabSection = [&](int col) {
        return header
            ->grab(QRect(header->sectionViewportPosition(col), 0, header->sectionSize(col),
                         header->height()))
            .toImage()
            .convertToFormat(QImage::Format_RGB32);
      };
      view.sortByColumn(KeyTableModel::kSizeColumn, Qt::AscendingOrder);
      QTRY_VERIFY(!model.isSorting());
      const QImage plain = grabSection(KeyTableModel::kKeyColumn);
      for (Qt::SortOrder order : {Qt::DescendingOrder, Qt::AscendingOrder}) {
        view.sortByColumn(KeyTableModel::kKeyColumn, order);
        QTRY_VERIFY(!model.isSorting());
        QCOMPARE(header->sortIndicatorOrder(), order);
        const QImage sorted = grabSection(KeyTableModel::kKeyColumn);
        QCOMPARE(sorted.size(), plain.size());
        int top = -1, bottom = -1, rows = 0;
        for (int y = 0; y < sorted.height(); ++y) {
          int ink = 0;
          for (int x = 0; x < sorted.width(); ++x) ink += sorted.pixel(x, y) != plain.pixel(x, y);
          if (ink == 0) continue;
          ++rows;
          if (top < 0) top = ink;
          bottom = ink;
        }
        QVERIFY2(rows >= 2, styleName);
        const bool pointsDown = top > bottom;
        QVERIFY2(pointsDown == (order == Qt::DescendingOrder),
                 qPrintable(
                     QStringLiteral("%1, %2: top row %3 px, bottom row %4 px")
                         .arg(styleName, order == Qt::DescendingOrder ? "descending" : "ascending")
                         .arg(top)
                         .arg(bottom)));
      }
      // Largest first (the Largest Values action) is the model's descending order, unchanged.
      view.largestValuesAction()->trigger();
      QTRY_VERIFY(!model.isSorting());
      QCOMPARE(header->sortIndicatorSection(), int(KeyTableModel::kSizeColumn));
      QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
      QCOMPARE(rowsOf(model), expected(db->db(), KeyTableModel::kSizeColumn, Qt::DescendingOrder));
    }
  }

  void aRestoredHeaderSortsTheModel() {
    QTemporaryDir dir;
    auto db = openMixed(guitest::dbPath(dir), 100);
    QByteArray state;
    {
      KeyTableModel model;
      model.setDatabase(db.get());
      KeyTableView view;
      view.setModel(&model);
      view.sortByColumn(KeyTableModel::kTimestampColumn, Qt::DescendingOrder);
      QTRY_VERIFY(!model.isSorting());
      state = view.horizontalHeader()->saveState();
    }
    KeyTableModel model;
    model.setDatabase(db.get());
    KeyTableView view;
    view.setModel(&model);
    QVERIFY(view.horizontalHeader()->restoreState(state));
    QTRY_VERIFY(!model.isSorting());
    QCOMPARE(model.sortColumn(), view.horizontalHeader()->sortIndicatorSection());
    QCOMPARE(model.sortOrder(), view.horizontalHeader()->sortIndicatorOrder());
  }

  void reportsEngineErrors() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 100);
    KeyTableModel model;
    model.setDatabase(db.get());
    QSignalSpy errors(&model, &KeyTableModel::errorOccurred);
    QCOMPARE(model.rowCount(), 100);
    // Closed underneath: reading a row's entry fails, once reported.
    db->db().close();
    QVERIFY(!model.data(model.index(3, KeyTableModel::kSizeColumn)).isValid());
    QVERIFY(!model.data(model.index(4, KeyTableModel::kSizeColumn)).isValid());
    QTRY_COMPARE(errors.count(), 1);
    QVERIFY2(errors.first().first().toString().contains("closed"),
             qPrintable(errors.first().first().toString()));
    // Reading the keys again fails the same way and says so.
    model.showPrefix("key:00005");
    QCOMPARE(model.rowCount(), 0);
    QTRY_VERIFY(errors.count() >= 1);
    model.sort(KeyTableModel::kSizeColumn, Qt::AscendingOrder);
    QTRY_VERIFY(!model.isSorting());
  }

  void reportsAFailedSort() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 100);
    KeyTableModel model;
    model.setDatabase(db.get());
    QSignalSpy errors(&model, &KeyTableModel::errorOccurred);
    {
      PoolBlocker blocker;  // closed before the sort reads the index
      model.sort(KeyTableModel::kSizeColumn, Qt::AscendingOrder);
      db->db().close();
    }
    QTRY_VERIFY(!model.isSorting());
    QTRY_COMPARE(errors.count(), 1);
    QVERIFY(errors.first().first().toString().contains("closed"));
    QCOMPARE(model.sortColumn(), int(KeyTableModel::kKeyColumn));  // the previous order stays
  }
};

QTEST_MAIN(TestKeyTable)
#include "tst_gui_keytable.moc"
