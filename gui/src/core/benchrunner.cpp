#include "core/benchrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QtConcurrent>
#include <set>
#include <stdexcept>
#include <stop_token>

#include "core/benchresultsmodel.h"
#include "core/taskpool.h"
#include "core/valueformat.h"
#include "engines/bitcask_engine.h"
#include "engines/engine.h"
#include "lane.h"

namespace bb {

namespace {

constexpr std::size_t kKeySize = bench::Workload::kKeySize;

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1) {
  return QCoreApplication::translate("bb::Bench", text, disambiguation, n);
}

// The database open in the browser behind the adapters' interface: reads only.
class OpenDbEngine final : public bench::KvEngine {
 public:
  explicit OpenDbEngine(DbPtr db) : db_(std::move(db)) {}
  const char* name() const override { return kOpenDatabaseEngine; }
  void open(const std::filesystem::path&, bool) override {}
  void put(std::string_view, std::string_view) override { refuse(); }
  void put_batch(const Pairs&) override { refuse(); }
  void del(std::string_view) override { refuse(); }
  bool get(std::string_view key, std::string* value) override { return db_->get(key, value); }
  std::size_t scan(const ScanFn& fn) override { return bench::scan_in_key_order(*db_, fn); }
  std::unique_ptr<bench::KvReader> reader() override {
    struct Reader final : bench::KvReader {
      explicit Reader(const bitcask::DB* db) : db(db) {}
      bool get(std::string_view key, std::string* value) override { return db->get(key, value); }
      const bitcask::DB* db;
    };
    return std::make_unique<Reader>(db_.get());
  }
  void close() override {}

 private:
  [[noreturn]] static void refuse() {
    throw std::logic_error("the open database is only read by benchmarks");
  }
  DbPtr db_;
};

QString laneLabel(const BenchStep& s) {
  if (s.engine == QLatin1String(kOpenDatabaseEngine))
    return tr("open database, %1 keys").arg(formatCount(s.entries));
  return tr("%1, %2 × %3, sync %4")
      .arg(s.engine, formatCount(s.entries), formatValueSize(s.valueSize),
           s.sync ? QStringLiteral("always") : QStringLiteral("none"));
}

QString stepText(const BenchStep& s) {
  QString text = tr("%1 · %2").arg(laneLabel(s), benchOpName(s.op));
  if (s.load) text = tr("%1 · loading the keys").arg(laneLabel(s));
  if (s.threads > 1) text += tr(" · %n threads", nullptr, s.threads);
  return text + QStringLiteral("…");
}

// What the task reports through its promise: the lanes' hooks (bench/lane.h)
// turned into progress, progress text and BenchEvents.
class Reporter {
 public:
  explicit Reporter(QPromise<BenchEvent>& promise) : promise_(promise) {}

  bench::Hooks hooks() {
    bench::Hooks h;
    h.stop = stop_.get_token();
    h.progress = [this](std::uint64_t done, std::uint64_t total) { progress(done, total); };
    h.slice = [this](const bench::Slice& s) {
      BenchEvent e;
      e.kind = BenchEvent::Kind::kSlice;
      static_cast<BenchCase&>(e.slice) = step_;
      e.slice.t = s.t;
      e.slice.seconds = s.seconds;
      e.slice.ops = s.ops;
      report(std::move(e));
    };
    return h;
  }
  // The step the next progress and slices are of.
  void begin(const BenchStep& s) {
    step_ = s;
    text_ = stepText(s);
  }
  void measured(const BenchStep& s, bench::Measurement& m) {
    BenchEvent e;
    e.kind = BenchEvent::Kind::kMeasurement;
    static_cast<BenchCase&>(e.measurement) = s;
    fillFromLatencies(&e.measurement, m.latencies, m.wall_s);
    report(std::move(e));
  }
  void fail(const QString& message) {
    BenchEvent e;
    e.kind = BenchEvent::Kind::kError;
    e.message = message;
    report(std::move(e));
  }
  // The lanes look at the stop token; Cancel is the promise's, seen here.
  bool canceled() {
    if (promise_.isCanceled()) stop_.request_stop();
    return stop_.stop_requested();
  }

 private:
  // Every update carries the text: QFutureInterface ignores an update whose
  // value is not above the last one (text included) and throttles the rest,
  // so a text sent once at a step's start is often never seen.
  void progress(std::uint64_t done, std::uint64_t total) {
    canceled();
    // QPromise's progress is an int.
    const int maximum = int(std::min<quint64>(std::max<quint64>(total, 1), 1'000'000'000));
    if (maximum != maximum_) {
      maximum_ = maximum;
      promise_.setProgressRange(0, maximum_);
    }
    const int value = total == 0 ? 0 : int(std::min(done, total) * quint64(maximum_) / total);
    promise_.setProgressValueAndText(value, text_);
  }
  void report(BenchEvent&& e) { promise_.addResult(std::move(e)); }

  QPromise<BenchEvent>& promise_;
  std::stop_source stop_;
  BenchStep step_;
  QString text_;
  int maximum_ = -1;
};

bench::Step laneStep(const BenchStep& s, int batchSize) {
  bench::Step out;
  out.op = s.op;
  out.threads = s.threads;
  out.load = s.load;
  out.batch = std::size_t(batchSize);
  return out;
}

// One lane's steps (all of one engine and configuration) on `lane`.
void runSteps(Reporter& r, bench::Lane& lane, const QList<BenchStep>& steps, int batchSize) {
  for (const BenchStep& s : steps) {
    r.begin(s);
    bench::Measurement m = lane.run(laneStep(s, batchSize));
    if (!s.load) r.measured(s, m);
  }
  lane.close();
}

}  // namespace

void runBenchmark(QPromise<BenchEvent>& promise, const BenchWorkload& workload, DbPtr openDb,
                  const QString& scratchRoot) {
  const quint64 openKeys = workload.openDatabase && openDb ? openDb->size() : 0;
  const QList<BenchStep> steps = workload.steps(openKeys);
  quint64 total = 0;
  for (const BenchStep& s : steps) total += s.operations;
  Reporter reporter(promise);
  bench::RunContext run(reporter.hooks(), total);

  const QString root = scratchRoot.isEmpty() ? QDir::tempPath() : scratchRoot;
  QDir().mkpath(root);
  QTemporaryDir scratch(root + QStringLiteral("/bitcask-browser-bench-XXXXXX"));
  if (!scratch.isValid()) {
    reporter.fail(
        tr("Cannot create a scratch directory in %1: %2").arg(root, scratch.errorString()));
    run.finish();
    return;
  }

  std::set<QString> warmed;
  std::unique_ptr<bench::Workload> data;
  int laneNo = 0;
  try {
    for (qsizetype first = 0; first < steps.size();) {
      // The lane: the steps of one engine and configuration.
      qsizetype last = first + 1;
      const BenchStep& lane = steps[first];
      while (last < steps.size() && steps[last].engine == lane.engine &&
             steps[last].entries == lane.entries && steps[last].valueSize == lane.valueSize &&
             steps[last].sync == lane.sync)
        ++last;
      const QList<BenchStep> laneSteps = steps.mid(first, last - first);
      quint64 laneOps = 0;
      for (const BenchStep& s : laneSteps) laneOps += s.operations;
      const quint64 laneEnd = run.done() + laneOps;
      const QString dir = scratch.path() + QStringLiteral("/lane-%1").arg(++laneNo);
      try {
        if (reporter.canceled()) throw bench::Cancelled{};
        reporter.begin(lane);
        if (lane.engine == QLatin1String(kOpenDatabaseEngine)) {
          OpenDbEngine e(openDb);
          bench::Lane l(run, e, lane.entries);
          runSteps(reporter, l, laneSteps, workload.batchSize);
        } else {
          if (!data || data->size() != lane.entries || data->value_size() != lane.valueSize)
            data = std::make_unique<bench::Workload>(lane.entries, lane.valueSize);
          // Room for the fill, the overwrite and the batches, twice over.
          const quint64 need = 4 * lane.entries * (kKeySize + lane.valueSize) + (64u << 20);
          const QStorageInfo disk(scratch.path());
          if (disk.isValid() && quint64(disk.bytesAvailable()) < need) {
            throw std::runtime_error(
                QStringLiteral("%1 free in %2, about %3 needed")
                    .arg(formatBytes(quint64(disk.bytesAvailable())), root, formatBytes(need))
                    .toStdString());
          }
          const std::string engine = lane.engine.toStdString();
          if (warmed.insert(lane.engine).second)
            bench::warm_up(engine, *data, (dir + QStringLiteral("-warmup")).toStdString());
          bench::Lane l(run, engine, *data, dir.toStdString(), lane.sync);
          runSteps(reporter, l, laneSteps, workload.batchSize);
        }
      } catch (const std::exception& ex) {
        reporter.fail(tr("%1: %2").arg(laneLabel(lane), QString::fromStdString(ex.what())));
      }
      QDir(dir).removeRecursively();
      run.skip_to(laneEnd);
      first = last;
    }
    run.finish();
  } catch (const bench::Cancelled&) {
    // The step under way is dropped; the scratch directory goes with `scratch`.
  }
}

// ==== BenchRunner ============================================================================

BenchRunner::BenchRunner(BenchResultsModel* results, QObject* parent)
    : QObject(parent), results_(results) {
  connect(&watcher_, &QFutureWatcher<BenchEvent>::resultsReadyAt, this,
          &BenchRunner::onResultsReady);
  connect(&watcher_, &QFutureWatcher<BenchEvent>::finished, this, &BenchRunner::onFinished);
  connect(&watcher_, &QFutureWatcher<BenchEvent>::progressValueChanged, this,
          [this](int value) { emit progressChanged(value, watcher_.progressMaximum()); });
  connect(&watcher_, &QFutureWatcher<BenchEvent>::progressTextChanged, this,
          &BenchRunner::progressTextChanged);
}

BenchRunner::~BenchRunner() {
  watcher_.disconnect(this);
  cancel();
  waitForFinished();
}

bool BenchRunner::start(const BenchWorkload& workload, DbPtr openDb) {
  if (isRunning()) {
    lastError_ = tr("A benchmark is already running.");
    return false;
  }
  if (const QString why = workload.validate(); !why.isEmpty()) {
    lastError_ = why;
    return false;
  }
  if (workload.openDatabase && !openDb && workload.engines.isEmpty()) {
    lastError_ = tr("No database is open to read.");
    return false;
  }
  lastError_.clear();
  results_->beginRun(workload);
  watcher_.setFuture(QtConcurrent::run(taskPool(), runBenchmark, workload,
                                       workload.openDatabase ? openDb : DbPtr(), scratchRoot_));
  setState(State::kRunning);
  return true;
}

void BenchRunner::cancel() {
  if (isRunning()) watcher_.cancel();
}

void BenchRunner::waitForFinished() { watcher_.waitForFinished(); }

// The state, not the watcher's: the run counts until onFinished() has put its end in the model.
bool BenchRunner::isRunning() const { return state_ == State::kRunning; }

int BenchRunner::progressValue() const { return watcher_.progressValue(); }
int BenchRunner::progressMaximum() const { return watcher_.progressMaximum(); }
QString BenchRunner::progressText() const { return watcher_.progressText(); }

void BenchRunner::onResultsReady(int begin, int end) {
  const QFuture<BenchEvent> f = watcher_.future();
  for (int i = begin; i < end; ++i) {
    const BenchEvent e = f.resultAt(i);
    switch (e.kind) {
      case BenchEvent::Kind::kSlice:
        results_->addSlice(e.slice);
        break;
      case BenchEvent::Kind::kMeasurement:
        results_->addMeasurement(e.measurement);
        break;
      case BenchEvent::Kind::kError:
        results_->addError(e.message);
        emit laneFailed(e.message);
        break;
    }
  }
}

void BenchRunner::onFinished() {
  // The future stays with the watcher until the next run (its progress is the
  // last run's); it is small next to the model's copy of the results.
  const bool cancelled = watcher_.future().isCanceled();
  results_->endRun(cancelled ? BenchRun::State::kCancelled : BenchRun::State::kComplete);
  setState(cancelled ? State::kCancelled : State::kFinished);
  emit finished();
}

void BenchRunner::setState(State state) {
  if (state_ == state) return;
  state_ = state;
  emit stateChanged(state);
}

}  // namespace bb
