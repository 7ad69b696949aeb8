// Timing and data helpers shared by the benchmark suites.
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

inline double seconds_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

// Latencies of one measured run of `ops` operations.
//
// The mean is the wall time of the whole run divided by the operations; the
// percentiles come from the operations that were timed one by one (every
// operation of short runs, every 16th of long ones, so that reading the clock
// -- about 30 ns on these VMs -- does not inflate the mean of sub-microsecond
// operations). A timed operation's sample includes about one clock read.
struct Latencies {
  std::vector<double> us;  // sampled per-operation latencies, µs
  std::size_t ops = 0;     // operations in the run
  double total_s = 0;      // wall time of the run

  double mean() const { return ops ? total_s * 1e6 / static_cast<double>(ops) : 0; }
  // Nearest-rank percentile of the samples (sorts them).
  double percentile(double p) {
    if (us.empty()) return 0;
    if (!sorted_) {
      std::sort(us.begin(), us.end());
      sorted_ = true;
    }
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(us.size() - 1) + 0.5);
    return us[std::min(i, us.size() - 1)];
  }
  double ops_per_sec() const { return total_s > 0 ? static_cast<double>(ops) / total_s : 0; }

 private:
  bool sorted_ = false;
};

// Runs shorter than this are timed operation by operation.
inline constexpr std::size_t kSampleEveryOpBelow = 32'000;
inline constexpr std::size_t kSampleStride = 16;

inline std::size_t sample_stride(std::size_t n) {
  return n < kSampleEveryOpBelow ? 1 : kSampleStride;
}

// Runs fn(i) for i in [0, n) and times it (see Latencies).
template <typename Fn>
Latencies measure(std::size_t n, Fn&& fn, std::size_t stride = 0) {
  if (stride == 0) stride = sample_stride(n);
  Latencies l;
  l.ops = n;
  l.us.reserve(n / stride + 1);
  const auto start = Clock::now();
  if (stride == 1) {
    // Chained: one clock read per operation.
    auto prev = start;
    for (std::size_t i = 0; i < n; ++i) {
      fn(i);
      const auto now = Clock::now();
      l.us.push_back(std::chrono::duration<double, std::micro>(now - prev).count());
      prev = now;
    }
  } else {
    std::size_t countdown = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (countdown == 0) {
        countdown = stride;
        const auto t0 = Clock::now();
        fn(i);
        l.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
      } else {
        fn(i);
      }
      --countdown;
    }
  }
  l.total_s = seconds_between(start, Clock::now());
  return l;
}

// Where scratch directories go: $BITCASK_BENCH_DIR, or the temp directory.
std::filesystem::path scratch_root();

// A fresh scratch directory path (not created), removed with everything in it
// when the object goes.
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& tag);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Fills out[0, n) with characters drawn uniformly from [a-zA-Z0-9], like
// Python's random.choices(string.ascii_letters + string.digits, k=n).
inline void fill_alnum(std::mt19937_64& rng, char* out, std::size_t n) {
  static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::size_t i = 0;
  while (i < n) {
    std::uint64_t r = rng();
    for (int k = 0; k < 10 && i < n; ++k, r >>= 6) {
      const unsigned v = static_cast<unsigned>(r & 63);
      if (v < 62) out[i++] = kChars[v];  // rejection keeps the 62 symbols equally likely
    }
  }
}

inline std::string random_alnum(std::mt19937_64& rng, std::size_t n) {
  std::string s(n, ' ');
  fill_alnum(rng, s.data(), n);
  return s;
}

// A random permutation of [0, n).
inline std::vector<std::uint32_t> permutation(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::uint32_t> p(n);
  for (std::size_t i = 0; i < n; ++i) p[i] = static_cast<std::uint32_t>(i);
  std::shuffle(p.begin(), p.end(), rng);
  return p;
}

}  // namespace bench
