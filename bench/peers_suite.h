// The peers suite (peers_suite.cpp) with hooks (bench/lane.h), for callers
// that follow or stop it; report.h declares the plain run_peers().
#pragma once

#include <cstdint>
#include <vector>

#include "lane.h"
#include "report.h"

namespace bench {

// The operations run_peers() performs for `options`: the total of its
// progress hook.
std::uint64_t peers_operations(const SuiteOptions& options);

// run_peers() reporting progress over peers_operations(options) and stopping
// when hooks.stop is requested: then it returns the rows measured so far (the
// operation under way is dropped) and removes its scratch directories.
std::vector<Row> run_peers(const SuiteOptions& options, bool* failed, const Hooks& hooks);

}  // namespace bench
