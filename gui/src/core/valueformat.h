// How values and keys are shown: classification of stored bytes (JSON, the
// Python original's non-strict JSON, plain text, binary), pretty-printing,
// validation with line and column, hex dumps, previews, sizes and times.
#pragma once

#include <QString>
#include <cstdint>
#include <string>
#include <string_view>

namespace bb {

enum class ValueKind {
  kJson,           // strict JSON
  kNonStrictJson,  // JSON with NaN / Infinity (written by the Python original)
  kText,           // UTF-8 text that is not JSON
  kBinary,         // bytes that are not UTF-8
};

bool isValidUtf8(std::string_view bytes);
ValueKind classifyValue(std::string_view bytes);

// A key for display: UTF-8 as text, other bytes and control characters as \xNN.
QString displayKey(std::string_view key);

// Strict JSON pretty-printed with two-space indentation (non-ASCII kept as
// characters). Returns the text unchanged when it is not strict JSON.
QString prettyJson(std::string_view bytes);

// One line of a value for the key table: compact JSON or text, elided at
// `maxChars`; binary values as their first bytes in hex.
QString previewText(std::string_view bytes, int maxChars);

// Classic hex dump (offset, 16 bytes in hex, ASCII) of at most `maxBytes`. `bytesPerRow` (an
// even number) narrows it for a narrow pane: 8 bytes a row take 47 characters instead of 79.
QString hexDump(std::string_view bytes, std::size_t maxBytes = 1 << 20, int bytesPerRow = 16);
// The characters one row of hexDump() takes.
int hexDumpRowChars(int bytesPerRow);

struct JsonCheck {
  bool ok = false;
  int line = 0;         // 1-based, of the error
  int column = 0;       // 1-based, in characters
  int position = 0;     // 0-based character offset of the error in the text
  QString message;      // the parser's message, without its own prefix
  std::string compact;  // the compact JSON to store, when ok
};

// Validates `text` as strict JSON. On error, where and why.
JsonCheck checkJson(const QString& text);

// A byte size for people, in powers of 1024 named KiB, MiB, GiB ("512 bytes", "1.5 MiB",
// "1 MiB": one decimal, none when it would be a trailing zero): every size the browser shows
// goes through it, so units agree.
QString formatBytes(std::uint64_t bytes);

// "1 key" or "12,345 keys": `one` for exactly one, else `many` with its %L1 filled in. The app
// ships no translations, so tr()'s %n plural forms would read "key(s)".
QString formatCountOf(quint64 n, const QString& one, const QString& many);
QString formatKeyCount(quint64 n);  // "1 key", "12,345 keys"

// How long a task took: "35 ms" under a tenth of a second (where "0.0 s" would say nothing),
// "under 1 ms" below half a millisecond, else "2.4 s".
QString formatDuration(double seconds);
QString formatTimestamp(std::uint64_t timestampUs);

}  // namespace bb
