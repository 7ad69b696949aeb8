// Running the Python original's own benchmark (agaonker/pybitcask,
// benchmarks/benchmark.py) from a source checkout, so the matrix compares
// against figures measured in the same run on the same machine.
#pragma once

#include <filesystem>
#include <vector>

#include "report.h"

namespace bench {

inline constexpr const char* kPythonEngine = "pybitcask";

// Runs `checkout`/benchmarks/benchmark.py with /usr/bin/python3 (the
// checkout's src/ on PYTHONPATH) in a scratch directory, and returns its
// figures as python-matrix rows of engine kPythonEngine: mean µs per
// operation over the min(1,000, entries) operations it times. Throws
// std::runtime_error saying what is wrong when the checkout is not one, or
// the benchmark fails or writes no results.
std::vector<Row> run_python_original(const std::filesystem::path& checkout);

}  // namespace bench
