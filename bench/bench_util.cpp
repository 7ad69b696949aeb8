#include "bench_util.h"

#include <cstdlib>

namespace bench {

std::filesystem::path scratch_root() {
  const char* base = std::getenv("BITCASK_BENCH_DIR");
  std::filesystem::path root =
      base && *base ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
  std::filesystem::create_directories(root);
  return root;
}

ScratchDir::ScratchDir(const std::string& tag) {
  std::random_device rd;
  path_ = scratch_root() / ("bitcask-bench-" + tag + "-" + std::to_string(rd()));
  std::filesystem::remove_all(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace bench
