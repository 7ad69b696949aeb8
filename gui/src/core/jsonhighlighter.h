// Syntax colours for JSON text (keys, strings, numbers, literals, NaN), in
// shades that read well on both light and dark palettes.
#pragma once

#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace bb {

class JsonHighlighter : public QSyntaxHighlighter {
  Q_OBJECT

 public:
  explicit JsonHighlighter(QTextDocument* document);
  // Picks the colour set for a dark or a light background and rehighlights.
  void setDarkBackground(bool dark);

 protected:
  void highlightBlock(const QString& text) override;

 private:
  QTextCharFormat key_, string_, number_, literal_, punct_, special_;
};

}  // namespace bb
