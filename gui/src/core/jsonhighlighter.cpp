#include "core/jsonhighlighter.h"

namespace bb {

JsonHighlighter::JsonHighlighter(QTextDocument* document) : QSyntaxHighlighter(document) {
  setDarkBackground(false);
}

void JsonHighlighter::setDarkBackground(bool dark) {
  key_.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x00, 0x45, 0x9e));
  key_.setFontWeight(QFont::DemiBold);
  string_.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
  number_.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
  literal_.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
  punct_.setForeground(dark ? QColor(0xa0, 0xa0, 0xa0) : QColor(0x70, 0x70, 0x70));
  special_.setForeground(dark ? QColor(0xff, 0x8a, 0x80) : QColor(0xc6, 0x28, 0x28));
  special_.setFontUnderline(true);
  rehighlight();
}

void JsonHighlighter::highlightBlock(const QString& text) {
  // A small scanner: strings may not span lines in pretty-printed JSON, which
  // is all this highlights; a string left open colours to the end of the line.
  const int n = int(text.size());
  int i = 0;
  while (i < n) {
    const QChar c = text.at(i);
    if (c == QLatin1Char('"')) {
      int j = i + 1;
      while (j < n && text.at(j) != QLatin1Char('"')) j += text.at(j) == QLatin1Char('\\') ? 2 : 1;
      j = std::min(j + 1, n);
      // A string followed by ':' is a member name.
      int k = j;
      while (k < n && text.at(k).isSpace()) ++k;
      const bool isKey = k < n && text.at(k) == QLatin1Char(':');
      setFormat(i, j - i, isKey ? key_ : string_);
      i = j;
    } else if (c == QLatin1Char('-') || c.isDigit()) {
      int j = i + 1;
      while (j < n && (text.at(j).isDigit() || text.at(j) == QLatin1Char('.') ||
                       text.at(j) == QLatin1Char('e') || text.at(j) == QLatin1Char('E') ||
                       text.at(j) == QLatin1Char('+') || text.at(j) == QLatin1Char('-'))) {
        ++j;
      }
      if (text.mid(i, 9) == QLatin1String("-Infinity")) {
        setFormat(i, 9, special_);
        i += 9;
        continue;
      }
      setFormat(i, j - i, number_);
      i = j;
    } else if (c.isLetter()) {
      int j = i;
      while (j < n && text.at(j).isLetter()) ++j;
      const QStringView word = QStringView(text).mid(i, j - i);
      if (word == QLatin1String("true") || word == QLatin1String("false") ||
          word == QLatin1String("null")) {
        setFormat(i, j - i, literal_);
      } else if (word == QLatin1String("NaN") || word == QLatin1String("Infinity")) {
        setFormat(i, j - i, special_);
      }
      i = j;
    } else {
      if (QStringLiteral("{}[],:").contains(c)) setFormat(i, 1, punct_);
      ++i;
    }
  }
}

}  // namespace bb
