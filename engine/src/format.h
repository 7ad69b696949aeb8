// On-disk format version 1: segment file header and record layout.
// engine/FORMAT.md is the specification; this file is its code.
#pragma once

#include <bitcask/options.h>
#include <bitcask/record.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace bitcask::format {

// Marks a directory as a database of this format ("bitcask-format 1\n").
inline constexpr const char* kMarkerFile = "BITCASK";
inline constexpr const char* kMarkerPrefix = "bitcask-format ";
inline constexpr const char* kSegmentSuffix = ".seg";
inline constexpr const char* kLostFoundDir = "lost+found";

// Segment file header: magic (8) | version u16 | flags u16 | segment id u32.
// The magic's high first byte and CR LF catch files mangled by text
// transfers, as PNG's does.
inline constexpr char kSegmentMagic[8] = {'\x89', 'B', 'C', 'A', 'S', 'K', '\r', '\n'};
inline constexpr std::uint32_t kSegmentHeaderSize = 16;

// Record: crc32c u32 | timestamp_us u64 | kind u8 | flags u8 | key_size u16 |
// value_size u32 | [expiry_us u64 if kFlagExpiry] | key | value.
// The CRC covers every byte after itself up to the end of the value.
inline constexpr std::uint32_t kRecordHeaderSize = 20;
inline constexpr std::uint8_t kFlagExpiry = 0x01;
inline constexpr std::uint8_t kFlagCompressionMask = 0x06;  // 0 none, 2 zstd, 4 lz4
inline constexpr std::uint8_t kKnownFlags = kFlagExpiry | kFlagCompressionMask;
inline constexpr std::uint8_t kMaxKind = 3;

// "0000000042.seg": fixed width so names sort like ids.
std::string segment_file_name(std::uint32_t id);
// Segment ids are any u32 from 1 (a file can be named with the largest); a
// new segment takes a higher id than every existing one, so a database whose
// newest id is this one can be read but takes no more segments.
inline constexpr std::uint32_t kMaxSegmentId = 0xffffffffu;
// Parses a segment file name; returns false for any other name.
bool parse_segment_file_name(std::string_view name, std::uint32_t* id);

std::string encode_segment_header(std::uint32_t id);
// Returns an empty string when `data` (kSegmentHeaderSize bytes) is a valid
// header for segment `id`, otherwise what is wrong with it.
std::string check_segment_header(const char* data, std::uint32_t id);
// True when data[0, n) (n below the header's size) is the start of the
// header segment `id` is created with: a segment being created, or whose
// creation a crash cut short. It holds no record.
bool is_header_being_written(const char* data, std::size_t n, std::uint32_t id);

struct RecordHeader {
  std::uint32_t crc = 0;
  std::uint64_t timestamp_us = 0;
  RecordKind kind = RecordKind::kPut;
  std::uint8_t flags = 0;
  std::uint16_t key_size = 0;
  std::uint32_t value_size = 0;
  std::uint64_t expiry_us = 0;

  std::uint32_t header_size() const { return kRecordHeaderSize + ((flags & kFlagExpiry) ? 8 : 0); }
  std::uint64_t record_size() const { return std::uint64_t{header_size()} + key_size + value_size; }
};

// Bytes of a record of these sizes.
inline std::size_t record_size(std::size_t key_size, std::size_t value_size, std::uint8_t flags) {
  return kRecordHeaderSize + ((flags & kFlagExpiry) ? 8 : 0) + key_size + value_size;
}
// Writes a complete record (header, key, value, CRC filled in) at dst, which
// has room for record_size() bytes: in place, in the active segment.
void encode_record(char* dst, RecordKind kind, std::uint64_t timestamp_us, std::string_view key,
                   std::string_view value, std::uint8_t flags = 0, std::uint64_t expiry_us = 0);
// The same with the value given as parts, stored one after the other.
void encode_record(char* dst, RecordKind kind, std::uint64_t timestamp_us, std::string_view key,
                   std::span<const std::string_view> value_parts, std::uint8_t flags = 0,
                   std::uint64_t expiry_us = 0);
// The bytes of a value given as parts.
inline std::size_t value_size(std::span<const std::string_view> value_parts) {
  std::size_t n = 0;
  for (std::string_view part : value_parts) n += part.size();
  return n;
}
// Appends a complete record (header, key, value, CRC filled in) to *out.
void append_record(std::string* out, RecordKind kind, std::uint64_t timestamp_us,
                   std::string_view key, std::string_view value, std::uint8_t flags = 0,
                   std::uint64_t expiry_us = 0);

enum class ParseStatus {
  kOk,
  kIncomplete,  // the buffer ends inside the record
  // Header fields no writer produces, each named, so a report says which.
  kBadKind,
  kBadFlags,
  kValueTooLarge,
  kTombstoneWithValue,
  kBadChecksum,
};

// Decodes and checks the record at data[0, available). On kOk fills *header.
// `verify_crc` false skips the checksum (used when only sizes are needed).
ParseStatus parse_record(const char* data, std::uint64_t available, RecordHeader* header,
                         bool verify_crc = true);

const char* to_string(ParseStatus status);

// Microseconds since the Unix epoch, now.
std::uint64_t now_us();

}  // namespace bitcask::format
