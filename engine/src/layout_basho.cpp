// Basho bitcask (Riak KV's backend) read in place: recognition of a data
// directory and the decoder of its data files. See layout_basho.h and
// engine/FORMAT.md ("Foreign layouts: Basho bitcask") for the format and the
// rules taken from the writer's source (bitcask 2.1.0: bitcask.erl,
// bitcask_fileops.erl, bitcask_lockops.erl, c_src/bitcask_nifs.c).
#include "layout_basho.h"

#include <bitcask/error.h>
#include <fcntl.h>
#include <isa-l/crc.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "coding.h"
#include "file_util.h"

namespace bitcask {
namespace basho {

std::uint32_t crc32(const char* data, std::size_t n, std::uint32_t crc) {
  // ISA-L's gzip CRC is the reflected CRC-32 of zlib and erlang:crc32/1 (it
  // applies the pre- and post-inversion itself, so a result chains as the
  // next call's start, as zlib's crc32() does); the engine links ISA-L
  // already for CRC-32C.
  return crc32_gzip_refl(crc, reinterpret_cast<const unsigned char*>(data), n);
}

namespace {

constexpr std::string_view kDataSuffix = ".bitcask.data";
constexpr std::string_view kHintSuffix = ".bitcask.hint";

// N of "N<suffix>" when the name is digits followed by exactly `suffix`
// (bitcask_fileops:data_file_tstamps/1 lists "N.*.data" and parses N with
// list_to_integer; the writer only ever names its files N.bitcask.data).
// `*too_big` is set when N does not fit the 32-bit file id of the keydir.
bool parse_numbered(std::string_view name, std::string_view suffix, std::uint32_t* id,
                    bool* too_big) {
  *too_big = false;
  if (!name.ends_with(suffix) || name.size() == suffix.size()) return false;
  const std::string_view digits = name.substr(0, name.size() - suffix.size());
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *id);
  if (ec == std::errc::result_out_of_range) *too_big = true;
  return ec == std::errc() && end == digits.data() + digits.size();
}

std::string hex32(std::uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

class BashoLayout final : public Layout {
 public:
  BashoLayout(std::vector<ForeignFile> files, std::size_t hints,
              std::vector<fs::path> pending_delete, bool write_lock, bool merge_lock)
      : files_(std::move(files)),
        hints_(hints),
        pending_delete_(std::move(pending_delete)),
        write_lock_(write_lock),
        merge_lock_(merge_lock) {}

  DataFormat data_format() const override { return DataFormat::kBasho; }
  std::string description() const override {
    std::string d = "Basho bitcask data directory (" + std::to_string(files_.size()) +
                    (files_.size() == 1 ? " data file" : " data files");
    if (hints_ > 0) {
      d += ", " + std::to_string(hints_) + (hints_ == 1 ? " hint file" : " hint files");
    }
    if (!pending_delete_.empty()) {
      // Basho skips these too (bitcask:readable_and_setuid_files/1); saying so
      // keeps a skipped file from going unnoticed.
      d += "; " + std::to_string(pending_delete_.size()) +
           (pending_delete_.size() == 1 ? " file" : " files") +
           " marked for deletion by a merge not read";
    }
    return d + ")";
  }

  std::string live_writer_warning() const override {
    if (write_lock_ && merge_lock_) {
      return "a Riak node holds its write and merge locks: the data may be changing";
    }
    if (write_lock_) return "a Riak node holds its write lock: the data may be changing";
    if (merge_lock_) return "a Riak node is merging it (merge lock held): the data may be changing";
    return {};
  }

  const std::vector<ForeignFile>& files() const override { return files_; }

  DecodeStatus decode(const ForeignFile& file, const char* data, std::uint64_t size,
                      std::uint64_t offset, ForeignRecord* out, std::string* why) const override;

 private:
  std::vector<ForeignFile> files_;
  std::size_t hints_;
  std::vector<fs::path> pending_delete_;
  bool write_lock_, merge_lock_;
};

// The record at `offset`: kOk when its sizes fit in the file, whether or not
// its CRC matches (out->checksum_ok says; *why explains a mismatch), kEnd at
// the end, kTruncated for a record cut short, kDamaged for an offset past
// the end.
DecodeStatus decode_record(const ForeignFile& file, const char* data, std::uint64_t size,
                           std::uint64_t offset, ForeignRecord* out, std::string* why) {
  if (offset == size) return DecodeStatus::kEnd;
  if (offset > size) {
    *why = "offset " + std::to_string(offset) + " is past the end of " + file.path.string() + " (" +
           std::to_string(size) + " bytes)";
    return DecodeStatus::kDamaged;
  }
  const std::uint64_t left = size - offset;
  if (left < kHeaderSize) {
    *why = "an incomplete record header at offset " + std::to_string(offset) + ": " +
           std::to_string(left) + " of " + std::to_string(kHeaderSize) + " bytes";
    return DecodeStatus::kTruncated;
  }
  const char* p = data + offset;
  const std::uint32_t stored_crc = decode_u32_be(p);
  const std::uint32_t tstamp = decode_u32_be(p + 4);
  const auto* u = reinterpret_cast<const unsigned char*>(p);
  const std::uint32_t keysz = (std::uint32_t{u[8]} << 8) | u[9];
  const std::uint32_t valsz = decode_u32_be(p + 10);
  const std::uint64_t total = kHeaderSize + std::uint64_t{keysz} + valsz;
  if (total > left) {
    *why = "a record of " + std::to_string(total) + " bytes (key " + std::to_string(keysz) +
           ", value " + std::to_string(valsz) + ") at offset " + std::to_string(offset) +
           " runs past the end of the file (" + std::to_string(left) + " bytes left)";
    return DecodeStatus::kTruncated;
  }
  out->offset = offset;
  out->length = total;
  out->timestamp_us = std::uint64_t{tstamp} * 1000000u;
  out->key = std::string_view(p + kHeaderSize, keysz);
  const std::string_view value(p + kHeaderSize + keysz, valsz);
  // bitcask_fileops:write/4: the CRC covers everything after itself.
  const std::uint32_t crc = crc32(p + 4, total - 4);
  out->checksum_ok = crc == stored_crc;
  if (is_tombstone(value)) {
    out->kind = RecordKind::kTombstone;
    out->value = {};
  } else {
    out->kind = RecordKind::kPut;
    out->value = value;
  }
  if (!out->checksum_ok) {
    *why = "CRC-32 mismatch in the record at offset " + std::to_string(offset) + " (" +
           std::to_string(total) + " bytes): stored " + hex32(stored_crc) + ", computed " +
           hex32(crc);
  }
  return DecodeStatus::kOk;
}

DecodeStatus BashoLayout::decode(const ForeignFile& file, const char* data, std::uint64_t size,
                                 std::uint64_t offset, ForeignRecord* out, std::string* why) const {
  const DecodeStatus s = decode_record(file, data, size, offset, out, why);
  // A record whose sizes fit but whose CRC does not match is damage, not a
  // torn tail. `out` still spans it (offset, length, checksum_ok = false):
  // Basho itself skips such a record by its sizes and goes on (up to 20 a
  // file, bitcask_fileops:fold_keys_int_loop/5), and a caller may do the same.
  if (s == DecodeStatus::kOk && !out->checksum_ok) return DecodeStatus::kDamaged;
  return s;
}

// Checks that the first record of a non-empty data file is a whole Basho
// record with a matching CRC; throws naming the file otherwise. A file whose
// very first record does not parse is not a torn tail: it is not a Basho data
// file (or is damaged from its start), and reading it as empty would lose it.
void check_first_record(const ForeignFile& file) {
  File f = open_file(file.path, O_RDONLY | O_CLOEXEC);
  const std::uint64_t size = file_size(f, file.path);
  if (size == 0) return;  // created, never written (the writer died there)
  const auto fail = [&](const std::string& what) {
    throw Error(ErrorCode::kNotADatabase,
                file.path.string() + ": not a Basho bitcask data file: " + what +
                    " (expected crc32 u32 | tstamp u32 | keysz u16 | valsz u32 | key | value, "
                    "big-endian, the CRC-32 over all after it)");
  };
  if (size < kHeaderSize) {
    fail("its " + std::to_string(size) + " bytes are shorter than one record header (" +
         std::to_string(kHeaderSize) + " bytes)");
  }
  char header[kHeaderSize];
  pread_exact(f, file.path, header, kHeaderSize, 0);
  const auto* u = reinterpret_cast<const unsigned char*>(header);
  const std::uint64_t total =
      kHeaderSize + ((std::uint64_t{u[8]} << 8) | u[9]) + decode_u32_be(header + 10);
  if (total > size) {
    fail("the first record claims " + std::to_string(total) + " bytes, the file has " +
         std::to_string(size));
  }
  // The CRC in pieces: a first value may be up to 4 GiB, never read whole.
  std::uint32_t crc = crc32(header + 4, kHeaderSize - 4);
  std::string chunk;
  for (std::uint64_t at = kHeaderSize; at < total;) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(total - at, 1 << 20));
    chunk.resize(n);
    pread_exact(f, file.path, chunk.data(), n, at);
    crc = crc32(chunk.data(), n, crc);
    at += n;
  }
  if (crc != decode_u32_be(header)) {
    fail("the first record does not match its CRC-32 (stored " + hex32(decode_u32_be(header)) +
         ", computed " + hex32(crc) + ")");
  }
}

bool is_regular(const fs::directory_entry& e) {
  std::error_code ec;
  return e.is_regular_file(ec);
}

}  // namespace

bool put_replaces(const KeydirEntry& existing, const KeydirEntry& incoming) {
  return existing.tstamp < incoming.tstamp || existing.file_id < incoming.file_id ||
         (existing.file_id == incoming.file_id && existing.offset < incoming.offset);
}

std::optional<std::vector<HintEntry>> read_hint(std::string_view bytes) {
  // tstamp u32 | keysz u16 | totalsz u32 | tombstone bit + offset (63 bits)
  constexpr std::size_t kEntry = 18;
  constexpr std::uint64_t kMaxOffset = 0x7fffffffffffffffULL;
  if (bytes.size() < kEntry) return std::nullopt;
  const std::size_t body = bytes.size() - kEntry;
  const char* t = bytes.data() + body;
  const auto* tu = reinterpret_cast<const unsigned char*>(t);
  if (decode_u32_be(t) != 0 || tu[4] != 0 || tu[5] != 0 ||
      (decode_u64_be(t + 10) & kMaxOffset) != kMaxOffset ||
      decode_u32_be(t + 6) != crc32(bytes.data(), body)) {
    return std::nullopt;
  }
  std::vector<HintEntry> entries;
  for (std::size_t at = 0; at < body;) {
    if (body - at < kEntry) return std::nullopt;
    const char* p = bytes.data() + at;
    const auto* u = reinterpret_cast<const unsigned char*>(p);
    const std::size_t keysz = (std::size_t{u[4]} << 8) | u[5];
    if (body - at - kEntry < keysz) return std::nullopt;
    HintEntry e;
    e.tstamp = decode_u32_be(p);
    e.total_size = decode_u32_be(p + 6);
    const std::uint64_t word = decode_u64_be(p + 10);
    e.tombstone = (word >> 63) != 0;
    e.offset = word & kMaxOffset;
    e.key.assign(p + kEntry, keysz);
    entries.push_back(std::move(e));
    at += kEntry + keysz;
  }
  return entries;
}

std::uint32_t file_id_of(const ForeignFile& file) {
  std::uint32_t id = 0;
  bool too_big = false;
  parse_numbered(file.path.filename().string(), kDataSuffix, &id, &too_big);
  return id;
}

}  // namespace basho

std::unique_ptr<Layout> recognise_basho(const std::filesystem::path& dir) {
  using namespace basho;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return nullptr;

  struct Data {
    std::uint32_t id;
    fs::path path;
  };
  std::vector<Data> data;
  std::vector<fs::path> pending_delete;
  std::size_t hints = 0;
  bool write_lock = false, merge_lock = false;
  const auto list_failed = [&] {
    throw Error(ErrorCode::kIo, "cannot list '" + dir.string() + "': " + ec.message());
  };
  for (fs::directory_iterator it(dir, ec);; it.increment(ec)) {
    if (ec) list_failed();
    if (it == fs::directory_iterator()) break;
    const fs::directory_entry& e = *it;
    const std::string name = e.path().filename().string();
    std::uint32_t id = 0;
    bool too_big = false;
    if (name == kWriteLock) {
      write_lock = true;
    } else if (name == kMergeLock) {
      merge_lock = true;
    } else if (parse_numbered(name, kHintSuffix, &id, &too_big)) {
      ++hints;
    } else if (parse_numbered(name, kDataSuffix, &id, &too_big) && is_regular(e)) {
      // bitcask:has_pending_delete_bit/1: a merge marks the files it has
      // replaced with the setuid (or other-execute) bit before deleting them,
      // and every reader skips them from then on.
      struct stat st;
      if (::stat(e.path().c_str(), &st) == 0 && (st.st_mode & (S_ISUID | S_IXOTH)) != 0) {
        pending_delete.push_back(e.path());
      } else {
        data.push_back({id, e.path()});
      }
    } else if (too_big) {
      throw Error(ErrorCode::kNotADatabase,
                  e.path().string() +
                      ": a Basho bitcask file name whose number does not fit the 32-bit file id");
    }
  }
  if (data.empty() && pending_delete.empty()) {
    if (hints > 0) {
      // Hint files only index data files; without them the keys are gone.
      throw Error(ErrorCode::kCorruption,
                  dir.string() +
                      ": Basho bitcask hint files (N.bitcask.hint) without their data "
                      "files (N.bitcask.data)");
    }
    // A cask a node has opened but not written yet has only its lock.
    if (!write_lock && !merge_lock) return nullptr;
  }

  // Apply order: by file id, numerically (bitcask:list_data_files/3 sorts
  // {Id, Name} pairs); the name only breaks ties such as "7" and "007".
  std::sort(data.begin(), data.end(), [](const Data& a, const Data& b) {
    return a.id != b.id ? a.id < b.id : a.path.filename() < b.path.filename();
  });
  std::vector<ForeignFile> files;
  for (const Data& d : data) {
    ForeignFile f;
    f.path = d.path;
    f.id = static_cast<std::uint32_t>(files.size() + 1);
    f.first_record_offset = 0;
    f.encoding = "Basho data, file id " + std::to_string(d.id);
    check_first_record(f);
    files.push_back(std::move(f));
  }
  return std::make_unique<BashoLayout>(std::move(files), hints, std::move(pending_delete),
                                       write_lock, merge_lock);
}

}  // namespace bitcask
