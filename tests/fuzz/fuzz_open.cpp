// Fuzzes recovery: the input becomes the only segment (and, split at its
// first byte, a hint file) of a database directory, which is opened
// read-only and writable, scanned, read, verified and merged. Every input
// must give data or a clear bitcask::Error, never a crash.
#include <bitcask/db.h>
#include <bitcask/error.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace fs = std::filesystem;

namespace {
void write(const fs::path& p, const char* data, std::size_t n) {
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(data, static_cast<std::streamsize>(n));
}

void exercise(bitcask::DB& db) {
  bitcask::ScanOptions all;
  all.limit = 1000;
  for (const auto& e : db.scan(all)) {
    std::string v;
    try {
      db.get(e.key, &v);
    } catch (const bitcask::Error&) {
    }
    for (const auto& version : db.history(e.key)) {
      try {
        (void)db.read_version(version.segment, version.offset);
      } catch (const bitcask::Error&) {
      }
    }
  }
  (void)db.verify();
  (void)db.stats();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir =
      fs::temp_directory_path() / ("bitcask-fuzz-open-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto* bytes = reinterpret_cast<const char*>(data);
  const std::size_t split = size ? data[0] % (size + 1) : 0;
  write(dir / "BITCASK", "bitcask-format 1\n", 17);
  write(dir / "0000000001.seg", bytes, split);
  write(dir / "0000000001.hint", bytes + split, size - split);
  write(dir / "0000000002.seg", bytes, size);
  for (bool read_only : {true, false}) {
    try {
      bitcask::Options o;
      o.read_only = read_only;
      o.create_if_missing = false;
      auto db = bitcask::DB::open(dir, o);
      exercise(*db);
      if (!read_only) {
        db->put("fuzz", "value");
        db->merge();
        exercise(*db);
      }
    } catch (const bitcask::Error&) {
    }
  }
  return 0;
}
