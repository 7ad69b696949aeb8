#include "file_util.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <functional>
#include <mutex>
#include <utility>

#include "fault_injection.h"

namespace bitcask {

namespace {

ErrorCode code_for_errno(int err) {
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:  // the file may grow no further (RLIMIT_FSIZE, the file system's limit)
      return ErrorCode::kNoSpace;
    case EACCES:
    case EPERM:
    case EROFS:
      return ErrorCode::kPermissionDenied;
    case ENOENT:
      return ErrorCode::kNotFound;
    default:
      return ErrorCode::kIo;
  }
}

}  // namespace

namespace fault {

namespace {
std::atomic<bool> g_enabled{false};
std::mutex g_mu;
Hook g_hook;
std::atomic<bool> g_observing{false};
std::mutex g_observer_mu;
Observer g_observer;
}  // namespace

const char* to_string(Op op) {
  switch (op) {
    case Op::kOpen:
      return "open";
    case Op::kWrite:
      return "write";
    case Op::kRead:
      return "read";
    case Op::kSync:
      return "sync";
    case Op::kRename:
      return "rename";
    case Op::kRemove:
      return "remove";
    case Op::kTruncate:
      return "truncate";
    case Op::kMkdir:
      return "mkdir";
    case Op::kMap:
      return "map";
    case Op::kAllocate:
      return "allocate";
  }
  return "?";
}

void set_hook(Hook hook) {
  std::lock_guard lock(g_mu);
  g_hook = std::move(hook);
  g_enabled.store(static_cast<bool>(g_hook));
}

int check(Op op, const fs::path& path) {
  if (!g_enabled.load(std::memory_order_relaxed)) return 0;
  std::lock_guard lock(g_mu);
  return g_hook ? g_hook(op, path) : 0;
}

void set_observer(Observer observer) {
  std::lock_guard lock(g_observer_mu);
  g_observer = std::move(observer);
  g_observing.store(static_cast<bool>(g_observer));
}

void observe(Op op, const fs::path& path, const fs::path& from) {
  if (!g_observing.load(std::memory_order_relaxed)) return;
  std::lock_guard lock(g_observer_mu);
  if (g_observer) g_observer(op, path, from);
}

void observe(Op op, const fs::path& path) {
  if (!g_observing.load(std::memory_order_relaxed)) return;
  observe(op, path, fs::path());
}

}  // namespace fault

void throw_errno(int err, const std::string& what, const fs::path& path) {
  throw Error(code_for_errno(err), what + " '" + path.string() + "': " + std::strerror(err));
}

File::~File() {
  if (fd_ >= 0) ::close(fd_);
}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

File open_regular_file(const fs::path& path, int flags, int mode) {
  File f;
  try {
    f = open_file(path, flags | O_NOFOLLOW, mode);
  } catch (const Error& e) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
      throw Error(ErrorCode::kNotADatabase,
                  "'" + path.string() +
                      "' is a symbolic link; database files must be regular files (links are "
                      "not followed, so a write cannot land in the file a link points to)");
    }
    throw;
  }
  struct stat st {};
  if (::fstat(f.fd(), &st) != 0) throw_errno(errno, "cannot stat", path);
  if (!S_ISREG(st.st_mode)) {
    throw Error(ErrorCode::kNotADatabase,
                "'" + path.string() + "' is not a regular file; database files must be");
  }
  return f;
}

File open_file(const fs::path& path, int flags, int mode) {
  if (int err = fault::check(fault::Op::kOpen, path)) throw_errno(err, "cannot open", path);
  int fd;
  do {
    fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) throw_errno(errno, "cannot open", path);
  fault::observe(fault::Op::kOpen, path);
  return File(fd);
}

std::uint64_t file_size(const File& file, const fs::path& path) {
  struct stat st {};
  if (::fstat(file.fd(), &st) != 0) throw_errno(errno, "cannot stat", path);
  return static_cast<std::uint64_t>(st.st_size);
}

void pwrite_all(const File& file, const fs::path& path, std::string_view data,
                std::uint64_t offset) {
  const char* p = data.data();
  std::size_t left = data.size();
  if (int err = fault::check(fault::Op::kWrite, path)) {
    // As a torn write would: part of the bytes land, then the error.
    // (Whether the torn half landed does not matter: the write fails anyway.)
    if (data.size() > 1) {
      [[maybe_unused]] const ssize_t torn =
          ::pwrite(file.fd(), p, data.size() / 2, static_cast<off_t>(offset));
    }
    throw_errno(err, "cannot write at offset " + std::to_string(offset) + " of", path);
  }
  while (left > 0) {
    ssize_t n = ::pwrite(file.fd(), p, left, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_errno(errno, "cannot write at offset " + std::to_string(offset) + " of", path);
    }
    if (n == 0) throw_errno(EIO, "wrote nothing at offset " + std::to_string(offset) + " of", path);
    p += n;
    left -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  fault::observe(fault::Op::kWrite, path);
}

void pread_exact(const File& file, const fs::path& path, char* buf, std::size_t n,
                 std::uint64_t offset) {
  if (int err = fault::check(fault::Op::kRead, path)) {
    throw_errno(err, "cannot read at offset " + std::to_string(offset) + " of", path);
  }
  while (n > 0) {
    ssize_t got = ::pread(file.fd(), buf, n, static_cast<off_t>(offset));
    if (got < 0) {
      if (errno == EINTR) continue;
      throw_errno(errno, "cannot read at offset " + std::to_string(offset) + " of", path);
    }
    if (got == 0) {
      throw Error(ErrorCode::kCorruption, "unexpected end of file at offset " +
                                              std::to_string(offset) + " of '" + path.string() +
                                              "'");
    }
    buf += got;
    n -= static_cast<std::size_t>(got);
    offset += static_cast<std::uint64_t>(got);
  }
  fault::observe(fault::Op::kRead, path);
}

void fdatasync_file(const File& file, const fs::path& path) {
  if (int err = fault::check(fault::Op::kSync, path)) throw_errno(err, "cannot sync", path);
  if (::fdatasync(file.fd()) != 0) throw_errno(errno, "cannot sync", path);
  fault::observe(fault::Op::kSync, path);
}

void fsync_file(const File& file, const fs::path& path) {
  if (int err = fault::check(fault::Op::kSync, path)) throw_errno(err, "cannot sync", path);
  if (::fsync(file.fd()) != 0) throw_errno(errno, "cannot sync", path);
  fault::observe(fault::Op::kSync, path);
}

void truncate_file(const File& file, const fs::path& path, std::uint64_t size) {
  if (int err = fault::check(fault::Op::kTruncate, path)) {
    throw_errno(err, "cannot truncate to " + std::to_string(size) + " bytes", path);
  }
  if (::ftruncate(file.fd(), static_cast<off_t>(size)) != 0) {
    throw_errno(errno, "cannot truncate to " + std::to_string(size) + " bytes", path);
  }
  fault::observe(fault::Op::kTruncate, path);
}

void allocate_file(const File& file, const fs::path& path, std::uint64_t offset,
                   std::uint64_t length) {
  const std::string what = "cannot allocate " + std::to_string(length) + " bytes at offset " +
                           std::to_string(offset) + " of";
  if (int err = fault::check(fault::Op::kAllocate, path)) throw_errno(err, what, path);
  // posix_fallocate falls back to writing zeros where the file system has
  // no fallocate(2); either way the blocks exist afterwards.
  int err;
  do {
    err = ::posix_fallocate(file.fd(), static_cast<off_t>(offset), static_cast<off_t>(length));
  } while (err == EINTR);
  if (err != 0) throw_errno(err, what, path);
  fault::observe(fault::Op::kAllocate, path);
}

void write_zeros(const File& file, const fs::path& path, std::uint64_t offset, std::uint64_t length,
                 std::uint64_t piece) {
  static const std::string zeros(std::size_t{1} << 20, '\0');
  // Making room, as allocate_file is (the same fault, the same words).
  const std::string what = "cannot allocate " + std::to_string(length) + " bytes at offset " +
                           std::to_string(offset) + " of";
  if (int err = fault::check(fault::Op::kAllocate, path)) throw_errno(err, what, path);
  while (length > 0) {
    const std::uint64_t n = std::min<std::uint64_t>({length, piece, zeros.size()});
    const ssize_t wrote = ::pwrite(file.fd(), zeros.data(), n, static_cast<off_t>(offset));
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) throw_errno(wrote < 0 ? errno : EIO, what, path);
    offset += static_cast<std::uint64_t>(wrote);
    length -= static_cast<std::uint64_t>(wrote);
  }
  fault::observe(fault::Op::kAllocate, path);
}

void start_writeback(const File& file, std::uint64_t offset, std::uint64_t length) {
  ::sync_file_range(file.fd(), static_cast<off_t>(offset), static_cast<off_t>(length),
                    SYNC_FILE_RANGE_WRITE);
}

void fsync_dir(const fs::path& dir) {
  File d = open_file(dir, O_RDONLY | O_DIRECTORY);
  if (int err = fault::check(fault::Op::kSync, dir)) throw_errno(err, "cannot sync directory", dir);
  if (::fsync(d.fd()) != 0) throw_errno(errno, "cannot sync directory", dir);
  fault::observe(fault::Op::kSync, dir);
}

void write_file_durably(const fs::path& path, std::string_view contents) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    File f = open_file(tmp, O_WRONLY | O_CREAT | O_TRUNC);
    pwrite_all(f, tmp, contents, 0);
    fsync_file(f, tmp);
  }
  rename_durably(tmp, path);
}

void rename_file(const fs::path& from, const fs::path& to) {
  if (int err = fault::check(fault::Op::kRename, to)) throw_errno(err, "cannot rename to", to);
  if (::rename(from.c_str(), to.c_str()) != 0) throw_errno(errno, "cannot rename to", to);
  fault::observe(fault::Op::kRename, to, from);
}

void rename_durably(const fs::path& from, const fs::path& to) {
  rename_file(from, to);
  fsync_dir(to.parent_path());
}

bool remove_file(const fs::path& path) {
  if (int err = fault::check(fault::Op::kRemove, path)) throw_errno(err, "cannot remove", path);
  if (::unlink(path.c_str()) == 0) {
    fault::observe(fault::Op::kRemove, path);
    return true;
  }
  if (errno == ENOENT) return false;
  throw_errno(errno, "cannot remove", path);
}

void create_dirs_durably(const fs::path& dir) {
  if (dir.empty() || fs::exists(dir)) return;
  create_dirs_durably(dir.parent_path());
  if (int err = fault::check(fault::Op::kMkdir, dir)) {
    throw_errno(err, "cannot create directory", dir);
  }
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    throw_errno(errno, "cannot create directory", dir);
  }
  fault::observe(fault::Op::kMkdir, dir);
  fs::path parent = dir.parent_path();
  fsync_dir(parent.empty() ? fs::path(".") : parent);
}

Mapping::Mapping(const File& file, const fs::path& path, std::uint64_t length) {
  if (length == 0) return;
  if (int err = fault::check(fault::Op::kMap, path)) throw_errno(err, "cannot map", path);
  void* p = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, file.fd(), 0);
  if (p == MAP_FAILED) throw_errno(errno, "cannot map", path);
  data_ = static_cast<char*>(p);
  length_ = length;
  fault::observe(fault::Op::kMap, path);
}

Mapping Mapping::writable(const File& file, const fs::path& path, std::uint64_t length) {
  Mapping m;
  if (length == 0) return m;
  if (int err = fault::check(fault::Op::kMap, path)) throw_errno(err, "cannot map", path);
  void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, file.fd(), 0);
  if (p == MAP_FAILED) throw_errno(errno, "cannot map", path);
  m.data_ = static_cast<char*>(p);
  m.length_ = length;
  fault::observe(fault::Op::kMap, path);
  return m;
}

void Mapping::protect_read_only() const {
  if (data_) ::mprotect(data_, length_, PROT_READ);
}

void Mapping::populate(std::uint64_t offset, std::uint64_t length) const {
#ifdef MADV_POPULATE_WRITE
  const std::uint64_t page = 4096;
  const std::uint64_t begin = offset / page * page;
  const std::uint64_t end = std::min(length_, offset + length);
  if (!data_ || end <= begin) return;
  // Older kernels (before 5.14) refuse it: stores then fault page by page.
  ::madvise(data_ + begin, end - begin, MADV_POPULATE_WRITE);
#else
  (void)offset;
  (void)length;
#endif
}

void Mapping::unmap_pages(std::uint64_t offset, std::uint64_t length) const {
  const std::uint64_t page = 4096;
  const std::uint64_t begin = (offset + page - 1) / page * page;
  const std::uint64_t end = std::min(length_, offset + length) / page * page;
  if (!data_ || end <= begin) return;
  ::madvise(data_ + begin, end - begin, MADV_DONTNEED);
}

Mapping Mapping::copy_of(const File& file, const fs::path& path, std::uint64_t length,
                         std::uint64_t stable_prefix) {
  Mapping m;
  if (length == 0) return m;
  void* p = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw_errno(errno, "cannot allocate memory for a copy of", path);
  m.data_ = static_cast<char*>(p);
  m.length_ = length;
  // Whole pages of the stable prefix are the file's own pages, mapped over
  // the start of the copy: no memory of ours, nothing read up front.
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  const std::uint64_t shared = std::min(stable_prefix, length) / page * page;
  if (shared > 0) {
    if (int err = fault::check(fault::Op::kMap, path)) throw_errno(err, "cannot map", path);
    if (::mmap(p, shared, PROT_READ, MAP_SHARED | MAP_FIXED, file.fd(), 0) == MAP_FAILED) {
      throw_errno(errno, "cannot map", path);
    }
    fault::observe(fault::Op::kMap, path);
  }
  m.read_from(file, path, shared);
  ::mprotect(m.data_ + shared, length - shared, PROT_READ);
  return m;
}

void Mapping::reread(const File& file, const fs::path& path, std::uint64_t from) {
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  const std::uint64_t start = from / page * page;
  if (start >= length_) return;
  ::mprotect(data_ + start, length_ - start, PROT_READ | PROT_WRITE);
  read_from(file, path, from);
  ::mprotect(data_ + start, length_ - start, PROT_READ);
}

void Mapping::read_from(const File& file, const fs::path& path, std::uint64_t from) {
  // Not pread_exact: the writer may cut the file meanwhile (the zeros it
  // preallocated, at roll-over or close); what is gone stays as it was.
  if (int err = fault::check(fault::Op::kRead, path)) {
    throw_errno(err, "cannot read at offset " + std::to_string(from) + " of", path);
  }
  for (std::uint64_t done = from; done < length_;) {
    const ssize_t got = ::pread(file.fd(), data_ + done, length_ - done, static_cast<off_t>(done));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw_errno(errno, "cannot read at offset " + std::to_string(done) + " of", path);
    if (got == 0) break;
    done += static_cast<std::uint64_t>(got);
  }
  fault::observe(fault::Op::kRead, path);
}

Mapping::~Mapping() {
  if (data_) ::munmap(data_, length_);
}

Mapping::Mapping(Mapping&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), length_(std::exchange(other.length_, 0)) {}

Mapping& Mapping::operator=(Mapping&& other) noexcept {
  if (this != &other) {
    if (data_) ::munmap(data_, length_);
    data_ = std::exchange(other.data_, nullptr);
    length_ = std::exchange(other.length_, 0);
  }
  return *this;
}

DirLock::DirLock(const fs::path& dir) {
  fs::path path = dir / "LOCK";
  file_ = open_file(path, O_RDWR | O_CREAT);
  if (::flock(file_.fd(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      // The holder wrote its pid into the file (below); name it when it did.
      std::string holder = "another writer";
      char buf[32] = {};
      const ssize_t n = ::pread(file_.fd(), buf, sizeof buf - 1, 0);
      if (n > 0) {
        const std::string text(buf, static_cast<std::size_t>(n));
        const std::size_t digits = text.find_first_not_of("0123456789");
        if (digits > 0 && digits != std::string::npos && text[digits] == '\n') {
          holder += " (process " + text.substr(0, digits) + ")";
        }
      }
      throw Error(ErrorCode::kLocked, "database '" + dir.string() + "' is locked by " + holder +
                                          ", which holds " + path.string() +
                                          "; close that writer or open the database read-only");
    }
    throw_errno(errno, "cannot lock", path);
  }
  // The holder's pid, for people looking at a stuck lock.
  std::string pid = std::to_string(::getpid()) + "\n";
  truncate_file(file_, path, 0);
  pwrite_all(file_, path, pid, 0);
}

}  // namespace bitcask
