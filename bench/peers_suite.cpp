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
#include <atomic>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <thread>

#include "engines/engine.h"
#include "report.h"

namespace bench {

namespace {

constexpr const char* kSuite = "peers";
constexpr std::size_t kKeySize = Workload::kKeySize;
constexpr int kThreads[] = {1, 2, 4};

struct Config {
  std::size_t entries;
  std::size_t value_size;
};

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads of every key from `threads` threads, each with its own reader and a
// share of w.read_order. Mean: per-operation time averaged over all reads;
// ops/s: all reads over the wall time.
Row read_random(KvEngine& e, const Workload& w, int threads, const std::string& engine) {
  const std::size_t n = w.size();
  std::vector<std::unique_ptr<KvReader>> readers;
  for (int t = 0; t < threads; ++t) readers.push_back(e.reader());
  std::vector<Latencies> lat(static_cast<std::size_t>(threads));
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::atomic<std::size_t> bad{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const std::size_t first = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads);
      const std::size_t last =
          n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
      KvReader& r = *readers[static_cast<std::size_t>(t)];
      std::string v;
      std::size_t misses = 0;
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      lat[static_cast<std::size_t>(t)] = measure(last - first, [&](std::size_t i) {
        const std::uint32_t k = w.read_order[first + i];
        if (!r.get(w.key(k), &v) || v.size() != w.value_size()) ++misses;
      });
      bad += misses;
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  const auto start = Clock::now();
  go.store(true, std::memory_order_release);
  for (auto& th : pool) th.join();
  const double wall = seconds_between(start, Clock::now());
  readers.clear();
  if (bad)
    throw Failure(engine + " read_random: " + std::to_string(bad.load()) + " keys not found");

  Latencies all;
  double busy_s = 0;
  for (Latencies& l : lat) {
    all.us.insert(all.us.end(), l.us.begin(), l.us.end());
    busy_s += l.total_s;
  }
  all.ops = n;
  all.total_s = busy_s;
  Row r = make_row(kSuite, engine, "read_random", n, w.value_size(), "none", all);
  r.threads = threads;
  r.ops_per_sec = wall > 0 ? static_cast<double>(n) / wall : 0;
  return r;
}

// Every pair in key order; each sample is the time from one pair to the next.
Latencies read_seq(KvEngine& e, const Workload& w, const std::string& engine) {
  const std::size_t n = w.size();
  const std::size_t stride = sample_stride(n);
  Latencies l;
  l.ops = n;
  l.us.reserve(n / stride + 1);
  std::size_t i = 0, bad = 0, left = 0;  // left: pairs until the next timed one
  char prev[kKeySize] = {};
  auto mark = Clock::now();
  const auto start = mark;
  const std::size_t seen = e.scan([&](std::string_view k, std::string_view v) {
    if (left == 0) {
      l.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - mark).count());
      left = stride;
    }
    if (k.size() != kKeySize || v.size() != w.value_size() ||
        (i > 0 && std::memcmp(prev, k.data(), kKeySize) >= 0))
      ++bad;
    else
      std::memcpy(prev, k.data(), kKeySize);
    ++i;
    if (--left == 0) mark = Clock::now();
    return true;
  });
  l.total_s = seconds_between(start, Clock::now());
  if (seen != n || bad)
    throw Failure(engine + " read_seq: visited " + std::to_string(seen) + " of " +
                  std::to_string(n) + " pairs, " + std::to_string(bad) + " out of order or wrong");
  return l;
}

void warm_up(const std::string& engine, const Workload& w) {
  ScratchDir dir("peers-warmup-" + engine);
  auto e = make_engine(engine);
  e->open(dir.path(), false);
  const std::size_t n = std::min<std::size_t>(w.size(), 2000);
  std::string v;
  for (std::size_t i = 0; i < n; ++i) e->put(w.key(i), w.value(i, 0));
  for (std::size_t i = 0; i < n; ++i) e->get(w.key(n - 1 - i), &v);
  for (std::size_t i = 0; i < n; ++i) e->del(w.key(i));
  e->close();
}

void report(const Row& r) {
  progress("peers %-8s (%s, %s B) sync %-6s %-12s x%d  mean %8s µs  p99 %8s µs  %10.0f ops/s",
           r.engine.c_str(), fmt_count(r.entries).c_str(), fmt_count(r.value_size).c_str(),
           r.sync.c_str(), r.op.c_str(), r.threads, fmt_us(r.mean_us).c_str(),
           fmt_us(r.p99_us).c_str(), r.ops_per_sec);
}

// No sync: the whole workload.
void run_engine(const std::string& engine, const Workload& w, std::vector<Row>* rows) {
  const std::size_t n = w.size();
  const std::size_t vs = w.value_size();
  auto add = [&](const char* op, Latencies& l) {
    rows->push_back(make_row(kSuite, engine, op, n, vs, "none", l));
    report(rows->back());
  };
  warm_up(engine, w);
  {
    ScratchDir dir("peers-seq-" + engine);
    auto e = make_engine(engine);
    e->open(dir.path(), false);
    Latencies l = measure(n, [&](std::size_t i) { e->put(w.key(i), w.value(i, 0)); });
    e->close();
    add("fill_seq", l);
  }
  ScratchDir dir("peers-" + engine);
  auto e = make_engine(engine);
  e->open(dir.path(), false);
  Latencies fill = measure(n, [&](std::size_t i) {
    const std::uint32_t k = w.fill_order[i];
    e->put(w.key(k), w.value(k, 0));
  });
  add("fill_random", fill);
  Latencies over = measure(n, [&](std::size_t i) {
    const std::uint32_t k = w.overwrite_order[i];
    e->put(w.key(k), w.value(k, 1));
  });
  add("overwrite", over);
  {
    // The overwrite is what reads must see.
    std::string v;
    for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, n / 1000)) {
      if (!e->get(w.key(i), &v) || v != w.value(i, 1))
        throw Failure(engine + ": key " + std::string(w.key(i)) +
                      " does not read back its overwritten value");
    }
  }
  for (int t : kThreads) {
    rows->push_back(read_random(*e, w, t, engine));
    report(rows->back());
  }
  std::size_t found = 0;
  std::string v;
  Latencies missing = measure(n, [&](std::size_t i) {
    if (e->get(w.missing_key(w.read_order[i]), &v)) ++found;
  });
  if (found)
    throw Failure(engine + " read_missing: " + std::to_string(found) + " absent keys found");
  add("read_missing", missing);
  Latencies seq = read_seq(*e, w, engine);
  add("read_seq", seq);
  Latencies del = measure(n, [&](std::size_t i) { e->del(w.key(w.delete_order[i])); });
  add("delete", del);
  for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, n / 100)) {
    if (e->get(w.key(i), &v)) throw Failure(engine + ": a deleted key is still there");
  }
  e->close();
}

// Sync on every write: the write operations on `w` (a few thousand keys), for
// every engine at once. An fdatasync's latency on a shared VM drifts by an
// order of magnitude within minutes, so the engines take turns: each
// operation runs in kSyncRounds slices, and every slice goes round all the
// engines (starting with a different one each time) before the next begins.
// Every engine thus meets the same disk.
constexpr std::size_t kSyncRounds = 20;

void run_sync(const std::vector<std::string>& engines, const Workload& w, std::vector<Row>* rows,
              bool* failed) {
  const std::size_t n = w.size();
  struct Lane {
    std::string name;
    std::unique_ptr<ScratchDir> seq_dir, dir;
    std::unique_ptr<KvEngine> seq, main;
    Latencies lat[4];  // fill_seq, fill_random, overwrite, delete
    bool ok = true;
  };
  std::vector<Lane> lanes;
  for (const std::string& name : engines) {
    Lane l;
    l.name = name;
    try {
      l.seq_dir = std::make_unique<ScratchDir>("peers-sync-seq-" + name);
      l.dir = std::make_unique<ScratchDir>("peers-sync-" + name);
      l.seq = make_engine(name);
      l.seq->open(l.seq_dir->path(), true);
      l.main = make_engine(name);
      l.main->open(l.dir->path(), true);
    } catch (const std::exception& ex) {
      progress("peers: %s sync (%zu B): FAILED: %s", name.c_str(), w.value_size(), ex.what());
      *failed = true;
      l.ok = false;
    }
    lanes.push_back(std::move(l));
  }
  // The operations, each over keys [first, last) of one engine.
  auto op = [&](int which, Lane& l, std::size_t i) {
    switch (which) {
      case 0:
        l.seq->put(w.key(i), w.value(i, 0));
        break;
      case 1:
        l.main->put(w.key(w.fill_order[i]), w.value(w.fill_order[i], 0));
        break;
      case 2:
        l.main->put(w.key(w.overwrite_order[i]), w.value(w.overwrite_order[i], 1));
        break;
      default:
        l.main->del(w.key(w.delete_order[i]));
        break;
    }
  };
  auto check = [&](Lane& l) {
    std::string v;
    for (std::size_t i = 0; i < n; ++i) {
      if (!l.main->get(w.key(i), &v) || v != w.value(i, 1))
        throw Failure(l.name + " (sync): key " + std::string(w.key(i)) + " does not read back");
    }
  };
  for (int which = 0; which < 4; ++which) {
    if (which == 3) {
      for (Lane& l : lanes) {
        if (!l.ok) continue;
        try {
          check(l);
        } catch (const std::exception& ex) {
          progress("peers: %s sync (%zu B): FAILED: %s", l.name.c_str(), w.value_size(), ex.what());
          *failed = true;
          l.ok = false;
        }
      }
    }
    for (std::size_t round = 0; round < kSyncRounds; ++round) {
      const std::size_t first = n * round / kSyncRounds, last = n * (round + 1) / kSyncRounds;
      for (std::size_t j = 0; j < lanes.size(); ++j) {
        Lane& l = lanes[(j + round) % lanes.size()];
        if (!l.ok) continue;
        try {
          Latencies part = measure(last - first, [&](std::size_t i) { op(which, l, first + i); });
          Latencies& total = l.lat[which];
          total.us.insert(total.us.end(), part.us.begin(), part.us.end());
          total.ops += part.ops;
          total.total_s += part.total_s;
        } catch (const std::exception& ex) {
          progress("peers: %s sync (%zu B): FAILED: %s", l.name.c_str(), w.value_size(), ex.what());
          *failed = true;
          l.ok = false;
        }
      }
    }
  }
  static const char* const kOpNames[] = {"fill_seq", "fill_random", "overwrite", "delete"};
  for (Lane& l : lanes) {
    if (!l.ok) continue;
    try {
      l.seq->close();
      l.main->close();
    } catch (const std::exception& ex) {
      progress("peers: %s sync (%zu B): FAILED: %s", l.name.c_str(), w.value_size(), ex.what());
      *failed = true;
      continue;
    }
    for (int which = 0; which < 4; ++which) {
      rows->push_back(
          make_row(kSuite, l.name, kOpNames[which], n, w.value_size(), "always", l.lat[which]));
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

std::vector<Row> run_peers(const SuiteOptions& options, bool* failed) {
  std::vector<Row> rows;
  for (const Config& c : configs(options.quick)) {
    if (!options.sync_none) break;
    const Workload w(c.entries, c.value_size);
    for (const std::string& engine : options.engines) {
      const auto t0 = Clock::now();
      try {
        run_engine(engine, w, &rows);
      } catch (const std::exception& ex) {
        progress("peers: %s (%zu, %zu): FAILED: %s", engine.c_str(), c.entries, c.value_size,
                 ex.what());
        *failed = true;
      }
      progress("peers %s (%s, %s B): %.1f s", engine.c_str(), fmt_count(c.entries).c_str(),
               fmt_count(c.value_size).c_str(), seconds_between(t0, Clock::now()));
    }
  }
  if (options.sync_always) {
    for (const Config& c : configs(options.quick)) {
      const auto t0 = Clock::now();
      const Workload w(sync_ops(options.quick), c.value_size);
      run_sync(options.engines, w, &rows, failed);
      progress("peers sync (%s B): %.1f s", fmt_count(c.value_size).c_str(),
               seconds_between(t0, Clock::now()));
    }
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
