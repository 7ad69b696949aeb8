// The Python original's benchmark matrix, done right.
//
// Same matrix and data as the original (shared/reference/FACTS.md): entries
// 1,000 / 10,000 / 100,000 x values of 100 / 1,000 / 10,000 bytes; keys of 10
// random alphanumerics; values random alphanumeric strings of the given length,
// stored as JSON strings through the JSON API (bitcask::Bitcask), so each
// operation does the work the Python code does (JSON text out on a put, parsed
// back into a JSON value on a get).
//
// Unlike the original: every entry is written, read, read at random, written
// again in batches and deleted (the original timed min(1000, entries)
// operations); each configuration runs in a fresh directory after a warm-up
// in another; "batch write" is the engine's real batch (Bitcask::batch_write,
// 100 members a batch) rather than 100 single puts; and percentiles are kept.
//
// Each configuration is also run the original's way (engine "bitcask-its-way"):
// only its first min(1,000, entries) entries are written, each read in order
// and at random, deleted, then written again as batches of 100 single puts
// timed together, each operation timed on its own, so a speed-up can be read
// with the same method on both sides. With --python-original DIR the
// original's own benchmark runs first, from that checkout (python_original.h),
// and its figures are printed beside ours; without it, the figures in
// FACTS.md stand in.
#include <bitcask/bitcask.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <unordered_set>

#include "python_original.h"
#include "report.h"

namespace bench {

namespace {

constexpr std::size_t kBatch = 100;
constexpr const char* kSuite = "python-matrix";
constexpr const char* kItsWay = "bitcask-its-way";
// The original times min(kItsWayOps, entries) operations of each kind.
constexpr std::size_t kItsWayOps = 1000;
// In the order of the original's README table.
constexpr const char* kOps[] = {"batch_write", "delete", "random_read", "read", "write"};

std::vector<std::string> distinct_keys(std::mt19937_64& rng, std::size_t n,
                                       std::unordered_set<std::string>* seen) {
  std::vector<std::string> keys;
  keys.reserve(n);
  while (keys.size() < n) {
    std::string k = random_alnum(rng, 10);
    if (seen->insert(k).second) keys.push_back(std::move(k));
  }
  return keys;
}

// A batch of keys[first, first + count) -> values, as the JSON object
// batch_write takes.
bitcask::Json batch_object(const std::vector<std::string>& keys,
                           const std::vector<bitcask::Json>& values, std::size_t first,
                           std::size_t count) {
  bitcask::Json obj = bitcask::Json::object();
  for (std::size_t i = first; i < first + count; ++i) obj[keys[i]] = values[i];
  return obj;
}

// A few of each operation in a throwaway directory: code paths, allocator
// and page cache warm before the measured run.
void warm_up(const std::vector<std::string>& keys, const std::vector<bitcask::Json>& values) {
  ScratchDir dir("python-matrix-warmup");
  bitcask::Bitcask db(dir.path());
  const std::size_t n = std::min<std::size_t>(keys.size(), 1000);
  for (std::size_t i = 0; i < n; ++i) db.put(keys[i], values[i]);
  for (std::size_t i = 0; i < n; ++i) (void)db.get(keys[n - 1 - i]);
  for (std::size_t i = 0; i + kBatch <= n; i += kBatch)
    db.batch_write(batch_object(keys, values, i, kBatch));
  for (std::size_t i = 0; i < n; ++i) db.remove(keys[i]);
  db.close();
}

// The original's protocol (benchmarks/benchmark.py, run_benchmark) on the
// first min(1,000, n) entries, in a fresh directory.
void run_its_way(std::size_t n, std::size_t value_size, const std::vector<std::string>& keys,
                 const std::vector<bitcask::Json>& values, std::mt19937_64& rng,
                 std::vector<Row>* rows) {
  const std::size_t ops = std::min(kItsWayOps, n);
  const std::vector<std::uint32_t> random_order = permutation(ops, rng);
  ScratchDir dir("python-matrix-its-way");
  bitcask::Bitcask db(dir.path());
  std::size_t bad = 0;
  auto check = [&](const std::optional<bitcask::Json>& v) {
    if (!v || !v->is_string() || v->get_ref<const std::string&>().size() != value_size) ++bad;
  };
  // Every operation timed on its own, as the original does.
  Latencies write = measure(
      ops, [&](std::size_t i) { db.put(keys[i], values[i]); }, 1);
  Latencies read = measure(
      ops, [&](std::size_t i) { check(db.get(keys[i])); }, 1);
  Latencies random_read = measure(
      ops, [&](std::size_t i) { check(db.get(keys[random_order[i]])); }, 1);
  Latencies remove = measure(
      ops, [&](std::size_t i) { bad += !db.remove(keys[i]); }, 1);
  // Its "batch write": 100 ordinary puts timed together, divided by 100.
  Latencies batch;
  batch.ops = ops;
  for (std::size_t first = 0; first < ops; first += kBatch) {
    const std::size_t count = std::min(kBatch, ops - first);
    const auto t0 = Clock::now();
    for (std::size_t i = first; i < first + count; ++i) db.put(keys[i], values[i]);
    const double s = seconds_between(t0, Clock::now());
    batch.total_s += s;
    batch.us.push_back(s * 1e6 / static_cast<double>(count));
  }
  db.close();
  if (bad) {
    throw std::runtime_error("python-matrix its way (" + std::to_string(n) + ", " +
                             std::to_string(value_size) + "): " + std::to_string(bad) +
                             " reads or deletes did not find what was written");
  }
  auto add = [&](const char* op, Latencies& l) {
    rows->push_back(make_row(kSuite, kItsWay, op, n, value_size, "none", l));
  };
  add("write", write);
  add("read", read);
  add("random_read", random_read);
  add("batch_write", batch);
  add("delete", remove);
}

void run_config(std::size_t n, std::size_t value_size, std::vector<Row>* rows) {
  const auto t_start = Clock::now();
  std::mt19937_64 rng(1000003 * n + value_size);
  std::unordered_set<std::string> seen;
  const std::vector<std::string> keys = distinct_keys(rng, n, &seen);
  const std::vector<std::string> batch_keys = distinct_keys(rng, n, &seen);
  std::vector<bitcask::Json> values;
  values.reserve(n);
  for (std::size_t i = 0; i < n; ++i) values.emplace_back(random_alnum(rng, value_size));
  const std::vector<std::uint32_t> random_order = permutation(n, rng);

  warm_up(keys, values);
  run_its_way(n, value_size, keys, values, rng, rows);

  ScratchDir dir("python-matrix");
  bitcask::Bitcask db(dir.path());
  std::size_t bad = 0;
  auto check = [&](const std::optional<bitcask::Json>& v) {
    if (!v || !v->is_string() || v->get_ref<const std::string&>().size() != value_size) ++bad;
  };

  Latencies write = measure(n, [&](std::size_t i) { db.put(keys[i], values[i]); });
  Latencies read = measure(n, [&](std::size_t i) { check(db.get(keys[i])); });
  Latencies random_read = measure(n, [&](std::size_t i) { check(db.get(keys[random_order[i]])); });

  // Batches of 100: the JSON object is built before the clock starts (it is
  // the caller's data, like the dict handed to the Python original); each
  // sample is a batch's time divided by its size.
  Latencies batch;
  batch.ops = n;
  for (std::size_t first = 0; first < n; first += kBatch) {
    const std::size_t count = std::min(kBatch, n - first);
    const bitcask::Json obj = batch_object(batch_keys, values, first, count);
    const auto t0 = Clock::now();
    db.batch_write(obj);
    const double s = seconds_between(t0, Clock::now());
    batch.total_s += s;
    batch.us.push_back(s * 1e6 / static_cast<double>(count));
  }
  // Spot-check that the batches landed.
  for (std::size_t i = 0; i < n; i += std::max<std::size_t>(1, n / 100))
    check(db.get(batch_keys[i]));

  Latencies remove = measure(n, [&](std::size_t i) {
    if (!db.remove(keys[i])) ++bad;
  });
  if (db.get(keys[n / 2])) ++bad;
  db.close();
  if (bad) {
    throw std::runtime_error("python-matrix (" + std::to_string(n) + ", " +
                             std::to_string(value_size) + "): " + std::to_string(bad) +
                             " reads or deletes did not find what was written");
  }

  auto add = [&](const char* op, Latencies& l) {
    rows->push_back(make_row(kSuite, "bitcask", op, n, value_size, "none", l));
  };
  add("write", write);
  add("read", read);
  add("random_read", random_read);
  add("batch_write", batch);
  add("delete", remove);
  const Row& w = (*rows)[rows->size() - 5];
  progress(
      "python-matrix (%zu, %zu): write %s, read %s, random_read %s, batch_write %s, "
      "delete %s µs (%.1f s)",
      n, value_size, fmt_us(w.mean_us).c_str(), fmt_us(rows->end()[-4].mean_us).c_str(),
      fmt_us(rows->end()[-3].mean_us).c_str(), fmt_us(rows->end()[-2].mean_us).c_str(),
      fmt_us(rows->end()[-1].mean_us).c_str(), seconds_between(t_start, Clock::now()));
}

// Ascending (the original's results come keyed by text, "size_100000_..."
// before "size_1000_...").
std::vector<std::uint64_t> entries_axis(const std::vector<Row>& rows) {
  std::vector<std::uint64_t> out;
  for (const Row& r : rows)
    if (r.suite == kSuite && r.engine == "bitcask" &&
        std::find(out.begin(), out.end(), r.entries) == out.end())
      out.push_back(r.entries);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::uint64_t> value_axis(const std::vector<Row>& rows) {
  std::vector<std::uint64_t> out;
  for (const Row& r : rows)
    if (r.suite == kSuite && r.engine == "bitcask" &&
        std::find(out.begin(), out.end(), r.value_size) == out.end())
      out.push_back(r.value_size);
  std::sort(out.begin(), out.end());
  return out;
}

// Prints one table in the layout of the original's README, a cell per
// (configuration, op) from `cell`.
template <typename Cell>
void print_table(const std::vector<Row>& rows, Cell&& cell, const char* engine = "bitcask") {
  std::printf("| %-17s |", "");
  for (const char* op : kOps) std::printf(" %18s |", (std::string(op) + "_time").c_str());
  std::printf("\n|:%s|", std::string(18, '-').c_str());
  for (std::size_t i = 0; i < std::size(kOps); ++i)
    std::printf("%s:|", std::string(19, '-').c_str());
  std::printf("\n");
  for (std::uint64_t n : entries_axis(rows)) {
    for (std::uint64_t v : value_axis(rows)) {
      char label[48];
      std::snprintf(label, sizeof label, "(%llu, %llu)", static_cast<unsigned long long>(n),
                    static_cast<unsigned long long>(v));
      std::printf("| %-17s |", label);
      for (const char* op : kOps) {
        const Row* r = find_row(rows, kSuite, engine, op, n, v);
        std::printf(" %18s |", r ? cell(*r).c_str() : "");
      }
      std::printf("\n");
    }
  }
  std::printf("\n");
}

}  // namespace

std::vector<Row> run_python_matrix(const SuiteOptions& options) {
  std::vector<Row> rows;
  // First, so the two programs never run at the same time.
  if (!options.python_original.empty()) rows = run_python_original(options.python_original);
  const std::vector<std::size_t> entries = options.quick
                                               ? std::vector<std::size_t>{1000, 10000}
                                               : std::vector<std::size_t>{1000, 10000, 100000};
  for (std::size_t n : entries)
    for (std::size_t v : {100, 1000, 10000}) run_config(n, v, &rows);
  return rows;
}

namespace {

std::string speed_up(double python_us, double ours_us) {
  if (python_us <= 0 || ours_us <= 0) return "n/a";
  char buf[32];
  const double x = python_us / ours_us;
  std::snprintf(buf, sizeof buf, x < 10 ? "**%.1f×**" : "%.0f×", x);
  return buf;
}

// One row per (configuration, operation): the original measured its way
// beside ours measured its way and every entry.
void print_side_by_side(const std::vector<Row>& rows, bool measured) {
  std::printf(
      "| (entries, value) | op | Python original µs (its way) | bitcask µs (its way) | speed-up "
      "(its way) | bitcask µs (every entry) | speed-up (every entry) |\n"
      "|:---|:---|---:|---:|---:|---:|---:|\n");
  for (std::uint64_t n : entries_axis(rows)) {
    for (std::uint64_t v : value_axis(rows)) {
      for (const char* op : kOps) {
        const Row* ours = find_row(rows, kSuite, "bitcask", op, n, v);
        const Row* its = find_row(rows, kSuite, kItsWay, op, n, v);
        if (!ours) continue;
        const double py = python_reference(rows, op, n, v);
        std::printf("| (%llu, %llu) | %s | %s | %s | %s | %s | %s |\n",
                    static_cast<unsigned long long>(n), static_cast<unsigned long long>(v), op,
                    py > 0 ? fmt_us(py).c_str() : "n/a", its ? fmt_us(its->mean_us).c_str() : "",
                    its ? speed_up(py, its->mean_us).c_str() : "", fmt_us(ours->mean_us).c_str(),
                    speed_up(py, ours->mean_us).c_str());
      }
    }
  }
  std::printf("\n%s\n\n", measured
                              ? "Python original: its own benchmarks/benchmark.py, run in this run "
                                "(--python-original)."
                              : "Python original: the figures in FACTS.md (measured earlier; "
                                "--python-original DIR runs it beside ours).");
}

}  // namespace

void print_python_matrix_markdown(const std::vector<Row>& rows) {
  const bool measured =
      std::any_of(rows.begin(), rows.end(), [](const Row& r) { return r.engine == kPythonEngine; });
  std::printf("## The Python original's matrix (JSON API)\n\n");
  std::printf(
      "Every entry written, read in order, read in random order, written again in batches of "
      "100 (`Bitcask::batch_write`) and deleted, through `bitcask::Bitcask` with JSON string "
      "values; each configuration in a fresh directory after a warm-up. Rows are (entries, value "
      "bytes).\n\n");
  std::printf("Mean µs per operation (the original README's table):\n\n");
  print_table(rows, [](const Row& r) { return fmt_us(r.mean_us); });
  std::printf("p50 / p99 µs per operation (batch_write: a batch's time / 100):\n\n");
  print_table(rows, [](const Row& r) { return fmt_us(r.p50_us) + " / " + fmt_us(r.p99_us); });
  std::printf(
      "Side by side with the Python original. *Its way*: as its benchmark does, only the first "
      "min(1,000, entries) entries, each operation timed on its own, \"batch write\" as 100 "
      "single puts timed together. *Every entry*: the tables above. **Bold**: under 10×.\n\n");
  print_side_by_side(rows, measured);
}

}  // namespace bench
