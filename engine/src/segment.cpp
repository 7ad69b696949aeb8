#include "segment.h"

#include <bitcask/options.h>
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cstring>
#include <system_error>

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
// Pages are made this far ahead of the writer: zeros written into the page
// cache with pwrite (write_zeros; with the fault-in after it 0.66-0.72 us a
// page, against 1.0-4.3 us for faulting in a page of a preallocated extent,
// which the file system reads as zeros first: `bitcask-bench engine --only
// pages`), then faulted in writable, so copies into the mapping take no page
// fault. The zeros are dirty pages, which turns the preallocated extents
// into written ones: an fdatasync then flushes data without a journal
// commit for the extents.
constexpr std::uint64_t kPopulateAhead = 4 << 20;
// Pages are prepared this many at a time, by the write-ahead thread or by a
// writer that caught up with it (measured at 64 KiB to 1 MiB: larger pieces
// cost less a page, and the writer waits no longer for them).
constexpr std::uint64_t kPrepareChunk = 1 << 20;
// Except close behind the writer: a writer that caught up with the thread
// makes only this much itself, and the thread's pieces are no larger than its
// lead (and no smaller than this), so that neither the writer's own step nor
// its wait for the thread's piece is a whole piece. (Measured: the first
// delete after a run of batches, which were written with pwrite and so left
// nothing ready ahead, took 15-300 us making a whole 1 MiB piece; 1,000
// deletes of 1 KB cost 0.15 us each.)
constexpr std::uint64_t kCatchUpPiece = 64 << 10;
// The thread is woken each time the writer has used this much of what is
// ready ahead of it.
constexpr std::uint64_t kKickEvery = 1 << 20;
// Written data is handed to the disk (start_writeback) in pieces of this
// size behind the writer, so that the fdatasync of a seal (roll-over, close)
// finds little left to write instead of a whole segment's worth, and so
// that dirty pages never pile up to where the kernel throttles the writer.
constexpr std::uint64_t kWriteBehind = 8 << 20;
// No huge pages: Linux maps a regular file's pages shared and writable only
// at the base page size (huge pages there are tmpfs's, or read-only text).

std::uint64_t round_up(std::uint64_t n, std::uint64_t to) { return (n + to - 1) / to * to; }

// A copy of the newest segment taken while its writer appends: a record the
// writer was copying into its mapping when that page was read is damage
// here, a torn tail or followed by records written before their pages were
// read. Writes complete in order, so reading from the damage again finds it
// whole. Up to three times, until the copy is valid records and at most the
// zeros past them; damage that stays is the file's, and recovery reports it.
void settle_snapshot(const File& file, const fs::path& path, Mapping* copy, std::uint64_t from) {
  const char* const end = copy->data() + copy->length();
  for (int reads = 0; reads < 3; ++reads) {
    SegmentReader reader(copy->data(), copy->length(), SegmentFormat::kNative, from);
    RawRecord rec;
    bool settled = true;
    while (reader.next(&rec)) {
      if (!rec.ok && (!rec.runs_to_end ||
                      std::any_of(copy->data() + rec.offset, end, [](char c) { return c != 0; }))) {
        settled = false;
        break;
      }
    }
    if (settled) return;
    copy->reread(file, path, rec.offset);
    from = rec.offset;
  }
}
std::uint64_t round_down(std::uint64_t n, std::uint64_t to) { return n / to * to; }

// The next allocation step for a file of `allocated` bytes.
std::uint64_t allocation_step(std::uint64_t allocated) {
  return std::clamp(allocated, kFirstAllocation, kMaxAllocation);
}

// Whether the write-ahead thread grows a file of `allocated` bytes for a
// writer at `pos`: half a step before the writer gets to the end.
bool grow_due(std::uint64_t allocated, std::uint64_t pos) {
  return allocated - std::min(allocated, pos) < allocation_step(allocated) / 2;
}

// Raises `a` to at least `v` (the appender and the write-ahead thread both
// raise the same marks; neither ever lowers one).
void raise_to(std::atomic<std::uint64_t>& a, std::uint64_t v) {
  std::uint64_t cur = a.load(std::memory_order_relaxed);
  while (cur < v &&
         !a.compare_exchange_weak(cur, v, std::memory_order_release, std::memory_order_relaxed)) {
  }
}

}  // namespace

std::uint64_t active_segment_reserve(std::uint64_t max_segment_size) {
  const std::uint64_t largest_record =
      std::uint64_t{format::kRecordHeaderSize} + 8 + kMaxKeySize + kMaxValueSize;
  const std::uint64_t page = 4096;
  return (max_segment_size + largest_record + page - 1) / page * page;
}

PagePieces page_pieces_for(SyncPolicy sync) {
  return sync == SyncPolicy::Always ? PagePieces::kSinglePage : PagePieces::kLarge;
}

Segment::Segment(fs::path path, std::uint32_t id, SegmentFormat format, File file,
                 std::uint64_t size, Mapping map, PagePieces pieces)
    : path_(std::move(path)),
      id_(id),
      format_(format),
      file_(std::move(file)),
      size_(size),
      map_(std::move(map)),
      pieces_(pieces),
      allocated_(size),
      populated_(size),
      prepared_(size),
      writable_(file_.valid()) {}

Segment::~Segment() { stop_write_ahead(); }

std::shared_ptr<Segment> Segment::create(const fs::path& dir, std::uint32_t id,
                                         std::uint64_t max_size, PagePieces pieces) {
  fs::path path = dir / format::segment_file_name(id);
  File f = open_regular_file(path, O_RDWR | O_CREAT | O_EXCL);
  const std::string header = format::encode_segment_header(id);
  pwrite_all(f, path, header, 0);
  fdatasync_file(f, path);
  fsync_dir(dir);
  Mapping map = Mapping::writable(f, path, active_segment_reserve(max_size));
  std::shared_ptr<Segment> seg(new Segment(path, id, SegmentFormat::kNative, std::move(f),
                                           header.size(), std::move(map), pieces));
  // A new segment takes appends soon (a new database, a roll-over). Its
  // first piece is made here, so the thread, started now rather than at the
  // first append, begins a piece ahead of the writer: it makes pages faster
  // than records of up to a few KB fill them, but only from ahead (measured:
  // a new database's first 1,000 puts of 1 KB, 0.47 us each without this,
  // 0.20 with it; the open takes about 0.3 ms longer).
  seg->allocate(kPrepareChunk);
  seg->prepare_pages(kPrepareChunk);
  seg->map_.populate(0, kPrepareChunk);
  seg->populated_.store(kPrepareChunk);
  seg->start_write_ahead();
  return seg;
}

std::shared_ptr<Segment> Segment::open(const fs::path& path, std::uint32_t id, SegmentFormat format,
                                       Mode mode, std::uint64_t reserve,
                                       std::uint64_t stable_prefix, PagePieces pieces) {
  File f = open_regular_file(path, mode == Mode::kAppend ? O_RDWR : O_RDONLY);
  const std::uint64_t size = file_size(f, path);
  Mapping map = mode == Mode::kSnapshot ? Mapping::copy_of(f, path, size, stable_prefix)
                : mode == Mode::kAppend ? Mapping::writable(f, path, std::max(reserve, size))
                                        : Mapping(f, path, size);
  if (mode == Mode::kSnapshot && format == SegmentFormat::kNative) {
    settle_snapshot(f, path, &map, stable_prefix);
  }
  if (mode != Mode::kAppend) f = File();
  return std::shared_ptr<Segment>(
      new Segment(path, id, format, std::move(f), size, std::move(map), pieces));
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
  const std::uint64_t from = allocated_.load(std::memory_order_acquire);
  if (end <= from) return;
  const std::uint64_t target =
      std::min(map_.length(), round_up(std::max(end, from + allocation_step(from)), kPage));
  // The write-ahead thread may be allocating the same blocks right now: the
  // file system serialises the two, and both succeed.
  try {
    allocate_file(file_, path_, from, target - from);
  } catch (const Error& e) {
    // The step is for the appends to come: on a disk (or under a file size
    // limit) that still has room for this one, this one goes in, and the
    // error is the first append's that does not fit.
    const std::uint64_t needed = round_up(end, kPage);
    if (e.code() != ErrorCode::kNoSpace || needed >= target) throw;
    allocate_file(file_, path_, from, needed - from);
    raise_to(allocated_, needed);
    return;
  }
  raise_to(allocated_, target);
}

void Segment::prepare_append(std::uint64_t end) {
  // Only the active segment is writable (kAppend or create()).
  if (!writable_) {
    throw Error(ErrorCode::kReadOnly, "segment '" + path_.string() + "' is sealed");
  }
  if (!write_ahead_tried_) start_write_ahead();
  if (end > allocated_.load(std::memory_order_acquire)) allocate(end);
}

void Segment::prepare_pages(std::uint64_t to) {
  MutexLock lock(&prepare_mu_);
  const std::uint64_t from = prepared_.load(std::memory_order_acquire);
  if (to <= from) return;
  write_zeros(file_, path_, from, to - from,
              pieces_ == PagePieces::kSinglePage ? kPage : kPrepareChunk);
  prepared_.store(to, std::memory_order_release);
}

char* Segment::begin_append(std::size_t n) {
  const std::uint64_t at = size_.load(std::memory_order_relaxed);
  const std::uint64_t end = at + n;
  prepare_append(end);
  if (writing_through_.load(std::memory_order_relaxed)) {
    writing_through_.store(false, std::memory_order_relaxed);
  }
  if (end > prepared_.load(std::memory_order_acquire)) {
    // The write-ahead thread is behind: make the pages this copy needs (and
    // a little more) here; the copy then faults them in cheaply.
    prepare_pages(std::min(allocated_.load(std::memory_order_acquire),
                           round_down(end, kCatchUpPiece) + kCatchUpPiece));
    // And the thread takes over from there now, not a kick's distance on
    // (it waits between kicks, and after appends written with pwrite).
    next_kick_ = 0;
  }
  kick_write_ahead(end);
  return map_.mutable_data() + at;
}

void Segment::kick_write_ahead(std::uint64_t end) {
  if (end < next_kick_) return;
  // Often enough for a small file's steps too (the thread grows the file
  // when the writer is half a step from its end).
  next_kick_ = end + std::min(kKickEvery, allocation_step(allocated_.load()) / 4);
  // Taken so that the thread, which checks for work under it, cannot miss
  // the wake-up between its check and its wait.
  MutexLock lock(&ahead_mu_);
  ahead_cv_.Signal();
}

void Segment::start_write_ahead() {
  write_ahead_tried_ = true;
  next_kick_ = 0;
  {
    MutexLock lock(&ahead_mu_);
    ahead_stop_ = false;
  }
  try {
    write_ahead_ = std::thread([this] {
      // Named for top -H and perf: one per database that takes writes.
      ::pthread_setname_np(::pthread_self(), "bitcask-ahead");
      write_ahead_loop();
    });
  } catch (const std::system_error&) {
    // No thread to spare: appends grow the file and fault pages in themselves.
  }
}

void Segment::stop_write_ahead() {
  if (!write_ahead_.joinable()) return;
  {
    MutexLock lock(&ahead_mu_);
    ahead_stop_ = true;
    ahead_cv_.Signal();
  }
  write_ahead_.join();
}

bool Segment::write_ahead_due(std::uint64_t pos, std::uint64_t failed_at,
                              std::uint64_t zeros_failed_at) const {
  const std::uint64_t allocated = allocated_.load(std::memory_order_acquire);
  const bool grow = allocated < map_.length() && allocated != failed_at && grow_due(allocated, pos);
  // From where write_ahead_loop would start (as there, or a writer that
  // caught up at a step that cannot be taken would keep it spinning).
  const std::uint64_t from =
      std::max(populated_.load(std::memory_order_relaxed), round_down(pos, kPage));
  const std::uint64_t ahead = std::min(allocated, round_up(pos + kPopulateAhead, kPage));
  const std::uint64_t prepared = prepared_.load(std::memory_order_acquire);
  const bool fault_in = !writing_through_.load(std::memory_order_relaxed) &&
                        ((prepared < ahead && prepared != zeros_failed_at) || from < prepared);
  const bool write_back =
      pos - std::min(pos, written_back_.load(std::memory_order_relaxed)) >= 2 * kWriteBehind;
  return grow || fault_in || write_back;
}

// Keeps the file allocated at least half a step and the pages faulted in
// kPopulateAhead past the writer. Allocation errors are left to the writer:
// it retries the step itself when it gets there, and a full disk is then the
// error of its append.
void Segment::write_ahead_loop() {
  std::uint64_t failed_at = ~std::uint64_t{0};        // allocated_ when a step last failed
  std::uint64_t zeros_failed_at = ~std::uint64_t{0};  // prepared_ when writing zeros last failed
  for (;;) {
    std::uint64_t pos;
    {
      MutexLock lock(&ahead_mu_);
      for (;;) {
        if (ahead_stop_) return;
        pos = size_.load(std::memory_order_acquire);
        if (write_ahead_due(pos, failed_at, zeros_failed_at)) break;
        ahead_cv_.Wait(&ahead_mu_);
      }
    }
    const std::uint64_t allocated = allocated_.load(std::memory_order_acquire);
    if (allocated < map_.length() && allocated != failed_at && grow_due(allocated, pos)) {
      const std::uint64_t target =
          std::min(map_.length(), round_up(allocated + allocation_step(allocated), kPage));
      try {
        allocate_file(file_, path_, allocated, target - allocated);
        raise_to(allocated_, target);
      } catch (const Error&) {
        failed_at = allocated;
      }
      continue;
    }
    if (!writing_through_.load(std::memory_order_relaxed)) {
      // Zeros first, a piece at a time; then those pages (or ones the writer
      // made itself) are faulted in. Zeros come first while the thread is
      // less than half its window ahead: a writer that passes prepared_
      // writes zeros itself, which costs it more than faulting pages in.
      // Pages the writer already wrote past need no faulting in.
      const std::uint64_t prepared = prepared_.load(std::memory_order_acquire);
      const std::uint64_t ahead = std::min(allocated, round_up(pos + kPopulateAhead, kPage));
      const bool zeros_due = prepared < ahead && prepared != zeros_failed_at;
      if (zeros_due) {
        try {
          // A power of two, ending where a piece of its size would: the page
          // cache keeps naturally aligned folios.
          const std::uint64_t piece =
              std::bit_floor(std::clamp(prepared - pos, kCatchUpPiece, kPrepareChunk));
          prepare_pages(std::min(ahead, round_down(prepared, piece) + piece));
        } catch (const Error&) {
          zeros_failed_at = prepared;  // left to the writer, whose error it is then
        }
        if (prepared_.load(std::memory_order_acquire) < pos + kPopulateAhead / 2) continue;
      }
      const std::uint64_t from =
          std::max(populated_.load(std::memory_order_relaxed), round_down(pos, kPage));
      // A piece at a time, so that zeros the writer needs next wait for no
      // more than one piece.
      const std::uint64_t to =
          std::min(prepared_.load(std::memory_order_acquire), from + kPrepareChunk);
      if (to > from) {
        map_.populate(from, to - from);
        raise_to(populated_, to);
        continue;
      }
    }
    // The pieces before the last one: the writer may still store into the
    // last page it wrote, which writeback would make clean (and fault again).
    const std::uint64_t back = written_back_.load(std::memory_order_relaxed);
    const std::uint64_t until = round_down(pos, kWriteBehind) - kWriteBehind;
    if (pos >= 2 * kWriteBehind && until > back) {
      map_.unmap_pages(back, until - back);
      start_writeback(file_, back, until - back);
      written_back_.store(until, std::memory_order_relaxed);
    }
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
  if (copies_in_place(bytes.size())) {
    append_in_place(bytes.size(), [&](char* dst) { std::memcpy(dst, bytes.data(), bytes.size()); });
    return;
  }
  const std::uint64_t at = size_.load(std::memory_order_relaxed);
  prepare_append(at + bytes.size());
  // The thread stops faulting pages in while appends take this way: it
  // would only fault in the pages pwrite fills next, and contend with it.
  writing_through_.store(true, std::memory_order_relaxed);
  {
    // The thread must not write zeros there meanwhile.
    MutexLock lock(&prepare_mu_);
    pwrite_all(file_, path_, bytes, at);
    raise_to(prepared_, at + bytes.size());
  }
  size_.store(at + bytes.size(), std::memory_order_release);
  kick_write_ahead(at + bytes.size());
}

void Segment::sync() const {
  // A sealed segment was synced before it was sealed (rotation, merge).
  if (file_.valid()) fdatasync_file(file_, path_);
}

void Segment::seal() {
  if (!writable_) return;
  // Before the cut: the thread must not grow the file again, nor fault in
  // pages past its new end.
  stop_write_ahead();
  const std::uint64_t end = size();
  if (allocated_.load() > end) {
    truncate_file(file_, path_, end);
    allocated_.store(end);
    populated_.store(end);
  }
  prepared_.store(std::min(prepared_.load(), end));
  fdatasync_file(file_, path_);
  writable_ = false;
  map_.protect_read_only();
}

void Segment::set_data_end(std::uint64_t end) {
  // The pages past the data were not faulted in by this process.
  populated_.store(std::min(populated_.load(), round_down(end, kPage)));
  prepared_.store(end);
  size_.store(end, std::memory_order_release);
}

void Segment::truncate(std::uint64_t size) {
  stop_write_ahead();
  write_ahead_tried_ = false;  // the next append starts it again
  truncate_file(file_, path_, size);
  fdatasync_file(file_, path_);
  allocated_.store(size);
  populated_.store(std::min(populated_.load(), size));
  prepared_.store(std::min(prepared_.load(), size));
  size_.store(size, std::memory_order_release);
}

}  // namespace bitcask
