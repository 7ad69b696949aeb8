// Fuzzes recovery: the input becomes the only segment (and, split at its
// first byte, a hint file) of a database directory, which is opened
// read-only and writable, scanned, read, verified and merged. The second
// byte picks a hostile file shape too: the hint made sparse (a hole far past
// its bytes), or the newest segment replaced by a symbolic link to the
// input. Every input must give data or a clear bitcask::Error, never a
// crash, and a link's target is never written.
#include <bitcask/db.h>
#include <bitcask/error.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
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
  const int shape = size > 1 ? data[1] % 4 : 0;
  const fs::path target = dir.string() + "-target";
  if (shape == 1) {
    // Sparse: a hole of up to 64 GiB, then the hint's last 28 bytes again.
    const std::uint64_t hole = (std::uint64_t{1} << (20 + data[0] % 17));
    fs::resize_file(dir / "0000000001.hint", hole);
    std::ofstream(dir / "0000000001.hint", std::ios::binary | std::ios::app)
        .write(bytes + size - std::min<std::size_t>(size, 28),
               static_cast<std::streamsize>(std::min<std::size_t>(size, 28)));
  } else if (shape == 2) {
    write(target, bytes, size);
    fs::remove(dir / "0000000002.seg");
    fs::create_symlink(target, dir / "0000000002.seg");
  }
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
  if (shape == 2) {
    std::ifstream in(target, std::ios::binary);
    const std::string now{std::istreambuf_iterator<char>(in), {}};
    if (now != std::string(bytes, size)) std::abort();  // written through the link
    fs::remove(target);
  }
  return 0;
}
