// A segment: one append-only file of records. The active segment takes
// appends; once sealed a segment never changes until a merge removes it.
//
// Reads go through a shared read-only mapping of the file: a point read is a
// memcpy from the page cache instead of a pread system call. The active
// segment's mapping is reserved at its maximum size up front (address space
// only), so it never has to move while readers use it; only bytes below the
// file's size are ever touched. Only the active segment keeps its file
// descriptor: a mapping does not need one, so a database of thousands of
// segments opens under the usual limit of 1,024 open files.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "file_util.h"

namespace bitcask {

// kForeign: a file of a foreign layout (layout.h), decoded by its Layout.
enum class SegmentFormat { kNative, kForeign };

class Layout;
struct ForeignFile;

class Segment {
 public:
  // Creates a new, empty native segment durably (header written and synced,
  // directory synced) and opens it for appends.
  static std::shared_ptr<Segment> create(const fs::path& dir, std::uint32_t id,
                                         std::uint64_t max_size);
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
  static std::shared_ptr<Segment> open(const fs::path& path, std::uint32_t id, SegmentFormat format,
                                       Mode mode, std::uint64_t reserve = 0);

  std::uint32_t id() const { return id_; }
  const fs::path& path() const { return path_; }
  std::string file_name() const { return path_.filename().string(); }
  SegmentFormat format() const { return format_; }
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

  // Appends `bytes` at the end. On failure the segment's size is unchanged;
  // the file may hold part of the bytes past it (cut back on recovery).
  void append(std::string_view bytes);
  void sync() const;
  // After the file was renamed (merge outputs), before others can see it.
  void set_path(fs::path path) { path_ = std::move(path); }
  // Cuts the file back to `size` and syncs (recovery of a torn tail).
  void truncate(std::uint64_t size);

 private:
  Segment(fs::path path, std::uint32_t id, SegmentFormat format, File file, std::uint64_t size,
          Mapping map);

  fs::path path_;
  std::uint32_t id_;
  SegmentFormat format_;
  File file_;
  std::atomic<std::uint64_t> size_;
  Mapping map_;
  const Layout* layout_ = nullptr;
  const ForeignFile* foreign_ = nullptr;
};

// Mapping size to reserve for an active segment of this maximum size: room
// for one more record of the largest size, page aligned.
std::uint64_t active_segment_reserve(std::uint64_t max_segment_size);

}  // namespace bitcask
