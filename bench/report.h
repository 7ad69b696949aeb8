// Result rows of the python-matrix and peers suites, and their output.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench_util.h"

namespace bench {

// One measured (suite, engine, operation, configuration); the fields of the
// JSON output, in its order.
struct Row {
  std::string suite;   // "python-matrix" or "peers"
  std::string engine;  // "bitcask", "leveldb", "rocksdb", "lmdb", "sqlite"
  std::string op;
  std::uint64_t entries = 0;     // keys in the database
  std::uint64_t value_size = 0;  // bytes
  int threads = 1;
  std::string sync = "none";  // "none" or "always"
  std::uint64_t ops = 0;      // operations measured
  double mean_us = 0;         // per operation
  double p50_us = 0;
  double p99_us = 0;
  double ops_per_sec = 0;  // all threads together
};

// A row from a single-threaded run.
Row make_row(std::string suite, std::string engine, std::string op, std::uint64_t entries,
             std::uint64_t value_size, std::string sync, Latencies& l);

nlohmann::json to_json(const std::vector<Row>& rows);

const Row* find_row(const std::vector<Row>& rows, const std::string& suite,
                    const std::string& engine, const std::string& op, std::uint64_t entries,
                    std::uint64_t value_size, int threads = 1, const std::string& sync = "none");

// µs with 2 decimals (3 below 1 µs).
std::string fmt_us(double us);
// 1234567 -> "1,234,567".
std::string fmt_count(std::uint64_t n);

// Progress lines on stderr (the results go to stdout).
void progress(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

// Measured mean of Clock::now() (for the output's notes).
double clock_read_ns();

// Mean µs per operation of the Python original's benchmark, embedded from
// shared/reference/FACTS.md ("Its benchmark, run on this kind of machine").
struct PythonFigure {
  std::uint64_t entries;
  std::uint64_t value_size;
  double write, read, random_read, remove, batch_write;
};
const std::vector<PythonFigure>& python_figures();
// The figure for (op, entries, value_size); 0 when there is none.
double python_figure(const std::string& op, std::uint64_t entries, std::uint64_t value_size);

// The Python original's mean µs for (op, entries, value_size): measured in
// this run (rows of engine "pybitcask", from --python-original) when there
// are, else python_figure().
double python_reference(const std::vector<Row>& rows, const std::string& op, std::uint64_t entries,
                        std::uint64_t value_size);

// The floors measured on this machine (FACTS.md, "Floors"): memcpy of a value
// from an mmap'd file at a random offset, µs; 0 for other sizes.
double memcpy_floor_us(std::uint64_t value_size);

struct SuiteOptions {
  bool quick = false;
  std::vector<std::string> engines;  // for the peers suite
  bool sync_none = true;             // peers: the runs without sync
  bool sync_always = true;           // peers: the runs with sync on every write
  // python-matrix: a checkout of the Python original whose own benchmark
  // runs first (python_original.h); empty: FACTS.md's figures stand in.
  std::string python_original;
};

std::vector<Row> run_python_matrix(const SuiteOptions& options);
void print_python_matrix_markdown(const std::vector<Row>& rows);

std::vector<Row> run_peers(const SuiteOptions& options, bool* failed);
void print_peers_markdown(const std::vector<Row>& rows, const SuiteOptions& options);

// The project's performance targets, checked against the rows present.
void print_targets_markdown(const std::vector<Row>& rows);

}  // namespace bench
