// The Segments tab: segment figures against `bitcask stats --json`, records
// paged with live / shadowed / tombstone flags after overwrites and deletes,
// a flipped byte found by Verify at its offset, merge reclaiming the dead
// bytes the view showed, the hex layout of a record, and the jumps between
// keys and records. Models run under QAbstractItemModelTester.
#include <QAbstractItemModelTester>
#include <QAction>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProcess>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QtConcurrent>

#include "app/mainwindow.h"
#include "app/recordhexview.h"
#include "app/recordspanel.h"
#include "app/segmentchart.h"
#include "app/segmentspage.h"
#include "core/keytablemodel.h"
#include "core/problemsmodel.h"
#include "core/recordlayout.h"
#include "core/recordsmodel.h"
#include "core/segmentsmodel.h"
#include "core/verifytask.h"
#include "gui_test_util.h"

using namespace bb;
using guitest::key;
using State = RecordsModel::State;

namespace {

// A database of small segments (`segmentSize` bytes) at `path`.
std::shared_ptr<bitcask::DB> openSmall(const QString& path, std::uint64_t segmentSize = 32 * 1024) {
  bitcask::Options o;
  o.max_segment_size = segmentSize;
  return std::shared_ptr<bitcask::DB>(bitcask::DB::open(path.toStdString(), o));
}

// Keys 0..n-1, then every third one overwritten and every tenth deleted.
void fillWithGarbage(bitcask::DB& db, int n) {
  for (int i = 0; i < n; ++i)
    db.put(key(i), "{\"n\":" + std::to_string(i) + ",\"pad\":\"xxxxxxxxxxxxxxxx\"}");
  for (int i = 0; i < n; i += 3) db.put(key(i), "{\"n\":" + std::to_string(i) + ",\"v\":2}");
  for (int i = 0; i < n; i += 10) db.remove(key(i));
}

// fillWithGarbage(n) in small segments at `path`, closed (hints written), then opened for the
// models.
std::unique_ptr<bb::Database> openGarbage(const QString& path, int n) {
  {
    auto raw = openSmall(path);
    fillWithGarbage(*raw, n);
    raw->close();
  }
  return guitest::openWritable(path);
}

std::vector<bitcask::RecordInfo> allRecords(const bitcask::DB& db, std::uint32_t segment) {
  std::vector<bitcask::RecordInfo> out;
  db.read_records(segment, 0, std::size_t(-1), [&](const bitcask::RecordInfo& r) {
    out.push_back(r);
    return true;
  });
  return out;
}

}  // namespace

class TestSegments : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void segmentFiguresMatchStatsJson() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    auto db = openGarbage(path, 3000);
    SegmentsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    QVERIFY(model.rowCount() > 5);

    QProcess cli;
    cli.start(QStringLiteral(BITCASK_CLI),
              {QStringLiteral("stats"), path, QStringLiteral("--json")});
    QVERIFY(cli.waitForFinished(30000));
    QCOMPARE(cli.exitCode(), 0);
    const QJsonObject json = QJsonDocument::fromJson(cli.readAllStandardOutput()).object();
    model.refresh();  // hint files the writer may have written since
    const QJsonArray segs = json.value("segment_stats").toArray();
    QCOMPARE(model.rowCount(), int(segs.size()));
    QCOMPARE(quint64(json.value("total_bytes").toDouble()), quint64(model.stats().total_bytes));
    QCOMPARE(quint64(json.value("dead_bytes").toDouble()), quint64(model.stats().dead_bytes));
    for (int row = 0; row < model.rowCount(); ++row) {
      const QJsonObject s = segs[row].toObject();
      auto fig = [&](int column) {
        return model.data(model.index(row, column), SegmentsModel::kSortRole).toULongLong();
      };
      QCOMPARE(fig(SegmentsModel::kIdColumn), quint64(s.value("id").toInt()));
      QCOMPARE(fig(SegmentsModel::kSizeColumn), quint64(s.value("size").toDouble()));
      QCOMPARE(fig(SegmentsModel::kRecordsColumn), quint64(s.value("records").toDouble()));
      QCOMPARE(fig(SegmentsModel::kLiveRecordsColumn), quint64(s.value("live_records").toDouble()));
      QCOMPARE(fig(SegmentsModel::kLiveBytesColumn), quint64(s.value("live_bytes").toDouble()));
      QCOMPARE(fig(SegmentsModel::kDeadBytesColumn), quint64(s.value("dead_bytes").toDouble()));
      QCOMPARE(fig(SegmentsModel::kTombstonesColumn), quint64(s.value("tombstones").toDouble()));
      const double frag = s.value("size").toDouble() > 0
                              ? s.value("dead_bytes").toDouble() / s.value("size").toDouble()
                              : 0.0;
      QVERIFY(qAbs(model
                       .data(model.index(row, SegmentsModel::kFragmentationColumn),
                             SegmentsModel::kSortRole)
                       .toDouble() -
                   frag) < 1e-9);
      QCOMPARE(model.data(model.index(row, SegmentsModel::kStateColumn)).toString(),
               s.value("active").toBool() ? QStringLiteral("active") : QStringLiteral("sealed"));
      if (s.value("has_hint").toBool()) {
        QCOMPARE(model.data(model.index(row, SegmentsModel::kHintColumn)).toString(),
                 QStringLiteral("valid"));
      }
      QCOMPARE(model.data(model.index(row, SegmentsModel::kChecksumColumn)).toString(),
               QStringLiteral("not verified"));
    }

    // Sorting by dead bytes through the page's proxy, and live refresh on writes.
    SegmentsPage page;
    page.setDatabase(db.get());
    page.sortedSegments()->sort(SegmentsModel::kDeadBytesColumn, Qt::DescendingOrder);
    const auto dead = [&](int r) {
      return page.sortedSegments()
          ->index(r, SegmentsModel::kDeadBytesColumn)
          .data(SegmentsModel::kSortRole)
          .toULongLong();
    };
    for (int r = 1; r < page.sortedSegments()->rowCount(); ++r) QVERIFY(dead(r - 1) >= dead(r));
    const auto before = page.segmentsModel()->stats().total_bytes;
    bitcask::WriteBatch b;
    for (int i = 0; i < 2000; ++i) b.put(key(100000 + i), std::string(40, 'z'));
    db->write(b);
    QTRY_VERIFY(page.segmentsModel()->stats().total_bytes > before);
    QVERIFY(page.chart()->title().contains(QStringLiteral("fragmentation")));
  }

  void shadowedAndTombstoneFlags() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    auto& raw = db->db();
    raw.put("a", "1");
    raw.put("b", "1");
    raw.put("a", "2");
    raw.remove("b");
    raw.put("c", "1");
    raw.remove("c");
    raw.put("c", "2");
    const auto seg = raw.segment_ids().back();
    const auto recs = allRecords(raw, seg);
    QCOMPARE(recs.size(), std::size_t(7));

    RecordsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    model.showSegment(seg);
    QCOMPARE(model.rowCount(), 7);
    const auto state = [&](int r) { return model.rowAt(r).state; };
    QCOMPARE(state(0), State::kShadowed);  // a=1
    QCOMPARE(model.rowAt(0).liveSegment, seg);
    QCOMPARE(model.rowAt(0).liveOffset, quint64(recs[2].offset));
    QCOMPARE(model.data(model.index(0, RecordsModel::kStatusColumn)).toString(),
             QStringLiteral("shadowed by %1 @ %L2").arg(seg).arg(recs[2].offset));
    QCOMPARE(state(1), State::kDeleted);   // b=1, deleted since
    QCOMPARE(state(2), State::kLive);      // a=2
    QCOMPARE(state(3), State::kDeletion);  // tombstone of b
    QCOMPARE(model.data(model.index(3, RecordsModel::kKindColumn)).toString(),
             QStringLiteral("tombstone"));
    QCOMPARE(state(4), State::kShadowed);  // c=1
    QCOMPARE(state(5), State::kShadowed);  // tombstone of c, written again after
    QCOMPARE(model.rowAt(5).liveOffset, quint64(recs[6].offset));
    QCOMPARE(state(6), State::kLive);

    RecordsModel::Filter f;
    f.tombstonesOnly = true;
    model.setFilter(f);
    QCOMPARE(model.rowCount(), 2);
    f = {};
    f.shadowedOnly = true;
    model.setFilter(f);
    // a=1, b=1, c=1, and c's tombstone (the key was written again after it).
    QCOMPARE(model.rowCount(), 4);
    f = {};
    f.keyContains = "c";
    model.setFilter(f);
    QCOMPARE(model.rowCount(), 3);
    model.setFilter({});

    // An edit through the app updates the flags in place.
    bitcask::WriteBatch b;
    b.put("a", "3");
    db->write(b);
    QCOMPARE(state(2), State::kShadowed);
    // The new record shows up when paging goes on.
    QTRY_VERIFY(model.canFetchMore({}));
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 10);  // the app writes a batch: begin, put, commit
    QCOMPARE(state(7), State::kMarker);
    QCOMPARE(state(8), State::kLive);
    QCOMPARE(state(9), State::kMarker);

    // Every record of one key, across segments.
    model.showKey("a");
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(state(2), State::kLive);
    QCOMPARE(state(0), State::kShadowed);
  }

  void recordsArePagedNeverAllLoaded() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    for (int i = 0; i < 20000; ++i) db->db().put(key(i), "{}");
    db->db().remove(key(19990));
    const auto seg = db->db().segment_ids().back();
    RecordsModel model;
    model.setPageSize(200);
    model.setScanBudget(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    model.showSegment(seg);
    QVERIFY2(model.rowCount() <= 1000, qPrintable(QString::number(model.rowCount())));
    QVERIFY(model.canFetchMore({}));
    const int before = model.rowCount();
    model.fetchMore({});
    QCOMPARE(model.rowCount(), before + 200);
    QCOMPARE(model.rowAt(0).info.key, key(0));
    // A filter with one match far away searches on in later event-loop turns.
    RecordsModel::Filter f;
    f.tombstonesOnly = true;
    model.setFilter(f);
    QVERIFY(!model.isComplete());
    QTRY_VERIFY(model.isComplete());
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.rowAt(0).info.key, key(19990));
    // Jumping to an offset loads only up to it.
    model.setFilter({});
    const auto recs = allRecords(db->db(), seg);
    const int row = model.ensureLoaded(recs[5000].offset);
    QCOMPARE(row, 5000);
    QVERIFY(model.rowCount() < 7000);
    // Every row read once, as scrolling to the end would: each is right, and
    // the model holds a bounded window of rows, not the segment.
    QCOMPARE(model.ensureLoaded(recs.back().offset), int(recs.size()) - 1);
    QCOMPARE(model.rowCount(), int(recs.size()));
    for (int i = 0; i < model.rowCount(); ++i) {
      const auto r = model.rowAt(i);
      QCOMPARE(r.info.offset, recs[std::size_t(i)].offset);
      QCOMPARE(r.info.key, recs[std::size_t(i)].key);
    }
    QVERIFY2(model.cachedRows() < 10000, qPrintable(QString::number(model.cachedRows())));
    QVERIFY(model.cachedRows() > 0);
  }

  void corruptRecordShowsAfterVerify() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    bitcask::RecordInfo victim;
    std::uint32_t victimSegment = 0;
    {
      auto raw = openSmall(path);
      fillWithGarbage(*raw, 2000);
      const auto ids = raw->segment_ids();
      QVERIFY(ids.size() > 3);
      victimSegment = ids[2];
      victim = allRecords(*raw, victimSegment)[17];
      raw->close();
    }
    // Flip a byte of the value in a test copy of the database.
    const QString copy = guitest::dbPath(dir, "copy");
    QVERIFY(QDir().mkpath(copy));
    for (const QString& name : QDir(path).entryList(QDir::Files)) {
      if (name == QLatin1String("LOCK")) continue;
      QVERIFY(QFile::copy(path + "/" + name, copy + "/" + name));
    }
    {
      QFile f(copy + QStringLiteral("/%1.seg").arg(victimSegment, 10, 10, QLatin1Char('0')));
      QVERIFY(f.open(QIODevice::ReadWrite));
      const qint64 at = qint64(victim.offset + victim.record_size - 2);
      f.seek(at);
      char c = 0;
      QVERIFY(f.getChar(&c));
      f.seek(at);
      QVERIFY(f.putChar(char(c ^ 0x5a)));
    }
    auto db = guitest::openWritable(copy);

    SegmentsPage page;
    page.setDatabase(db.get());
    QAbstractItemModelTester tester(page.verifyModel(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(page.segmentsModel()->checkOf(victimSegment), SegmentsModel::Check::kNotVerified);
    QSignalSpy done(&page, &SegmentsPage::verifyFinished);
    page.startVerify();
    QVERIFY(page.isBusy());
    QVERIFY(done.wait(60000));
    QVERIFY(!page.isBusy());
    QCoreApplication::processEvents();
    QCOMPARE(done.count(), 1);
    QVERIFY(page.resultLabel()->text().contains(QStringLiteral("1 problem found")));
    QVERIFY(page.lastVerify() && page.lastVerify()->ok());
    ProblemsModel* problems = page.verifyModel();
    QCOMPARE(problems->rowCount(), 1);
    // Every column but the last (details) fits its text: "Damaged record" and
    // the segment's file name were elided at a fixed width.
    page.resize(1200, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    auto* verifyTable = page.findChild<QTableView*>(QStringLiteral("verifyTable"));
    QVERIFY(verifyTable);
    // sizeHintForColumn is public in QAbstractItemView, protected in QTableView.
    const QAbstractItemView* view = verifyTable;
    for (int c = 0; c + 1 < problems->columnCount(); ++c) {
      QTRY_VERIFY2(verifyTable->columnWidth(c) >= view->sizeHintForColumn(c),
                   qPrintable(QStringLiteral("column %1: %2 < %3")
                                  .arg(c)
                                  .arg(verifyTable->columnWidth(c))
                                  .arg(view->sizeHintForColumn(c))));
    }
    QCOMPARE(problems->index(0, 0).data(ProblemsModel::kSegmentRole).toUInt(), victimSegment);
    QCOMPARE(problems->index(0, 0).data(ProblemsModel::kOffsetRole).toULongLong(),
             quint64(victim.offset));
    SegmentsModel* segs = page.segmentsModel();
    QCOMPARE(segs->checkOf(victimSegment), SegmentsModel::Check::kDamaged);
    QCOMPARE(
        segs->data(segs->index(segs->rowOfSegment(victimSegment), SegmentsModel::kChecksumColumn))
            .toString(),
        QStringLiteral("1 damaged"));
    for (int r = 0; r < segs->rowCount(); ++r) {
      if (segs->segmentAt(r).id != victimSegment && !segs->segmentAt(r).active) {
        QCOMPARE(segs->checkOf(segs->segmentAt(r).id), SegmentsModel::Check::kOk);
      }
    }
    // The records of the segment, corrupt only: that record, at that offset.
    page.selectSegment(victimSegment);
    RecordsPanel* panel = page.recordsPanel();
    panel->corruptBox()->setChecked(true);
    QTRY_VERIFY(panel->model()->isComplete());
    QCOMPARE(panel->model()->rowCount(), 1);
    QCOMPARE(panel->model()->rowAt(0).info.offset, victim.offset);
    QCOMPARE(panel->model()->rowAt(0).state, State::kCorrupt);
    QCOMPARE(
        panel->model()->data(panel->model()->index(0, RecordsModel::kChecksumColumn)).toString(),
        QStringLiteral("BAD"));
    // Activating the problem selects the record and shows its bytes.
    panel->corruptBox()->setChecked(false);
    QVERIFY(panel->selectOffset(victim.offset));
    QCOMPARE(panel->table()->currentIndex().data(RecordsModel::kOffsetRole).toULongLong(),
             quint64(victim.offset));
  }

  void verifyCanBeCancelled() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 20000);
    QFuture<VerifyOutcome> f = QtConcurrent::run(runVerify, db->handle());
    f.cancel();
    f.waitForFinished();
    QVERIFY(f.isCanceled());
  }

  void countsOfOneReadSingular() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    db->db().put("gone", "1");
    db->db().remove("gone");
    SegmentsPage page;
    page.setDatabase(db.get());
    auto* summary = page.findChild<QLabel*>(QStringLiteral("segmentsSummary"));
    QVERIFY(summary);
    QTRY_VERIFY(summary->text().startsWith(QStringLiteral("<b>1 segment</b>, ")));
    QVERIFY2(summary->text().contains(QStringLiteral(" 1 tombstone.")),
             qPrintable(summary->text()));
    guitest::fill(db->db(), 3);
    db->db().remove(guitest::key(0));
    db->db().remove(guitest::key(1));
    page.refresh();
    QTRY_VERIFY2(summary->text().contains(QStringLiteral(" 3 tombstones.")),
                 qPrintable(summary->text()));
  }

  void switchingDatabasesDropsTheLastOnesVerify() {
    QTemporaryDir dir;
    auto first = guitest::openWritable(guitest::dbPath(dir, "first"));
    guitest::fill(first->db(), 2000);
    auto second = guitest::openWritable(guitest::dbPath(dir, "second"));
    SegmentsPage page;
    page.setDatabase(first.get());
    QSignalSpy done(&page, &SegmentsPage::verifyFinished);
    page.startVerify();
    QVERIFY(page.isBusy());
    // The verify ends (cancelled or not) while the page moves on to another database:
    // nothing it found may show up there, and the page is free for a new one.
    page.setDatabase(second.get());
    QVERIFY(!page.isBusy());
    QCoreApplication::processEvents();
    QCOMPARE(done.count(), 0);
    QVERIFY(!page.lastVerify().has_value());
    QVERIFY(page.resultLabel()->isHidden());
    QCOMPARE(page.verifyModel()->rowCount(), 0);
    page.startVerify();
    QVERIFY(done.wait(60000));
    QVERIFY(page.lastVerify() && page.lastVerify()->ok());
    QCOMPARE(done.count(), 1);
  }

  void mergeReclaimsTheDeadBytesShown() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    auto db = openGarbage(path, 4000);
    SegmentsPage page;
    page.setDatabase(db.get());
    // A merge of every segment seals the active one and takes it too.
    quint64 shownDead = 0;
    SegmentsModel* segs = page.segmentsModel();
    const int segments = segs->rowCount();
    for (int r = 0; r < segments; ++r) {
      shownDead +=
          segs->data(segs->index(r, SegmentsModel::kDeadBytesColumn), SegmentsModel::kSortRole)
              .toULongLong();
    }
    QVERIFY(segments > 3);
    QVERIFY(shownDead > 50'000);
    QSignalSpy done(&page, &SegmentsPage::mergeFinished);
    page.startMerge(true);
    // Edits go on while it runs.
    bitcask::WriteBatch b;
    b.put("during-merge", "1");
    db->write(b);
    QVERIFY(done.wait(60000));
    QVERIFY(page.lastMerge().has_value());
    const MergeOutcome& out = *page.lastMerge();
    QVERIFY2(out.ok(), qPrintable(out.error));
    QVERIFY(!out.cancelled);
    // Every dead byte shown is reclaimed, and the 16-byte headers of the
    // segments merged away (give or take the batch written meanwhile).
    const quint64 reclaimed = out.result.bytes_reclaimed();
    QCOMPARE(out.result.inputs, quint32(segments));
    const qint64 expected = qint64(shownDead + 16 * (out.result.inputs - out.result.outputs));
    QVERIFY2(qAbs(qint64(reclaimed) - expected) <= expected / 100,
             qPrintable(
                 QStringLiteral(
                     "reclaimed %1, shown %2, inputs %3 outputs %4 sealed %5 copied %6 dropped %7")
                     .arg(reclaimed)
                     .arg(shownDead)
                     .arg(out.result.inputs)
                     .arg(out.result.outputs)
                     .arg(segments)
                     .arg(out.result.records_copied)
                     .arg(out.result.records_dropped)));
    QVERIFY(out.summary().contains(QStringLiteral("reclaimed")));
    QVERIFY(!out.summary().contains(QStringLiteral("Damaged")));
    for (int r = 0; r < segs->rowCount(); ++r) {
      if (!segs->segmentAt(r).active) QCOMPARE(segs->segmentAt(r).dead_bytes, std::uint64_t(0));
    }
    QVERIFY(page.resultLabel()->text().contains(QStringLiteral("reclaimed")));
    // Releasing the merged future reports `finished` once more; it is not a second merge.
    QCoreApplication::processEvents();
    QCOMPARE(done.count(), 1);
    QVERIFY(page.lastMerge().has_value());
    QVERIFY(page.resultLabel()->text().contains(QStringLiteral("reclaimed")));
    QCOMPARE(db->value("during-merge").value_or(""), std::string("1"));
    QCOMPARE(db->value(key(3)).value_or(""), std::string("{\"n\":3,\"v\":2}"));
  }

  void hexLayoutLabelsTheHeader() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    db->db().put("k1", "{\"v\":1}");
    const auto seg = db->db().segment_ids().back();
    const auto rec = allRecords(db->db(), seg).back();
    const RawRecord raw = loadRawRecord(*db, seg, rec.offset, rec.record_size);
    QVERIFY2(raw.error.isEmpty(), qPrintable(raw.error));
    QCOMPARE(raw.bytes.size(), std::size_t(rec.record_size));
    const auto& fields = raw.layout.fields;
    QVERIFY(raw.layout.error.isEmpty());
    QCOMPARE(int(fields.size()), 8);
    const std::pair<int, int> where[] = {{0, 4},  {4, 8},  {12, 1}, {13, 1},
                                         {14, 2}, {16, 4}, {20, 2}, {22, 7}};
    for (int i = 0; i < 8; ++i) {
      QCOMPARE(fields[std::size_t(i)].offset, where[i].first);
      QCOMPARE(fields[std::size_t(i)].length, where[i].second);
    }
    QCOMPARE(fields[2].value, QStringLiteral("0 put"));
    QCOMPARE(fields[4].value, QStringLiteral("2"));
    QCOMPARE(fields[6].value, QStringLiteral("k1"));
    const QString dump = recordHexDump(raw.bytes, rec.offset);
    QCOMPARE(dump.mid(hexDumpPosition(20), 2), QStringLiteral("6b"));  // 'k'
    QCOMPARE(dump.mid(hexDumpAsciiPosition(20), 1), QStringLiteral("k"));
    QVERIFY(dump.startsWith(QStringLiteral("%1").arg(rec.offset, 8, 16, QLatin1Char('0'))));
  }

  void jumpsBetweenKeysAndRecords() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    {
      auto db = guitest::openWritable(path);
      guitest::fill(db->db(), 500);
      db->db().put(key(42), "{\"n\":4242}");
      db->db().close();
    }
    MainWindow w;
    w.show();
    QSignalSpy ok(&w, &MainWindow::databaseOpened);
    w.openDatabase(path);
    QVERIFY(QTest::qWaitFor([&] { return ok.count() == 1; }, 30000));
    QVERIFY(w.selectKey(key(42)));
    w.action(QStringLiteral("actionKeyRecords"))->trigger();
    QCOMPARE(w.tabs()->currentWidget(), static_cast<QWidget*>(w.segmentsPage()));
    RecordsModel* records = w.segmentsPage()->recordsPanel()->model();
    QCOMPARE(records->mode(), RecordsModel::Mode::kKey);
    QCOMPARE(records->rowCount(), 2);
    QCOMPARE(records->rowAt(1).state, State::kLive);
    // From a record back to its key in the key table.
    QTableView* table = w.segmentsPage()->recordsPanel()->table();
    table->setCurrentIndex(records->index(0, 0));
    w.selectKey(key(7));
    w.showSegments();
    w.segmentsPage()->recordsPanel()->findChild<QAction*>("actionRecordShowKey")->trigger();
    QCOMPARE(w.tabs()->currentIndex(), 0);
    QCOMPARE(w.currentKey().value_or(""), key(42));
    // Verify and Merge from the menu keep the window usable.
    w.action(QStringLiteral("actionVerify"))->trigger();
    QSignalSpy verified(w.segmentsPage(), &SegmentsPage::verifyFinished);
    QVERIFY(verified.wait(30000));
    QVERIFY(w.segmentsPage()->lastVerify()->problems.empty());
  }

  // BITCASK_SEGMENTS_PERF_DB=DIR: times on a large database (skipped otherwise).
  void largeDatabaseTimings() {
    const QString path = qEnvironmentVariable("BITCASK_SEGMENTS_PERF_DB");
    if (path.isEmpty()) QSKIP("set BITCASK_SEGMENTS_PERF_DB to a large database");
    QElapsedTimer t;
    t.start();
    OpenOutcome opened = bb::openDatabase(path, OpenMode::kOpenReadOnly);
    QVERIFY(opened.ok());
    Database db(opened.db);
    qInfo("open (read-only): %lld ms, %llu keys", t.elapsed(), db.keyCount());
    SegmentsPage page;
    page.resize(1400, 900);
    t.restart();
    page.setDatabase(&db);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCoreApplication::processEvents();
    qInfo(
        "Segments view shown (figures, chart, first page of records): %lld ms, %d segments, %d "
        "records rows",
        t.elapsed(), page.segmentsModel()->rowCount(), page.recordsPanel()->model()->rowCount());
    RecordsModel* records = page.recordsPanel()->model();
    page.selectSegment(page.segmentsModel()->segmentAt(page.segmentsModel()->rowCount() / 2).id);
    t.restart();
    int pages = 0;
    while (records->canFetchMore({}) && pages < 20) {
      records->fetchMore({});
      ++pages;
    }
    qInfo("paged %d pages of %d records: %.2f ms a page (%d rows)", pages, records->pageSize(),
          double(t.nsecsElapsed()) / 1e6 / std::max(1, pages), records->rowCount());
    t.restart();
    page.recordsPanel()->shadowedBox()->setChecked(true);
    QTRY_VERIFY_WITH_TIMEOUT(records->isComplete() || records->rowCount() >= records->pageSize(),
                             60000);
    qInfo("shadowed-only filter, first page: %lld ms (%d rows)", t.elapsed(), records->rowCount());
    QTRY_VERIFY_WITH_TIMEOUT(!page.isBusy(), 1000);
    t.restart();
    QFuture<VerifyOutcome> f = QtConcurrent::run(runVerify, db.handle());
    f.waitForFinished();
    qInfo("verify: %lld ms, %zu problems", t.elapsed(), f.result().problems.size());
  }

  // Damaged records a merge met are named in its summary with where their
  // bytes went: the merge removed them from the segments.
  void mergeSummaryNamesDamagedRecords() {
    MergeOutcome out;
    out.result.inputs = 1;
    out.result.damaged.push_back({"0000000001.seg", 40, 23, "checksum mismatch"});
    out.result.saved_to.push_back("lost+found/0000000001.seg.40.damaged");
    const QString text = out.summary();
    QVERIFY2(text.contains(QStringLiteral("Damaged, not copied: 1 record; its bytes are saved")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("lost+found/0000000001.seg.40.damaged")),
             qPrintable(text));
  }

  // In a 1280×800 window the Segments page scrolls nowhere sideways: every column of the
  // segments table (the checksum column too, after a Verify) and of the records table (the
  // Version column) is in view, beside a chart that keeps its legend; the record's hex dump
  // fits its pane at 8 bytes a line there and at 16 in a 1600×1000 window. Also with the
  // table sorted by another column (room for the arrow moves with it).
  void segmentsPageFitsA1280Window() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    auto db = openGarbage(path, 2000);
    SegmentsPage page;
    page.setDatabase(db.get());
    // The page's share of a 1280×800 window (menu, tabs, status bar and margins taken off).
    page.resize(1264, 700);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QSignalSpy verified(&page, &SegmentsPage::verifyFinished);
    page.startVerify();
    QVERIFY(verified.wait(30000));
    QTableView* table = page.segmentsTable();
    QVERIFY(table->model()->rowCount() > 2);
    QCOMPARE(table->model()->index(0, SegmentsModel::kChecksumColumn).data().toString(),
             QStringLiteral("ok"));
    RecordsPanel* records = page.recordsPanel();
    QTRY_VERIFY(records->model()->rowCount() > 0);
    QPlainTextEdit* dump = records->hexView()->findChild<QPlainTextEdit*>("hexDump");
    QVERIFY(dump);
    const auto everythingInView = [&](const char* when) {
      QHeaderView* header = table->horizontalHeader();
      QTRY_VERIFY2(header->length() <= table->viewport()->width(),
                   qPrintable(QStringLiteral("%1: columns %2 px in %3 px")
                                  .arg(when)
                                  .arg(header->length())
                                  .arg(table->viewport()->width())));
      QCOMPARE(table->horizontalScrollBar()->maximum(), 0);
      for (int c = 0; c < header->count(); ++c) {
        // No header text elided or cut: each column at least as wide as its label.
        const QString label = table->model()->headerData(c, Qt::Horizontal).toString();
        QVERIFY2(header->sectionSize(c) >= header->fontMetrics().size(0, label).width(),
                 qPrintable(label));
        QVERIFY2(
            header->sectionSize(c) >= static_cast<QAbstractItemView*>(table)->sizeHintForColumn(c),
            qPrintable(label));
      }
      QVERIFY(page.chart()->width() >= 440);
      QTableView* rows = records->table();
      QTRY_COMPARE(rows->horizontalScrollBar()->maximum(), 0);
      QVERIFY2(rows->columnWidth(RecordsModel::kStatusColumn) >=
                   rows->fontMetrics().horizontalAdvance(
                       rows->model()->index(0, RecordsModel::kStatusColumn).data().toString()),
               when);
      QTRY_COMPARE(dump->horizontalScrollBar()->maximum(), 0);
    };
    everythingInView("1280");
    QCOMPARE(records->hexView()->bytesPerLine(), 8);
    QCOMPARE(dump->toPlainText().section(QLatin1Char('\n'), 0, 0).size(),
             recordHexDumpLineChars(8));
    table->sortByColumn(SegmentsModel::kFragmentationColumn, Qt::DescendingOrder);
    everythingInView("1280, sorted by fragmentation");
    // One key's records: a Segment column more.
    records->showKey(key(3));  // written twice
    QTRY_VERIFY(records->model()->rowCount() > 1);
    QVERIFY(!records->table()->isColumnHidden(RecordsModel::kSegmentColumn));
    everythingInView("1280, one key's records");

    page.resize(1584, 900);
    everythingInView("1600");
    QTRY_COMPARE(records->hexView()->bytesPerLine(), 16);
    QCOMPARE(dump->toPlainText().section(QLatin1Char('\n'), 0, 0).size(),
             recordHexDumpLineChars(16));
  }

  // Every column of the segments table is in view at a desktop width (the
  // checksum column, which shows a verify's findings, hid behind a scroll
  // bar), and a splitter the user placed is left where it is.
  void segmentsTableShowsEveryColumn() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    auto db = openGarbage(path, 2000);
    SegmentsPage page;
    page.resize(1580, 900);
    page.setDatabase(db.get());
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTableView* table = page.segmentsTable();
    QTRY_VERIFY(table->horizontalHeader()->length() > 0);
    QTRY_COMPARE(table->horizontalScrollBar()->maximum(), 0);
    QVERIFY(page.chart()->width() >= 440);
    // Narrower, then wider again (a window made smaller, then maximised).
    page.resize(900, 900);
    page.resize(1580, 900);
    QTRY_COMPARE(table->horizontalScrollBar()->maximum(), 0);

    auto* splitter = qobject_cast<QSplitter*>(table->parentWidget());
    QVERIFY(splitter);
    const int placed = table->width() / 2;
    // What a drag of the handle does (setSizes alone does not signal).
    splitter->setSizes({placed, splitter->sizes()[1] + table->width() - placed});
    emit splitter->splitterMoved(placed, 1);
    table->horizontalHeader()->resizeSection(0, table->horizontalHeader()->sectionSize(0) + 10);
    QCoreApplication::processEvents();
    QCOMPARE(splitter->sizes()[0], placed);
  }

  // A small database's bars are drawn in KiB, not as slivers on a 1 MiB
  // scale; a large one's stay in MiB.
  void chartScalesSmallSegmentsInKiB() {
    SegmentChart chart;
    bitcask::Stats stats;
    bitcask::SegmentStats seg;
    seg.id = 1;
    seg.size = 64 * 1024;
    seg.live_bytes = 40 * 1024;
    seg.dead_bytes = 24 * 1024;
    stats.segments = 1;
    stats.segment_stats.push_back(seg);
    chart.setStats(stats, bitcask::MergeThresholds{});
    QCOMPARE(chart.yAxis->label(), QStringLiteral("KiB"));
    QVERIFY2(chart.yAxis->range().upper >= 64 && chart.yAxis->range().upper < 128,
             qPrintable(QString::number(chart.yAxis->range().upper)));

    stats.segment_stats[0].size = 300ull << 20;
    stats.segment_stats[0].live_bytes = 200ull << 20;
    stats.segment_stats[0].dead_bytes = 100ull << 20;
    chart.setStats(stats, bitcask::MergeThresholds{});
    QCOMPARE(chart.yAxis->label(), QStringLiteral("MiB"));
    QVERIFY2(chart.yAxis->range().upper >= 300 && chart.yAxis->range().upper < 1000,
             qPrintable(QString::number(chart.yAxis->range().upper)));
  }

  // However long a result or summary text, the page asks for no more width:
  // after a verify of a damaged database the window grew past the screen.
  void longResultTextsNeverWidenThePage() {
    SegmentsPage page;
    const int before = page.minimumSizeHint().width();
    const QString longText =
        QString("segment 0000000001.seg at offset 12345: checksum mismatch; ").repeated(40);
    page.summaryLabel()->setText(longText);
    page.resultLabel()->setText(longText);
    page.resultLabel()->show();
    QCOMPARE(page.minimumSizeHint().width(), before);
    QVERIFY(page.minimumSizeHint().width() < 1280);
  }
};

QTEST_MAIN(TestSegments)
#include "tst_gui_segments.moc"
