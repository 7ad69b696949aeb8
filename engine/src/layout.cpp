#include "layout.h"

namespace bitcask {

// Basho's names (N.bitcask.data) and pybitcask's (N.data, data_N.db) do not
// overlap, and each recogniser parses the first records of what it claims;
// so the order only decides which error a directory of neither kind gets.
std::unique_ptr<Layout> recognise_layout(const std::filesystem::path& dir) {
  if (auto basho = recognise_basho(dir)) return basho;
  return recognise_pybitcask(dir);
}

}  // namespace bitcask
