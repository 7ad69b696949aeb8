// A damaged database in the browser: Merge verifies first and warns with
// what it will do (bytes to lost+found/, the keys named) before it starts;
// afterwards the Segments page and its Records panel show the new segments
// (never the replaced one as rows of damage), the counts agree, and the main
// window is as wide as before. The Records model reports engine errors; a
// restored window always fits its screen.
#include <QAbstractItemModelTester>
#include <QGuiApplication>
#include <QLabel>
#include <QLayout>
#include <QScreen>
#include <QSignalSpy>
#include <QTest>

#include "app/mainwindow.h"
#include "app/recordspanel.h"
#include "app/screenfit.h"
#include "app/segmentspage.h"
#include "app/settings.h"
#include "app/taskstrip.h"
#include "core/keyhistory.h"
#include "core/problemsmodel.h"
#include "core/recordsmodel.h"
#include "core/segmentsmodel.h"
#include "core/verifytask.h"
#include "gui_test_util.h"

using namespace bb;
using guitest::key;
using State = RecordsModel::State;

namespace {

constexpr int kKeys = 3000;

// kKeys keys over several 32 KiB segments, hints written for the sealed
// ones, then the last value byte of key(kKeys / 2) flipped. Returns its segment.
quint32 makeDamaged(const QString& path) {
  bitcask::Options o;
  o.max_segment_size = 32 * 1024;
  bitcask::KeyVersion live;
  {
    auto db = bitcask::DB::open(path.toStdString(), o);
    for (int i = 0; i < kKeys; ++i) {
      db->put(key(i), "{\"n\":" + std::to_string(i) + ",\"pad\":\"xxxxxxxxxxxxxxxx\"}");
    }
    live = db->history(key(kKeys / 2)).at(0);
  }
  QFile f(path + QStringLiteral("/%1.seg").arg(live.segment, 10, 10, QLatin1Char('0')));
  if (!f.open(QIODevice::ReadWrite)) qFatal("cannot open the segment");
  const qint64 at = qint64(live.offset + live.record_size - 1);
  f.seek(at);
  char c = 0;
  f.getChar(&c);
  f.seek(at);
  f.putChar(char(c ^ 0x20));
  return live.segment;
}

quint64 liveRecords(const bitcask::Stats& s) {
  quint64 n = 0;
  for (const auto& seg : s.segment_stats) n += seg.live_records;
  return n;
}

}  // namespace

class TestDamage : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void mergeOfADamagedDatabaseWarnsFirstThenShowsTheNewSegments() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    const quint32 damagedSegment = makeDamaged(path);
    auto db = guitest::openWritable(path);
    // The hint hides the damage from opening: only reading the records finds it.
    QVERIFY(db->db().recovery_report().clean());
    // History shows the damaged version instead of none.
    const auto versions = EngineKeyHistory(db->handle()).versions(key(kKeys / 2), {});
    QCOMPARE(versions.size(), std::size_t(1));
    QVERIFY(!versions[0].checksumOk);
    QVERIFY(versions[0].live);
    SegmentsPage page;
    page.setDatabase(db.get());
    QAbstractItemModelTester tester(page.recordsPanel()->model(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    page.selectSegment(damagedSegment);
    QCOMPARE(page.recordsPanel()->model()->segment(), damagedSegment);

    // Declined: Verify ran first, the warning names the key and lost+found/.
    QStringList asked;
    page.setDamagedMergeConfirmation([&](const QString& text) {
      asked << text;
      return false;
    });
    QSignalSpy verified(&page, &SegmentsPage::verifyFinished);
    QSignalSpy merged(&page, &SegmentsPage::mergeFinished);
    page.startMerge(true);
    QVERIFY(verified.wait(60000));
    QTRY_COMPARE(asked.size(), 1);
    QVERIFY2(asked[0].contains(QStringLiteral("1 damaged record")), qPrintable(asked[0]));
    QVERIFY2(asked[0].contains(QStringLiteral("lost+found/")), qPrintable(asked[0]));
    QVERIFY2(asked[0].contains(QString::fromStdString(key(kKeys / 2))), qPrintable(asked[0]));
    QVERIFY(!page.isBusy());
    QCOMPARE(merged.count(), 0);
    QVERIFY(page.resultLabel()->text().contains(QStringLiteral("not started")));
    // Verify results name the key too.
    ProblemsModel* problems = page.verifyModel();
    QCOMPARE(problems->rowCount(), 1);
    QCOMPARE(problems->index(0, 0).data(ProblemsModel::kKeyRole).toByteArray(),
             QByteArray::fromStdString(key(kKeys / 2)));

    // Accepted: the merge runs, reports true figures and names the key.
    page.setDamagedMergeConfirmation([&](const QString& text) {
      asked << text;
      return true;
    });
    const bitcask::Stats before = db->db().stats();
    page.startMerge(true);
    QVERIFY(merged.wait(60000));
    QCOMPARE(asked.size(), 2);
    QVERIFY(page.lastMerge().has_value());
    const MergeOutcome& out = *page.lastMerge();
    QVERIFY2(out.ok(), qPrintable(out.error));
    QCOMPARE(out.result.inputs_removed, out.result.inputs);
    QVERIFY(out.totalAfter < before.total_bytes);
    const QString summary = out.summary();
    QVERIFY2(summary.contains(QStringLiteral("reclaimed")), qPrintable(summary));
    QVERIFY2(!summary.contains(QStringLiteral("grew")), qPrintable(summary));
    QVERIFY2(summary.contains(QString::fromStdString(key(kKeys / 2))), qPrintable(summary));
    QVERIFY2(summary.contains(QStringLiteral("lost+found/")), qPrintable(summary));

    // The inspector shows the new segments: none is the replaced one, none
    // sealed is without a live record, and the records shown exist.
    SegmentsModel* segs = page.segmentsModel();
    QCOMPARE(segs->rowOfSegment(damagedSegment), -1);
    for (int r = 0; r < segs->rowCount(); ++r) {
      if (!segs->segmentAt(r).active) QVERIFY(segs->segmentAt(r).live_records > 0);
    }
    RecordsModel* records = page.recordsPanel()->model();
    QCOMPARE(records->mode(), RecordsModel::Mode::kSegment);
    QVERIFY(segs->rowOfSegment(records->segment()) >= 0);
    QVERIFY(records->error().isEmpty());
    QVERIFY(records->rowCount() > 0);
    for (int r = 0; r < records->rowCount(); ++r) {
      QVERIFY(records->rowAt(r).state != State::kCorrupt);
    }
    // Counts agree: keys, live records of the segments, and the records of
    // the merged segment.
    const bitcask::Stats after = db->db().stats();
    QCOMPARE(after.keys, quint64(kKeys - 1));
    QCOMPARE(liveRecords(after), after.keys);
    QCOMPARE(liveRecords(segs->stats()), after.keys);
    // The Verify results were about the segments merged away.
    QCOMPARE(problems->rowCount(), 0);
  }

  // The Records panel never keeps a replaced segment's rows: they would all
  // read as damaged.
  void recordsOfASegmentMergedAwayAreDropped() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 500);
    RecordsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    const quint32 first = db->db().segment_ids().front();
    model.showSegment(first);
    QVERIFY(model.rowCount() > 0);
    QSignalSpy errors(&model, &RecordsModel::errorOccurred);
    db->db().merge({});
    model.refresh();
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.segmentGone());
    QVERIFY(model.error().contains(QStringLiteral("merge")));
    QCOMPARE(errors.count(), 0);  // expected, not an engine failure
  }

  // An engine failure is reported through errorOccurred, not swallowed.
  void recordsModelReportsEngineErrors() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 50);
    RecordsModel model;
    model.setDatabase(db.get());
    model.showSegment(db->db().segment_ids().front());
    QSignalSpy errors(&model, &RecordsModel::errorOccurred);
    db->db().close();
    model.refresh();
    QCOMPARE(errors.count(), 1);
    QVERIFY(!errors[0][0].toString().isEmpty());
    QCOMPARE(model.error(), errors[0][0].toString());
    model.showKey(key(1));
    QCOMPARE(errors.count(), 2);
    // The segment figures likewise.
    SegmentsModel segments;
    QSignalSpy segmentErrors(&segments, &SegmentsModel::errorOccurred);
    segments.setDatabase(db.get());
    QCOMPARE(segmentErrors.count(), 1);
    segments.refresh();
    QCOMPARE(segmentErrors.count(), 2);
  }

  // After Verify and Merge of a damaged database the main window is exactly
  // as wide as before, at the size of a small screen.
  void mainWindowWidthStaysAfterVerifyAndMerge() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    makeDamaged(path);
    MainWindow w;
    w.resize(1280, 760);
    w.show();
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    w.openDatabase(path);
    QVERIFY(QTest::qWaitFor([&] { return opened.count() == 1; }, 30000));
    w.showSegments();
    QCoreApplication::processEvents();
    const int width = w.width();
    SegmentsPage* page = w.segmentsPage();
    page->setDamagedMergeConfirmation([](const QString&) { return true; });
    QSignalSpy verified(page, &SegmentsPage::verifyFinished);
    page->startVerify();
    QVERIFY(verified.wait(60000));
    QCoreApplication::processEvents();
    QCOMPARE(w.width(), width);
    QVERIFY(w.minimumSizeHint().width() <= width);
    QSignalSpy merged(page, &SegmentsPage::mergeFinished);
    page->startMerge(true);
    QVERIFY(merged.wait(60000));
    QCoreApplication::processEvents();
    QVERIFY(page->resultLabel()->text().size() > 200);  // a long summary, wrapped
    QCOMPARE(w.width(), width);
    QVERIFY(w.minimumSizeHint().width() <= width);
    // Showing a key with a very long name in the Records panel does not widen it either.
    page->showKeyRecords(std::string(2000, 'k'));
    QCoreApplication::processEvents();
    QCOMPARE(w.width(), width);
    QVERIFY(w.minimumSizeHint().width() <= width);
  }

  // Texts of any length in the Records caption and the task strip (an error
  // naming a long path, a progress text) never widen the page.
  void longCaptionsNeverWidenThePage() {
    SegmentsPage page;
    page.resize(900, 600);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    page.findChild<TaskStrip*>()->show();  // as while a task runs
    QCoreApplication::processEvents();
    const int before = page.minimumSizeHint().width();
    QVERIFY(before < 900);
    const QString longText =
        QStringLiteral("database '/a/very/long/path' is closed; ").repeated(60);
    for (const char* name : {"recordsCaption", "taskLabel"}) {
      auto* label = page.findChild<QLabel*>(QLatin1String(name));
      QVERIFY2(label, name);
      label->setText(longText);
      label->updateGeometry();
      label->parentWidget()->updateGeometry();
    }
    QCoreApplication::processEvents();
    QCOMPARE(page.minimumSizeHint().width(), before);
    QCOMPARE(page.width(), 900);
  }

  // A window bigger than its screen, or partly off it, is brought back inside.
  void fitToScreenKeepsTheWindowOnScreen() {
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    QWidget w;
    w.setGeometry(available.left() - 300, available.top() + 50, available.width() + 400,
                  available.height() * 2);
    fitToScreen(&w);
    QVERIFY2(available.contains(w.frameGeometry()),
             qPrintable(QStringLiteral("%1,%2 %3x%4 in %5x%6")
                            .arg(w.x())
                            .arg(w.y())
                            .arg(w.width())
                            .arg(w.height())
                            .arg(available.width())
                            .arg(available.height())));
    // A window that fits stays where it is.
    w.setGeometry(available.left() + 10, available.top() + 10, available.width() / 2,
                  available.height() / 2);
    const QRect fits = w.geometry();
    fitToScreen(&w);
    QCOMPARE(w.geometry(), fits);
  }

  // A saved geometry wider than the screen is restored to fit it.
  void restoredGeometryFitsTheScreen() {
    const QRect available = QGuiApplication::primaryScreen()->availableGeometry();
    {
      QWidget big;
      big.setGeometry(available.left(), available.top(), available.width() + 500,
                      available.height() + 300);
      settings::setValue(QStringLiteral("window/geometry"), big.saveGeometry());
    }
    MainWindow w;
    QVERIFY(w.width() <= available.width());
    QVERIFY(w.height() <= available.height());
    settings::setValue(QStringLiteral("window/geometry"), QByteArray());
  }
};

QTEST_MAIN(TestDamage)
#include "tst_gui_damage.moc"
