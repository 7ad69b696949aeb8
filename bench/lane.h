// The measured operations of the benchmarks: one implementation, run by
// bitcask-bench's peers suite and by the browser's benchmark panel, so that
// both measure the same thing the same way.
//
// A Lane is one engine on one (entries, value size, sync) configuration: a
// fresh database in a scratch directory, filled from a Workload (bench_util.h)
// -- or, for the browser, an engine that is already open and only read. Its
// run() performs one operation (Op) over all of the workload's keys, or over
// a slice [first, last) of them (the peers suite's sync runs take turns
// between engines slice by slice), and returns the latencies.
//
// The operations run in batches of kBatchOps; between two batches the lane
// looks at the run's stop token and reports progress (and, every
// Hooks::slice_seconds, a throughput slice) through the RunContext the lanes
// of one run share. A stop request ends the operation under way by throwing
// Cancelled: it is dropped, never reported as complete. The look costs one
// atomic load per batch, noise next to 256 operations.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "bench_util.h"
#include "engines/engine.h"

namespace bench {

// In the order a lane performs them.
enum class Op {
  kFillSeq,      // puts in ascending key order, into a database of its own
  kFillRandom,   // puts in random order (the lane's database)
  kOverwrite,    // new values for every key, in another random order
  kRead,         // every key, in the order it was written
  kReadRandom,   // every key once in random order, from 1..n threads
  kReadMissing,  // absent keys, interleaved with the present ones
  kReadSeq,      // every pair in key order (a scan)
  kBatchWrite,   // new keys in atomic batches (KvEngine::put_batch)
  kDelete,       // every key, in random order
};

// "fill_seq", "fill_random", … as the suites print them.
const char* op_name(Op op);
std::optional<Op> op_from_name(std::string_view name);
bool op_writes(Op op);

struct Step {
  Op op = Op::kFillRandom;
  int threads = 1;          // read_random's threads
  bool load = false;        // fill_random only: write the keys, unmeasured
  std::size_t batch = 100;  // batch_write's pairs a batch
};

// `ops` operations of the step under way done in (t - seconds, t], t counted
// from the lane's start.
struct Slice {
  double t = 0;
  double seconds = 0;
  std::uint64_t ops = 0;
};

// What a run tells its caller. Every member may be left empty.
struct Hooks {
  // Once requested, the operation under way throws Cancelled within a batch.
  std::stop_token stop;
  // Operations done so far of the run's total; `done` never decreases and
  // reaches `total` when the run completes. From the thread that runs the
  // lanes, after every batch (and every 2 ms of a multi-threaded read).
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  // Throughput of the step under way, every slice_seconds and at its end.
  std::function<void(const Slice&)> slice;
  double slice_seconds = 0.05;
};

// Thrown by a lane when the run's stop token is requested. Not a
// std::exception, so that the handlers that report a lane's failure and go on
// with the next do not take a stop for one.
struct Cancelled {};

// A lane found a wrong result (a key missing, a deleted key still there, …).
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The state the lanes of one run share: the hooks and the progress count.
class RunContext {
 public:
  // `total`: the operations the run plans (the sum of its steps').
  RunContext(Hooks hooks, std::uint64_t total);

  bool stop_requested() const { return hooks_.stop.stop_requested(); }
  // Throws Cancelled when a stop was requested.
  void check() const {
    if (stop_requested()) throw Cancelled{};
  }
  void advance(std::uint64_t ops);
  // Counts up to `done` (what is left of a failed or skipped lane), so that
  // the count still reaches the total.
  void skip_to(std::uint64_t done);
  // Reports the total as done.
  void finish() { skip_to(total_); }
  std::uint64_t done() const { return done_; }
  std::uint64_t total() const { return total_; }
  const Hooks& hooks() const { return hooks_; }

 private:
  void report() const;

  Hooks hooks_;
  std::uint64_t total_;
  std::uint64_t done_ = 0;
};

// One completed step.
struct Measurement {
  Step step;
  Latencies latencies;
  double wall_s = 0;  // the step's wall time (all threads; for its ops/s)
};

class Lane {
 public:
  // A fresh database of `engine` in dir/db (fill_seq's in dir/seq), on the
  // keys and values of `w` (which must outlive the lane).
  Lane(RunContext& run, const std::string& engine, const Workload& w,
       const std::filesystem::path& dir, bool sync);
  // An engine that is open already and is only read: its first `entries`
  // keys in key order (collected here). Read operations only.
  Lane(RunContext& run, KvEngine& engine, std::size_t entries);
  ~Lane();
  Lane(const Lane&) = delete;
  Lane& operator=(const Lane&) = delete;

  // Keys the lane's operations cover.
  std::size_t size() const { return n_; }

  // The whole of `step`.
  Measurement run(const Step& step);
  // Operations [first, last) of `step` (read_random and read_seq: the whole
  // range only). `wall_s`, when given, receives the wall time.
  Latencies run(const Step& step, std::size_t first, std::size_t last, double* wall_s = nullptr);

  // Checks that every `every`-th key reads back the overwrite's value (run()
  // checks every n/1000-th after a complete overwrite). Throws Failure.
  void verify_overwritten(std::size_t every);
  // Closes the databases (their errors are thrown; the destructor ignores them).
  void close();

 private:
  std::string_view key(std::size_t i) const { return w_ ? w_->key(i) : std::string_view(keys_[i]); }
  template <typename Fn>
  Latencies timed(std::size_t first, std::size_t last, Fn&& fn);
  template <typename Fn>
  void untimed(std::size_t first, std::size_t last, Fn&& fn);
  Latencies read_random(int threads, double* wall_s);
  Latencies read_seq();
  Latencies batch_write(std::size_t first, std::size_t last, std::size_t batch);
  void close_seq();
  void verify_deleted(std::size_t every);

  RunContext& run_;
  const Workload* w_ = nullptr;  // null: an open engine, read only
  std::string engine_name_;
  std::filesystem::path dir_;
  bool sync_ = false;
  std::unique_ptr<KvEngine> owned_, seq_;
  bool opened_ = false;  // owned_ (opened by the first operation after fill_seq)
  KvEngine* e_ = nullptr;
  std::size_t n_ = 0;
  std::size_t value_size_ = 0;  // 0: any (an open engine's values)
  // An open engine's keys, their order and a random order.
  std::vector<std::string> keys_;
  std::vector<std::uint32_t> in_order_, random_order_;
  Clock::time_point start_;
};

// Writes, reads and deletes a few thousand keys in a scratch database in
// `dir` (removed afterwards), so that the first measured lane of `engine`
// does not pay for loading its code.
void warm_up(const std::string& engine, const Workload& w, const std::filesystem::path& dir);

}  // namespace bench
