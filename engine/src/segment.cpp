#include "segment.h"

#include <bitcask/options.h>
#include <fcntl.h>

#include "format.h"
#include "layout.h"
#include "segment_reader.h"

namespace bitcask {

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
      map_(std::move(map)) {}

std::shared_ptr<Segment> Segment::create(const fs::path& dir, std::uint32_t id,
                                         std::uint64_t max_size) {
  fs::path path = dir / format::segment_file_name(id);
  File f = open_regular_file(path, O_RDWR | O_CREAT | O_EXCL);
  const std::string header = format::encode_segment_header(id);
  pwrite_all(f, path, header, 0);
  fdatasync_file(f, path);
  fsync_dir(dir);
  Mapping map(f, path, active_segment_reserve(max_size));
  return std::shared_ptr<Segment>(
      new Segment(path, id, SegmentFormat::kNative, std::move(f), header.size(), std::move(map)));
}

std::shared_ptr<Segment> Segment::open(const fs::path& path, std::uint32_t id, SegmentFormat format,
                                       Mode mode, std::uint64_t reserve) {
  File f = open_regular_file(path, mode == Mode::kAppend ? O_RDWR : O_RDONLY);
  const std::uint64_t size = file_size(f, path);
  Mapping map = mode == Mode::kSnapshot ? Mapping::copy_of(f, path, size)
                                        : Mapping(f, path, std::max(reserve, size));
  if (mode != Mode::kAppend) f = File();
  return std::shared_ptr<Segment>(
      new Segment(path, id, format, std::move(f), size, std::move(map)));
}

std::uint64_t Segment::first_record_offset() const {
  return foreign_ ? foreign_->first_record_offset : bitcask::first_record_offset(format_);
}

void Segment::append(std::string_view bytes) {
  // Only the active segment is writable (kAppend or create()).
  if (!file_.valid()) {
    throw Error(ErrorCode::kReadOnly, "segment '" + path_.string() + "' is sealed");
  }
  const std::uint64_t at = size();
  pwrite_all(file_, path_, bytes, at);
  size_.store(at + bytes.size(), std::memory_order_release);
}

void Segment::sync() const {
  // A sealed segment was synced before it was sealed (rotation, merge).
  if (file_.valid()) fdatasync_file(file_, path_);
}

void Segment::truncate(std::uint64_t size) {
  truncate_file(file_, path_, size);
  fdatasync_file(file_, path_);
  size_.store(size, std::memory_order_release);
}

}  // namespace bitcask
