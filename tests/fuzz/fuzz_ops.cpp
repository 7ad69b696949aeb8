// Fuzzes the API with operation sequences decoded from the input (puts,
// deletes, batches, merges, reopens, TTL puts) and checks every read
// against an in-memory model.
#include <bitcask/db.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir =
      fs::temp_directory_path() / ("bitcask-fuzz-ops-" + std::to_string(getpid()));
  fs::remove_all(dir);
  bitcask::Options o;
  o.max_segment_size = 512;
  auto db = bitcask::DB::open(dir, o);
  std::map<std::string, std::string> model;
  for (std::size_t i = 0; i + 2 < size; i += 3) {
    const std::string key = "k" + std::to_string(data[i + 1] % 16);
    const std::string value(data[i + 2] % 64, static_cast<char>('a' + data[i + 2] % 26));
    switch (data[i] % 6) {
      case 0:
      case 1:
        db->put(key, value);
        model[key] = value;
        break;
      case 2:
        if (db->remove(key) != (model.erase(key) == 1)) __builtin_trap();
        break;
      case 3: {
        bitcask::WriteBatch b;
        b.put(key, value);
        b.remove("k" + std::to_string((data[i + 1] + 1) % 16));
        db->write(b);
        model[key] = value;
        model.erase("k" + std::to_string((data[i + 1] + 1) % 16));
        break;
      }
      case 4: {
        bitcask::MergeOptions mo;
        mo.all_segments = data[i + 1] & 1;
        db->merge(mo);
        break;
      }
      case 5:
        db->close();
        db = bitcask::DB::open(dir, o);
        break;
    }
  }
  if (db->size() != model.size()) __builtin_trap();
  for (const auto& [k, v] : model) {
    if (db->get(k) != v) __builtin_trap();
  }
  return 0;
}
