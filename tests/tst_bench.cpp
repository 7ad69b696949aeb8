// tst_bench: the benchmark tool and its engine adapters.
//
// - `bitcask-bench --quick --format json` (BITCASK_BENCH_PATH) prints one valid
//   JSON array holding every suite x op x engine with the specified fields and
//   positive figures, and leaves no scratch directory behind;
// - every adapter of bench/engines (bench_engines) round-trips values: put,
//   get, overwrite, delete, ordered scan, readers on other threads, reopen --
//   with and without sync;
// - the measured operations (bench/lane.h), which the suites and the
//   browser's panel share, report progress monotonically up to their total,
//   and a stop request ends each of them early (Cancelled, the scratch
//   directory removed); the peers suite run with hooks does the same and
//   returns the rows measured until then.
// No timing assertions: the figures only have to be there and be positive.
#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QtTest>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "engines/engine.h"
#include "lane.h"
#include "page_floor.h"
#include "peers_suite.h"

#if !defined(Q_MOC_RUN) && !defined(BITCASK_BENCH_PATH)
#error "BITCASK_BENCH_PATH must name the bitcask-bench executable"
#endif

using nlohmann::json;

namespace {

struct Run {
  int code = -1;  // -1: did not start, crashed or hung
  QByteArray out;
  QByteArray err;
};

Run run_bench(const QStringList& args, const QString& scratch, int timeout_ms) {
  QProcess p;
  QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
  env.insert("BITCASK_BENCH_DIR", scratch);
  p.setProcessEnvironment(env);
  p.start(QStringLiteral(BITCASK_BENCH_PATH), args);
  Run r;
  if (!p.waitForStarted(10000)) return r;
  if (!p.waitForFinished(timeout_ms)) {
    p.kill();
    p.waitForFinished(5000);
    r.err = p.readAllStandardError();
    return r;
  }
  r.out = p.readAllStandardOutput();
  r.err = p.readAllStandardError();
  if (p.exitStatus() == QProcess::NormalExit) r.code = p.exitCode();
  return r;
}

std::string str(const QByteArray& b) {
  return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

const std::vector<std::string> kEngines = {"bitcask", "leveldb", "rocksdb", "lmdb", "sqlite"};
const std::vector<std::uint64_t> kValueSizes = {100, 1000, 10000};
const std::vector<std::string> kMatrixOps = {"write", "read", "random_read", "batch_write",
                                             "delete"};
const std::vector<std::string> kPeerOps = {
    "fill_seq", "fill_random", "overwrite", "read_random", "read_missing", "read_seq", "delete"};
const std::vector<std::string> kSyncOps = {"fill_seq", "fill_random", "overwrite", "delete"};
const std::set<std::string> kFields = {"suite",      "engine",  "op",     "entries",
                                       "value_size", "threads", "sync",   "ops",
                                       "mean_us",    "p50_us",  "p99_us", "ops_per_sec"};

using RowKey = std::tuple<std::string, std::string, std::string, std::uint64_t, std::uint64_t, int,
                          std::string>;  // suite, engine, op, entries, value_size, threads, sync

// Checks one row's shape; returns an empty string or what is wrong.
std::string row_problem(const json& r) {
  if (!r.is_object()) return "not an object";
  std::set<std::string> keys;
  for (const auto& [k, v] : r.items()) keys.insert(k);
  if (keys != kFields) return "fields are not the specified ones";
  for (const char* k : {"suite", "engine", "op", "sync"})
    if (!r[k].is_string()) return std::string(k) + " is not a string";
  for (const char* k : {"entries", "value_size", "threads", "ops"})
    if (!r[k].is_number_unsigned() || r[k].get<std::uint64_t>() == 0)
      return std::string(k) + " is not a positive integer";
  for (const char* k : {"mean_us", "p50_us", "p99_us", "ops_per_sec"}) {
    if (!r[k].is_number()) return std::string(k) + " is not a number";
    const double v = r[k].get<double>();
    if (!std::isfinite(v) || v <= 0) return std::string(k) + " is not positive";
  }
  if (r["p50_us"].get<double>() > r["p99_us"].get<double>()) return "p50 above p99";
  const std::string suite = r["suite"], engine = r["engine"], sync = r["sync"];
  if (suite != "python-matrix" && suite != "peers") return "unknown suite " + suite;
  // python-matrix also measures the original's way (its first 1,000 operations).
  const bool its_way = suite == "python-matrix" && engine == "bitcask-its-way";
  if (!its_way && std::find(kEngines.begin(), kEngines.end(), engine) == kEngines.end())
    return "unknown engine " + engine;
  if (sync != "none" && sync != "always") return "unknown sync " + sync;
  const int threads = r["threads"].get<int>();
  if (threads != 1 && threads != 2 && threads != 4) return "threads not 1, 2 or 4";
  if (threads != 1 && r["op"] != "read_random")
    return "threads > 1 for " + r["op"].get<std::string>();
  if (suite == "python-matrix" &&
      ((engine != "bitcask" && !its_way) || sync != "none" || threads != 1))
    return "python-matrix row not bitcask / none / 1 thread";
  return {};
}

// Random bytes of every value 0..255.
std::string random_bytes(std::mt19937_64& rng, std::size_t n) {
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xff);
  return s;
}

}  // namespace

class TstBench : public QObject {
  Q_OBJECT

 private slots:
  // The engine suite's floor below an append: every figure there and
  // positive (a missing MADV_POPULATE_WRITE or fallocate would show as 0).
  void pageFloorHasEveryFigure() {
    const nlohmann::json p = bench::page_floor();
    for (const char* field : {"fault_in_fallocated_us_per_page", "zeros_pwrite_us_per_page",
                              "fault_in_after_zeros_us_per_page", "copy_10kb_us", "crc32c_10kb_us",
                              "segment_write_ms", "segment_sync_ms", "segment_mb_per_s"}) {
      QVERIFY2(p.contains(field) && p[field].get<double>() > 0, field);
    }
  }

  void quickJsonIsComplete();
  void enginesAndSyncOptionsChoosePeerRuns();
  void badArgumentsAreRefused();
  void adapterRoundTrip_data();
  void adapterRoundTrip();
  void laneReportsProgressAndMeasures_data();
  void laneReportsProgressAndMeasures();
  void laneStopsWithinEachOperation_data();
  void laneStopsWithinEachOperation();
  void peersSuiteFollowsHooks();
};

void TstBench::quickJsonIsComplete() {
  QTemporaryDir scratch;
  QVERIFY(scratch.isValid());
  const Run r = run_bench({"--quick", "--format", "json"}, scratch.path(), 10 * 60 * 1000);
  QVERIFY2(r.code == 0, r.err.right(2000).constData());
  QVERIFY2(r.err.contains("finished in"), "the run's duration is not on stderr");

  const json rows = json::parse(str(r.out), nullptr, /*allow_exceptions=*/false);
  QVERIFY2(!rows.is_discarded(), "stdout is not valid JSON");
  QVERIFY(rows.is_array());
  QVERIFY(!rows.empty());

  std::map<RowKey, json> index;
  for (const json& row : rows) {
    const std::string problem = row_problem(row);
    QVERIFY2(problem.empty(), (problem + ": " + row.dump()).c_str());
    const RowKey key{row["suite"],   row["engine"],     row["op"],
                     row["entries"], row["value_size"], row["threads"].get<int>(),
                     row["sync"]};
    QVERIFY2(index.emplace(key, row).second, ("duplicate row: " + row.dump()).c_str());
  }

  // python-matrix: bitcask, every value size x every op, for each entry count it ran, with
  // every entry measured.
  std::set<std::uint64_t> matrix_entries;
  for (const auto& [key, row] : index)
    if (std::get<0>(key) == "python-matrix") matrix_entries.insert(std::get<3>(key));
  QVERIFY2(matrix_entries.size() >= 2, "python-matrix ran fewer than two entry counts");
  for (std::uint64_t n : matrix_entries) {
    for (std::uint64_t v : kValueSizes) {
      for (const std::string& op : kMatrixOps) {
        const auto it = index.find({"python-matrix", "bitcask", op, n, v, 1, "none"});
        QVERIFY2(it != index.end(), ("python-matrix misses " + op + " (" + std::to_string(n) +
                                     ", " + std::to_string(v) + ")")
                                        .c_str());
        QCOMPARE(it->second["ops"].get<std::uint64_t>(), n);
        // Beside it, the original's way: only the first 1,000 operations.
        const auto its = index.find({"python-matrix", "bitcask-its-way", op, n, v, 1, "none"});
        QVERIFY2(its != index.end(), ("python-matrix misses its way of " + op).c_str());
        QCOMPARE(its->second["ops"].get<std::uint64_t>(), std::min<std::uint64_t>(n, 1000));
      }
    }
  }

  // peers: every engine x value size x op, read_random at 1, 2 and 4 threads; the write ops
  // again with sync on every write; the same entry count for every engine.
  for (const char* sync : {"none", "always"}) {
    for (std::uint64_t v : kValueSizes) {
      std::set<std::uint64_t> entries;
      for (const auto& [key, row] : index)
        if (std::get<0>(key) == "peers" && std::get<4>(key) == v && std::get<6>(key) == sync)
          entries.insert(std::get<3>(key));
      QVERIFY2(entries.size() == 1, (std::string("peers ") + sync + " " + std::to_string(v) +
                                     " B: not one entry count for all engines")
                                        .c_str());
      const std::uint64_t n = *entries.begin();
      const std::vector<std::string>& ops = std::string(sync) == "none" ? kPeerOps : kSyncOps;
      for (const std::string& engine : kEngines) {
        for (const std::string& op : ops) {
          for (int threads :
               op == "read_random" ? std::vector<int>{1, 2, 4} : std::vector<int>{1}) {
            const auto it = index.find({"peers", engine, op, n, v, threads, sync});
            QVERIFY2(it != index.end(),
                     ("peers misses " + engine + " " + op + " x" + std::to_string(threads) + " " +
                      std::to_string(v) + " B sync " + sync)
                         .c_str());
            QCOMPARE(it->second["ops"].get<std::uint64_t>(), n);
          }
        }
      }
    }
  }

  // Scratch directories are removed.
  const QStringList left =
      QDir(scratch.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden);
  QVERIFY2(left.isEmpty(), qPrintable("left behind: " + left.join(", ")));
}

void TstBench::enginesAndSyncOptionsChoosePeerRuns() {
  QTemporaryDir scratch;
  QVERIFY(scratch.isValid());
  const Run r = run_bench(
      {"peers", "--quick", "--engines", "lmdb,bitcask", "--sync", "none", "--format", "json"},
      scratch.path(), 5 * 60 * 1000);
  QVERIFY2(r.code == 0, r.err.right(2000).constData());
  const json rows = json::parse(str(r.out), nullptr, false);
  QVERIFY(rows.is_array());
  std::set<std::string> engines, suites, syncs;
  for (const json& row : rows) {
    engines.insert(row.value("engine", ""));
    suites.insert(row.value("suite", ""));
    syncs.insert(row.value("sync", ""));
  }
  QCOMPARE(engines, (std::set<std::string>{"bitcask", "lmdb"}));
  QCOMPARE(suites, (std::set<std::string>{"peers"}));
  QCOMPARE(syncs, (std::set<std::string>{"none"}));
}

void TstBench::badArgumentsAreRefused() {
  QTemporaryDir scratch;
  QVERIFY(scratch.isValid());
  Run r = run_bench({"peers", "--engines", "bitcask,nosuchdb"}, scratch.path(), 30000);
  QVERIFY(r.code > 0);
  QVERIFY(r.err.contains("nosuchdb"));
  QVERIFY(r.out.isEmpty());
  r = run_bench({"no-such-suite"}, scratch.path(), 30000);
  QVERIFY(r.code > 0);
  r = run_bench({"--format", "xml"}, scratch.path(), 30000);
  QVERIFY(r.code > 0);

  // --python-original: a directory that is no checkout of the original, one
  // that does not exist, and one whose benchmark fails are each a clear
  // error before anything is measured.
  const QString missing = scratch.path() + "/no-such-checkout";
  r = run_bench({"python-matrix", "--quick", "--python-original", missing}, scratch.path(), 30000);
  QVERIFY(r.code > 0);
  QVERIFY2(r.err.contains("no-such-checkout") && r.err.contains("no directory"), r.err.constData());
  QVERIFY(r.out.isEmpty());
  QTemporaryDir fake;
  QVERIFY(QDir(fake.path()).mkpath("benchmarks") && QDir(fake.path()).mkpath("src/pybitcask"));
  r = run_bench({"python-matrix", "--quick", "--python-original", fake.path()}, scratch.path(),
                30000);
  QVERIFY(r.code > 0);
  QVERIFY2(r.err.contains("not a checkout of the Python original") &&
               r.err.contains("benchmark.py is missing"),
           r.err.constData());
  auto write = [](const QString& path, const QByteArray& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(text) == text.size();
  };
  QVERIFY(write(fake.path() + "/src/pybitcask/__init__.py", ""));
  QVERIFY(write(fake.path() + "/benchmarks/benchmark.py",
                "import sys\nprint('broken on purpose')\nsys.exit(3)\n"));
  r = run_bench({"python-matrix", "--quick", "--python-original", fake.path()}, scratch.path(),
                30000);
  QVERIFY(r.code > 0);
  QVERIFY2(r.err.contains("exited with status 3") && r.err.contains("broken on purpose"),
           r.err.constData());
  QVERIFY(r.out.isEmpty());
}

void TstBench::adapterRoundTrip_data() {
  QTest::addColumn<QString>("engine");
  QTest::addColumn<bool>("sync");
  for (const std::string& e : bench::engine_names()) {
    for (bool sync : {false, true}) {
      QTest::addRow("%s-%s", e.c_str(), sync ? "sync" : "nosync")
          << QString::fromStdString(e) << sync;
    }
  }
}

void TstBench::adapterRoundTrip() {
  QFETCH(QString, engine);
  QFETCH(bool, sync);
  const std::string name = engine.toStdString();
  QTemporaryDir tmp;
  QVERIFY(tmp.isValid());
  const std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / "db";

  std::mt19937_64 rng(sync ? 11 : 7);
  const std::size_t n = sync ? 60 : 400;
  // Binary keys of 1..24 bytes (NUL and 0xff included, so a signed or string-terminated
  // comparison would misorder or truncate them), values up to 2 KB and one of 20 KB.
  std::map<std::string, std::string> model;
  std::vector<std::string> keys;
  while (keys.size() < n) {
    std::string k = random_bytes(rng, 1 + rng() % 24);
    if (model.emplace(k, std::string()).second) keys.push_back(k);
  }
  keys.push_back(std::string("\0\0", 2));
  keys.push_back(std::string("\xff\xff\xff", 3));
  model.emplace(keys[keys.size() - 2], "");
  model.emplace(keys.back(), "");
  for (std::size_t i = 0; i < keys.size(); ++i)
    model[keys[i]] = random_bytes(rng, i == 5 ? 20000 : 1 + rng() % 2000);

  auto e = bench::make_engine(name);
  QCOMPARE(std::string(e->name()), name);
  e->open(dir, sync);
  for (const std::string& k : keys) e->put(k, model[k]);

  std::string v;
  for (const auto& [k, want] : model) {
    QVERIFY2(e->get(k, &v), ("missing key after put, engine " + name).c_str());
    QVERIFY2(v == want, ("wrong value after put, engine " + name).c_str());
  }
  // Overwrite a third, delete a quarter (and one key that never existed).
  for (std::size_t i = 0; i < keys.size(); i += 3) {
    model[keys[i]] = random_bytes(rng, 1 + rng() % 1500);
    e->put(keys[i], model[keys[i]]);
  }
  std::set<std::string> deleted;
  for (std::size_t i = 1; i < keys.size(); i += 4) {
    e->del(keys[i]);
    model.erase(keys[i]);
    deleted.insert(keys[i]);
  }
  e->del("never-written-key");
  for (const std::string& k : deleted) QVERIFY(!e->get(k, &v));
  QVERIFY(!e->get("never-written-key", &v));

  auto check_contents = [&](bench::KvEngine& db) {
    for (const auto& [k, want] : model) {
      if (!db.get(k, &v) || v != want) return std::string("get mismatch");
    }
    // Ordered scan: every live pair, ascending bytewise.
    std::vector<std::pair<std::string, std::string>> seen;
    const std::size_t visited = db.scan([&](std::string_view k, std::string_view val) {
      seen.emplace_back(std::string(k), std::string(val));
      return true;
    });
    if (visited != model.size() || seen.size() != model.size()) return std::string("scan count");
    std::size_t i = 0;
    for (const auto& [k, want] : model) {
      if (seen[i].first != k) return "scan order/key at " + std::to_string(i);
      if (seen[i].second != want) return "scan value at " + std::to_string(i);
      ++i;
    }
    return std::string();
  };
  std::string problem = check_contents(*e);
  QVERIFY2(problem.empty(), (name + ": " + problem).c_str());

  // A scan stops when asked to.
  std::size_t calls = 0;
  const std::size_t visited =
      e->scan([&](std::string_view, std::string_view) { return ++calls < 10; });
  QCOMPARE(calls, std::size_t(10));
  QCOMPARE(visited, std::size_t(10));

  // Readers on other threads see the same data.
  {
    std::vector<std::unique_ptr<bench::KvReader>> readers;
    for (int t = 0; t < 3; ++t) readers.push_back(e->reader());
    std::vector<int> bad(readers.size(), 0);
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < readers.size(); ++t) {
      threads.emplace_back([&, t] {
        std::string val;
        for (const auto& [k, want] : model)
          if (!readers[t]->get(k, &val) || val != want) ++bad[t];
        for (const std::string& k : deleted)
          if (readers[t]->get(k, &val)) ++bad[t];
      });
    }
    for (auto& th : threads) th.join();
    for (int b : bad) QCOMPARE(b, 0);
  }

  // Everything survives a close and reopen.
  e->close();
  auto again = bench::make_engine(name);
  again->open(dir, sync);
  problem = check_contents(*again);
  QVERIFY2(problem.empty(), (name + " after reopen: " + problem).c_str());
  for (const std::string& k : deleted) QVERIFY(!again->get(k, &v));
  again->close();
}

namespace {

// Every operation of a lane, read_random from 1 and 2 threads.
std::vector<bench::Step> all_steps() {
  using bench::Op;
  std::vector<bench::Step> steps;
  for (Op op : {Op::kFillSeq, Op::kFillRandom, Op::kOverwrite, Op::kRead, Op::kReadRandom,
                Op::kReadRandom, Op::kReadMissing, Op::kReadSeq, Op::kBatchWrite, Op::kDelete}) {
    bench::Step s;
    s.op = op;
    s.batch = 50;
    steps.push_back(s);
  }
  steps[5].threads = 2;
  return steps;
}

bool is_empty_dir(const QString& path) {
  return QDir(path).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).isEmpty();
}

}  // namespace

void TstBench::laneReportsProgressAndMeasures_data() {
  QTest::addColumn<QString>("engine");
  QTest::addColumn<bool>("sync");
  QTest::newRow("bitcask") << "bitcask" << false;
  QTest::newRow("sqlite") << "sqlite" << false;
  QTest::newRow("lmdb sync") << "lmdb" << true;
}

void TstBench::laneReportsProgressAndMeasures() {
  QFETCH(QString, engine);
  QFETCH(bool, sync);
  QTemporaryDir tmp;
  QVERIFY(tmp.isValid());
  const std::size_t n = sync ? 300 : 3000;
  const bench::Workload w(n, 100);
  const std::vector<bench::Step> steps = all_steps();
  std::vector<std::pair<std::uint64_t, std::uint64_t>> progress;
  std::uint64_t sliced = 0;
  bench::Hooks hooks;
  hooks.progress = [&](std::uint64_t done, std::uint64_t total) {
    progress.emplace_back(done, total);
  };
  hooks.slice = [&](const bench::Slice& s) {
    QVERIFY(s.seconds > 0);
    QVERIFY(s.t >= s.seconds);
    sliced += s.ops;
  };
  bench::RunContext run(hooks, n * steps.size());
  {
    bench::warm_up(engine.toStdString(), w, (tmp.path() + "/warm").toStdString());
    bench::Lane lane(run, engine.toStdString(), w, (tmp.path() + "/lane").toStdString(), sync);
    QCOMPARE(lane.size(), n);
    for (const bench::Step& s : steps) {
      const std::uint64_t before = run.done();
      sliced = 0;
      bench::Measurement m = lane.run(s);
      QCOMPARE(run.done() - before, std::uint64_t(n));
      QCOMPARE(sliced, std::uint64_t(n));
      QCOMPARE(m.latencies.ops, n);
      QVERIFY2(!m.latencies.us.empty(), bench::op_name(s.op));
      QVERIFY(m.wall_s > 0);
      QVERIFY(m.latencies.percentile(50) <= m.latencies.percentile(99));
    }
    lane.close();
  }
  run.finish();
  QVERIFY(progress.size() > steps.size());
  for (std::size_t i = 0; i < progress.size(); ++i) {
    QCOMPARE(progress[i].second, std::uint64_t(n * steps.size()));
    if (i > 0) QVERIFY(progress[i].first >= progress[i - 1].first);
  }
  QCOMPARE(progress.back().first, progress.back().second);
  QVERIFY(!QDir(tmp.path() + "/warm").exists());
}

void TstBench::laneStopsWithinEachOperation_data() {
  QTest::addColumn<int>("at");
  const std::vector<bench::Step> steps = all_steps();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    const std::string name =
        std::string(bench::op_name(steps[i].op)) + " x" + std::to_string(steps[i].threads);
    QTest::newRow(name.c_str()) << int(i);
  }
}

// A stop requested once step `at` has begun ends that step with Cancelled:
// it never returns a measurement, and the steps after it never start.
void TstBench::laneStopsWithinEachOperation() {
  QFETCH(int, at);
  QTemporaryDir tmp;
  QVERIFY(tmp.isValid());
  const std::size_t n = 3000;
  const bench::Workload w(n, 100);
  const std::vector<bench::Step> steps = all_steps();
  std::stop_source stop;
  std::uint64_t stepStart = ~std::uint64_t(0);
  bench::Hooks hooks;
  hooks.stop = stop.get_token();
  hooks.progress = [&](std::uint64_t done, std::uint64_t) {
    if (done > stepStart) stop.request_stop();
  };
  bench::RunContext run(hooks, n * steps.size());
  int completed = 0;
  bool cancelled = false;
  try {
    bench::Lane lane(run, "bitcask", w, (tmp.path() + "/lane").toStdString(), false);
    for (std::size_t i = 0; i < steps.size(); ++i) {
      if (int(i) == at) stepStart = run.done();
      lane.run(steps[i]);
      ++completed;
    }
  } catch (const bench::Cancelled&) {
    cancelled = true;
  }
  QVERIFY(cancelled);
  QCOMPARE(completed, at);
  QVERIFY(run.done() < run.total());
  // The lane's databases are closed; removing them is the caller's (here QTemporaryDir's).
  QVERIFY(QDir(tmp.path()).removeRecursively());
}

void TstBench::peersSuiteFollowsHooks() {
  QTemporaryDir scratch;
  QVERIFY(scratch.isValid());
  qputenv("BITCASK_BENCH_DIR", scratch.path().toLocal8Bit());
  bench::SuiteOptions options;
  options.quick = true;
  options.engines = {"lmdb"};
  options.sync_always = false;
  const std::uint64_t total = bench::peers_operations(options);
  QVERIFY(total > 0);

  // To the end: progress monotonic up to the total, every row there.
  std::uint64_t last = 0, calls = 0;
  bool monotonic = true;
  bench::Hooks hooks;
  hooks.progress = [&](std::uint64_t done, std::uint64_t t) {
    monotonic &= done >= last && t == total;
    last = done;
    ++calls;
  };
  bool failed = false;
  const std::vector<bench::Row> rows = bench::run_peers(options, &failed, hooks);
  QVERIFY(!failed);
  QVERIFY(monotonic);
  QVERIFY(calls > 10);
  QCOMPARE(last, total);
  QCOMPARE(rows.size(), std::size_t(3 * 9));  // 3 configurations × 9 (read_random ×3)
  for (const bench::Row& r : rows) QVERIFY(r.ops > 0 && r.mean_us > 0);
  QVERIFY(is_empty_dir(scratch.path()));

  // Stopped half way: the rows measured until then, no failure, nothing left behind.
  std::stop_source stop;
  hooks.stop = stop.get_token();
  last = 0;
  hooks.progress = [&](std::uint64_t done, std::uint64_t) {
    last = done;
    if (done >= total / 2) stop.request_stop();
  };
  const std::vector<bench::Row> part = bench::run_peers(options, &failed, hooks);
  QVERIFY(!failed);
  QVERIFY(!part.empty());
  QVERIFY(part.size() < rows.size());
  QVERIFY(last < total);
  for (std::size_t i = 0; i < part.size(); ++i) {
    QCOMPARE(part[i].op, rows[i].op);
    QCOMPARE(part[i].entries, rows[i].entries);
    QCOMPARE(part[i].threads, rows[i].threads);
  }
  QVERIFY(is_empty_dir(scratch.path()));
  qunsetenv("BITCASK_BENCH_DIR");
}

QTEST_GUILESS_MAIN(TstBench)
#include "tst_bench.moc"
