// Fuzzes the reader of the Python original's format and the import: the
// input is a <id>.data file; it is opened in place, read and imported.
#include <bitcask/bitcask.h>
#include <bitcask/import.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path root =
      fs::temp_directory_path() / ("bitcask-fuzz-py-" + std::to_string(getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "py");
  std::ofstream(root / "py" / "1.data", std::ios::binary)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  try {
    bitcask::Bitcask json(root / "py");
    bitcask::ScanOptions all;
    all.limit = 1000;
    for (const auto& e : json.db().scan(all)) {
      try {
        (void)json.get(e.key);
      } catch (const bitcask::Error&) {
      }
    }
    auto dst = bitcask::DB::open(root / "dst");
    (void)bitcask::import_directory(root / "py", *dst);
  } catch (const bitcask::Error&) {
  }
  return 0;
}
