// Timing and data helpers shared by the benchmark suites.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
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

// Keys, values and orders of one (entries, value size), shared by every
// engine so that they all do the same work (bitcask-bench's peers suite and
// the browser's benchmark panel). Keys are 16 decimal digits, so bytewise
// order is numeric order: keys 0..n-1 are the even numbers 0..2n-2, keys
// n..2n-1 (for batch writes) the even numbers after them, and the absent
// keys the odd numbers between the present ones.
class Workload {
 public:
  static constexpr std::size_t kKeySize = 16;
  static constexpr std::size_t kPoolSize = 4u << 20;

  Workload(std::size_t n, std::size_t value_size) : n_(n), value_size_(value_size) {
    std::mt19937_64 rng(77 * n + value_size);
    keys_.resize(2 * n * kKeySize + 1);
    missing_.resize(n * kKeySize + 1);
    for (std::size_t i = 0; i < 2 * n; ++i) {
      std::snprintf(&keys_[i * kKeySize], kKeySize + 1, "%016llu",
                    static_cast<unsigned long long>(2 * i));
    }
    for (std::size_t i = 0; i < n; ++i) {
      std::snprintf(&missing_[i * kKeySize], kKeySize + 1, "%016llu",
                    static_cast<unsigned long long>(2 * i + 1));
    }
    pool_.resize(kPoolSize + value_size);
    fill_alnum(rng, pool_.data(), pool_.size());
    fill_order = permutation(n, rng);
    overwrite_order = permutation(n, rng);
    read_order = permutation(n, rng);
    delete_order = permutation(n, rng);
  }

  std::size_t size() const { return n_; }
  std::size_t value_size() const { return value_size_; }
  // i in [0, 2n): [n, 2n) are the batch writes' keys.
  std::string_view key(std::size_t i) const { return {&keys_[i * kKeySize], kKeySize}; }
  std::string_view missing_key(std::size_t i) const { return {&missing_[i * kKeySize], kKeySize}; }
  // The value of key i in write round `round` (0: fill, 1: overwrite): a
  // window of random text at an offset depending on both.
  std::string_view value(std::size_t i, std::size_t round) const {
    const std::uint64_t h = (i * 0x9E3779B97F4A7C15ull) ^ (round * 0xC2B2AE3D27D4EB4Full);
    return {pool_.data() + (h >> 20) % kPoolSize, value_size_};
  }

  std::vector<std::uint32_t> fill_order, overwrite_order, read_order, delete_order;

 private:
  std::size_t n_, value_size_;
  std::string keys_, missing_, pool_;
};

}  // namespace bench
