// Every system call the engine makes on files goes through here, so that
// errors are reported the same way everywhere: which operation, on which
// path, at which offset, and the system's reason.
#pragma once

#include <bitcask/error.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace bitcask {

namespace fs = std::filesystem;

// Throws Error with a code derived from errno (ENOSPC -> kNoSpace, EACCES ->
// kPermissionDenied, ...) and "<what> '<path>': <strerror>".
[[noreturn]] void throw_errno(int err, const std::string& what, const fs::path& path);

// An owned file descriptor.
class File {
 public:
  File() = default;
  explicit File(int fd) : fd_(fd) {}
  ~File();
  File(File&& other) noexcept : fd_(other.release()) {}
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  int fd() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

File open_file(const fs::path& path, int flags, int mode = 0644);
// Opens a file of the database: never through a symbolic link (O_NOFOLLOW,
// so a planted link cannot redirect writes), and only a regular file. Both
// refusals say what the file is.
File open_regular_file(const fs::path& path, int flags, int mode = 0644);
std::uint64_t file_size(const File& file, const fs::path& path);
// Writes all of `data` at `offset`; retries short writes and EINTR.
void pwrite_all(const File& file, const fs::path& path, std::string_view data,
                std::uint64_t offset);
// Reads exactly n bytes at offset; throws on a short read.
void pread_exact(const File& file, const fs::path& path, char* buf, std::size_t n,
                 std::uint64_t offset);
void fdatasync_file(const File& file, const fs::path& path);
void fsync_file(const File& file, const fs::path& path);
void truncate_file(const File& file, const fs::path& path, std::uint64_t size);
// Gives the file real blocks for [offset, offset + length), growing it when
// that ends past its size. A full disk is an error here (kNoSpace), so that
// stores into a mapping of the range can never fault for lack of space.
void allocate_file(const File& file, const fs::path& path, std::uint64_t offset,
                   std::uint64_t length);
// Writes zeros over [offset, offset + length) with pwrite(2): the page
// cache then holds those pages, so stores into a shared mapping of them take
// a cheap fault. (Faulting in pages of a preallocated, never written extent
// costs 1.0-4.3 µs a page here, each a read of zeros through the file
// system; writing zeros in 1 MiB pieces creates them at about 0.45 µs, and
// faulting them in then costs about 0.25 µs: `bitcask-bench engine --only
// pages`.) Each pwrite writes at most `piece` bytes: the page cache makes
// its folios, the unit it writes back, up to that size (see PagePieces in
// segment.h).
void write_zeros(const File& file, const fs::path& path, std::uint64_t offset, std::uint64_t length,
                 std::uint64_t piece);
// Starts writing the dirty pages of [offset, offset + length) to the disk
// without waiting for them (sync_file_range). Not a sync: nothing is
// durable by it, so the power-loss model ignores it. A hint, so failures
// are ignored: a failed writeback is reported by the next fdatasync.
void start_writeback(const File& file, std::uint64_t offset, std::uint64_t length);
// Makes a directory entry (a new file, a rename, a removal) durable.
void fsync_dir(const fs::path& dir);
// Renames; the caller syncs the directory.
void rename_file(const fs::path& from, const fs::path& to);
// Renames and syncs the directory, so the new name survives a power loss.
void rename_durably(const fs::path& from, const fs::path& to);
// Unlinks a file (not synced: the caller syncs the directory once). Returns
// false when it did not exist.
bool remove_file(const fs::path& path);
// Creates `path` with `contents` atomically and durably: temp file, fsync,
// rename, fsync the directory.
void write_file_durably(const fs::path& path, std::string_view contents);
// Creates a directory and its missing parents, syncing each parent so the
// new entries survive a power loss.
void create_dirs_durably(const fs::path& dir);

// A shared mapping of `length` bytes of a file (may extend past the current
// end of a file that is still growing; only bytes below the file's size may
// be touched). Read-only unless made with writable().
class Mapping {
 public:
  Mapping() = default;
  Mapping(const File& file, const fs::path& path, std::uint64_t length);
  // A shared, writable mapping: stores land in the page cache, as a write(2)
  // would, and fdatasync of the file makes them durable.
  static Mapping writable(const File& file, const fs::path& path, std::uint64_t length);
  ~Mapping();
  Mapping(Mapping&& other) noexcept;
  Mapping& operator=(Mapping&& other) noexcept;
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;

  // A private copy of the first `length` bytes of a file, in anonymous
  // memory: for a reader of a file another process may shrink (a writer
  // cutting a torn tail or the preallocated zeros past its data), where
  // touching a shared mapping past the new end would raise SIGBUS. Bytes
  // the file lost meanwhile read as zeros, as the preallocated tail does.
  // The first `stable_prefix` bytes, which no writer will cut (the caller
  // knows why), are mapped from the file instead of copied: a segment's
  // newest 256 MiB would otherwise cost a read-only reader 256 MiB of memory.
  static Mapping copy_of(const File& file, const fs::path& path, std::uint64_t length,
                         std::uint64_t stable_prefix = 0);
  // Of a copy_of() copy: reads the file's bytes from `from` (past the stable
  // prefix) to the copy's end again, over what was copied before.
  void reread(const File& file, const fs::path& path, std::uint64_t from);

  const char* data() const { return data_; }
  // Only for a writable() mapping.
  char* mutable_data() const { return data_; }
  std::uint64_t length() const { return length_; }
  // Makes the mapping read-only (a sealed segment): a stray store faults
  // instead of changing data.
  void protect_read_only() const;
  // Faults in [offset, offset + length) writable ahead of the writer, so
  // that stores there take no page fault; a hint, failures are ignored.
  void populate(std::uint64_t offset, std::uint64_t length) const;
  // Drops this mapping's page table entries for whole pages of [offset,
  // offset + length) (of a shared file mapping: the data stays in the page
  // cache, dirty pages stay dirty, and the next access maps them again).
  // Before writeback of pages that are mapped writable: the kernel makes
  // each such page clean in every mapping, a TLB flush and an interrupt of
  // the writer's CPU per 4 KiB page; unmapped first, it is one flush for the
  // range. A hint, failures are ignored.
  void unmap_pages(std::uint64_t offset, std::uint64_t length) const;

 private:
  // Reads the file's bytes [from, length_) into the (writable) copy.
  void read_from(const File& file, const fs::path& path, std::uint64_t from);

  char* data_ = nullptr;
  std::uint64_t length_ = 0;
};

// The exclusive writer lock of a database directory (flock on a LOCK file).
// flock locks belong to an open file description, so a second open of the
// same directory in the same process is refused too.
class DirLock {
 public:
  DirLock() = default;
  // Throws Error(kLocked) naming the directory when another writer holds it.
  explicit DirLock(const fs::path& dir);
  DirLock(DirLock&&) noexcept = default;
  DirLock& operator=(DirLock&&) noexcept = default;

 private:
  File file_;
};

}  // namespace bitcask
