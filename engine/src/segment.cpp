#include "segment.h"

#include <bitcask/options.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <vector>

#include "fault_injection.h"
#include "format.h"
#include "layout.h"
#include "segment_reader.h"

namespace bitcask {

namespace {

constexpr std::uint64_t kPage = 4096;
// The file grows in steps that double from the first to the last size: a
// small database stays small, a busy one asks for blocks every 16 MiB. The
// cap bounds the zeros a crash leaves, which recovery (and a reader of the
// live database) reads through.
constexpr std::uint64_t kFirstAllocation = 64 << 10;
constexpr std::uint64_t kMaxAllocation = 16 << 20;
// Pages are faulted in writable this far ahead of the writer, so copies into
// the mapping take no page faults. It also writes those pages once as zeros
// (they are dirty), which turns the preallocated extents into written ones:
// an fdatasync then flushes data without a journal commit for the extents.
constexpr std::uint64_t kPopulateAhead = 1 << 20;
// No huge pages: Linux maps a regular file's pages shared and writable only
// at the base page size (huge pages there are tmpfs's, or read-only text).

std::uint64_t round_up(std::uint64_t n, std::uint64_t to) { return (n + to - 1) / to * to; }

}  // namespace

std::uint64_t active_segment_reserve(std::uint64_t max_segment_size) {
  const std::uint64_t largest_record =
      std::uint64_t{format::kRecordHeaderSize} + 8 + kMaxKeySize + kMaxValueSize;
  const std::uint64_t page = 4096;
  return (max_segment_size + largest_record + page - 1) / page * page;
}

Segment::Segment(fs::path path, std::uint32_t id, SegmentFormat format, File file,
                 std::uint64_t size, Mapping map)
    : path_(std::move(path)),
      id_(id),
      format_(format),
      file_(std::move(file)),
      size_(size),
      map_(std::move(map)),
      allocated_(size),
      populated_(size),
      writable_(file_.valid()) {}

std::shared_ptr<Segment> Segment::create(const fs::path& dir, std::uint32_t id,
                                         std::uint64_t max_size) {
  fs::path path = dir / format::segment_file_name(id);
  File f = open_regular_file(path, O_RDWR | O_CREAT | O_EXCL);
  const std::string header = format::encode_segment_header(id);
  pwrite_all(f, path, header, 0);
  fdatasync_file(f, path);
  fsync_dir(dir);
  Mapping map = Mapping::writable(f, path, active_segment_reserve(max_size));
  return std::shared_ptr<Segment>(
      new Segment(path, id, SegmentFormat::kNative, std::move(f), header.size(), std::move(map)));
}

std::shared_ptr<Segment> Segment::open(const fs::path& path, std::uint32_t id, SegmentFormat format,
                                       Mode mode, std::uint64_t reserve,
                                       std::uint64_t stable_prefix) {
  File f = open_regular_file(path, mode == Mode::kAppend ? O_RDWR : O_RDONLY);
  const std::uint64_t size = file_size(f, path);
  Mapping map = mode == Mode::kSnapshot ? Mapping::copy_of(f, path, size, stable_prefix)
                : mode == Mode::kAppend ? Mapping::writable(f, path, std::max(reserve, size))
                                        : Mapping(f, path, size);
  if (mode != Mode::kAppend) f = File();
  return std::shared_ptr<Segment>(
      new Segment(path, id, format, std::move(f), size, std::move(map)));
}

std::uint64_t Segment::first_record_offset() const {
  return foreign_ ? foreign_->first_record_offset : bitcask::first_record_offset(format_);
}

void Segment::allocate(std::uint64_t end) {
  if (end > map_.length()) {
    throw Error(ErrorCode::kIo, "append of " + std::to_string(end - size()) +
                                    " bytes would run past the mapping of '" + path_.string() +
                                    "' (" + std::to_string(map_.length()) + " bytes)");
  }
  const std::uint64_t step = std::clamp(allocated_, kFirstAllocation, kMaxAllocation);
  const std::uint64_t target =
      std::min(map_.length(), round_up(std::max(end, allocated_ + step), kPage));
  allocate_file(file_, path_, allocated_, target - allocated_);
  allocated_ = target;
}

char* Segment::begin_append(std::size_t n) {
  // Only the active segment is writable (kAppend or create()).
  if (!writable_) {
    throw Error(ErrorCode::kReadOnly, "segment '" + path_.string() + "' is sealed");
  }
  const std::uint64_t at = size_.load(std::memory_order_relaxed);
  const std::uint64_t end = at + n;
  if (end > allocated_) allocate(end);
  if (end > populated_) {
    const std::uint64_t to = std::min(allocated_, round_up(end + kPopulateAhead, kPage));
    // Not below `at`: a large append (pwrite) may have put data past
    // populated_.
    prefill(std::max(populated_, at), to);
    map_.populate(populated_, to - populated_);
    populated_ = to;
  }
  return map_.mutable_data() + at;
}

// Writes zeros over [from, to) of the preallocated tail (zeros already:
// past the data, a torn tail was cut when the segment was opened) through
// the file, so the pages enter the page cache written. Faulted in through
// the mapping instead, each page of an fallocate()d range is first read (a
// page-cache fill of the unwritten extent) and then made writable, which
// cost a quarter of the CPU time of 1 KiB puts (perf). Only advice, as
// MADV_POPULATE_WRITE is: on an error the mapping faults the pages itself.
void Segment::prefill(std::uint64_t from, std::uint64_t to) const {
  static const std::vector<char> zeros(256 << 10);
  while (from < to) {
    const std::size_t len =
        static_cast<std::size_t>(std::min<std::uint64_t>(to - from, zeros.size()));
    const ssize_t n = ::pwrite(file_.fd(), zeros.data(), len, static_cast<off_t>(from));
    if (n <= 0) return;
    from += static_cast<std::uint64_t>(n);
  }
}

void Segment::end_append(char* dst, std::size_t n) {
  const std::uint64_t at = static_cast<std::uint64_t>(dst - map_.mutable_data());
  if (int err = fault::check(fault::Op::kWrite, path_)) {
    // As a process stopped in the middle of the copy leaves it: the first
    // half there, the rest still the zeros of the preallocated tail.
    std::memset(dst + n / 2, 0, n - n / 2);
    throw_errno(err, "cannot write at offset " + std::to_string(at) + " of", path_);
  }
  // Published after the bytes: a reader that sees the size sees them.
  size_.store(at + n, std::memory_order_release);
  fault::observe(fault::Op::kWrite, path_);
}

void Segment::append(std::string_view bytes) {
  if (bytes.size() < kLargeAppend) {
    append_in_place(bytes.size(), [&](char* dst) { std::memcpy(dst, bytes.data(), bytes.size()); });
    return;
  }
  if (!writable_) {
    throw Error(ErrorCode::kReadOnly, "segment '" + path_.string() + "' is sealed");
  }
  const std::uint64_t at = size_.load(std::memory_order_relaxed);
  if (at + bytes.size() > allocated_) allocate(at + bytes.size());
  pwrite_all(file_, path_, bytes, at);
  size_.store(at + bytes.size(), std::memory_order_release);
}

void Segment::sync() const {
  // A sealed segment was synced before it was sealed (rotation, merge).
  if (file_.valid()) fdatasync_file(file_, path_);
}

void Segment::seal() {
  if (!writable_) return;
  const std::uint64_t end = size();
  if (allocated_ > end) {
    truncate_file(file_, path_, end);
    allocated_ = end;
    populated_ = end;
  }
  fdatasync_file(file_, path_);
  writable_ = false;
  map_.protect_read_only();
}

void Segment::truncate(std::uint64_t size) {
  truncate_file(file_, path_, size);
  fdatasync_file(file_, path_);
  allocated_ = size;
  populated_ = std::min(populated_, size);
  size_.store(size, std::memory_order_release);
}

}  // namespace bitcask
