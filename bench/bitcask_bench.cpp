// bitcask-bench: the engine's benchmarks.
//
//   bitcask-bench [python-matrix|peers|engine] [--engines LIST] [--quick]
//                 [--format markdown|json] [--sync none|always|both]
//                 [--only keydir,latency,group_commit,open,merge,seek,pages]
//                 [--python-original DIR]
//
// Without a suite: python-matrix, then peers. --engines (comma-separated, of
// bitcask, leveldb, rocksdb, lmdb, sqlite; default all) chooses the engines of
// the peers suite, --sync (default both) its durability levels. --quick uses
// small entry counts (for CI; under a minute). --only runs some sections of
// the engine suite. --python-original DIR runs the Python original's own
// benchmark from that checkout before the python-matrix suite and prints its
// figures beside ours (without it, FACTS.md's figures stand in).
// --format json prints one JSON array of result rows (bench/report.h) for
// python-matrix and peers; the engine suite prints its own JSON object.
// Scratch directories go under $BITCASK_BENCH_DIR (or the temp directory) and
// are removed afterwards. Progress and the run's duration go to stderr.
#include <bitcask/version.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "engines/engine.h"
#include "report.h"

namespace bench {
int run_engine_suite(bool quick, bool json_out, const std::vector<std::string>& only);
}

namespace {

std::vector<std::string> split_engines(const std::string& list) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    std::string name = list.substr(start, comma - start);
    if (!name.empty()) {
      const auto& known = bench::engine_names();
      if (std::find(known.begin(), known.end(), name) == known.end())
        throw CLI::ValidationError("--engines", "unknown engine '" + name + "'");
      if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
    }
    start = comma + 1;
  }
  if (out.empty()) throw CLI::ValidationError("--engines", "no engine given");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Benchmarks of the Bitcask engine"};
  app.set_version_flag("--version", std::string("bitcask-bench ") + bitcask::kVersion);
  bool quick = false;
  std::string format = "markdown";
  std::string suite;
  std::string engines = "bitcask,leveldb,rocksdb,lmdb,sqlite";
  app.add_option("suite", suite, "Suite to run (default: python-matrix and peers)")
      ->check(CLI::IsMember({"python-matrix", "peers", "engine"}));
  app.add_option("--engines", engines, "Engines of the peers suite, comma-separated")
      ->capture_default_str();
  std::string sync = "both";
  app.add_option("--sync", sync, "Durability levels of the peers suite")
      ->check(CLI::IsMember({"none", "always", "both"}))
      ->capture_default_str();
  app.add_flag("--quick", quick, "Small entry counts, for CI");
  std::string python_original;
  app.add_option("--python-original", python_original,
                 "python-matrix: a checkout of the Python original (agaonker/pybitcask at "
                 "39e8b5b) whose own benchmark runs first, for figures measured beside ours");
  std::vector<std::string> only;
  app.add_option("--only", only, "Sections of the engine suite to run (default all)")
      ->delimiter(',')
      ->check(
          CLI::IsMember({"keydir", "latency", "group_commit", "open", "merge", "seek", "pages"}));
  app.add_option("--format", format, "Output format")
      ->check(CLI::IsMember({"markdown", "json"}))
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  bench::SuiteOptions options;
  options.quick = quick;
  options.python_original = python_original;
  options.sync_none = sync != "always";
  options.sync_always = sync != "none";
  try {
    options.engines = split_engines(engines);
  } catch (const CLI::Error& e) {
    return app.exit(e);
  }
  const bool json = format == "json";
  const auto start = std::chrono::steady_clock::now();
  const std::string label = suite.empty() ? "python-matrix and peers" : suite;
  int rc = 0;
  try {
    if (suite == "engine") {
      rc = bench::run_engine_suite(quick, json, only);
    } else {
      const bool matrix = suite.empty() || suite == "python-matrix";
      const bool peers = suite.empty() || suite == "peers";
      std::vector<bench::Row> rows;
      bool failed = false;
      if (matrix) rows = bench::run_python_matrix(options);
      std::vector<bench::Row> peer_rows;
      if (peers) peer_rows = bench::run_peers(options, &failed);
      rows.insert(rows.end(), peer_rows.begin(), peer_rows.end());
      if (json) {
        std::cout << bench::to_json(rows).dump(1) << "\n";
      } else {
        const std::time_t now = std::time(nullptr);
        char date[64];
        std::strftime(date, sizeof date, "%Y-%m-%d %H:%M %Z", std::localtime(&now));
        std::printf("# bitcask-bench %s%s (bitcask %s, %s)\n\n", label.c_str(),
                    quick ? " --quick" : "", bitcask::kVersion, date);
        if (matrix) bench::print_python_matrix_markdown(rows);
        if (peers) bench::print_peers_markdown(rows, options);
        bench::print_targets_markdown(rows);
      }
      std::fflush(stdout);
      if (failed) rc = 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bitcask-bench: %s\n", e.what());
    rc = 1;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "bitcask-bench: %s finished in %.1f s\n", label.c_str(), s);
  return rc;
}
