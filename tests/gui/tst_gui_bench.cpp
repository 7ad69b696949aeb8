// The Benchmarks tab: presets and workload JSON; the runner on a tiny workload
// (bitcask and sqlite) reporting monotonic progress up to its total and
// filling the results model with a complete row per engine × operation;
// Cancel ending a run with only complete rows; the open database only read;
// saved runs loading back and comparing; CSV and JSON exports parsing back;
// and the page's Run / Cancel buttons and charts. No timing assertions: the
// figures only have to be there, positive and ordered.
#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMenu>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include "app/benchchartbars.h"
#include "app/benchcharthistogram.h"
#include "app/benchchartpercentiles.h"
#include "app/benchchartthroughput.h"
#include "app/benchmarkform.h"
#include "app/benchmarkpage.h"
#include "app/mainwindow.h"
#include "app/valueeditordock.h"
#include "core/benchresultsmodel.h"
#include "core/benchrunner.h"
#include "core/benchrunstore.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

const QList<BenchOp> kAllOps = allBenchOps();

// 2000 entries of 100 bytes on bitcask and sqlite, every operation,
// read_random from 1 and 2 threads.
BenchWorkload tinyWorkload() {
  BenchWorkload w;
  w.name = QStringLiteral("tiny");
  w.engines = {QStringLiteral("bitcask"), QStringLiteral("sqlite")};
  w.ops = kAllOps;
  w.entries = {2000};
  w.valueSizes = {100};
  w.threads = {1, 2};
  w.syncs = {false};
  w.batchSize = 50;
  return w;
}

// Runs `w` to the end with `runner`.
void runToEnd(BenchRunner& runner, const BenchWorkload& w, DbPtr db = {}) {
  QVERIFY2(runner.start(w, db), qPrintable(runner.lastError()));
  QTRY_VERIFY_WITH_TIMEOUT(!runner.isRunning() && runner.state() != BenchRunner::State::kRunning,
                           120000);
}

bool dirIsEmpty(const QString& path) {
  return QDir(path).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty();
}

}  // namespace

class TestBench : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void presetsProduceTheirWorkloads() {
    const BenchWorkload py = BenchWorkload::preset(BenchWorkload::Preset::kPythonMatrix);
    QCOMPARE(py.engines, QStringList{QStringLiteral("bitcask")});
    QCOMPARE(py.entries, (QList<quint64>{1000, 10000, 100000}));
    QCOMPARE(py.valueSizes, (QList<quint64>{100, 1000, 10000}));
    QCOMPARE(py.ops, (QList<BenchOp>{BenchOp::kFillRandom, BenchOp::kRead, BenchOp::kReadRandom,
                                     BenchOp::kBatchWrite, BenchOp::kDelete}));
    QCOMPARE(py.batchSize, 100);
    QCOMPARE(py.syncs, QList<bool>{false});
    QVERIFY(py.validate().isEmpty());
    // 9 configurations × 5 measured operations, every one over all entries.
    const QList<BenchStep> pySteps = py.steps();
    QCOMPARE(pySteps.size(), 45);
    for (const BenchStep& s : pySteps) {
      QVERIFY(!s.load);
      QCOMPARE(s.operations, s.entries);
    }

    const BenchWorkload peers = BenchWorkload::preset(BenchWorkload::Preset::kPeers100);
    QCOMPARE(peers.engines.size(), 5);
    QCOMPARE(peers.entries, QList<quint64>{1000000});
    QCOMPARE(peers.valueSizes, QList<quint64>{100});
    QCOMPARE(peers.threads, (QList<int>{1, 2, 4}));
    QVERIFY(!peers.ops.contains(BenchOp::kBatchWrite));
    // Per engine: fill_seq, fill_random, overwrite, read_random ×3, read_missing,
    // read_seq, delete.
    QCOMPARE(peers.steps().size(), 5 * 9);
    QCOMPARE(peers.steps().first().op, BenchOp::kFillSeq);

    const BenchWorkload sync = BenchWorkload::preset(BenchWorkload::Preset::kSyncWrites);
    QCOMPARE(sync.syncs, QList<bool>{true});
    for (BenchOp op : sync.ops) QVERIFY(benchOpWrites(op));

    // Without fill_random, the keys the reads need are loaded, unmeasured.
    BenchWorkload reads;
    reads.ops = {BenchOp::kReadRandom};
    reads.entries = {500};
    const QList<BenchStep> readSteps = reads.steps();
    QCOMPARE(readSteps.size(), 2);
    QVERIFY(readSteps[0].load);
    QCOMPARE(readSteps[0].op, BenchOp::kFillRandom);
    QCOMPARE(readSteps[1].op, BenchOp::kReadRandom);
  }

  void workloadJsonRoundTrips() {
    for (BenchWorkload::Preset p : BenchWorkload::presets()) {
      const BenchWorkload w = BenchWorkload::preset(p);
      const auto back = BenchWorkload::fromJson(w.toJson());
      QVERIFY(back.has_value());
      QVERIFY(*back == w);
    }
    QJsonObject bad = tinyWorkload().toJson();
    bad[QStringLiteral("ops")] = QJsonArray{QStringLiteral("teleport")};
    QString error;
    QVERIFY(!BenchWorkload::fromJson(bad, &error));
    QVERIFY(error.contains(QStringLiteral("teleport")));
  }

  void countsParse() {
    QCOMPARE(parseCounts(QStringLiteral("1000 10k, 1M;2")),
             (QList<quint64>{1000, 10000, 1000000, 2}));
    QCOMPARE(parseCounts(QStringLiteral("1.5k")), QList<quint64>{1500});
    QVERIFY(!parseCounts(QStringLiteral("")));
    QVERIFY(!parseCounts(QStringLiteral("0")));
    QVERIFY(!parseCounts(QStringLiteral("ten")));
    QCOMPARE(formatCounts({1000, 20000, 1000000, 250}), QStringLiteral("1k 20k 1M 250"));
    QCOMPARE(parseCounts(formatCounts({1000, 20000, 1000000, 250})),
             (QList<quint64>{1000, 20000, 1000000, 250}));
  }

  void runnerReportsProgressAndFillsTheModel() {
    QTemporaryDir scratch;
    BenchResultsModel model;
    QAbstractItemModelTester tester(&model);
    BenchRunner runner(&model);
    runner.setScratchRoot(scratch.path());
    QSignalSpy progress(&runner, &BenchRunner::progressChanged);
    QSignalSpy states(&runner, &BenchRunner::stateChanged);
    const BenchWorkload w = tinyWorkload();
    runToEnd(runner, w);

    QCOMPARE(runner.state(), BenchRunner::State::kFinished);
    QCOMPARE(states.first().first().value<BenchRunner::State>(), BenchRunner::State::kRunning);
    // Monotonic, reaching the maximum.
    QVERIFY(progress.size() >= 2);
    int last = -1;
    for (const auto& args : progress) {
      const int v = args[0].toInt();
      QVERIFY2(v >= last, qPrintable(QStringLiteral("%1 after %2").arg(v).arg(last)));
      last = v;
    }
    QCOMPARE(last, progress.last()[1].toInt());
    QCOMPARE(runner.progressValue(), runner.progressMaximum());

    // One row per engine × measured step (read_random once per thread count).
    int measured = 0;
    for (const BenchStep& s : w.steps()) measured += s.load ? 0 : 1;
    QCOMPARE(measured, 2 * (int(kAllOps.size()) + 1));
    QCOMPARE(model.rowCount(), measured);
    QCOMPARE(model.currentRun().state, BenchRun::State::kComplete);
    QVERIFY2(model.currentRun().errors.isEmpty(),
             qPrintable(model.currentRun().errors.join(QLatin1Char('\n'))));
    for (const QString& engine : w.engines) {
      for (BenchOp op : kAllOps) {
        const QList<int> threads = op == BenchOp::kReadRandom ? w.threads : QList<int>{1};
        for (int t : threads) {
          int found = 0;
          for (const BenchMeasurement& m : model.currentRun().measurements) {
            if (m.engine != engine || m.op != op || m.threads != t) continue;
            ++found;
            QCOMPARE(m.ops, quint64(2000));
            QCOMPARE(m.entries, quint64(2000));
            QVERIFY(m.opsPerSec > 0);
            QVERIFY(m.meanUs > 0);
            QVERIFY(m.p50Us > 0);
            QVERIFY2(m.p50Us <= m.p99Us && m.p99Us <= m.p999Us && m.p999Us <= m.maxUs,
                     qPrintable(engine + QLatin1Char(' ') + benchOpName(op)));
            QCOMPARE(m.histogram.total(), m.samples);
            QVERIFY(!m.percentiles.isEmpty());
            for (qsizetype i = 1; i < m.percentiles.size(); ++i)
              QVERIFY(m.percentiles[i].us >= m.percentiles[i - 1].us);
          }
          QVERIFY2(found == 1, qPrintable(engine + QLatin1Char(' ') + benchOpName(op)));
        }
      }
    }
    // The throughput slices cover every operation of every lane.
    quint64 sliced = 0;
    for (const BenchSlice& s : model.currentRun().slices) {
      QVERIFY(s.ops > 0);
      QVERIFY(s.seconds > 0);
      sliced += s.ops;
    }
    QCOMPARE(sliced, quint64(measured) * 2000);
    // The scratch databases are gone.
    QVERIFY(dirIsEmpty(scratch.path()));
  }

  // The panel runs the suites' lanes (bench/lane.h): a tiny workload gives
  // the same measurements, in the same order and with the same counts, as a
  // bench::Lane run directly on the same steps (the figures themselves are
  // timings and differ).
  void panelMeasuresWhatTheLaneMeasures() {
    QTemporaryDir scratch;
    BenchResultsModel model;
    BenchRunner runner(&model);
    runner.setScratchRoot(scratch.path());
    BenchWorkload w = tinyWorkload();
    w.engines = {QStringLiteral("bitcask")};
    w.entries = {1500};
    runToEnd(runner, w);
    QCOMPARE(runner.state(), BenchRunner::State::kFinished);
    const QList<BenchMeasurement>& panel = model.currentRun().measurements;

    const bench::Workload data(1500, 100);
    bench::RunContext run({}, w.totalOperations());
    std::vector<bench::Measurement> direct;
    {
      bench::Lane lane(run, "bitcask", data,
                       (scratch.path() + QStringLiteral("/direct")).toStdString(), false);
      for (const BenchStep& s : w.steps()) {
        bench::Step step;
        step.op = s.op;
        step.threads = s.threads;
        step.load = s.load;
        step.batch = std::size_t(w.batchSize);
        bench::Measurement m = lane.run(step);
        if (!s.load) direct.push_back(std::move(m));
      }
      lane.close();
    }
    QCOMPARE(run.done(), run.total());
    QCOMPARE(panel.size(), qsizetype(direct.size()));
    for (qsizetype i = 0; i < panel.size(); ++i) {
      const bench::Measurement& d = direct[std::size_t(i)];
      const QString what = benchOpName(panel[i].op);
      QVERIFY2(panel[i].op == d.step.op, qPrintable(what));
      QCOMPARE(panel[i].threads, d.step.threads);
      QCOMPARE(panel[i].ops, quint64(d.latencies.ops));
      QCOMPARE(panel[i].samples, quint64(d.latencies.us.size()));
      QVERIFY(panel[i].meanUs > 0 && d.latencies.mean() > 0);
    }
  }

  void cancelEndsWithOnlyCompleteRows() {
    QTemporaryDir scratch;
    BenchResultsModel model;
    BenchRunner runner(&model);
    runner.setScratchRoot(scratch.path());
    BenchWorkload w;
    w.engines = {QStringLiteral("bitcask")};
    w.ops = {BenchOp::kFillRandom, BenchOp::kOverwrite,   BenchOp::kRead,
             BenchOp::kReadRandom, BenchOp::kReadMissing, BenchOp::kDelete};
    w.entries = {300000};
    w.valueSizes = {100};
    QVERIFY(runner.start(w));
    QVERIFY(runner.isRunning());
    // Cancel once the first operation is measured, mid-run.
    QTRY_VERIFY_WITH_TIMEOUT(model.rowCount() >= 1, 120000);
    runner.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!runner.isRunning(), 60000);
    QTRY_COMPARE(runner.state(), BenchRunner::State::kCancelled);
    QCOMPARE(model.currentRun().state, BenchRun::State::kCancelled);
    QVERIFY(model.rowCount() < int(w.ops.size()));
    for (const BenchMeasurement& m : model.currentRun().measurements) {
      QCOMPARE(m.ops, quint64(300000));
      QVERIFY(m.opsPerSec > 0);
    }
    QVERIFY(runner.progressValue() < runner.progressMaximum());
    QVERIFY(dirIsEmpty(scratch.path()));
    // And it can run again.
    BenchWorkload small = tinyWorkload();
    small.engines = {QStringLiteral("bitcask")};
    runToEnd(runner, small);
    QCOMPARE(runner.state(), BenchRunner::State::kFinished);
  }

  void openDatabaseIsOnlyRead() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 700);
    const auto before = db->db().stats();
    BenchResultsModel model;
    BenchRunner runner(&model);
    runner.setScratchRoot(dir.path() + QStringLiteral("/scratch"));
    BenchWorkload w;
    w.engines = {};
    w.openDatabase = true;
    w.ops = {BenchOp::kFillRandom, BenchOp::kRead, BenchOp::kReadRandom, BenchOp::kReadSeq,
             BenchOp::kDelete};
    w.entries = {500};
    w.threads = {1, 2};
    runToEnd(runner, w, db->handle());
    QVERIFY2(model.currentRun().errors.isEmpty(),
             qPrintable(model.currentRun().errors.join(QLatin1Char('\n'))));
    // The reads only: read, read_random ×2, read_seq, over 500 of its keys.
    QCOMPARE(model.rowCount(), 4);
    for (const BenchMeasurement& m : model.currentRun().measurements) {
      QCOMPARE(m.engine, QString::fromLatin1(kOpenDatabaseEngine));
      QVERIFY(!benchOpWrites(m.op));
      QCOMPARE(m.ops, quint64(500));
    }
    // Nothing written: same keys, same bytes.
    QCOMPARE(db->keyCount(), quint64(700));
    QCOMPARE(db->db().stats().total_bytes, before.total_bytes);
    QCOMPARE(*db->value(guitest::key(3)), std::string("{\"n\":3}"));
  }

  void savedRunsLoadBackAndCompare() {
    QTemporaryDir dir;
    BenchResultsModel model;
    BenchRunner runner(&model);
    runner.setScratchRoot(dir.path() + QStringLiteral("/scratch"));
    BenchWorkload w = tinyWorkload();
    w.engines = {QStringLiteral("bitcask")};
    w.ops = {BenchOp::kFillRandom, BenchOp::kReadRandom};
    runToEnd(runner, w);
    QCOMPARE(model.rowCount(), 3);

    BenchRunStore store(dir.path() + QStringLiteral("/runs"));
    BenchRun run = model.currentRun();
    run.name = QStringLiteral("baseline");
    QString error;
    const auto path = store.save(run, &error);
    QVERIFY2(path.has_value(), qPrintable(error));
    QVERIFY(path->startsWith(store.directory()));
    const QList<BenchRunStore::Entry> list = store.list();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.first().name, QStringLiteral("baseline"));
    QCOMPARE(list.first().measurements, 3);

    const auto back = store.load(*path, &error);
    QVERIFY2(back.has_value(), qPrintable(error));
    QCOMPARE(back->name, QStringLiteral("baseline"));
    QVERIFY(back->workload == w);
    QCOMPARE(back->measurements.size(), run.measurements.size());
    QCOMPARE(back->slices.size(), run.slices.size());
    for (qsizetype i = 0; i < run.measurements.size(); ++i) {
      const BenchMeasurement& a = run.measurements[i];
      const BenchMeasurement& b = back->measurements[i];
      QCOMPARE(b.engine, a.engine);
      QCOMPARE(b.op, a.op);
      QCOMPARE(b.threads, a.threads);
      QCOMPARE(b.ops, a.ops);
      QCOMPARE(b.p99Us, a.p99Us);
      QCOMPARE(b.opsPerSec, a.opsPerSec);
      QCOMPARE(b.histogram.first, a.histogram.first);
      QCOMPARE(b.histogram.counts, a.histogram.counts);
      QCOMPARE(b.percentiles.size(), a.percentiles.size());
    }

    // Compared: its rows follow the current ones, named in the run column.
    QAbstractItemModelTester tester(&model);
    model.setComparison(*back);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.index(0, BenchResultsModel::kRunColumn).data().toString(),
             model.currentRunLabel());
    QCOMPARE(model.index(3, BenchResultsModel::kRunColumn).data().toString(),
             QStringLiteral("baseline"));
    QVERIFY(model.index(3, 0).data(BenchResultsModel::kIsComparisonRole).toBool());
    QVERIFY(!model.index(2, 0).data(BenchResultsModel::kIsComparisonRole).toBool());
    model.clearComparison();
    QCOMPARE(model.rowCount(), 3);

    // A run saved by an earlier version (format version 1, from before the
    // panel ran bench/lane.h) loads and compares.
    const auto old =
        store.load(QStringLiteral(BITCASK_SOURCE_DIR "/tests/fixtures/bench-run-v1.json"), &error);
    QVERIFY2(old.has_value(), qPrintable(error));
    QCOMPARE(old->measurements.size(), 4);
    QCOMPARE(old->slices.size(), 8);
    QCOMPARE(old->workload.engines.size(), 2);
    for (const BenchMeasurement& m : old->measurements) {
      QCOMPARE(m.engine, QStringLiteral("bitcask"));
      QCOMPARE(m.ops, quint64(20000));
      QVERIFY(m.p50Us > 0 && m.p50Us <= m.p99Us);
      QCOMPARE(m.histogram.total(), m.samples);
      QVERIFY(!m.percentiles.isEmpty());
    }
    QCOMPARE(old->measurements[2].op, BenchOp::kReadRandom);
    QCOMPARE(old->measurements[2].threads, 2);
    model.setComparison(*old);
    QCOMPARE(model.rowCount(), 3 + 4);
    model.clearComparison();

    // A file that is not a run is refused, and left out of the list.
    QFile junk(store.directory() + QStringLiteral("/junk.json"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("{\"format\": \"something else\"}");
    junk.close();
    QVERIFY(!store.load(junk.fileName(), &error));
    QCOMPARE(store.list().size(), 1);
  }

  void exportsParseBack() {
    QTemporaryDir dir;
    BenchResultsModel model;
    BenchRunner runner(&model);
    runner.setScratchRoot(dir.path() + QStringLiteral("/scratch"));
    BenchWorkload w = tinyWorkload();
    w.ops = {BenchOp::kFillRandom, BenchOp::kReadRandom, BenchOp::kDelete};
    w.threads = {1};
    runToEnd(runner, w);
    QCOMPARE(model.rowCount(), 6);

    const QString csvPath = dir.path() + QStringLiteral("/results.csv");
    QString error;
    QVERIFY2(model.saveCsv(csvPath, &error), qPrintable(error));
    QFile csv(csvPath);
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QStringList lines =
        QString::fromUtf8(csv.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1 + model.rowCount());
    const QStringList header = lines.first().split(QLatin1Char(','));
    QCOMPARE(header.first(), QStringLiteral("run"));
    const int opsCol = int(header.indexOf(QStringLiteral("ops_per_sec")));
    const int p99Col = int(header.indexOf(QStringLiteral("p99_us")));
    const int engineCol = int(header.indexOf(QStringLiteral("engine")));
    QVERIFY(opsCol > 0 && p99Col > 0 && engineCol > 0);
    for (int row = 0; row < model.rowCount(); ++row) {
      const QStringList f = lines[row + 1].split(QLatin1Char(','));
      QCOMPARE(f.size(), header.size());
      const BenchMeasurement& m = model.measurementAt(row);
      QCOMPARE(f[engineCol], m.engine);
      bool ok = false;
      QVERIFY(qFuzzyCompare(f[opsCol].toDouble(&ok), m.opsPerSec));
      QVERIFY(ok);
      QVERIFY(qFuzzyCompare(f[p99Col].toDouble(&ok), m.p99Us));
      QVERIFY(ok);
    }

    const QString jsonPath = dir.path() + QStringLiteral("/results.json");
    QVERIFY2(model.saveJson(jsonPath, &error), qPrintable(error));
    QFile json(jsonPath);
    QVERIFY(json.open(QIODevice::ReadOnly));
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(json.readAll(), &parse);
    QCOMPARE(parse.error, QJsonParseError::NoError);
    QVERIFY(doc.isArray());
    QCOMPARE(doc.array().size(), model.rowCount());
    for (int row = 0; row < model.rowCount(); ++row) {
      const QJsonObject o = doc.array()[row].toObject();
      const BenchMeasurement& m = model.measurementAt(row);
      // bitcask-bench's row fields (without its "suite"), and ours.
      for (const char* field : {"engine", "op", "entries", "value_size", "threads", "sync", "ops",
                                "mean_us", "p50_us", "p99_us", "ops_per_sec", "p999_us", "run"})
        QVERIFY2(o.contains(QLatin1String(field)), field);
      QCOMPARE(o[QStringLiteral("engine")].toString(), m.engine);
      QCOMPARE(o[QStringLiteral("op")].toString(), benchOpName(m.op));
      QCOMPARE(o[QStringLiteral("ops")].toDouble(), double(m.ops));
      QCOMPARE(o[QStringLiteral("ops_per_sec")].toDouble(), m.opsPerSec);
    }
    // A path that cannot be written reports why.
    QVERIFY(!model.saveCsv(dir.path() + QStringLiteral("/no/such/dir/x.csv"), &error));
    QVERIFY(!error.isEmpty());
  }

  void pageRunsWithCancelEnabled() {
    QTemporaryDir dir;
    BenchmarkPage page;
    page.resize(1400, 900);
    page.runner()->setScratchRoot(dir.path() + QStringLiteral("/scratch"));
    page.setRunsDirectory(dir.path() + QStringLiteral("/runs"));
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    // Before any run: hints instead of empty plots, Run enabled, Cancel not.
    QVERIFY(!page.histogramChart()->hasData());
    QVERIFY(page.histogramChart()->emptyText().contains(QStringLiteral("Run a benchmark")));
    QVERIFY(!page.barsChart()->emptyText().isEmpty());
    QVERIFY(page.runButton()->isEnabled());
    QVERIFY(!page.cancelButton()->isEnabled());

    BenchWorkload w = tinyWorkload();
    w.entries = {20000};
    page.form()->setWorkload(w);
    QVERIFY(page.form()->problem().isEmpty());
    QCOMPARE(page.form()->workload().entries, QList<quint64>{20000});
    QSignalSpy finished(page.runner(), &BenchRunner::finished);
    QTest::mouseClick(page.runButton(), Qt::LeftButton);
    QVERIFY(page.isRunning());
    QVERIFY(page.cancelButton()->isEnabled());
    QVERIFY(!page.runButton()->isEnabled());
    QVERIFY(!page.form()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 1, 120000);
    QVERIFY(!page.cancelButton()->isEnabled());
    QVERIFY(page.runButton()->isEnabled());
    QCOMPARE(page.progressBar()->value(), page.progressBar()->maximum());
    QCOMPARE(page.results()->rowCount(), 2 * (int(kAllOps.size()) + 1));

    // The charts show the run.
    for (BenchChart* chart :
         std::initializer_list<BenchChart*>{page.histogramChart(), page.percentilesChart(),
                                            page.throughputChart(), page.barsChart()}) {
      chart->rebuildNow();
      QVERIFY2(chart->hasData(), qPrintable(chart->objectName()));
      QVERIFY(chart->emptyText().isEmpty());
    }
    QCOMPARE(page.barsChart()->seriesCount(), 2);
    QVERIFY(page.configCombo()->count() == 1);
    QVERIFY(page.opCombo()->count() >= int(kAllOps.size()));
    // Hovering the middle of a bar names its engine and operation.
    BenchChartBars* bars = page.barsChart();
    page.chartTabs()->setCurrentWidget(bars);
    bars->replot();
    QString hover;
    const QCPBars* first = qobject_cast<QCPBars*>(bars->plottable(0));
    QVERIFY(first);
    const auto it = first->data()->constBegin();
    const QPointF px = first->dataPixelPosition(0);
    hover = bars->hoverText(QPoint(int(px.x()), int(px.y()) + 5));
    QVERIFY2(hover.contains(first->name()), qPrintable(hover));
    QVERIFY(it != first->data()->constEnd());

    // Selecting a row shows its operation in the latency charts.
    const int row = 3;
    page.table()->setCurrentIndex(page.table()->model()->index(row, 0));
    const BenchMeasurement& m = page.results()->measurementAt(row);
    QVERIFY(page.opCombo()->currentText().startsWith(benchOpName(m.op)));

    // PNG export of the visible chart.
    const QString png = dir.path() + QStringLiteral("/chart.png");
    QVERIFY(page.saveChartPng(png));
    QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() > 100);

    // Save, then compare: the saved rows join the table and a second bar series.
    // The run column shows only beside a comparison.
    const QString saved = page.saveRun(QStringLiteral("first"));
    QVERIFY(!saved.isEmpty());
    QVERIFY(page.table()->isColumnHidden(BenchResultsModel::kRunColumn));
    // And the operations column only when a row's differ from its entries.
    QVERIFY(page.table()->isColumnHidden(BenchResultsModel::kOpsColumn));
    QVERIFY(page.compareWith(saved));
    QCOMPARE(page.results()->rowCount(), 2 * 2 * (int(kAllOps.size()) + 1));
    QVERIFY(!page.table()->isColumnHidden(BenchResultsModel::kRunColumn));
    bars->rebuildNow();
    QCOMPARE(bars->seriesCount(), 4);
    QVERIFY(page.compareWith({}));
    QCOMPARE(page.results()->rowCount(), 2 * (int(kAllOps.size()) + 1));
    QVERIFY(page.table()->isColumnHidden(BenchResultsModel::kRunColumn));

    // A saved run can be deleted: the compare menu lists it under Delete.
    QMenu* compareMenu = page.findChild<QToolButton*>(QStringLiteral("benchCompare"))->menu();
    QMetaObject::invokeMethod(compareMenu, "aboutToShow");
    QMenu* deleteMenu = compareMenu->findChild<QMenu*>(QStringLiteral("benchDeleteRun"));
    QVERIFY(deleteMenu && deleteMenu->isEnabled());
    QCOMPARE(deleteMenu->actions().size(), 1);
    QCOMPARE(deleteMenu->actions().first()->text(), QStringLiteral("first"));
    QVERIFY(page.deleteSavedRun(saved));
    QVERIFY(!QFile::exists(saved));
    QVERIFY(!page.deleteSavedRun(saved));
    QMetaObject::invokeMethod(compareMenu, "aboutToShow");
    deleteMenu = compareMenu->findChild<QMenu*>(QStringLiteral("benchDeleteRun"));
    QVERIFY(deleteMenu && !deleteMenu->isEnabled());

    // Cancel from the page.
    BenchWorkload big = tinyWorkload();
    big.engines = {QStringLiteral("bitcask")};
    big.entries = {400000};
    page.form()->setWorkload(big);
    QTest::mouseClick(page.runButton(), Qt::LeftButton);
    QVERIFY(page.cancelButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(page.progressBar()->value() > 0, 60000);
    QTest::mouseClick(page.cancelButton(), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(finished.size() == 2, 60000);
    QCOMPARE(page.runner()->state(), BenchRunner::State::kCancelled);
    QVERIFY(page.runButton()->isEnabled());
    QVERIFY(page.statusLabel()->text().contains(QStringLiteral("cancelled")));
  }

  void mainWindowHasTheTab() {
    MainWindow window;
    QTabWidget* tabs = window.tabs();
    QVERIFY(window.benchmarkPage());
    const int at = tabs->indexOf(window.benchmarkPage());
    QVERIFY(at >= 0);
    QCOMPARE(tabs->tabText(at).remove(QLatin1Char('&')), QStringLiteral("Benchmarks"));
    // Without a database the open-database option is off.
    QVERIFY(!window.benchmarkPage()
                 ->form()
                 ->findChild<QCheckBox*>(QStringLiteral("benchOpenDb"))
                 ->isEnabled());

    // The value editor gives the benchmarks its width, and comes back after;
    // hidden by the user, it stays hidden. (It shows with a database: the
    // start page has no key.)
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QTemporaryDir dir;
    guitest::openWritable(guitest::dbPath(dir))->db().close();
    QSignalSpy opened(&window, &MainWindow::databaseOpened);
    window.openDatabase(guitest::dbPath(dir));
    QVERIFY(QTest::qWaitFor([&] { return opened.count() == 1; }, 30000));
    QVERIFY(window.valueEditor()->isVisible());
    tabs->setCurrentIndex(at);
    QVERIFY(!window.valueEditor()->isVisible());
    tabs->setCurrentIndex(0);
    QVERIFY(window.valueEditor()->isVisible());
    window.valueEditor()->hide();
    tabs->setCurrentIndex(at);
    tabs->setCurrentIndex(0);
    QVERIFY(!window.valueEditor()->isVisible());

    // Ctrl+3 shows the tab (and Ctrl+1 the keys again), from the window's keyboard focus.
    window.activateWindow();
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), at);
    QTest::keyClick(&window, Qt::Key_1, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), 0);
    QTest::keyClick(&window, Qt::Key_3, Qt::ControlModifier);
    QCOMPARE(tabs->currentIndex(), at);
  }
};

QTEST_MAIN(TestBench)
#include "tst_gui_bench.moc"
