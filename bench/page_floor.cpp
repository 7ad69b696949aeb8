#include "page_floor.h"

#include <fcntl.h>
#include <isa-l/crc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_util.h"

namespace bench {

namespace {

constexpr std::size_t kPage = 4096;
constexpr std::size_t kFileBytes = 64 << 20;  // past the caches, a quarter of a segment
constexpr std::size_t kPiece = 1 << 20;       // as the write-ahead thread writes zeros
constexpr std::size_t kRecord = 10000;
constexpr std::size_t kSegmentBytes = 256 << 20;  // bitcask::kDefaultSegmentSize

// A new file of kFileBytes in `dir`, mapped shared and writable.
class ScratchFile {
 public:
  explicit ScratchFile(const std::filesystem::path& path) : path_(path) {
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot create " + path.string());
    void* p = ::mmap(nullptr, kFileBytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd_, 0);
    if (p == MAP_FAILED) throw std::runtime_error("cannot map " + path.string());
    data_ = static_cast<char*>(p);
  }
  ~ScratchFile() {
    ::munmap(data_, kFileBytes);
    ::close(fd_);
    ::unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  char* data() const { return data_; }

 private:
  std::filesystem::path path_;
  int fd_;
  char* data_;
};

void populate_write(char* p, std::size_t n) {
#ifdef MADV_POPULATE_WRITE
  ::madvise(p, n, MADV_POPULATE_WRITE);
#else
  for (std::size_t off = 0; off < n; off += kPage) p[off] = 0;
#endif
}

double us_per(Clock::time_point start, std::size_t count) {
  return seconds_between(start, Clock::now()) * 1e6 / static_cast<double>(count);
}

// A segment's worth of data written as fast as the kernel takes it, handed
// to the disk 8 MiB behind (as the engine's write-behind does), then the
// fdatasync that sealing the segment waits for. Whatever the disk has not
// written when the writer is done is that wait: writes past one segment run
// at the disk's pace, the floor of the python-matrix cells of 1 GB.
nlohmann::json seal_wait(const std::filesystem::path& dir) {
  const std::filesystem::path path = dir / "segment";
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path.string());
  const std::string data(kPiece, 'd');
  constexpr std::size_t kBehind = 8 << 20;
  const auto start = Clock::now();
  for (std::size_t off = 0; off < kSegmentBytes; off += kPiece) {
    if (::pwrite(fd, data.data(), kPiece, static_cast<off_t>(off)) !=
        static_cast<ssize_t>(kPiece)) {
      ::close(fd);
      throw std::runtime_error("pwrite");
    }
    if (off >= kBehind && off % kBehind == 0) {
      ::sync_file_range(fd, static_cast<off_t>(off - kBehind), kBehind, SYNC_FILE_RANGE_WRITE);
    }
  }
  const auto written = Clock::now();
  ::fdatasync(fd);
  const auto synced = Clock::now();
  ::close(fd);
  std::filesystem::remove(path);
  const double total_s = seconds_between(start, synced);
  return {{"segment_mib", kSegmentBytes >> 20},
          {"segment_write_ms", seconds_between(start, written) * 1e3},
          {"segment_sync_ms", seconds_between(written, synced) * 1e3},
          {"segment_mb_per_s", static_cast<double>(kSegmentBytes) / 1e6 / total_s}};
}

}  // namespace

nlohmann::json page_floor() {
  ScratchDir dir("pages");
  std::filesystem::create_directories(dir.path());
  constexpr std::size_t pages = kFileBytes / kPage;
  nlohmann::json out;
  {
    // The way the write-ahead thread made pages before: every page of the
    // preallocated extent is read as zeros by the file system, then made
    // writable.
    ScratchFile f(dir.path() / "fallocated");
    if (::posix_fallocate(f.fd(), 0, kFileBytes) != 0) throw std::runtime_error("fallocate");
    const auto start = Clock::now();
    for (std::size_t off = 0; off < kFileBytes; off += kPiece)
      populate_write(f.data() + off, kPiece);
    out["fault_in_fallocated_us_per_page"] = us_per(start, pages);
  }
  {
    ScratchFile f(dir.path() / "zeros");
    if (::posix_fallocate(f.fd(), 0, kFileBytes) != 0) throw std::runtime_error("fallocate");
    const std::string zeros(kPiece, '\0');
    auto start = Clock::now();
    for (std::size_t off = 0; off < kFileBytes; off += kPiece) {
      if (::pwrite(f.fd(), zeros.data(), kPiece, static_cast<off_t>(off)) !=
          static_cast<ssize_t>(kPiece)) {
        throw std::runtime_error("pwrite");
      }
    }
    out["zeros_pwrite_us_per_page"] = us_per(start, pages);
    start = Clock::now();
    for (std::size_t off = 0; off < kFileBytes; off += kPiece)
      populate_write(f.data() + off, kPiece);
    out["fault_in_after_zeros_us_per_page"] = us_per(start, pages);
    const std::string record(kRecord, 'r');
    start = Clock::now();
    std::size_t records = 0;
    for (std::size_t off = 0; off + kRecord <= kFileBytes; off += kRecord, ++records) {
      std::memcpy(f.data() + off, record.data(), kRecord);
    }
    out["copy_10kb_us"] = us_per(start, records);
  }
  out.update(seal_wait(dir.path()));
  std::vector<unsigned char> record(kRecord, 'c');
  unsigned crc = 0;
  const std::size_t rounds = 100000;
  const auto start = Clock::now();
  for (std::size_t i = 0; i < rounds; ++i) {
    crc = crc32_iscsi(record.data(), static_cast<int>(record.size()), crc);
  }
  out["crc32c_10kb_us"] = us_per(start, rounds);
  out["crc_check"] = crc;  // so the loop is not optimised away
  return out;
}

}  // namespace bench
