// Fuzzes the Basho bitcask layout and the Erlang term display: the input is
// written as a directory's 1.bitcask.data, recognised, and every record
// decoded from the input's bytes (skipping damaged ones by their span, as a
// reader following Basho does); the whole input and every decoded key and
// value also go through erlang_term_to_text, and the input through
// riak_key_of and basho::read_hint (as a hint file). Errors are fine, crashes and reads out of
// bounds are not.
#include <bitcask/erlang_term.h>
#include <bitcask/error.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "layout.h"
#include "layout_basho.h"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const fs::path dir =
      fs::temp_directory_path() / ("bitcask-fuzz-basho-" + std::to_string(getpid()));
  const char* bytes = reinterpret_cast<const char*>(data);
  (void)bitcask::erlang_term_to_text(std::string_view(bytes, size), 256);
  (void)bitcask::basho::read_hint(std::string_view(bytes, size));
  (void)bitcask::riak_key_of(std::string_view(bytes, size));

  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "1.bitcask.data", std::ios::binary)
      .write(bytes, static_cast<std::streamsize>(size));
  std::unique_ptr<bitcask::Layout> layout;
  try {
    layout = bitcask::recognise_basho(dir);
  } catch (const bitcask::Error&) {
  }
  // Decode even what recognition refused: decode() must be safe on any bytes.
  bitcask::ForeignFile file;
  file.path = dir / "1.bitcask.data";
  file.id = 1;
  if (layout == nullptr) {
    fs::remove(file.path);
    try {
      layout = bitcask::recognise_basho(dir);  // only the file name rules: null
    } catch (const bitcask::Error&) {
    }
    if (layout != nullptr) __builtin_trap();
    // A directory with a valid one-record file, to get a Layout to decode with.
    static const char kRecord[] = "\xf4\x74\xd5\xca\x00\x00\x00\x01\x00\x01\x00\x00\x00\x01kv";
    std::ofstream(file.path, std::ios::binary).write(kRecord, sizeof kRecord - 1);
    try {
      layout = bitcask::recognise_basho(dir);
    } catch (const bitcask::Error&) {
    }
    if (layout == nullptr) return 0;
  }
  bitcask::ForeignRecord r;
  std::string why;
  std::uint64_t offset = 0;
  for (int n = 0; n < 100000; ++n) {
    const auto s = layout->decode(file, bytes, size, offset, &r, &why);
    if (s == bitcask::DecodeStatus::kEnd || s == bitcask::DecodeStatus::kTruncated) break;
    if (r.offset != offset || r.length == 0 || r.length > size - offset) {
      if (s == bitcask::DecodeStatus::kOk) __builtin_trap();  // a record must span its bytes
      break;
    }
    (void)bitcask::erlang_term_to_text(r.key, 256);
    (void)bitcask::erlang_term_to_text(r.value, 256);
    offset += r.length;
  }
  return 0;
}
