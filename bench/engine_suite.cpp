// The engine's own figures: keydir memory per key, put/get latency per sync
// policy, group commit under sync always, open (recovery) time, merge, seek,
// and the floor below an append (page_floor.h).
#include <bitcask/bitcask.h>
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "bench_util.h"
#include "page_floor.h"

namespace bench {

namespace {

std::string key_of(std::uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "key%012llu", static_cast<unsigned long long>(i));
  return buf;
}

nlohmann::json keydir_memory(std::uint64_t keys) {
  ScratchDir dir("keydir");
  {
    auto db = bitcask::DB::open(dir.path());
    const std::string value(100, 'v');
    for (std::uint64_t i = 0; i < keys; ++i) db->put(key_of(i), value);
  }
  const std::size_t heap_before = mallinfo2().uordblks;
  const auto t0 = Clock::now();
  bitcask::Options ro;
  ro.read_only = true;
  auto db = bitcask::DB::open(dir.path(), ro);
  const double open_s = std::chrono::duration<double>(Clock::now() - t0).count();
  // The key-order index is built by the first scan (keydir.h): counted too.
  const auto t1 = Clock::now();
  bitcask::ScanOptions first;
  first.limit = 1;
  if (db->scan(first).empty()) throw std::runtime_error("keydir: no key scanned");
  const double first_scan_s = std::chrono::duration<double>(Clock::now() - t1).count();
  const std::size_t heap_after = mallinfo2().uordblks;
  const bitcask::Stats s = db->stats();
  const double key_len = 15;
  return {{"keys", keys},
          {"key_bytes", key_len},
          {"keydir_bytes", s.keydir_bytes},
          {"keydir_bytes_per_key", static_cast<double>(s.keydir_bytes) / keys},
          {"keydir_overhead_per_key", static_cast<double>(s.keydir_bytes) / keys - key_len},
          {"heap_bytes_per_key", static_cast<double>(heap_after - heap_before) / keys},
          {"open_s_without_hints", open_s},
          {"first_scan_s", first_scan_s}};
}

nlohmann::json latency(bitcask::SyncPolicy policy, const char* name, std::size_t n) {
  ScratchDir dir(name);
  bitcask::Options o;
  o.sync = policy;
  auto db = bitcask::DB::open(dir.path(), o);
  std::mt19937_64 rng(42);
  const std::string value = random_alnum(rng, 100);
  std::vector<std::string> keys;
  for (std::size_t i = 0; i < n; ++i) keys.push_back(random_alnum(rng, 16));
  Latencies put = measure(n, [&](std::size_t i) { db->put(keys[i], value); });
  std::string out;
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = rng() % n;
  Latencies get = measure(n, [&](std::size_t i) { db->get(keys[order[i]], &out); });
  auto row = [&](const char* op, Latencies& l) {
    return nlohmann::json{{"op", op},
                          {"sync", name},
                          {"ops", n},
                          {"value_size", 100},
                          {"mean_us", l.mean()},
                          {"p50_us", l.percentile(50)},
                          {"p99_us", l.percentile(99)},
                          {"ops_per_sec", l.ops_per_sec()}};
  };
  return {row("put", put), row("get", get)};
}

// Group commit: puts under SyncPolicy::Always from 1, 2 and 4 threads at
// once, each thread its own keys. Writers that arrive while a sync runs
// share the next one, so throughput grows with the threads.
nlohmann::json group_commit(std::size_t ops_per_thread) {
  nlohmann::json rows = nlohmann::json::array();
  for (int threads : {1, 2, 4}) {
    ScratchDir dir("group");
    bitcask::Options o;
    o.sync = bitcask::SyncPolicy::Always;
    auto db = bitcask::DB::open(dir.path(), o);
    const std::string value(100, 'v');
    const auto t0 = Clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
      pool.emplace_back([&, t] {
        for (std::size_t i = 0; i < ops_per_thread; ++i) {
          db->put(key_of(static_cast<std::uint64_t>(t) * ops_per_thread + i), value);
        }
      });
    }
    for (auto& th : pool) th.join();
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    const double ops = static_cast<double>(ops_per_thread) * threads;
    rows.push_back({{"threads", threads}, {"ops", ops}, {"ops_per_sec", ops / s}});
  }
  const double single = rows[0]["ops_per_sec"].get<double>();
  for (auto& r : rows) r["speedup"] = r["ops_per_sec"].get<double>() / single;
  return rows;
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// An open-time case: `keys` keys with 100-byte values.
struct OpenCase {
  std::uint64_t keys;
  // 15-byte keys written in key order (key_of), or 20-byte keys written in a
  // random order: a hint lists its entries by key, so there the offsets and
  // timestamps of neighbouring entries are far apart, as for any database
  // not filled in key order.
  bool shuffled;
  std::uint64_t max_segment_size;
};

std::string key_of(const OpenCase& c, std::uint64_t i) {
  if (!c.shuffled) return key_of(i);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(i));
  return buf;
}

// Open time with and without hints, each the best of three.
nlohmann::json open_time(const OpenCase& c) {
  ScratchDir dir("open");
  bitcask::Options o;
  o.max_segment_size = c.max_segment_size;
  {
    auto db = bitcask::DB::open(dir.path(), o);
    const std::string value(100, 'v');
    std::mt19937_64 rng(11);
    std::vector<std::uint32_t> order;
    if (c.shuffled) order = permutation(c.keys, rng);
    for (std::uint64_t i = 0; i < c.keys; ++i) db->put(key_of(c, c.shuffled ? order[i] : i), value);
  }
  bitcask::Options ro;
  ro.read_only = true;
  // Cold: the page cache dropped first (needs root; skipped otherwise), as
  // after a reboot. Warm: the files already in memory.
  auto drop_caches = [] {
    ::sync();
    std::FILE* f = std::fopen("/proc/sys/vm/drop_caches", "w");
    if (!f) return false;
    const bool ok = std::fputs("3", f) >= 0;
    return std::fclose(f) == 0 && ok;
  };
  auto timed_open = [&](bool cold) {
    double best = 1e9;
    for (int i = 0; i < 3; ++i) {
      if (cold && !drop_caches()) return -1.0;
      const auto t0 = Clock::now();
      auto db = bitcask::DB::open(dir.path(), ro);
      best = std::min(best, seconds_since(t0));
      if (db->size() != c.keys) throw std::runtime_error("open lost keys");
    }
    return best;
  };
  const double warm_hints = timed_open(false), cold_hints = timed_open(true);
  // What an open reads: every hint, against every segment.
  std::uint64_t hint_bytes = 0, segment_bytes = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    if (e.path().extension() == ".seg") segment_bytes += e.file_size();
    if (e.path().extension() != ".hint") continue;
    hint_bytes += e.file_size();
    std::filesystem::remove(e.path());
  }
  const double warm_scan = timed_open(false), cold_scan = timed_open(true);
  return {{"keys", c.keys},
          {"key_bytes", key_of(c, 0).size()},
          {"written_in_key_order", !c.shuffled},
          {"segment_mib", c.max_segment_size >> 20},
          {"hint_mb", hint_bytes / 1e6},
          {"hint_bytes_per_key", static_cast<double>(hint_bytes) / c.keys},
          {"segment_mb", segment_bytes / 1e6},
          {"with_hints_s", warm_hints},
          {"without_hints_s", warm_scan},
          {"speedup", warm_scan / warm_hints},
          {"cold_with_hints_s", cold_hints},
          {"cold_without_hints_s", cold_scan},
          {"cold_speedup", cold_hints > 0 ? cold_scan / cold_hints : 0.0}};
}

// Merge of a database where every key was written twice (half dead).
nlohmann::json merge_throughput(std::uint64_t keys) {
  ScratchDir dir("merge");
  bitcask::Options o;
  o.max_segment_size = 64ull << 20;
  auto db = bitcask::DB::open(dir.path(), o);
  const std::string value(100, 'v');
  for (int round = 0; round < 2; ++round) {
    for (std::uint64_t i = 0; i < keys; ++i) db->put(key_of(i), value);
  }
  const auto r = db->merge();
  return {{"input_mb", r.bytes_before / 1e6},
          {"output_mb", r.bytes_after / 1e6},
          {"seconds", r.seconds},
          {"mb_per_s", r.bytes_before / 1e6 / r.seconds}};
}

// Seek to a random key and read the next 100 keys (the browser's paging).
nlohmann::json seek_latency(std::uint64_t keys) {
  ScratchDir dir("seek");
  bitcask::Options o;
  auto db = bitcask::DB::open(dir.path(), o);
  bitcask::WriteBatch batch;
  for (std::uint64_t i = 0; i < keys; ++i) {
    batch.put(key_of(i), "v");
    if (batch.size() == 10000) {
      db->write(batch);
      batch.clear();
    }
  }
  db->write(batch);
  std::mt19937_64 rng(7);
  const std::size_t n = 20000;
  Latencies l = measure(n, [&](std::size_t) {
    bitcask::ScanOptions s;
    s.start = key_of(rng() % keys);
    s.limit = 100;
    if (db->scan(s).empty()) throw std::runtime_error("empty page");
  });
  const bitcask::Stats st = db->stats();
  return {{"keys", keys},
          {"mean_us", l.mean()},
          {"p50_us", l.percentile(50)},
          {"p99_us", l.percentile(99)},
          {"keydir_bytes_per_key", static_cast<double>(st.keydir_bytes) / keys}};
}

}  // namespace

int run_engine_suite(bool quick, bool json_out, const std::vector<std::string>& only) {
  auto wanted = [&](const char* section) {
    return only.empty() || std::find(only.begin(), only.end(), section) != only.end();
  };
  const std::uint64_t keys = quick ? 100'000 : 1'000'000;
  nlohmann::json result;
  if (wanted("keydir")) result["keydir"] = keydir_memory(keys);
  if (wanted("latency")) {
    nlohmann::json lat = nlohmann::json::array();
    for (auto& r : latency(bitcask::SyncPolicy::None, "none", quick ? 20'000 : 200'000))
      lat.push_back(r);
    for (auto& r : latency(bitcask::SyncPolicy::Interval, "interval", quick ? 20'000 : 200'000))
      lat.push_back(r);
    for (auto& r : latency(bitcask::SyncPolicy::Always, "always", quick ? 300 : 3'000))
      lat.push_back(r);
    result["latency"] = lat;
  }
  if (wanted("open")) {
    result["open"] = nlohmann::json::array(
        {open_time({keys, false, 64ull << 20}),
         open_time({quick ? 500'000u : 5'000'000u, true, bitcask::kDefaultSegmentSize})});
  }
  if (wanted("group_commit")) result["group_commit"] = group_commit(quick ? 200 : 2'000);
  if (wanted("merge")) result["merge"] = merge_throughput(quick ? 100'000 : 1'000'000);
  if (wanted("seek")) result["seek"] = seek_latency(quick ? 1'000'000 : 10'000'000);
  if (wanted("pages")) result["pages"] = page_floor();
  if (json_out) {
    std::cout << result.dump(2) << "\n";
    return 0;
  }
  if (result.contains("keydir")) {
    const auto& k = result["keydir"];
    std::printf("## Keydir memory (%llu keys of 15 bytes)\n\n",
                static_cast<unsigned long long>(keys));
    std::printf(
        "| keydir bytes per key | of which the key | overhead per key | heap growth per key | "
        "open (no hints) | first scan (builds the key-order index) |\n"
        "|---:|---:|---:|---:|---:|---:|\n");
    std::printf("| %.1f | 15 | %.1f | %.1f | %.3f s | %.3f s |\n\n",
                k["keydir_bytes_per_key"].get<double>(), k["keydir_overhead_per_key"].get<double>(),
                k["heap_bytes_per_key"].get<double>(), k["open_s_without_hints"].get<double>(),
                k["first_scan_s"].get<double>());
  }
  if (result.contains("latency")) {
    std::printf("## Put / get latency, 100-byte values, raw API\n\n");
    std::printf(
        "| sync | op | ops | mean µs | p50 µs | p99 µs | ops/s "
        "|\n|---|---|---:|---:|---:|---:|---:|\n");
    for (const auto& r : result["latency"]) {
      std::printf("| %s | %s | %llu | %.2f | %.2f | %.2f | %.0f |\n",
                  r["sync"].get<std::string>().c_str(), r["op"].get<std::string>().c_str(),
                  r["ops"].get<unsigned long long>(), r["mean_us"].get<double>(),
                  r["p50_us"].get<double>(), r["p99_us"].get<double>(),
                  r["ops_per_sec"].get<double>());
    }
  }
  if (result.contains("group_commit")) {
    std::printf("\n## Group commit: puts under sync always, 100-byte values\n\n");
    std::printf("| writer threads | ops | ops/s | × one thread |\n|---:|---:|---:|---:|\n");
    for (const auto& r : result["group_commit"]) {
      std::printf("| %d | %.0f | %.0f | %.2f |\n", r["threads"].get<int>(), r["ops"].get<double>(),
                  r["ops_per_sec"].get<double>(), r["speedup"].get<double>());
    }
    std::printf("\n");
  }
  if (result.contains("open")) {
    std::printf(
        "\n## Open, 100-byte values (best of 3; cold: the page cache dropped, needs root)\n\n"
        "| keys | key bytes | written | segments | hints | hint bytes per key | page cache | with "
        "hints | without hints | speed-up |\n|---:|---:|---|---:|---:|---:|---|---:|---:|---:|\n");
    for (const auto& op : result["open"]) {
      auto row = [&](const char* cache, double with, double without) {
        std::printf(
            "| %llu | %llu | %s | %llu MiB | %.1f MB | %.1f | %s | %.3f s | %.3f s | %.1fx |\n",
            op["keys"].get<unsigned long long>(), op["key_bytes"].get<unsigned long long>(),
            op["written_in_key_order"].get<bool>() ? "in key order" : "in random order",
            op["segment_mib"].get<unsigned long long>(), op["hint_mb"].get<double>(),
            op["hint_bytes_per_key"].get<double>(), cache, with, without, without / with);
      };
      row("warm", op["with_hints_s"].get<double>(), op["without_hints_s"].get<double>());
      if (op["cold_with_hints_s"].get<double>() > 0) {
        row("cold", op["cold_with_hints_s"].get<double>(),
            op["cold_without_hints_s"].get<double>());
      }
    }
  }
  if (result.contains("merge")) {
    const auto& m = result["merge"];
    std::printf(
        "\n## Merge (every key written twice)\n\n| input | output | time | throughput "
        "|\n|---:|---:|---:|---:|\n");
    std::printf("| %.0f MB | %.0f MB | %.2f s | %.0f MB/s |\n", m["input_mb"].get<double>(),
                m["output_mb"].get<double>(), m["seconds"].get<double>(),
                m["mb_per_s"].get<double>());
  }
  if (result.contains("pages")) {
    const auto& p = result["pages"];
    std::printf(
        "\n## Below an append: pages of a new file, and a 10 KB record\n\n"
        "| fault in a fallocated page | zeros with pwrite (1 MiB pieces) | fault in after the "
        "zeros | copy 10 KB into ready pages | CRC-32C of 10 KB |\n|---:|---:|---:|---:|---:|\n");
    std::printf("| %.2f µs/page | %.2f µs/page | %.2f µs/page | %.2f µs | %.2f µs |\n",
                p["fault_in_fallocated_us_per_page"].get<double>(),
                p["zeros_pwrite_us_per_page"].get<double>(),
                p["fault_in_after_zeros_us_per_page"].get<double>(),
                p["copy_10kb_us"].get<double>(), p["crc32c_10kb_us"].get<double>());
    std::printf(
        "\n| a segment of %llu MiB written (pwrite, handed to the disk 8 MiB behind) | then its "
        "fdatasync (a seal's wait) | the disk took, overall |\n|---:|---:|---:|\n",
        p["segment_mib"].get<unsigned long long>());
    std::printf("| %.0f ms | %.0f ms | %.0f MB/s |\n", p["segment_write_ms"].get<double>(),
                p["segment_sync_ms"].get<double>(), p["segment_mb_per_s"].get<double>());
  }
  if (!result.contains("seek")) return 0;
  const auto& sk = result["seek"];
  std::printf(
      "\n## Seek and read the next 100 keys (%llu keys)\n\n| mean µs | p50 µs | p99 µs | keydir "
      "bytes per key |\n|---:|---:|---:|---:|\n",
      sk["keys"].get<unsigned long long>());
  std::printf("| %.1f | %.1f | %.1f | %.1f |\n", sk["mean_us"].get<double>(),
              sk["p50_us"].get<double>(), sk["p99_us"].get<double>(),
              sk["keydir_bytes_per_key"].get<double>());
  return 0;
}

}  // namespace bench
