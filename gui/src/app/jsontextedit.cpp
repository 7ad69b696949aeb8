#include "app/jsontextedit.h"

#include <QFontDatabase>
#include <QFutureWatcher>
#include <QPainter>
#include <QPlainTextDocumentLayout>
#include <QTextBlock>
#include <QTextDocument>
#include <QThread>
#include <QtConcurrent>

#include "app/theme.h"
#include "core/jsonhighlighter.h"
#include "core/taskpool.h"

namespace bb {

namespace {

class LineNumberArea : public QWidget {
 public:
  explicit LineNumberArea(JsonTextEdit* editor) : QWidget(editor), editor_(editor) {}
  QSize sizeHint() const override { return {editor_->lineNumberAreaWidth(), 0}; }

 protected:
  void paintEvent(QPaintEvent* event) override { editor_->paintLineNumbers(event); }

 private:
  JsonTextEdit* editor_;
};

// Texts up to this many characters go in at once (milliseconds); longer ones are built by a
// worker: QPlainTextEdit::setPlainText of a 20 MB JSON text holds the GUI thread for seconds, and
// of one 256 KiB line (a compact value's first part) for 130 ms.
constexpr qsizetype kSyncTextChars = 64 << 10;

// Builds a document for `text` with the editor's font and tab stops (any thread). It has no
// parent and belongs to `owner` (the GUI thread) when returned.
QTextDocument* buildDocument(const QString& text, const QFont& font, qreal tabStop,
                             QThread* owner) {
  auto* doc = new QTextDocument;
  doc->setDocumentLayout(new QPlainTextDocumentLayout(doc));
  doc->setDefaultFont(font);
  QTextOption option = doc->defaultTextOption();
  option.setTabStopDistance(tabStop);
  // As the editor wraps (below): long lines wrap at the pane's width, never scroll sideways.
  option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  doc->setDefaultTextOption(option);
  doc->setPlainText(text);
  doc->setModified(false);
  doc->moveToThread(owner);
  return doc;
}

}  // namespace

JsonTextEdit::JsonTextEdit(QWidget* parent) : QPlainTextEdit(parent) {
  setObjectName(QStringLiteral("jsonTextEdit"));
  setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  // Wrapped at the pane's width: a narrow window shows whole lines, with no sideways scrolling.
  setLineWrapMode(WidgetWidth);
  setWordWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
  setTabChangesFocus(false);
  setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
  lineNumbers_ = new LineNumberArea(this);
  highlighter_ = new JsonHighlighter(document());
  // Owned by the editor, not the document: showText swaps documents and deletes the old one.
  highlighter_->setParent(this);
  highlighter_->setDarkBackground(isDark(palette()));
  connect(this, &QPlainTextEdit::blockCountChanged, this, &JsonTextEdit::fitLineNumbers);
  connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect& rect, int dy) {
    if (dy) {
      lineNumbers_->scroll(0, dy);
    } else {
      lineNumbers_->update(0, rect.y(), lineNumbers_->width(), rect.height());
    }
  });
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
}

void JsonTextEdit::useSmallDocument() {
  if (!largeDocument_) return;
  auto* doc = new QTextDocument(this);
  doc->setDocumentLayout(new QPlainTextDocumentLayout(doc));
  highlighter_->setDocument(nullptr);
  replacing_ = true;
  // The large document is this editor's child: setDocument deletes it.
  setDocument(doc);
  replacing_ = false;
  fitLineNumbers();
  setFont(font());
  setTabStopDistance(fontMetrics().horizontalAdvance(QLatin1Char(' ')) * 2);
  largeDocument_ = false;
}

void JsonTextEdit::showText(const QString& text) {
  const quint64 generation = ++generation_;
  building_ = false;
  useSmallDocument();
  if (text.size() <= kSyncTextChars) {
    setPlainText(text);
    emit textShown();
    return;
  }
  setPlainText(QString());
  building_ = true;
  auto* watcher = new QFutureWatcher<QTextDocument*>(this);
  connect(watcher, &QFutureWatcher<QTextDocument*>::finished, this, [this, watcher, generation] {
    watcher->deleteLater();
    QTextDocument* doc = watcher->result();
    if (generation != generation_) {
      delete doc;  // another text was asked for meanwhile
      return;
    }
    highlighter_->setDocument(nullptr);  // never over a large text: it colours every line
    doc->setParent(this);
    replacing_ = true;
    setDocument(doc);
    replacing_ = false;
    largeDocument_ = true;
    building_ = false;
    // setDocument emits no blockCountChanged: fit the line numbers to the new count here.
    fitLineNumbers();
    moveCursor(QTextCursor::Start);
    emit textShown();
  });
  watcher->setFuture(QtConcurrent::run(taskPool(), buildDocument, text, font(), tabStopDistance(),
                                       QThread::currentThread()));
}

void JsonTextEdit::setHighlighting(bool on) {
  highlighter_->setDocument(on ? document() : nullptr);
}

int JsonTextEdit::lineNumberAreaWidth() const {
  int digits = 1;
  for (int max = std::max(1, blockCount()); max >= 10; max /= 10) ++digits;
  return 12 + fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(digits, 2);
}

void JsonTextEdit::fitLineNumbers() {
  setViewportMargins(lineNumberAreaWidth(), 0, 0, 0);
  const QRect cr = contentsRect();
  lineNumbers_->setGeometry(QRect(cr.left(), cr.top(), lineNumberAreaWidth(), cr.height()));
}

void JsonTextEdit::resizeEvent(QResizeEvent* event) {
  QPlainTextEdit::resizeEvent(event);
  fitLineNumbers();
}

void JsonTextEdit::changeEvent(QEvent* event) {
  QPlainTextEdit::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) {
    highlighter_->setDarkBackground(isDark(palette()));
    updateExtraSelections();
  }
}

void JsonTextEdit::paintLineNumbers(QPaintEvent* event) {
  QPainter painter(lineNumbers_);
  const QPalette pal = palette();
  painter.fillRect(event->rect(), pal.color(QPalette::Window));
  QTextBlock block = firstVisibleBlock();
  int number = block.blockNumber();
  int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
  int bottom = top + qRound(blockBoundingRect(block).height());
  QColor dim = pal.color(QPalette::PlaceholderText);
  while (block.isValid() && top <= event->rect().bottom()) {
    if (block.isVisible() && bottom >= event->rect().top()) {
      const bool error = number + 1 == errorLine_;
      painter.setPen(error ? QColor(0xd9, 0x30, 0x25) : dim);
      QFont f = font();
      f.setBold(error);
      painter.setFont(f);
      painter.drawText(0, top, lineNumbers_->width() - 6, fontMetrics().height(), Qt::AlignRight,
                       QString::number(number + 1));
    }
    block = block.next();
    top = bottom;
    bottom = top + qRound(blockBoundingRect(block).height());
    ++number;
  }
}

void JsonTextEdit::setErrorPosition(int line, int column) {
  if (line == errorLine_ && column == errorColumn_) return;
  errorLine_ = line;
  errorColumn_ = column;
  updateExtraSelections();
  lineNumbers_->update();
}

void JsonTextEdit::updateExtraSelections() {
  QList<QTextEdit::ExtraSelection> selections;
  if (errorLine_ > 0) {
    const QTextBlock block = document()->findBlockByNumber(errorLine_ - 1);
    if (block.isValid()) {
      const bool dark = isDark(palette());
      QTextEdit::ExtraSelection lineSel;
      lineSel.format.setBackground(dark ? QColor(0x4a, 0x1f, 0x1f) : QColor(0xfd, 0xec, 0xec));
      lineSel.format.setProperty(QTextFormat::FullWidthSelection, true);
      lineSel.cursor = QTextCursor(block);
      selections << lineSel;
      QTextEdit::ExtraSelection mark;
      mark.format.setUnderlineStyle(QTextCharFormat::WaveUnderline);
      mark.format.setUnderlineColor(QColor(0xd9, 0x30, 0x25));
      mark.format.setBackground(dark ? QColor(0x8a, 0x2a, 0x2a) : QColor(0xf8, 0xc0, 0xc0));
      QTextCursor c(block);
      const int col = std::min(std::max(0, errorColumn_ - 1), std::max(0, block.length() - 1));
      c.setPosition(block.position() + col);
      if (col < block.length() - 1) {
        c.movePosition(QTextCursor::NextCharacter, QTextCursor::KeepAnchor);
      } else if (col > 0) {
        c.movePosition(QTextCursor::PreviousCharacter, QTextCursor::KeepAnchor);
      }
      mark.cursor = c;
      selections << mark;
    }
  }
  setExtraSelections(selections);
}

}  // namespace bb
