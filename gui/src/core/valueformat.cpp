#include "core/valueformat.h"

#include <bitcask/bitcask.h>
#include <bitcask/erlang_term.h>

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>
#include <QRegularExpression>
#include <bit>
#include <cmath>
#include <nlohmann/json.hpp>

namespace bb {

bool isValidUtf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int len = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + std::size_t(len) > n) return false;
    for (int k = 1; k < len; ++k) {
      const unsigned char cc = static_cast<unsigned char>(s[i + std::size_t(k)]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += std::size_t(len);
  }
  return true;
}

ValueKind classifyValue(std::string_view bytes) {
  if (!isValidUtf8(bytes)) return ValueKind::kBinary;
  if (bitcask::is_strict_json(bytes)) return ValueKind::kJson;
  try {
    (void)bitcask::parse_json_text(bytes);
    return ValueKind::kNonStrictJson;
  } catch (const std::exception&) {
    return ValueKind::kText;
  }
}

QString displayKey(std::string_view key) {
  // Riak's keys are Erlang terms, term_to_binary({Bucket, Key}): shown as
  // Erlang writes them ({<<"users">>,<<"u1">>}), decoded by erl_interface.
  // Only a key that is exactly one well-formed term (version byte 131 first)
  // is; its bytes stay in the hex view.
  if (!key.empty() && static_cast<unsigned char>(key.front()) == 131) {
    if (auto term = bitcask::erlang_term_to_text(key, 512)) return QString::fromStdString(*term);
  }
  const bool utf8 = isValidUtf8(key);
  bool plain = utf8;
  if (plain) {
    for (char ch : key) {
      const auto c = static_cast<unsigned char>(ch);
      if (c < 0x20 || c == 0x7f || c == '\\') {
        plain = false;
        break;
      }
    }
  }
  if (plain) return QString::fromUtf8(key.data(), qsizetype(key.size()));
  // Escape byte by byte, keeping valid multi-byte sequences when the key is UTF-8.
  QString out;
  static const char* hex = "0123456789abcdef";
  for (std::size_t i = 0; i < key.size(); ++i) {
    const auto c = static_cast<unsigned char>(key[i]);
    if (c == '\\') {
      out += QStringLiteral("\\\\");
    } else if (c >= 0x20 && c < 0x7f) {
      out += QLatin1Char(char(c));
    } else if (c >= 0x80 && utf8) {
      std::size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
      out += QString::fromUtf8(key.data() + i, qsizetype(len));
      i += len - 1;
    } else {
      out += QStringLiteral("\\x");
      out += QLatin1Char(hex[c >> 4]);
      out += QLatin1Char(hex[c & 15]);
    }
  }
  return out;
}

QString prettyJson(std::string_view bytes) {
  // Not strict JSON, too deep, or holding a number nlohmann would round
  // (an integer beyond 64 bits): shown as stored, never re-encoded.
  if (!bitcask::is_strict_json(bytes))
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
  try {
    const auto j = nlohmann::ordered_json::parse(bytes);
    return QString::fromStdString(
        j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
  } catch (const std::exception&) {
    return QString::fromUtf8(bytes.data(), qsizetype(bytes.size()));
  }
}

QString previewText(std::string_view bytes, int maxChars) {
  // A Riak value or key stored as an Erlang term: its text, bounded.
  if (!bytes.empty() && static_cast<unsigned char>(bytes.front()) == 131) {
    if (auto term = bitcask::erlang_term_to_text(bytes, std::size_t(maxChars))) {
      return QString::fromStdString(*term);
    }
  }
  if (!isValidUtf8(bytes)) {
    QString out;
    const std::size_t n = std::min<std::size_t>(bytes.size(), std::size_t(maxChars / 3));
    out = QString::fromLatin1(QByteArray(bytes.data(), qsizetype(n)).toHex(' '));
    if (n < bytes.size()) out += QStringLiteral(" …");
    return out;
  }
  // JSON written with \uXXXX escapes (the Python original's ASCII output):
  // show the characters. Bounded: previews are computed for visible rows.
  std::string decoded;
  if (bytes.size() <= 16 * 1024 && bytes.find("\\u") != std::string_view::npos &&
      bitcask::is_strict_json(bytes)) {
    try {
      decoded = nlohmann::ordered_json::parse(bytes).dump(
          -1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      bytes = decoded;
    } catch (const std::exception&) {
    }
  }
  // Read a bounded prefix only: previews are single lines.
  const std::size_t n = std::min<std::size_t>(bytes.size(), std::size_t(maxChars) * 4);
  QString text = QString::fromUtf8(bytes.data(), qsizetype(n));
  text.replace(QLatin1Char('\n'), QLatin1Char(' ')).replace(QLatin1Char('\t'), QLatin1Char(' '));
  text.replace(QLatin1Char('\r'), QLatin1Char(' '));
  if (text.size() > maxChars || n < bytes.size()) {
    text.truncate(maxChars);
    text += QStringLiteral("…");
  }
  return text;
}

int hexDumpRowChars(int bytesPerRow) {
  // "00000000  " + "xx " a byte + " " between the halves + " |" + a character a byte + "|".
  return 10 + 3 * bytesPerRow + 1 + 2 + bytesPerRow + 1;
}

QString hexDump(std::string_view bytes, std::size_t maxBytes, int bytesPerRow) {
  const std::size_t n = std::min(bytes.size(), maxBytes);
  const std::size_t perRow = std::size_t(std::max(2, bytesPerRow & ~1));
  QString out;
  out.reserve(qsizetype(n / perRow + 1) * (hexDumpRowChars(int(perRow)) + 1));
  static const char* hex = "0123456789abcdef";
  for (std::size_t row = 0; row < n; row += perRow) {
    out += QStringLiteral("%1  ").arg(qulonglong(row), 8, 16, QLatin1Char('0'));
    QString ascii;
    for (std::size_t k = 0; k < perRow; ++k) {
      if (row + k < n) {
        const auto c = static_cast<unsigned char>(bytes[row + k]);
        out += QLatin1Char(hex[c >> 4]);
        out += QLatin1Char(hex[c & 15]);
        out += QLatin1Char(' ');
        ascii += (c >= 0x20 && c < 0x7f) ? QLatin1Char(char(c)) : QLatin1Char('.');
      } else {
        out += QStringLiteral("   ");
      }
      if (k == perRow / 2 - 1) out += QLatin1Char(' ');
    }
    out += QStringLiteral(" |") + ascii + QStringLiteral("|\n");
  }
  if (n < bytes.size()) {
    out += QStringLiteral("… %1 more bytes not shown\n").arg(qulonglong(bytes.size() - n));
  }
  return out;
}

JsonCheck checkJson(const QString& text) {
  JsonCheck check;
  const QByteArray utf8 = text.toUtf8();
  try {
    // ordered_json keeps members in the order they were written.
    const auto j = nlohmann::ordered_json::parse(utf8.constBegin(), utf8.constEnd());
    check.ok = true;
    check.compact = j.dump();
    return check;
  } catch (const nlohmann::ordered_json::parse_error& e) {
    // e.byte: bytes read, the failing one included; the error is marked at
    // that byte, where the parser stopped (as its own message says, but in
    // characters rather than bytes).
    const std::size_t byte =
        e.byte == 0 ? 0 : std::min<std::size_t>(e.byte - 1, std::size_t(utf8.size()));
    // Characters before that byte (a partial UTF-8 sequence counts as one).
    const QString before = QString::fromUtf8(utf8.constData(), qsizetype(byte));
    check.position = int(before.size());
    check.line = int(before.count(QLatin1Char('\n'))) + 1;
    const qsizetype lastNewline = before.lastIndexOf(QLatin1Char('\n'));
    check.column = int(before.size() - (lastNewline + 1)) + 1;
    QString message = QString::fromUtf8(e.what());
    // "[json.exception.parse_error.101] parse error at line 1, column 2: syntax error ..."
    static const QRegularExpression prefix(
        QStringLiteral("^\\[json\\.exception\\.[a-z_]+\\.\\d+\\] (parse error( at line \\d+, "
                       "column \\d+)?: )?"));
    message.remove(prefix);
    check.message = message;
  }
  return check;
}

QString formatBytes(std::uint64_t bytes) {
  // Qt says "1 bytes".
  if (bytes == 1) return QCoreApplication::translate("bb", "1 byte");
  // Powers of 1024 named as such (KiB, MiB, GiB), as the bitcask tool and the
  // engine's limits name them; Qt picks the unit and names it in the locale.
  const QLocale locale;
  constexpr auto format = QLocale::DataSizeIecFormat;
  if (bytes < 1024) return locale.formattedDataSize(qint64(bytes), 0, format);
  const int power = (std::bit_width(bytes) - 1) / 10;  // as Qt picks it: 1 for KiB, 2 for MiB
  const double tenths = std::round(double(bytes) / double(1ull << (10 * power)) * 10);
  // One decimal, but none that says nothing: "1 MiB", not "1.0 MiB". A size that rounds up to
  // a whole next unit is named in it ("1 MiB", not "1,024 KiB").
  if (tenths >= 10240 && power < 6)
    return locale.formattedDataSize(qint64(1) << (10 * (power + 1)), 0, format);
  return locale.formattedDataSize(qint64(bytes), std::fmod(tenths, 10) == 0 ? 0 : 1, format);
}

QString formatCountOf(quint64 n, const QString& one, const QString& many) {
  return n == 1 ? one : QString(many).arg(n);
}

QString formatKeyCount(quint64 n) {
  return formatCountOf(n, QCoreApplication::translate("bb", "1 key"),
                       QCoreApplication::translate("bb", "%L1 keys"));
}

QString formatDuration(double seconds) {
  // "Verified 6 segments in 0 ms" read as if nothing was done.
  if (seconds < 0.0005) return QCoreApplication::translate("bb", "under 1 ms");
  if (seconds < 0.1) {
    return QCoreApplication::translate("bb", "%1 ms")
        .arg(QLocale().toString(seconds * 1000, 'f', 0));
  }
  return QCoreApplication::translate("bb", "%1 s").arg(QLocale().toString(seconds, 'f', 1));
}

QString formatTimestamp(std::uint64_t timestampUs) {
  if (timestampUs == 0) return {};
  return QDateTime::fromMSecsSinceEpoch(qint64(timestampUs / 1000))
      .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

}  // namespace bb
