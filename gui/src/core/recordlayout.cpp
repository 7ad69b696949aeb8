#include "core/recordlayout.h"

#include <QCoreApplication>
#include <cstring>

#include "core/database.h"
#include "core/valueformat.h"

namespace bb {

namespace {

constexpr int kOffsetWidth = 10;  // "OOOOOOOO  "
// "xx " a byte, a space, a character a byte, '\n'.
constexpr int lineWidth(int perLine) { return kOffsetWidth + perLine * 3 + 1 + perLine + 1; }

QString tr(const char* text) { return QCoreApplication::translate("bb::RecordLayout", text); }

template <typename T>
T le(std::string_view b, int at) {
  T v = 0;
  for (int i = int(sizeof(T)) - 1; i >= 0; --i)
    v = T(v << 8) | T(std::uint8_t(b[std::size_t(at + i)]));
  return v;
}

template <typename T>
T be(std::string_view b, int at) {
  T v = 0;
  for (int i = 0; i < int(sizeof(T)); ++i) v = T(v << 8) | T(std::uint8_t(b[std::size_t(at + i)]));
  return v;
}

QString kindText(std::uint8_t kind) {
  switch (kind) {
    case 0:
      return tr("0 put");
    case 1:
      return tr("1 tombstone");
    case 2:
      return tr("2 batch begin");
    case 3:
      return tr("3 batch commit");
  }
  return tr("%1 (invalid)").arg(kind);
}

QString flagsText(std::uint8_t flags) {
  QStringList parts;
  if (flags & 1) parts << tr("expiry");
  switch ((flags >> 1) & 3) {
    case 1:
      parts << tr("zstd");
      break;
    case 2:
      parts << tr("lz4");
      break;
    case 3:
      parts << tr("invalid compression");
      break;
  }
  if (flags & ~0x07) parts << tr("unknown bits");
  return QStringLiteral("0x%1 %2")
      .arg(flags, 2, 16, QLatin1Char('0'))
      .arg(parts.isEmpty() ? tr("(none)") : parts.join(QStringLiteral(", ")));
}

void addBody(RecordLayout& out, std::string_view bytes, int at, std::uint32_t keySize,
             std::uint32_t valueSize, std::uint32_t recordSize) {
  const auto shown = [&](int from, std::uint32_t size) {
    const std::int64_t have = std::int64_t(bytes.size()) - from;
    return int(std::max<std::int64_t>(0, std::min<std::int64_t>(have, size)));
  };
  if (keySize > 0) {
    const int n = shown(at, keySize);
    out.fields.push_back(
        {tr("key"), at, int(keySize), displayKey(bytes.substr(std::size_t(at), std::size_t(n)))});
  }
  at += int(keySize);
  if (valueSize > 0) {
    const int n = shown(at, valueSize);
    QString v = previewText(
        bytes.substr(std::size_t(std::min<std::size_t>(bytes.size(), at)), std::size_t(n)), 80);
    if (std::uint32_t(n) < valueSize)
      v += tr(" (first %L1 of %L2 bytes shown)").arg(n).arg(valueSize);
    out.fields.push_back({tr("value"), at, int(valueSize), v});
  }
  if (std::uint64_t(at) + valueSize != recordSize) {
    out.error = tr("The sizes in the header (%L1 bytes) do not match the record (%L2 bytes).")
                    .arg(std::uint64_t(at) + valueSize)
                    .arg(recordSize);
  }
}

}  // namespace

RecordLayout parseNativeRecord(std::string_view b, std::uint32_t recordSize) {
  RecordLayout out;
  if (b.size() < 20) {
    out.error = tr("Only %L1 bytes: shorter than a record header (20 bytes).").arg(b.size());
    return out;
  }
  const auto crc = le<std::uint32_t>(b, 0);
  const auto ts = le<std::uint64_t>(b, 4);
  const auto kind = std::uint8_t(b[12]);
  const auto flags = std::uint8_t(b[13]);
  const auto keySize = le<std::uint16_t>(b, 14);
  const auto valueSize = le<std::uint32_t>(b, 16);
  out.fields.push_back(
      {tr("crc32c"), 0, 4, QStringLiteral("0x%1").arg(crc, 8, 16, QLatin1Char('0'))});
  out.fields.push_back(
      {tr("timestamp"), 4, 8, QStringLiteral("%1 (%2 µs)").arg(formatTimestamp(ts)).arg(ts)});
  out.fields.push_back({tr("kind"), 12, 1, kindText(kind)});
  out.fields.push_back({tr("flags"), 13, 1, flagsText(flags)});
  out.fields.push_back({tr("key size"), 14, 2, QStringLiteral("%L1").arg(keySize)});
  out.fields.push_back({tr("value size"), 16, 4, QStringLiteral("%L1").arg(valueSize)});
  int at = 20;
  if (flags & 1) {
    if (b.size() < 28) {
      out.error = tr("The expiry field is cut short.");
      return out;
    }
    const auto expiry = le<std::uint64_t>(b, 20);
    out.fields.push_back({tr("expiry"), 20, 8, formatTimestamp(expiry)});
    at = 28;
  }
  out.headerSize = at;
  addBody(out, b, at, keySize, valueSize, recordSize);
  return out;
}

// A foreign layout's record, as the engine lays it out (DB::record_parts):
// header or framing, key and value, each shown as the native fields are.
RecordLayout foreignRecordLayout(const Database& db, std::uint32_t segment, std::uint64_t offset,
                                 std::string_view bytes) {
  RecordLayout out;
  std::vector<bitcask::RecordPart> parts;
  try {
    parts = db.db().record_parts(segment, offset);
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(e.what());
    return out;
  }
  for (const bitcask::RecordPart& p : parts) {
    const std::size_t from = std::min<std::size_t>(bytes.size(), p.offset);
    const std::string_view shown = bytes.substr(from, std::size_t(p.length));
    QString text = QString::fromStdString(p.value);
    if (p.name == "key") text = displayKey(shown);
    if (p.name == "value") text = previewText(shown, 80);
    out.fields.push_back({QString::fromStdString(p.name), int(p.offset), int(p.length), text});
    if (out.headerSize == 0 && p.name != "header" && p.offset > 0) out.headerSize = int(p.offset);
  }
  return out;
}

RawRecord loadRawRecord(const Database& db, std::uint32_t segment, std::uint64_t offset,
                        std::uint32_t recordSize, std::uint32_t maxBytes) {
  RawRecord out;
  out.offset = offset;
  out.recordSize = recordSize;
  try {
    out.bytes = db.db().read_raw(segment, offset, std::min(recordSize, maxBytes));
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(e.what());
    return out;
  }
  out.layout = db.isForeignFormat() ? foreignRecordLayout(db, segment, offset, out.bytes)
                                    : parseNativeRecord(out.bytes, recordSize);
  return out;
}

QString recordHexDump(std::string_view bytes, std::uint64_t base, int perLine) {
  QString out;
  const int n = int(bytes.size());
  out.reserve((n / perLine + 1) * lineWidth(perLine));
  for (int line = 0; line * perLine < n; ++line) {
    const int start = line * perLine;
    out += QStringLiteral("%1  ").arg(base + std::uint64_t(start), 8, 16, QLatin1Char('0'));
    QString ascii;
    for (int i = 0; i < perLine; ++i) {
      if (start + i < n) {
        const auto c = std::uint8_t(bytes[std::size_t(start + i)]);
        out += QStringLiteral("%1 ").arg(c, 2, 16, QLatin1Char('0'));
        ascii += (c >= 0x20 && c < 0x7f) ? QChar(c) : QChar(u'.');
      } else {
        out += QStringLiteral("   ");
        ascii += QLatin1Char(' ');
      }
    }
    out += QLatin1Char(' ') + ascii + QLatin1Char('\n');
  }
  return out;
}

int recordHexDumpLineChars(int perLine) { return lineWidth(perLine) - 1; }

int hexDumpPosition(int i, int perLine) {
  return (i / perLine) * lineWidth(perLine) + kOffsetWidth + (i % perLine) * 3;
}

int hexDumpAsciiPosition(int i, int perLine) {
  return (i / perLine) * lineWidth(perLine) + kOffsetWidth + perLine * 3 + 1 + (i % perLine);
}

}  // namespace bb
