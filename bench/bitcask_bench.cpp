// bitcask-bench: the engine's benchmarks.
//
//   bitcask-bench engine [--quick] [--format markdown|json]
#include <bitcask/version.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>

namespace bench {
int run_engine_suite(bool quick, bool json_out);
}

int main(int argc, char** argv) {
  CLI::App app{"Benchmarks of the Bitcask engine"};
  app.set_version_flag("--version", std::string("bitcask-bench ") + bitcask::kVersion);
  bool quick = false;
  std::string format = "markdown";
  std::string suite = "engine";
  app.add_option("suite", suite, "Suite to run")->check(CLI::IsMember({"engine"}));
  app.add_flag("--quick", quick, "Smaller sizes, for CI");
  app.add_option("--format", format, "Output format")->check(CLI::IsMember({"markdown", "json"}));
  CLI11_PARSE(app, argc, argv);
  const auto start = std::chrono::steady_clock::now();
  int rc = bench::run_engine_suite(quick, format == "json");
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "bitcask-bench: %s suite finished in %.1f s\n", suite.c_str(), s);
  return rc;
}
