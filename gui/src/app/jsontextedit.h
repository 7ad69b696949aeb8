// A plain-text editor for JSON: monospace, line numbers, syntax colours, and
// a mark at the line and column of a parse error. Long texts are put into a
// QTextDocument by a worker (showText), so the GUI thread only swaps documents.
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

  // Replaces the text. Up to kSyncTextChars at once; a longer text is built into a new document
  // off the GUI thread and shown when ready (textShown; the editor is read-only and empty
  // meanwhile). A later call drops a build still running.
  void showText(const QString& text);
  // Whether a long text is still being built.
  bool isBuildingText() const { return building_; }
  // Whether the editor is swapping in a document: its textChanged is not an edit then.
  bool isReplacingText() const { return replacing_; }

  int lineNumberAreaWidth() const;
  void paintLineNumbers(QPaintEvent* event);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void changeEvent(QEvent* event) override;

 signals:
  // A text given to showText is on screen.
  void textShown();

 private:
  void updateExtraSelections();
  // Fits the viewport margin and the line-number area to the block count.
  void fitLineNumbers();
  // Swaps in a fresh, empty document when the current one is a large built one.
  void useSmallDocument();

  QWidget* lineNumbers_;
  JsonHighlighter* highlighter_;
  int errorLine_ = 0;
  int errorColumn_ = 0;
  quint64 generation_ = 0;  // of the showText call whose text is wanted
  bool building_ = false;
  bool replacing_ = false;
  bool largeDocument_ = false;  // the current document was built by a worker
};

}  // namespace bb
