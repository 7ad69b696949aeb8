#include "report.h"

#include <cstdarg>
#include <cstdio>

namespace bench {

Row make_row(std::string suite, std::string engine, std::string op, std::uint64_t entries,
             std::uint64_t value_size, std::string sync, Latencies& l) {
  Row r;
  r.suite = std::move(suite);
  r.engine = std::move(engine);
  r.op = std::move(op);
  r.entries = entries;
  r.value_size = value_size;
  r.threads = 1;
  r.sync = std::move(sync);
  r.ops = l.ops;
  r.mean_us = l.mean();
  r.p50_us = l.percentile(50);
  r.p99_us = l.percentile(99);
  r.ops_per_sec = l.ops_per_sec();
  return r;
}

nlohmann::json to_json(const std::vector<Row>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const Row& r : rows) {
    nlohmann::json j = nlohmann::json::object();
    j["suite"] = r.suite;
    j["engine"] = r.engine;
    j["op"] = r.op;
    j["entries"] = r.entries;
    j["value_size"] = r.value_size;
    j["threads"] = r.threads;
    j["sync"] = r.sync;
    j["ops"] = r.ops;
    j["mean_us"] = r.mean_us;
    j["p50_us"] = r.p50_us;
    j["p99_us"] = r.p99_us;
    j["ops_per_sec"] = r.ops_per_sec;
    out.push_back(std::move(j));
  }
  return out;
}

const Row* find_row(const std::vector<Row>& rows, const std::string& suite,
                    const std::string& engine, const std::string& op, std::uint64_t entries,
                    std::uint64_t value_size, int threads, const std::string& sync) {
  for (const Row& r : rows) {
    if (r.suite == suite && r.engine == engine && r.op == op && r.entries == entries &&
        r.value_size == value_size && r.threads == threads && r.sync == sync)
      return &r;
  }
  return nullptr;
}

std::string fmt_us(double us) {
  char buf[32];
  std::snprintf(buf, sizeof buf, us < 1 ? "%.3f" : "%.2f", us);
  return buf;
}

std::string fmt_count(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

void progress(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::vfprintf(stderr, fmt, ap);
  va_end(ap);
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

double clock_read_ns() {
  constexpr int kN = 1'000'000;
  auto t = Clock::now();
  const auto start = t;
  for (int i = 0; i < kN; ++i) t = Clock::now();
  return std::chrono::duration<double, std::nano>(t - start).count() / kN;
}

// FACTS.md (shared/reference/FACTS.md), "Its benchmark, run on this kind of
// machine (mean µs per operation, JSON string values)": the Python original's
// own benchmark on a 2-core VM like ours. Columns: write, read, random read,
// delete, batch write.
const std::vector<PythonFigure>& python_figures() {
  static const std::vector<PythonFigure> figures = {
      {1000, 100, 6.49, 20.48, 20.31, 4.27, 6.13},
      {1000, 1000, 9.85, 18.51, 19.16, 3.80, 9.77},
      {1000, 10000, 44.02, 33.63, 34.68, 4.24, 44.32},
      {10000, 100, 6.13, 18.29, 18.63, 4.25, 5.66},
      {10000, 1000, 9.73, 20.12, 21.32, 4.14, 9.66},
      {10000, 10000, 56.71, 21.04, 21.44, 2.89, 54.00},
      {100000, 100, 4.05, 12.36, 12.07, 2.76, 3.76},
      {100000, 1000, 7.30, 14.16, 13.74, 2.86, 6.47},
      {100000, 10000, 45.87, 35.59, 35.86, 4.22, 57.96},
  };
  return figures;
}

double python_figure(const std::string& op, std::uint64_t entries, std::uint64_t value_size) {
  for (const PythonFigure& f : python_figures()) {
    if (f.entries != entries || f.value_size != value_size) continue;
    if (op == "write") return f.write;
    if (op == "read") return f.read;
    if (op == "random_read") return f.random_read;
    if (op == "delete") return f.remove;
    if (op == "batch_write") return f.batch_write;
  }
  return 0;
}

double python_reference(const std::vector<Row>& rows, const std::string& op, std::uint64_t entries,
                        std::uint64_t value_size) {
  if (const Row* r = find_row(rows, "python-matrix", "pybitcask", op, entries, value_size))
    return r->mean_us;
  return python_figure(op, entries, value_size);
}

// FACTS.md, "Floors on this machine": memcpy from an mmap'd file, random offset.
double memcpy_floor_us(std::uint64_t value_size) {
  switch (value_size) {
    case 100:
      return 0.025;
    case 1000:
      return 0.20;
    case 10000:
      return 1.25;
    default:
      return 0;
  }
}

}  // namespace bench
