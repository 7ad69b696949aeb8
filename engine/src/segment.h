// A segment: one append-only file of records. The active segment takes
// appends; once sealed a segment never changes until a merge removes it.
//
// Reads go through a shared mapping of the file: a point read is a memcpy
// from the page cache instead of a pread system call. The active segment's
// mapping is reserved at its maximum size up front (address space only), so
// it never has to move while readers use it; only bytes below size() are
// ever read.
//
// The active segment's mapping is writable and an append is a copy into it:
// no system call (under SyncPolicy::Always, large appends into pages not
// made yet go through pwrite(2), see kLargeAppend). The file is grown ahead of the writer in steps
// with real blocks (allocate_file), so a full disk is an error of the first append that does not
// fit (a step that does not fit is cut to what the append needs), never a SIGBUS during a copy; the
// bytes past the data are zeros until written. A write-ahead thread of the segment (started when it
// is created or by its first append, stopped by seal) grows the file, writes zeros into the page
// cache and faults those pages in ahead of the writer, so an append normally makes no system call
// and takes no page fault; when the writer catches up it does the step itself, and an error of that
// step is the append's. Sealing cuts that preallocated tail off, durably; a crash leaves it, and
// recovery finds the data end (engine/FORMAT.md, "End of data"). Only the active segment keeps its
// file descriptor: a mapping does not need one, so a database of thousands of segments opens under
// the usual limit of 1,024 open files.
#pragma once

#include <absl/base/thread_annotations.h>
#include <bitcask/options.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include "file_util.h"
#include "mutex.h"

namespace bitcask {

// kForeign: a file of a foreign layout (layout.h), decoded by its Layout.
enum class SegmentFormat { kNative, kForeign };

class Layout;
struct ForeignFile;

// How the write-ahead thread makes pages: zeros written with one pwrite per
// piece, which the page cache keeps as folios of up to the piece's size. A
// large folio is cheaper to make and to fault in, but dirtied by one store
// it is written back whole: a record synced on its own (SyncPolicy::Always)
// then writes up to a MiB to the disk (measured, stores of 130 bytes into
// such pages, each followed by an fdatasync: 303 us against 93 for pages
// made one by one).
enum class PagePieces {
  kLarge,       // 1 MiB pieces (kPrepareChunk): nothing is synced record by record
  kSinglePage,  // 4 KiB pieces: every write is synced
};
PagePieces page_pieces_for(SyncPolicy sync);

class Segment {
 public:
  // Creates a new, empty native segment durably (header written and synced,
  // directory synced) and opens it for appends.
  static std::shared_ptr<Segment> create(const fs::path& dir, std::uint32_t id,
                                         std::uint64_t max_size, PagePieces pieces);
  // How an existing file is opened.
  enum class Mode {
    kSealed,  // mapped as it is; no descriptor kept
    kAppend,  // writable, mapped at `reserve` bytes, takes appends
    // A private copy in memory: the newest segment seen by a read-only
    // reader, which the directory's writer may cut back (a torn tail) or
    // grow while it is read.
    kSnapshot,
  };
  // Opens an existing file, never through a symbolic link.
  // kAppend maps `reserve` bytes. kSnapshot copies the file except its first
  // `stable_prefix` bytes, which are mapped (Mapping::copy_of): bytes a hint
  // covers, which no writer cuts (engine/FORMAT.md, "End of data").
  // kAppend makes the pages ahead of the writer by `pieces`.
  static std::shared_ptr<Segment> open(const fs::path& path, std::uint32_t id, SegmentFormat format,
                                       Mode mode, std::uint64_t reserve = 0,
                                       std::uint64_t stable_prefix = 0,
                                       PagePieces pieces = PagePieces::kLarge);
  ~Segment();
  Segment(const Segment&) = delete;
  Segment& operator=(const Segment&) = delete;

  std::uint32_t id() const { return id_; }
  const fs::path& path() const { return path_; }
  std::string file_name() const { return path_.filename().string(); }
  SegmentFormat format() const { return format_; }
  // Bytes of data: records end here (a file may be longer, see above).
  std::uint64_t size() const { return size_.load(std::memory_order_acquire); }
  // Base of the mapping; bytes [0, size()) are readable.
  const char* data() const { return map_.data(); }
  // Bytes that can still be appended before the mapping would be exceeded.
  std::uint64_t capacity() const { return map_.length(); }
  // Offset of the first record (past a native header or a format byte).
  std::uint64_t first_record_offset() const;

  // A foreign file: the layout that decodes it (owned by the database, which
  // outlives its segments' use) and the file's entry in it.
  void set_foreign(const Layout* layout, const ForeignFile* file) {
    layout_ = layout;
    foreign_ = file;
  }
  const Layout* layout() const { return layout_; }
  const ForeignFile* foreign_file() const { return foreign_; }

  // Appends `bytes` at the end: grows the file first when needed (a full
  // disk throws kNoSpace here), copies them into the mapping, then
  // publishes the new size, so no reader ever sees part of a record. On
  // failure the segment's size is unchanged; the file may hold part of the
  // bytes past it (found and cut back on recovery). One appender at a time
  // (the database's write lock).
  void append(std::string_view bytes);
  // Where pages are made a page at a time (PagePieces::kSinglePage, every
  // write synced), append() writes from this size on with pwrite(2) into the
  // preallocated file instead of copying into the mapping, unless the pages
  // are in the page cache already (prepared_): the pages pwrite makes are
  // large folios, which the sync writes back in large pieces (measured once,
  // a batch of 100 x 10 KB under SyncPolicy::Always: 0.86-0.89 ms, against
  // 3.9 ms copied into pages made one by one). Where pages are made in large pieces every
  // append is copied in place: a writer that outruns the write-ahead thread
  // makes what it needs itself while the thread goes on ahead (batches of
  // 100 x 10 KB, JSON API: 2.3-3.0 us a value through pwrite, 1.6-2.2 in place).
  static constexpr std::size_t kLargeAppend = 8192;
  // The same for `n` bytes that encode(char* dst) writes straight into the
  // mapping: a record is encoded in place, never copied twice.
  template <typename Encode>
  void append_in_place(std::size_t n, Encode&& encode) {
    char* dst = begin_append(n);
    encode(dst);
    end_append(dst, n);
  }
  // The same where the bytes may be large (a batch): encoded in place when
  // append() would copy them into the mapping (small, or the pages are
  // ready), else into *scratch and written from there with pwrite.
  template <typename Encode>
  void append_encoded(std::size_t n, Encode&& encode, std::string* scratch) {
    if (copies_in_place(n)) {
      append_in_place(n, std::forward<Encode>(encode));
      return;
    }
    scratch->resize(n);
    encode(scratch->data());
    append(*scratch);
  }
  void sync() const;
  // Ends the segment's appends: cuts the preallocated zeros past its data
  // off the file, syncs (so the cut and every record are durable) and makes
  // the mapping read-only. Roll-over, merge and close do this.
  void seal();
  // After the file was renamed (merge outputs), before others can see it.
  void set_path(fs::path path) { path_ = std::move(path); }
  // Cuts the file back to `size` and syncs (recovery of a torn tail).
  void truncate(std::uint64_t size);
  // Recovery found where the data ends: before the preallocated zeros that
  // fill the file past it. Readers see bytes up to there, appends go on
  // from there (over the zeros).
  void set_data_end(std::uint64_t end);
  // Stops (and joins) the write-ahead thread, if running: the file stops
  // growing. Seal and truncate do it; so does a close that does not seal.
  void stop_write_ahead();
  // Bytes the file holds (data and preallocated zeros), for the appender.
  std::uint64_t allocated() const { return allocated_.load(std::memory_order_acquire); }

 private:
  Segment(fs::path path, std::uint32_t id, SegmentFormat format, File file, std::uint64_t size,
          Mapping map, PagePieces pieces);
  // Grows the file so that it holds at least `end` bytes.
  void allocate(std::uint64_t end);
  // Checks that the segment takes appends and makes [size(), end) allocated,
  // doing what the write-ahead thread has not done yet.
  void prepare_append(std::uint64_t end);
  // Writes zeros from prepared_ up to `to` (at most allocated_) and raises
  // prepared_; nothing when it is there already. Throws on a write error.
  void prepare_pages(std::uint64_t to) ABSL_LOCKS_EXCLUDED(prepare_mu_);
  // Whether an append of n bytes is copied into the mapping (see
  // kLargeAppend), not written with pwrite.
  bool copies_in_place(std::size_t n) const {
    return pieces_ == PagePieces::kLarge || n < kLargeAppend ||
           size_.load(std::memory_order_relaxed) + n <= prepared_.load(std::memory_order_acquire);
  }
  // Room for n bytes at the end (grown and faulted in when needed).
  char* begin_append(std::size_t n);
  // The write-ahead thread: started by create() or the first append, stopped (and
  // joined) before the file is cut or the segment goes away.
  void start_write_ahead();
  void write_ahead_loop();
  // Whether the write-ahead thread has something to do for a writer at `pos`
  // (`failed_at`: the allocation that last failed there, left to the writer;
  // `zeros_failed_at`: the same for writing zeros at prepared_).
  bool write_ahead_due(std::uint64_t pos, std::uint64_t failed_at,
                       std::uint64_t zeros_failed_at) const;
  // Wakes the write-ahead thread when the writer at `end` has used up part
  // of what is ready ahead of it.
  void kick_write_ahead(std::uint64_t end);
  // Publishes the n bytes written at dst.
  void end_append(char* dst, std::size_t n);

  fs::path path_;
  std::uint32_t id_;
  SegmentFormat format_;
  File file_;
  std::atomic<std::uint64_t> size_;
  Mapping map_;
  const PagePieces pieces_;
  // The file's size, and up to where pages were faulted in: both only grow
  // while the segment takes appends, raised by the appender or the
  // write-ahead thread, whichever finished a step (raise_to); seal and
  // truncate set them after the thread stopped.
  std::atomic<std::uint64_t> allocated_{0};
  std::atomic<std::uint64_t> populated_{0};
  // Up to where the page cache holds the file's pages: zeros written ahead
  // of the data (prepare_pages), or data. Never below size(). Bytes below it
  // are only ever written by the appender; bytes from it on only by the
  // holder of prepare_mu_, which raises it once they are written: so zeros
  // never land on data, whichever thread writes them.
  std::atomic<std::uint64_t> prepared_{0};
  Mutex prepare_mu_;
  // Set while appends go through pwrite (large appends that outran the
  // thread, under PagePieces::kSinglePage), cleared by a copy into the mapping.
  std::atomic<bool> writing_through_{false};
  // The write-ahead thread's own: data below this was handed to the disk.
  std::atomic<std::uint64_t> written_back_{0};
  // The appender's own (the database's write lock, or recovery before the
  // database is seen).
  bool writable_ = false;
  std::uint64_t next_kick_ = 0;     // wake the write-ahead thread from here on
  bool write_ahead_tried_ = false;  // started once (or failed to start: appends do it all)
  std::thread write_ahead_;

  Mutex ahead_mu_;
  CondVar ahead_cv_;
  bool ahead_stop_ ABSL_GUARDED_BY(ahead_mu_) = false;
  const Layout* layout_ = nullptr;
  const ForeignFile* foreign_ = nullptr;
};

// Mapping size to reserve for an active segment of this maximum size: room
// for one more record of the largest size, page aligned.
std::uint64_t active_segment_reserve(std::uint64_t max_segment_size);

}  // namespace bitcask
