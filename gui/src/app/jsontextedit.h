// A plain-text editor for JSON: monospace, line numbers, syntax colours, and
// a mark at the line and column of a parse error.
#pragma once

#include <QPlainTextEdit>

namespace bb {

class JsonHighlighter;

class JsonTextEdit : public QPlainTextEdit {
  Q_OBJECT

 public:
  explicit JsonTextEdit(QWidget* parent = nullptr);

  // Marks the error at 1-based `line` and `column`; 0 clears the mark.
  void setErrorPosition(int line, int column);
  int errorLine() const { return errorLine_; }
  int errorColumn() const { return errorColumn_; }
  void setHighlighting(bool on);

  int lineNumberAreaWidth() const;
  void paintLineNumbers(QPaintEvent* event);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void updateExtraSelections();

  QWidget* lineNumbers_;
  JsonHighlighter* highlighter_;
  int errorLine_ = 0;
  int errorColumn_ = 0;
};

}  // namespace bb
