#include "lane.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <thread>

namespace bench {

namespace {

// Operations between two looks at the stop token, progress and the slice
// clock: small enough to stop within milliseconds, large enough that the look
// is noise.
constexpr std::size_t kBatchOps = 256;
constexpr std::size_t kScanCheckEvery = 1024;
constexpr std::size_t kWarmUpOps = 2000;

struct OpInfo {
  Op op;
  const char* name;
};
constexpr OpInfo kOps[] = {
    {Op::kFillSeq, "fill_seq"},       {Op::kFillRandom, "fill_random"},
    {Op::kOverwrite, "overwrite"},    {Op::kRead, "read"},
    {Op::kReadRandom, "read_random"}, {Op::kReadMissing, "read_missing"},
    {Op::kReadSeq, "read_seq"},       {Op::kBatchWrite, "batch_write"},
    {Op::kDelete, "delete"},
};

void append(Latencies* total, const Latencies& part) {
  total->us.insert(total->us.end(), part.us.begin(), part.us.end());
  total->ops += part.ops;
  total->total_s += part.total_s;
}

// Throughput slices of one step: operations counted as they are done, a
// slice reported every Hooks::slice_seconds and at the end. Does nothing
// without a slice hook.
class SliceClock {
 public:
  SliceClock(const Hooks& hooks, Clock::time_point lane_start)
      : hooks_(hooks), lane_start_(lane_start), start_(Clock::now()) {}
  void add(std::uint64_t ops) {
    if (!hooks_.slice) return;
    ops_ += ops;
    const auto now = Clock::now();
    if (seconds_between(start_, now) >= hooks_.slice_seconds) flush(now);
  }
  // For threads: the total done so far.
  void set_total(std::uint64_t total) { add(total - reported_ - ops_); }
  // At `end` (threads: when the last one ended), or just after the last slice.
  void finish(Clock::time_point end = Clock::now()) {
    flush(std::max(end, start_ + std::chrono::microseconds(1)));
  }

 private:
  void flush(Clock::time_point now) {
    if (ops_ == 0 || !hooks_.slice) return;
    hooks_.slice(Slice{seconds_between(lane_start_, now), seconds_between(start_, now), ops_});
    reported_ += ops_;
    ops_ = 0;
    start_ = now;
  }

  const Hooks& hooks_;
  Clock::time_point lane_start_, start_;
  std::uint64_t ops_ = 0, reported_ = 0;
};

}  // namespace

const char* op_name(Op op) {
  for (const OpInfo& i : kOps) {
    if (i.op == op) return i.name;
  }
  return "";
}

std::optional<Op> op_from_name(std::string_view name) {
  for (const OpInfo& i : kOps) {
    if (name == i.name) return i.op;
  }
  return std::nullopt;
}

bool op_writes(Op op) {
  switch (op) {
    case Op::kRead:
    case Op::kReadRandom:
    case Op::kReadMissing:
    case Op::kReadSeq:
      return false;
    default:
      return true;
  }
}

// ==== RunContext =============================================================================

RunContext::RunContext(Hooks hooks, std::uint64_t total) : hooks_(std::move(hooks)), total_(total) {
  report();
}

void RunContext::advance(std::uint64_t ops) {
  done_ = std::min(done_ + ops, total_);
  report();
}

void RunContext::skip_to(std::uint64_t done) {
  done_ = std::min(std::max(done_, done), total_);
  report();
}

void RunContext::report() const {
  if (hooks_.progress) hooks_.progress(done_, total_);
}

// ==== Lane ===================================================================================

Lane::Lane(RunContext& run, const std::string& engine, const Workload& w,
           const std::filesystem::path& dir, bool sync)
    : run_(run),
      w_(&w),
      engine_name_(engine),
      dir_(dir),
      sync_(sync),
      owned_(make_engine(engine)),
      n_(w.size()),
      value_size_(w.value_size()),
      start_(Clock::now()) {
  // Opened by the first operation that is not fill_seq, so that fill_seq runs
  // with only its own database open (as it would alone).
  e_ = owned_.get();
}

Lane::Lane(RunContext& run, KvEngine& engine, std::size_t entries)
    : run_(run), engine_name_(engine.name()), e_(&engine) {
  e_->scan([&](std::string_view k, std::string_view) {
    keys_.emplace_back(k);
    return keys_.size() < entries;
  });
  n_ = keys_.size();
  in_order_.resize(n_);
  for (std::size_t i = 0; i < n_; ++i) in_order_[i] = static_cast<std::uint32_t>(i);
  std::mt19937_64 rng(n_);
  random_order_ = permutation(n_, rng);
  start_ = Clock::now();
}

Lane::~Lane() {
  try {
    close();
  } catch (const std::exception&) {
    // close() is what reports them; here the lane is being abandoned.
  }
}

void Lane::close() {
  close_seq();
  if (owned_) {
    std::unique_ptr<KvEngine> e = std::move(owned_);
    e_ = nullptr;
    if (opened_) e->close();
  }
}

void Lane::close_seq() {
  if (!seq_) return;
  std::unique_ptr<KvEngine> seq = std::move(seq_);
  seq->close();
  seq.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_ / "seq", ec);
}

template <typename Fn>
Latencies Lane::timed(std::size_t first, std::size_t last, Fn&& fn) {
  const std::size_t n = last - first;
  // The stride bitcask-bench uses for a run of n operations, whatever the batches.
  const std::size_t stride = sample_stride(n);
  Latencies total;
  total.us.reserve(n / stride + 1);
  SliceClock slices(run_.hooks(), start_);
  for (std::size_t from = first; from < last; from += kBatchOps) {
    run_.check();
    const std::size_t count = std::min(kBatchOps, last - from);
    append(&total, measure(
                       count, [&](std::size_t i) { fn(from + i); }, stride));
    run_.advance(count);
    slices.add(count);
  }
  slices.finish();
  return total;
}

template <typename Fn>
void Lane::untimed(std::size_t first, std::size_t last, Fn&& fn) {
  for (std::size_t from = first; from < last; from += kBatchOps) {
    run_.check();
    const std::size_t count = std::min(kBatchOps, last - from);
    for (std::size_t i = from; i < from + count; ++i) fn(i);
    run_.advance(count);
  }
}

Measurement Lane::run(const Step& step) {
  Measurement m;
  m.step = step;
  double wall = 0;
  m.latencies = run(step, 0, n_, &wall);
  m.wall_s = wall;
  return m;
}

Latencies Lane::run(const Step& s, std::size_t first, std::size_t last, double* wall_s) {
  if (first > last || last > n_) throw std::invalid_argument("Lane::run: range out of bounds");
  if (!w_ && op_writes(s.op))
    throw std::logic_error(std::string("the ") + engine_name_ + " lane is only read, not " +
                           op_name(s.op));
  if (s.op != Op::kFillSeq) {
    close_seq();
    if (owned_ && !opened_) {
      owned_->open(dir_ / "db", sync_);
      opened_ = true;
    }
  }
  run_.check();
  std::string v;
  std::size_t misses = 0;
  Latencies l;
  double wall = -1;
  switch (s.op) {
    case Op::kFillSeq:
      // A database of its own, in key order.
      if (!seq_) {
        seq_ = make_engine(engine_name_);
        seq_->open(dir_ / "seq", sync_);
      }
      l = timed(first, last, [&](std::size_t i) { seq_->put(w_->key(i), w_->value(i, 0)); });
      if (last == n_) close_seq();
      break;
    case Op::kFillRandom: {
      auto put = [&](std::size_t i) {
        const std::uint32_t k = w_->fill_order[i];
        e_->put(w_->key(k), w_->value(k, 0));
      };
      if (s.load) {
        untimed(first, last, put);
        l.ops = 0;
      } else {
        l = timed(first, last, put);
      }
      break;
    }
    case Op::kOverwrite:
      l = timed(first, last, [&](std::size_t i) {
        const std::uint32_t k = w_->overwrite_order[i];
        e_->put(w_->key(k), w_->value(k, 1));
      });
      // The overwrite is what reads must see.
      if (last == n_) verify_overwritten(std::max<std::size_t>(1, n_ / 1000));
      break;
    case Op::kRead: {
      const std::vector<std::uint32_t>& order = w_ ? w_->fill_order : in_order_;
      l = timed(first, last, [&](std::size_t i) {
        if (!e_->get(key(order[i]), &v) || (value_size_ && v.size() != value_size_)) ++misses;
      });
      break;
    }
    case Op::kReadRandom:
      if (first != 0 || last != n_) throw std::invalid_argument("read_random runs on all keys");
      l = read_random(s.threads, &wall);
      break;
    case Op::kReadMissing: {
      std::size_t found = 0;
      char buf[Workload::kKeySize + 1];
      l = timed(first, last, [&](std::size_t i) {
        std::string_view k;
        if (w_) {
          k = w_->missing_key(w_->read_order[i]);
        } else {
          // Not in the open database (almost surely): the even numbers' odd
          // neighbours in the workloads' own key space.
          std::snprintf(buf, sizeof buf, "%016llu",
                        static_cast<unsigned long long>(2 * random_order_[i] + 1));
          k = std::string_view(buf, Workload::kKeySize);
        }
        if (e_->get(k, &v)) ++found;
      });
      if (found && w_)
        throw Failure(engine_name_ + " read_missing: " + std::to_string(found) +
                      " absent keys found");
      break;
    }
    case Op::kReadSeq:
      if (first != 0 || last != n_) throw std::invalid_argument("read_seq runs on all keys");
      l = read_seq();
      break;
    case Op::kBatchWrite:
      l = batch_write(first, last, std::max<std::size_t>(1, s.batch));
      break;
    case Op::kDelete:
      l = timed(first, last, [&](std::size_t i) { e_->del(w_->key(w_->delete_order[i])); });
      if (last == n_) verify_deleted(std::max<std::size_t>(1, n_ / 100));
      break;
  }
  if (misses)
    throw Failure(engine_name_ + " " + op_name(s.op) + ": " + std::to_string(misses) +
                  " keys not found or with a wrong value");
  if (wall_s) *wall_s = wall >= 0 ? wall : l.total_s;
  return l;
}

void Lane::verify_overwritten(std::size_t every) {
  if (!w_ || !opened_) throw std::logic_error("verify_overwritten: nothing was written");
  std::string v;
  for (std::size_t i = 0; i < n_; i += std::max<std::size_t>(1, every)) {
    if (!e_->get(w_->key(i), &v) || v != w_->value(i, 1))
      throw Failure(engine_name_ + (sync_ ? " (sync)" : "") + ": key " + std::string(w_->key(i)) +
                    " does not read back its overwritten value");
  }
}

void Lane::verify_deleted(std::size_t every) {
  std::string v;
  for (std::size_t i = 0; i < n_; i += every) {
    if (e_->get(w_->key(i), &v)) throw Failure(engine_name_ + ": a deleted key is still there");
  }
}

// Every key in random order from `threads` threads, each with its own reader
// and a share of the keys, all starting together. Mean: per-operation time
// over all reads; wall: from the start to the last thread's end.
Latencies Lane::read_random(int threads, double* wall_s) {
  const std::size_t n = n_;
  const std::vector<std::uint32_t>& order = w_ ? w_->read_order : random_order_;
  const std::size_t stride = sample_stride(n);
  const Hooks& hooks = run_.hooks();
  // Without anyone to tell, the calling thread just waits (and takes no CPU
  // from the readers).
  const bool follow = hooks.progress || hooks.slice || hooks.stop.stop_possible();
  const auto nt = static_cast<std::size_t>(threads);
  std::vector<std::unique_ptr<KvReader>> readers;
  for (std::size_t t = 0; t < nt; ++t) readers.push_back(e_->reader());
  std::vector<Latencies> lat(nt);
  std::vector<Clock::time_point> ends(nt);
  std::atomic<std::size_t> done{0}, bad{0};
  std::atomic<int> running{threads}, ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < nt; ++t) {
    pool.emplace_back([&, t] {
      const std::size_t first = n * t / nt, last = n * (t + 1) / nt;
      KvReader& r = *readers[t];
      Latencies& mine = lat[t];
      mine.us.reserve((last - first) / stride + 1);
      std::string v;
      std::size_t misses = 0;
      ready.fetch_add(1);
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      for (std::size_t from = first; from < last && !run_.stop_requested(); from += kBatchOps) {
        const std::size_t count = std::min(kBatchOps, last - from);
        append(&mine, measure(
                          count,
                          [&](std::size_t i) {
                            const std::string_view k = key(order[from + i]);
                            if (!r.get(k, &v) || (value_size_ && v.size() != value_size_)) ++misses;
                          },
                          stride));
        done += count;
      }
      ends[t] = Clock::now();
      bad += misses;
      --running;
    });
  }
  while (ready.load() < threads) std::this_thread::yield();
  const auto start = Clock::now();
  go.store(true, std::memory_order_release);
  SliceClock slices(hooks, start_);
  std::uint64_t reported = 0;
  while (follow && running.load() > 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const std::uint64_t now = done.load();
    run_.advance(now - reported);
    slices.set_total(now);
    reported = now;
  }
  for (auto& th : pool) th.join();
  const auto end = *std::max_element(ends.begin(), ends.end());
  *wall_s = seconds_between(start, end);
  readers.clear();
  run_.check();
  run_.advance(done.load() - reported);
  slices.set_total(done.load());
  slices.finish(end);
  if (bad)
    throw Failure(engine_name_ + " read_random: " + std::to_string(bad.load()) +
                  " keys not found or with a wrong value");
  Latencies all;
  for (Latencies& l : lat) append(&all, l);
  return all;
}

// Every pair in key order (an open engine: its first n); each sample is the
// time from one pair to the next.
Latencies Lane::read_seq() {
  const std::size_t n = n_;
  const std::size_t stride = sample_stride(n);
  Latencies l;
  l.us.reserve(n / stride + 1);
  std::size_t i = 0, bad = 0, left = 0;  // left: pairs until the next timed one
  std::string prev;
  SliceClock slices(run_.hooks(), start_);
  bool stopped = false;
  auto mark = Clock::now();
  const auto start = mark;
  // The looks at the stop token (one every 1024 pairs) are left out of the
  // samples (the mark is taken after them) but not out of the wall time.
  const std::size_t seen = e_->scan([&](std::string_view k, std::string_view v) {
    if (left == 0) {
      l.us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - mark).count());
      left = stride;
    }
    if ((w_ && k.size() != Workload::kKeySize) || (value_size_ && v.size() != value_size_) ||
        (i > 0 && prev >= k))
      ++bad;
    prev.assign(k);
    ++i;
    if (i % kScanCheckEvery == 0) {
      run_.advance(kScanCheckEvery);
      slices.add(kScanCheckEvery);
      if (run_.stop_requested()) {
        stopped = true;
        return false;
      }
    }
    if (--left == 0) mark = Clock::now();
    return i < n;
  });
  l.total_s = seconds_between(start, Clock::now());
  if (stopped) throw Cancelled{};
  run_.advance(i % kScanCheckEvery);
  slices.add(i % kScanCheckEvery);
  slices.finish();
  l.ops = seen;
  if ((w_ && seen != n) || bad)
    throw Failure(engine_name_ + " read_seq: visited " + std::to_string(seen) + " of " +
                  std::to_string(n) + " pairs, " + std::to_string(bad) + " out of order or wrong");
  return l;
}

// Keys n..2n-1 (of [first, last)) in batches of `batch`; a sample is a
// batch's time divided by its size (as python-matrix's batch_write).
Latencies Lane::batch_write(std::size_t first, std::size_t last, std::size_t batch) {
  Latencies l;
  l.ops = last - first;
  SliceClock slices(run_.hooks(), start_);
  KvEngine::Pairs pairs;
  for (std::size_t from = first; from < last; from += batch) {
    run_.check();
    const std::size_t count = std::min(batch, last - from);
    pairs.clear();
    for (std::size_t i = from; i < from + count; ++i)
      pairs.emplace_back(w_->key(n_ + i), w_->value(n_ + i, 0));
    const auto t0 = Clock::now();
    e_->put_batch(pairs);
    const double s = seconds_between(t0, Clock::now());
    l.total_s += s;
    l.us.push_back(s * 1e6 / static_cast<double>(count));
    run_.advance(count);
    slices.add(count);
  }
  slices.finish();
  return l;
}

void warm_up(const std::string& engine, const Workload& w, const std::filesystem::path& dir) {
  {
    auto e = make_engine(engine);
    e->open(dir, false);
    const std::size_t n = std::min(w.size(), kWarmUpOps);
    std::string v;
    for (std::size_t i = 0; i < n; ++i) e->put(w.key(i), w.value(i, 0));
    for (std::size_t i = 0; i < n; ++i) e->get(w.key(n - 1 - i), &v);
    for (std::size_t i = 0; i < n; ++i) e->del(w.key(i));
    e->close();
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
}

}  // namespace bench
