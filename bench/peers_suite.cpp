// Side by side with the peers packaged for Debian 12 (LevelDB, RocksDB, LMDB,
// SQLite), on the raw byte API of each, through bench/engines adapters.
//
// Per (entries, value size), for every engine, with the same 16-byte keys and
// the same values:
//   fill_seq      entries puts in ascending key order, into a fresh database;
//   then, in another fresh database:
//   fill_random   entries puts in random order;
//   overwrite     entries puts of new values in another random order;
//   read_random   every key once in random order (hits), from 1, 2 and 4
//                 threads (each thread a share of the keys);
//   read_missing  as many absent keys, interleaved with the present ones;
//   read_seq      every pair in key order;
//   delete        every key, in random order.
// With sync on every write the write operations run again on a few thousand
// keys (each one costs an fdatasync).
//
// The operations themselves are bench/lane.h's, which the browser's benchmark
// panel runs too.
#include "peers_suite.h"

#include <cstdio>
#include <stdexcept>

#include "engines/engine.h"
#include "lane.h"
#include "report.h"

namespace bench {

namespace {

constexpr const char* kSuite = "peers";
constexpr int kThreads[] = {1, 2, 4};

struct Config {
  std::size_t entries;
  std::size_t value_size;
};

void report(const Row& r) {
  progress("peers %-8s (%s, %s B) sync %-6s %-12s x%d  mean %8s µs  p99 %8s µs  %10.0f ops/s",
           r.engine.c_str(), fmt_count(r.entries).c_str(), fmt_count(r.value_size).c_str(),
           r.sync.c_str(), r.op.c_str(), r.threads, fmt_us(r.mean_us).c_str(),
           fmt_us(r.p99_us).c_str(), r.ops_per_sec);
}

// The steps of an engine without sync, in order.
std::vector<Step> lane_steps() {
  std::vector<Step> steps{{Op::kFillSeq}, {Op::kFillRandom}, {Op::kOverwrite}};
  for (int t : kThreads) steps.push_back({Op::kReadRandom, t});
  steps.push_back({Op::kReadMissing});
  steps.push_back({Op::kReadSeq});
  steps.push_back({Op::kDelete});
  return steps;
}

// No sync: the whole workload, in a lane (bench/lane.h) of its own.
void run_engine(RunContext& run, const std::string& engine, const Workload& w,
                std::vector<Row>* rows) {
  {
    ScratchDir warm("peers-warmup-" + engine);
    warm_up(engine, w, warm.path());
  }
  ScratchDir dir("peers-" + engine);
  Lane lane(run, engine, w, dir.path(), false);
  for (const Step& s : lane_steps()) {
    Measurement m = lane.run(s);
    rows->push_back(
        make_row(kSuite, engine, op_name(s.op), w.size(), w.value_size(), "none", m.latencies));
    if (s.op == Op::kReadRandom) {
      // Mean: per-operation time averaged over all reads; ops/s: all reads over
      // the wall time.
      rows->back().threads = s.threads;
      rows->back().ops_per_sec = m.wall_s > 0 ? static_cast<double>(w.size()) / m.wall_s : 0;
    }
    report(rows->back());
  }
  lane.close();
}

// Sync on every write: the write operations on `w` (a few thousand keys), for
// every engine at once. An fdatasync's latency on a shared VM drifts by an
// order of magnitude within minutes, so the engines take turns: each
// operation runs in kSyncRounds slices, and every slice goes round all the
// engines (starting with a different one each time) before the next begins.
// Every engine thus meets the same disk.
constexpr std::size_t kSyncRounds = 20;
constexpr Op kSyncOps[] = {Op::kFillSeq, Op::kFillRandom, Op::kOverwrite, Op::kDelete};

void run_sync(RunContext& run, const std::vector<std::string>& engines, const Workload& w,
              std::vector<Row>* rows, bool* failed) {
  const std::size_t n = w.size();
  struct Engine {
    std::string name;
    std::unique_ptr<ScratchDir> dir;
    std::unique_ptr<Lane> lane;
    Latencies lat[4];  // of kSyncOps
    bool ok = true;
  };
  std::vector<Engine> lanes;
  auto fail = [&](Engine& l, const std::exception& ex) {
    progress("peers: %s sync (%zu B): FAILED: %s", l.name.c_str(), w.value_size(), ex.what());
    *failed = true;
    l.ok = false;
  };
  for (const std::string& name : engines) {
    Engine l;
    l.name = name;
    try {
      l.dir = std::make_unique<ScratchDir>("peers-sync-" + name);
      l.lane = std::make_unique<Lane>(run, name, w, l.dir->path(), true);
    } catch (const std::exception& ex) {
      fail(l, ex);
    }
    lanes.push_back(std::move(l));
  }
  for (std::size_t which = 0; which < std::size(kSyncOps); ++which) {
    if (kSyncOps[which] == Op::kDelete) {
      for (Engine& l : lanes) {
        if (!l.ok) continue;
        try {
          l.lane->verify_overwritten(1);
        } catch (const std::exception& ex) {
          fail(l, ex);
        }
      }
    }
    for (std::size_t round = 0; round < kSyncRounds; ++round) {
      const std::size_t first = n * round / kSyncRounds, last = n * (round + 1) / kSyncRounds;
      for (std::size_t j = 0; j < lanes.size(); ++j) {
        Engine& l = lanes[(j + round) % lanes.size()];
        if (!l.ok) continue;
        try {
          const Latencies part = l.lane->run(Step{kSyncOps[which]}, first, last);
          Latencies& total = l.lat[which];
          total.us.insert(total.us.end(), part.us.begin(), part.us.end());
          total.ops += part.ops;
          total.total_s += part.total_s;
        } catch (const Cancelled&) {
          throw;
        } catch (const std::exception& ex) {
          fail(l, ex);
        }
      }
    }
  }
  for (Engine& l : lanes) {
    if (!l.ok) continue;
    try {
      l.lane->close();
    } catch (const std::exception& ex) {
      fail(l, ex);
      continue;
    }
    for (std::size_t which = 0; which < std::size(kSyncOps); ++which) {
      rows->push_back(make_row(kSuite, l.name, op_name(kSyncOps[which]), n, w.value_size(),
                               "always", l.lat[which]));
      report(rows->back());
    }
  }
}

std::vector<Config> configs(bool quick) {
  if (quick) return {{20'000, 100}, {20'000, 1000}, {2'000, 10000}};
  return {{1'000'000, 100}, {1'000'000, 1000}, {100'000, 10000}};
}

std::size_t sync_ops(bool quick) { return quick ? 100 : 2000; }

// Ops in table order; read_random appears once per thread count.
struct OpLine {
  const char* op;
  int threads;
  const char* label;
};
constexpr OpLine kLines[] = {
    {"fill_seq", 1, "fill_seq"},
    {"fill_random", 1, "fill_random"},
    {"overwrite", 1, "overwrite"},
    {"read_random", 1, "read_random"},
    {"read_random", 2, "read_random, 2 threads"},
    {"read_random", 4, "read_random, 4 threads"},
    {"read_missing", 1, "read_missing"},
    {"read_seq", 1, "read_seq"},
    {"delete", 1, "delete"},
};

}  // namespace

std::uint64_t peers_operations(const SuiteOptions& options) {
  std::uint64_t total = 0;
  const std::uint64_t engines = options.engines.size();
  for (const Config& c : configs(options.quick)) {
    if (options.sync_none) total += engines * c.entries * lane_steps().size();
    if (options.sync_always) total += engines * sync_ops(options.quick) * std::size(kSyncOps);
  }
  return total;
}

std::vector<Row> run_peers(const SuiteOptions& options, bool* failed) {
  return run_peers(options, failed, Hooks{});
}

std::vector<Row> run_peers(const SuiteOptions& options, bool* failed, const Hooks& hooks) {
  std::vector<Row> rows;
  RunContext run(hooks, peers_operations(options));
  try {
    for (const Config& c : configs(options.quick)) {
      if (!options.sync_none) break;
      const Workload w(c.entries, c.value_size);
      for (const std::string& engine : options.engines) {
        const auto t0 = Clock::now();
        const std::uint64_t end = run.done() + c.entries * lane_steps().size();
        try {
          run_engine(run, engine, w, &rows);
        } catch (const Cancelled&) {
          throw;
        } catch (const std::exception& ex) {
          progress("peers: %s (%zu, %zu): FAILED: %s", engine.c_str(), c.entries, c.value_size,
                   ex.what());
          *failed = true;
        }
        run.skip_to(end);
        progress("peers %s (%s, %s B): %.1f s", engine.c_str(), fmt_count(c.entries).c_str(),
                 fmt_count(c.value_size).c_str(), seconds_between(t0, Clock::now()));
      }
    }
    if (options.sync_always) {
      for (const Config& c : configs(options.quick)) {
        const auto t0 = Clock::now();
        const Workload w(sync_ops(options.quick), c.value_size);
        const std::uint64_t end =
            run.done() + options.engines.size() * w.size() * std::size(kSyncOps);
        run_sync(run, options.engines, w, &rows, failed);
        run.skip_to(end);
        progress("peers sync (%s B): %.1f s", fmt_count(c.value_size).c_str(),
                 seconds_between(t0, Clock::now()));
      }
    }
    run.finish();
  } catch (const Cancelled&) {
    progress("peers: stopped; %zu results measured", rows.size());
  }
  return rows;
}

void print_peers_markdown(const std::vector<Row>& rows, const SuiteOptions& options) {
  std::printf("## Peers, raw byte API\n\n");
  std::printf(
      "The same 16-byte keys and values for every engine, each in a fresh directory. fill_seq "
      "writes the keys in ascending order into one database; fill_random writes them in random "
      "order into another, where overwrite, read_random (every key once, hits), read_missing "
      "(absent keys between the present ones), read_seq (every pair in key order) and delete "
      "(every key) follow. read_random with 2 and 4 threads splits the keys between the "
      "threads; its mean is the time per read, its throughput is in the last table. "
      "Sync none: every write reaches the OS before it returns (survives a killed process); "
      "sync always: every write is on disk before it returns, measured on %s keys only (write "
      "operations only: an fdatasync costs 0.2–4 ms here), with the engines taking turns in "
      "slices of 1/%zu of each operation so that they all meet the same disk.\n\n",
      fmt_count(sync_ops(options.quick)).c_str(), kSyncRounds);
  std::printf("Settings:\n\n");
  for (const std::string& e : options.engines) std::printf("- %s\n", engine_description(e).c_str());
  std::printf(
      "\nMeans are wall time ÷ operations (the clock, %.0f ns a read, is read around every 16th "
      "operation of runs of 32,000 or more); p50/p99 come from the operations timed one by "
      "one.\n\n",
      clock_read_ns());

  struct Group {
    std::uint64_t entries, value_size;
    std::string sync;
  };
  std::vector<Group> groups;
  for (const Row& r : rows) {
    if (r.suite != kSuite) continue;
    bool known = false;
    for (const Group& g : groups)
      known |= g.entries == r.entries && g.value_size == r.value_size && g.sync == r.sync;
    if (!known) groups.push_back({r.entries, r.value_size, r.sync});
  }
  const std::vector<std::string>& engines = options.engines;
  auto header = [&](const char* first) {
    std::printf("| %s |", first);
    for (const std::string& e : engines) std::printf(" %s |", e.c_str());
    std::printf("\n|---|");
    for (std::size_t i = 0; i < engines.size(); ++i) std::printf("---:|");
    std::printf("\n");
  };
  for (const Group& g : groups) {
    std::printf("### %s entries × %s B, sync %s\n\n", fmt_count(g.entries).c_str(),
                fmt_count(g.value_size).c_str(), g.sync.c_str());
    std::printf("Mean µs per operation (**bold**: the fastest):\n\n");
    header("op");
    for (const OpLine& line : kLines) {
      std::vector<const Row*> cells;
      double best = 0;
      bool any = false;
      for (const std::string& e : engines) {
        const Row* r =
            find_row(rows, kSuite, e, line.op, g.entries, g.value_size, line.threads, g.sync);
        cells.push_back(r);
        if (r && (!any || r->mean_us < best)) best = r->mean_us, any = true;
      }
      if (!any) continue;
      std::printf("| %s |", line.label);
      for (const Row* r : cells) {
        if (!r)
          std::printf(" – |");
        else if (r->mean_us == best && engines.size() > 1)
          std::printf(" **%s** |", fmt_us(r->mean_us).c_str());
        else
          std::printf(" %s |", fmt_us(r->mean_us).c_str());
      }
      std::printf("\n");
    }
    std::printf("\np50 / p99 µs:\n\n");
    header("op");
    for (const OpLine& line : kLines) {
      std::string out;
      bool any = false;
      for (const std::string& e : engines) {
        const Row* r =
            find_row(rows, kSuite, e, line.op, g.entries, g.value_size, line.threads, g.sync);
        any |= r != nullptr;
        out += r ? " " + fmt_us(r->p50_us) + " / " + fmt_us(r->p99_us) + " |" : " – |";
      }
      if (any) std::printf("| %s |%s\n", line.label, out.c_str());
    }
    if (g.sync == "none") {
      std::printf("\nread_random throughput, reads per second (all threads):\n\n");
      header("threads");
      for (int t : kThreads) {
        std::printf("| %d |", t);
        for (const std::string& e : engines) {
          const Row* r =
              find_row(rows, kSuite, e, "read_random", g.entries, g.value_size, t, g.sync);
          if (r)
            std::printf(" %s |",
                        fmt_count(static_cast<std::uint64_t>(r->ops_per_sec + 0.5)).c_str());
          else
            std::printf(" – |");
        }
        std::printf("\n");
      }
    }
    std::printf("\n");
  }
}

}  // namespace bench
