#include "pybitcask_format.h"

#include <algorithm>

#include "coding.h"

namespace bitcask::pybitcask {

bool parse_record(const char* data, std::uint64_t available, Header* h) {
  if (available < kHeaderSize) return false;
  h->key_size = decode_u32_be(data);
  h->value_size = decode_u32_be(data + 4);
  h->timestamp_ms = decode_u64_be(data + 8);
  return std::uint64_t{kHeaderSize} + h->key_size + h->value_size <= available;
}

std::vector<std::filesystem::path> data_files(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".data") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.filename().string() < b.filename().string();
  });
  return files;
}

}  // namespace bitcask::pybitcask
