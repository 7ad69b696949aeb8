// The bytes of one record, field by field, for the hex view: where each
// header field, the key and the value lie and what they say (engine/FORMAT.md
// for the native layout; a foreign layout's parts as the engine finds them), and
// a hex dump whose byte positions the view can colour field by field.
#pragma once

#include <QString>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bb {

struct RecordField {
  QString name;
  int offset = 0;  // within the record
  int length = 0;
  QString value;  // decoded, for people
};

struct RecordLayout {
  std::vector<RecordField> fields;
  int headerSize = 0;
  QString error;  // when the bytes are too short or the header out of range
};

// `bytes` start at the record's first byte; they may be cut short (a long
// value is shown in part), `recordSize` is the whole record.
RecordLayout parseNativeRecord(std::string_view bytes, std::uint32_t recordSize);

class Database;

// The raw bytes of the record at (segment, offset) of `recordSize` bytes, at
// most `maxBytes` of them, laid out field by field.
struct RawRecord {
  std::string bytes;
  std::uint64_t offset = 0;
  std::uint32_t recordSize = 0;
  RecordLayout layout;
  QString error;  // the bytes could not be read
};
RawRecord loadRawRecord(const Database& db, std::uint32_t segment, std::uint64_t offset,
                        std::uint32_t recordSize, std::uint32_t maxBytes = 64 * 1024);

// The hex dump of `bytes`: lines "OOOOOOOO  xx xx … xx  ascii", `perLine` bytes a
// line (16, or 8 for a narrow pane), offsets counted from `base` (the record's offset in its
// file).
QString recordHexDump(std::string_view bytes, std::uint64_t base, int perLine = 16);
// The characters of one line of that dump.
int recordHexDumpLineChars(int perLine);
// Where byte `i` of the dump's input starts in its text (2 characters wide).
int hexDumpPosition(int i, int perLine = 16);
// Where the ASCII column character of byte `i` is in the dump's text.
int hexDumpAsciiPosition(int i, int perLine = 16);

}  // namespace bb
