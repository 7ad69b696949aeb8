// Reading a value without holding all of it: the first bytes of a live value
// for previews and the editor's "first part", and the sizes past which the
// browser stops reading whole values on the GUI thread.
//
// The engine's public API reads values whole (DB::get). For a native,
// uncompressed record the value's first bytes are read straight from the
// segment (DB::read_raw at the offset the index gives, the header checked
// against the index entry first), so a 100 MB value costs a 4 KiB read. Other
// records (the Python layout, compressed values) have no such shortcut: their
// prefix is cut from a whole read, which callers must then do off the GUI
// thread.
#pragma once

#include <bitcask/db.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bb {

// Values larger than this are not loaded into the editor without asking.
inline constexpr std::uint64_t kLargeValueBytes = 1 << 20;
// What "Show the first part" shows of a large value.
inline constexpr std::uint64_t kPartialValueBytes = 256 << 10;
// "Load all" is offered up to this size. The text is read, pretty-printed and put into a document
// by workers, but QPlainTextEdit still walks every line on the GUI thread when the document is
// swapped in (measured with gui_stall_probe: 233 ms for a 4 MB JSON array, 1.3 s for 20.8 MB),
// and validates the whole text after each pause in typing. Larger values: first part or a file.
inline constexpr std::uint64_t kMaxLoadAllBytes = 4 << 20;
// Nor is a text with a line longer than this: the editor lays out a visible line whole, on the
// GUI thread (a 2 MB JSON string, one line: 470 ms; 7.6 MB: 1.9 s).
inline constexpr std::int64_t kMaxEditorLineChars = 256 << 10;

// The first `maxBytes` of the live value of `entry.key`, cut back to a whole UTF-8 character
// when the value is text (DB::get_prefix: no copy of the rest of a native value). nullopt when
// the key is gone. Throws bitcask::Error (kCorruption for a damaged record).
std::optional<std::string> readValuePrefix(const bitcask::DB& db, const bitcask::KeyEntry& entry,
                                           std::size_t maxBytes);

// A JSON text that may be cut anywhere (a value's first part, which no parser accepts) indented
// two spaces a level, one member or element a line, strings left as they are. Lines of compact
// JSON can be megabytes long, and a text editor lays out a whole line at once.
std::string indentJsonPrefix(std::string_view json);

// `bytes` cut to at most `maxBytes`, not in the middle of a UTF-8 sequence.
std::string utf8Prefix(std::string bytes, std::size_t maxBytes);

}  // namespace bb
