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
