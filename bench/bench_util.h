// Timing and reporting helpers shared by the benchmark suites.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

namespace bench {

using Clock = std::chrono::steady_clock;

// Per-operation latencies of one measured run.
struct Latencies {
  std::vector<double> us;
  double total_s = 0;

  double mean() const {
    double s = 0;
    for (double v : us) s += v;
    return us.empty() ? 0 : s / static_cast<double>(us.size());
  }
  double percentile(double p) {
    if (us.empty()) return 0;
    std::sort(us.begin(), us.end());
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(us.size() - 1));
    return us[i];
  }
  double ops_per_sec() const { return total_s > 0 ? static_cast<double>(us.size()) / total_s : 0; }
};

// Times fn(i) for i in [0, n), one sample per call.
template <typename Fn>
Latencies measure(std::size_t n, Fn&& fn) {
  Latencies l;
  l.us.reserve(n);
  const auto start = Clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    const auto t0 = Clock::now();
    fn(i);
    l.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
  }
  l.total_s = std::chrono::duration<double>(Clock::now() - start).count();
  return l;
}

// A fresh scratch directory, removed when the object goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag);
  ~ScratchDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string random_alnum(std::mt19937_64& rng, std::size_t n) {
  static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string s(n, ' ');
  for (auto& c : s) c = kChars[rng() % (sizeof kChars - 1)];
  return s;
}

}  // namespace bench
