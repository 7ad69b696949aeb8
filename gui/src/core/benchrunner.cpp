#include "core/benchrunner.h"

#include <QCoreApplication>
#include <QDir>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QtConcurrent>
#include <atomic>
#include <cstdio>
#include <cstring>
#include <set>
#include <stdexcept>
#include <thread>

#include "bench_util.h"
#include "core/benchresultsmodel.h"
#include "engines/bitcask_engine.h"
#include "engines/engine.h"

namespace bb {

namespace {

using bench::Clock;

constexpr std::size_t kKeySize = bench::Workload::kKeySize;
// Operations between two looks at Cancel, progress and the slice clock: small
// enough to stop within milliseconds, large enough that the look is noise.
constexpr std::size_t kBatchOps = 256;
constexpr std::size_t kScanCheckEvery = 1024;
constexpr double kSliceSeconds = 0.05;
constexpr std::size_t kWarmUpOps = 2000;

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1) {
  return QCoreApplication::translate("bb::Bench", text, disambiguation, n);
}

struct Cancelled {};

// The keys, values and orders every lane of one (entries, value size) shares.
using Data = bench::Workload;

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

void append(bench::Latencies* total, const bench::Latencies& part) {
  total->us.insert(total->us.end(), part.us.begin(), part.us.end());
  total->ops += part.ops;
  total->total_s += part.total_s;
}

QString laneLabel(const BenchStep& s) {
  if (s.engine == QLatin1String(kOpenDatabaseEngine))
    return tr("open database, %1 keys").arg(formatCount(s.entries));
  return tr("%1, %2 × %3, sync %4")
      .arg(s.engine, formatCount(s.entries), formatValueSize(s.valueSize),
           s.sync ? QStringLiteral("always") : QStringLiteral("none"));
}

// The run's state shared by the steps: progress, Cancel, the lane's clock.
class Context {
 public:
  Context(QPromise<BenchEvent>& promise, quint64 total) : promise_(promise), total_(total) {
    // QPromise's progress is an int.
    maximum_ = int(std::min<quint64>(std::max<quint64>(total, 1), 1'000'000'000));
    promise_.setProgressRange(0, maximum_);
    promise_.setProgressValue(0);
  }

  bool canceled() const { return promise_.isCanceled(); }
  void check() const {
    if (canceled()) throw Cancelled{};
  }
  void begin(const BenchStep& s) {
    step_ = s;
    QString text = tr("%1 · %2").arg(laneLabel(s), benchOpName(s.op));
    if (s.load) text = tr("%1 · loading the keys").arg(laneLabel(s));
    if (s.threads > 1) text += tr(" · %n threads", nullptr, s.threads);
    text_ = text + QStringLiteral("…");
    updateProgress();
  }
  void advance(quint64 ops) {
    done_ += ops;
    updateProgress();
  }
  // Skips what is left of a failed lane (so progress still reaches the end).
  void skipTo(quint64 done) {
    done_ = std::max(done_, done);
    updateProgress();
  }
  quint64 done() const { return done_; }
  void finish() { promise_.setProgressValueAndText(maximum_, text_); }

  void startLane() { laneStart_ = Clock::now(); }
  double sinceLaneStart(Clock::time_point t) const { return bench::seconds_between(laneStart_, t); }
  const BenchStep& step() const { return step_; }

  void report(BenchEvent&& e) { promise_.addResult(std::move(e)); }
  void fail(const QString& message) {
    BenchEvent e;
    e.kind = BenchEvent::Kind::kError;
    e.message = message;
    report(std::move(e));
  }

 private:
  // Every update carries the text: QFutureInterface ignores an update whose
  // value is not above the last one (text included) and throttles the rest,
  // so a text sent once at a step's start is often never seen.
  void updateProgress() { promise_.setProgressValueAndText(value(), text_); }
  int value() const {
    return total_ == 0 ? 0 : int(std::min<quint64>(done_, total_) * quint64(maximum_) / total_);
  }

  QPromise<BenchEvent>& promise_;
  quint64 total_;
  quint64 done_ = 0;
  int maximum_ = 1;
  BenchStep step_;
  QString text_;
  Clock::time_point laneStart_ = Clock::now();
};

// Throughput slices of the current step: operations counted as they are
// done, a slice reported every kSliceSeconds and at the end.
class SliceClock {
 public:
  explicit SliceClock(Context& c) : c_(c), start_(Clock::now()) {}
  void add(quint64 ops) {
    ops_ += ops;
    const auto now = Clock::now();
    if (bench::seconds_between(start_, now) >= kSliceSeconds) flush(now);
  }
  // For threads: the total done so far.
  void setTotal(quint64 total) { add(total - counted()); }
  void finish() { flush(Clock::now()); }
  // At `end` (threads: when the last one ended), or just after the last slice.
  void finish(Clock::time_point end) {
    flush(std::max(end, start_ + std::chrono::microseconds(1)));
  }

 private:
  quint64 counted() const { return reported_ + ops_; }
  void flush(Clock::time_point now) {
    if (ops_ == 0) return;
    const BenchStep& s = c_.step();
    BenchEvent e;
    e.kind = BenchEvent::Kind::kSlice;
    static_cast<BenchCase&>(e.slice) = s;
    e.slice.t = c_.sinceLaneStart(now);
    e.slice.seconds = bench::seconds_between(start_, now);
    e.slice.ops = ops_;
    c_.report(std::move(e));
    reported_ += ops_;
    ops_ = 0;
    start_ = now;
  }

  Context& c_;
  Clock::time_point start_;
  quint64 ops_ = 0;
  quint64 reported_ = 0;
};

// Runs fn(i) for i in [0, n) in batches, each timed by bench::measure with
// the stride bitcask-bench uses for a run of n operations.
template <typename Fn>
bench::Latencies timed(Context& c, std::size_t n, Fn&& fn) {
  const std::size_t stride = bench::sample_stride(n);
  bench::Latencies total;
  total.us.reserve(n / stride + 1);
  SliceClock slices(c);
  for (std::size_t first = 0; first < n; first += kBatchOps) {
    c.check();
    const std::size_t count = std::min(kBatchOps, n - first);
    append(&total, bench::measure(
                       count, [&](std::size_t i) { fn(first + i); }, stride));
    c.advance(count);
    slices.add(count);
  }
  slices.finish();
  return total;
}

// The same, untimed (loading the keys the measured operations need).
template <typename Fn>
void untimed(Context& c, std::size_t n, Fn&& fn) {
  for (std::size_t first = 0; first < n; first += kBatchOps) {
    c.check();
    const std::size_t count = std::min(kBatchOps, n - first);
    for (std::size_t i = first; i < first + count; ++i) fn(i);
    c.advance(count);
  }
}

// Every key in w.read_order from `threads` threads, each with its own reader
// and a share of the keys (as peers' read_random). Mean: per-operation time
// over all reads; ops/s: all reads over the wall time.
bench::Latencies readRandom(Context& c, bench::KvEngine& e, const std::vector<std::string>& keys,
                            const std::vector<std::uint32_t>& order, std::size_t valueSize,
                            int threads, double* wall) {
  const std::size_t n = order.size();
  const std::size_t stride = bench::sample_stride(n);
  std::vector<std::unique_ptr<bench::KvReader>> readers;
  for (int t = 0; t < threads; ++t) readers.push_back(e.reader());
  std::vector<bench::Latencies> lat(static_cast<std::size_t>(threads));
  std::atomic<std::size_t> done{0}, bad{0};
  std::atomic<int> running{threads}, ready{0};
  std::atomic<bool> go{false};
  // Each thread's end, for the wall time: this thread only looks now and then.
  std::vector<Clock::time_point> ends(static_cast<std::size_t>(threads));
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const std::size_t first = n * std::size_t(t) / std::size_t(threads);
      const std::size_t last = n * std::size_t(t + 1) / std::size_t(threads);
      bench::KvReader& r = *readers[std::size_t(t)];
      bench::Latencies& mine = lat[std::size_t(t)];
      std::string v;
      std::size_t misses = 0;
      // All start together (as peers' read_random).
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      for (std::size_t from = first; from < last && !c.canceled(); from += kBatchOps) {
        const std::size_t count = std::min(kBatchOps, last - from);
        append(&mine, bench::measure(
                          count,
                          [&](std::size_t i) {
                            const std::string& k = keys[order[from + i]];
                            if (!r.get(k, &v) || (valueSize && v.size() != valueSize)) ++misses;
                          },
                          stride));
        done += count;
      }
      ends[std::size_t(t)] = Clock::now();
      bad += misses;
      --running;
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  const auto start = Clock::now();
  go.store(true, std::memory_order_release);
  // This thread follows them: progress and slices from the shared count.
  SliceClock slices(c);
  quint64 reported = 0;
  while (running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const quint64 now = done.load();
    c.advance(now - reported);
    slices.setTotal(now);
    reported = now;
  }
  for (auto& th : pool) th.join();
  const auto end = *std::max_element(ends.begin(), ends.end());
  *wall = bench::seconds_between(start, end);
  readers.clear();
  c.check();
  c.advance(done.load() - reported);
  slices.setTotal(done.load());
  slices.finish(end);
  if (bad)
    throw std::runtime_error("read_random: " + std::to_string(bad.load()) +
                             " keys not found or with a wrong value");
  bench::Latencies all;
  for (bench::Latencies& l : lat) append(&all, l);
  return all;
}

// The first `n` pairs in key order; each sample is the time from one pair to
// the next (as peers' read_seq).
bench::Latencies readSeq(Context& c, bench::KvEngine& e, std::size_t n, std::size_t valueSize,
                         bool exact) {
  const std::size_t stride = bench::sample_stride(n);
  bench::Latencies l;
  l.us.reserve(n / stride + 1);
  std::size_t i = 0, bad = 0, left = 0;
  std::string prev;
  SliceClock slices(c);
  bool stopped = false;
  auto mark = Clock::now();
  const auto start = mark;
  // Time spent on Cancel checks and slices is left out of the samples (the
  // mark is taken after them) but not of the wall time; it is one look every
  // 1024 pairs.
  const std::size_t seen = e.scan([&](std::string_view k, std::string_view v) {
    if (left == 0) {
      l.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - mark).count());
      left = stride;
    }
    if ((valueSize && v.size() != valueSize) || (i > 0 && prev >= k)) ++bad;
    prev.assign(k);
    ++i;
    if (i % kScanCheckEvery == 0) {
      c.advance(kScanCheckEvery);
      slices.add(kScanCheckEvery);
      if (c.canceled()) {
        stopped = true;
        return false;
      }
    }
    if (--left == 0) mark = Clock::now();
    return i < n;
  });
  l.total_s = bench::seconds_between(start, Clock::now());
  if (stopped) throw Cancelled{};
  c.advance(i % kScanCheckEvery);
  slices.add(i % kScanCheckEvery);
  slices.finish();
  l.ops = seen;
  if ((exact && seen != n) || bad)
    throw std::runtime_error("read_seq: visited " + std::to_string(seen) + " of " +
                             std::to_string(n) + " pairs, " + std::to_string(bad) +
                             " out of order or wrong");
  return l;
}

// batch_write: keys n..2n-1 in batches of `batch`; a sample is a batch's time
// divided by its size (as python-matrix's batch_write).
bench::Latencies batchWrite(Context& c, bench::KvEngine& e, const Data& d, std::size_t batch) {
  const std::size_t n = d.size();
  bench::Latencies l;
  l.ops = n;
  SliceClock slices(c);
  bench::KvEngine::Pairs pairs;
  for (std::size_t first = 0; first < n; first += batch) {
    c.check();
    const std::size_t count = std::min(batch, n - first);
    pairs.clear();
    for (std::size_t i = first; i < first + count; ++i)
      pairs.emplace_back(d.key(n + i), d.value(n + i, 0));
    const auto t0 = Clock::now();
    e.put_batch(pairs);
    const double s = bench::seconds_between(t0, Clock::now());
    l.total_s += s;
    l.us.push_back(s * 1e6 / double(count));
    c.advance(count);
    slices.add(count);
  }
  slices.finish();
  return l;
}

void warmUp(const std::string& engine, const Data& d, const QString& dir) {
  auto e = bench::make_engine(engine);
  e->open(dir.toStdString(), false);
  const std::size_t n = std::min(d.size(), kWarmUpOps);
  std::string v;
  for (std::size_t i = 0; i < n; ++i) e->put(d.key(i), d.value(i, 0));
  for (std::size_t i = 0; i < n; ++i) e->get(d.key(n - 1 - i), &v);
  for (std::size_t i = 0; i < n; ++i) e->del(d.key(i));
  e->close();
  QDir(dir).removeRecursively();
}

BenchMeasurement measurementOf(const BenchStep& s, bench::Latencies& l, double wall) {
  BenchMeasurement m;
  static_cast<BenchCase&>(m) = s;
  fillFromLatencies(&m, l, wall);
  return m;
}

void reportMeasurement(Context& c, const BenchStep& s, bench::Latencies& l, double wall) {
  BenchEvent e;
  e.kind = BenchEvent::Kind::kMeasurement;
  e.measurement = measurementOf(s, l, wall);
  c.report(std::move(e));
}

// One lane: `steps` (all of one engine and configuration) on a fresh database
// in `dir` (or on the open database).
void runLane(Context& c, const QList<BenchStep>& steps, const Data* data, bench::KvEngine& e,
             const QString& dir, int batchSize) {
  const BenchStep& lane = steps.first();
  const bool scratch = data != nullptr;
  c.startLane();
  std::string v;
  // The keys of the open database's lane: the first `entries` in key order.
  std::vector<std::string> keys;
  std::vector<std::uint32_t> keyOrder, randomOrder;
  if (scratch) {
    keys.reserve(data->size());
    for (std::size_t i = 0; i < data->size(); ++i) keys.emplace_back(data->key(i));
    randomOrder = data->read_order;
  } else {
    e.scan([&](std::string_view k, std::string_view) {
      keys.emplace_back(k);
      return keys.size() < lane.entries;
    });
    std::mt19937_64 rng(keys.size());
    randomOrder = bench::permutation(keys.size(), rng);
    keyOrder = std::vector<std::uint32_t>(keys.size());
    for (std::size_t i = 0; i < keys.size(); ++i) keyOrder[i] = std::uint32_t(i);
  }
  const std::size_t n = scratch ? data->size() : keys.size();
  const std::size_t vs = scratch ? data->value_size() : 0;
  if (scratch) e.open((dir + QStringLiteral("/db")).toStdString(), lane.sync);

  for (const BenchStep& s : steps) {
    c.begin(s);
    double wall = 0;
    bench::Latencies l;
    std::size_t misses = 0;
    switch (s.op) {
      case BenchOp::kFillSeq: {
        // A database of its own, in key order.
        auto seq = bench::make_engine(s.engine.toStdString());
        const QString seqDir = dir + QStringLiteral("/seq");
        seq->open(seqDir.toStdString(), s.sync);
        l = timed(c, n, [&](std::size_t i) { seq->put(data->key(i), data->value(i, 0)); });
        seq->close();
        seq.reset();
        QDir(seqDir).removeRecursively();
        break;
      }
      case BenchOp::kFillRandom:
        if (s.load) {
          untimed(c, n, [&](std::size_t i) {
            const std::uint32_t k = data->fill_order[i];
            e.put(data->key(k), data->value(k, 0));
          });
          continue;
        }
        l = timed(c, n, [&](std::size_t i) {
          const std::uint32_t k = data->fill_order[i];
          e.put(data->key(k), data->value(k, 0));
        });
        break;
      case BenchOp::kOverwrite:
        l = timed(c, n, [&](std::size_t i) {
          const std::uint32_t k = data->overwrite_order[i];
          e.put(data->key(k), data->value(k, 1));
        });
        break;
      case BenchOp::kRead: {
        const std::vector<std::uint32_t>& order = scratch ? data->fill_order : keyOrder;
        l = timed(c, n, [&](std::size_t i) {
          if (!e.get(keys[order[i]], &v) || (vs && v.size() != vs)) ++misses;
        });
        break;
      }
      case BenchOp::kReadRandom:
        l = readRandom(c, e, keys, randomOrder, vs, s.threads, &wall);
        break;
      case BenchOp::kReadMissing: {
        std::size_t found = 0;
        char buf[kKeySize + 1];
        l = timed(c, n, [&](std::size_t i) {
          std::string_view k;
          if (scratch) {
            k = data->missing_key(data->read_order[i]);
          } else {
            // Not in the open database (almost surely): the even numbers'
            // odd neighbours in our own key space.
            std::snprintf(buf, sizeof buf, "%016llu",
                          static_cast<unsigned long long>(2 * randomOrder[i] + 1));
            k = std::string_view(buf, kKeySize);
          }
          if (e.get(k, &v)) ++found;
        });
        if (found && scratch)
          throw std::runtime_error("read_missing: " + std::to_string(found) + " absent keys found");
        break;
      }
      case BenchOp::kReadSeq:
        l = readSeq(c, e, n, vs, scratch);
        break;
      case BenchOp::kBatchWrite:
        l = batchWrite(c, e, *data, std::size_t(batchSize));
        break;
      case BenchOp::kDelete:
        l = timed(c, n, [&](std::size_t i) { e.del(data->key(data->delete_order[i])); });
        break;
    }
    if (misses)
      throw std::runtime_error(benchOpName(s.op).toStdString() + ": " + std::to_string(misses) +
                               " keys not found or with a wrong value");
    reportMeasurement(c, s, l, wall > 0 ? wall : l.total_s);
  }
  if (scratch) e.close();
}

}  // namespace

void runBenchmark(QPromise<BenchEvent>& promise, const BenchWorkload& workload, DbPtr openDb,
                  const QString& scratchRoot) {
  const quint64 openKeys = workload.openDatabase && openDb ? openDb->size() : 0;
  const QList<BenchStep> steps = workload.steps(openKeys);
  quint64 total = 0;
  for (const BenchStep& s : steps) total += s.operations;
  Context c(promise, total);

  const QString root = scratchRoot.isEmpty() ? QDir::tempPath() : scratchRoot;
  QDir().mkpath(root);
  QTemporaryDir scratch(root + QStringLiteral("/bitcask-browser-bench-XXXXXX"));
  if (!scratch.isValid()) {
    c.fail(tr("Cannot create a scratch directory in %1: %2").arg(root, scratch.errorString()));
    c.finish();
    return;
  }

  std::set<QString> warmed;
  std::unique_ptr<Data> data;
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
      const quint64 laneEnd = c.done() + laneOps;
      const QString dir = scratch.path() + QStringLiteral("/lane-%1").arg(++laneNo);
      const bool isOpenDb = lane.engine == QLatin1String(kOpenDatabaseEngine);
      try {
        c.check();
        if (isOpenDb) {
          OpenDbEngine e(openDb);
          runLane(c, laneSteps, nullptr, e, dir, workload.batchSize);
        } else {
          if (!data || data->size() != lane.entries || data->value_size() != lane.valueSize)
            data = std::make_unique<Data>(lane.entries, lane.valueSize);
          // Room for the fill, the overwrite and the batches, twice over.
          const quint64 need = 4 * lane.entries * (kKeySize + lane.valueSize) + (64u << 20);
          const QStorageInfo disk(scratch.path());
          if (disk.isValid() && quint64(disk.bytesAvailable()) < need) {
            throw std::runtime_error(QStringLiteral("%1 free in %2, about %3 needed")
                                         .arg(QLocale().formattedDataSize(disk.bytesAvailable()),
                                              root, QLocale().formattedDataSize(qint64(need)))
                                         .toStdString());
          }
          if (warmed.insert(lane.engine).second)
            warmUp(lane.engine.toStdString(), *data, dir + QStringLiteral("-warmup"));
          auto e = bench::make_engine(lane.engine.toStdString());
          runLane(c, laneSteps, data.get(), *e, dir, workload.batchSize);
        }
      } catch (const Cancelled&) {
        throw;
      } catch (const std::exception& ex) {
        c.fail(tr("%1: %2").arg(laneLabel(lane), QString::fromStdString(ex.what())));
        c.skipTo(laneEnd);
      }
      QDir(dir).removeRecursively();
      c.skipTo(laneEnd);
      first = last;
    }
    c.finish();
  } catch (const Cancelled&) {
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
  watcher_.setFuture(QtConcurrent::run(runBenchmark, workload,
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
