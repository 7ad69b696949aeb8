#include "app/recordhexview.h"

#include <QEvent>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTextBlock>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <cmath>

namespace bb {

namespace {

QColor fieldColor(int i, bool strong) {
  static const QColor colors[] = {QColor(0x4a, 0x86, 0xd9), QColor(0xe0, 0x9a, 0x1a),
                                  QColor(0x3f, 0x9b, 0x5c), QColor(0xa3, 0x5c, 0xd6),
                                  QColor(0xd9, 0x5b, 0x43), QColor(0x2f, 0xa8, 0xb0),
                                  QColor(0xb0, 0x8a, 0x2f), QColor(0x8a, 0x8d, 0x93)};
  QColor c = colors[i % 8];
  c.setAlpha(strong ? 150 : 70);
  return c;
}

}  // namespace

RecordHexView::RecordHexView(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("recordHexView"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  caption_ = new QLabel(this);
  caption_->setWordWrap(true);
  caption_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  fields_ = new QTreeWidget(this);
  fields_->setRootIsDecorated(false);
  fields_->setHeaderLabels({tr("Field"), tr("Offset"), tr("Bytes"), tr("Value")});
  fields_->header()->setStretchLastSection(true);
  fields_->setAlternatingRowColors(false);
  dump_ = new QPlainTextEdit(this);
  dump_->setReadOnly(true);
  dump_->setLineWrapMode(QPlainTextEdit::NoWrap);
  dump_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  dump_->setObjectName(QStringLiteral("hexDump"));
  // 16 bytes a line, or 8 when the pane is too narrow for them: no sideways scrolling.
  dump_->viewport()->installEventFilter(this);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->addWidget(fields_);
  split->addWidget(dump_);
  split->setStretchFactor(1, 1);
  split->setSizes({150, 250});
  layout->addWidget(caption_);
  layout->addWidget(split, 1);
  connect(fields_, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem* item) {
    highlightField(item ? fields_->indexOfTopLevelItem(item) : -1);
  });
  clear();
}

void RecordHexView::clear() {
  record_ = {};
  caption_->setText(tr("Select a record to see its bytes."));
  fields_->clear();
  dump_->clear();
}

QString RecordHexView::dumpText() const { return dump_->toPlainText(); }

void RecordHexView::showRecord(const RawRecord& record) {
  record_ = record;
  fields_->clear();
  dump_->clear();
  if (!record.error.isEmpty()) {
    caption_->setText(record.error);
    return;
  }
  QString caption = tr("%L1 bytes at offset %L2 (0x%3)")
                        .arg(record.recordSize)
                        .arg(record.offset)
                        .arg(record.offset, 0, 16);
  if (record.bytes.size() < record.recordSize) {
    caption += tr("; the first %L1 shown").arg(record.bytes.size());
  }
  if (!record.layout.error.isEmpty()) caption += QStringLiteral("\n") + record.layout.error;
  caption_->setText(caption);
  int i = 0;
  for (const RecordField& f : record.layout.fields) {
    auto* item = new QTreeWidgetItem(
        fields_, {f.name, QString::number(f.offset), QString::number(f.length), f.value});
    item->setToolTip(3, f.value);
    const QColor c = fieldColor(i++, false);
    for (int col = 0; col < 3; ++col) item->setBackground(col, c);
  }
  fields_->resizeColumnToContents(0);
  fields_->resizeColumnToContents(1);
  fields_->resizeColumnToContents(2);
  dump_->setPlainText(recordHexDump(record.bytes, record.offset, perLine_));
  highlightField(-1);
}

namespace {

// The pixels one line of the dump takes in `font` (measured as a whole: a monospace digit's
// advance is fractional, 47 of them rounded one by one are pixels off), and the cursor.
int lineWidth(const QFont& font, int perLine) {
  return int(std::ceil(QFontMetricsF(font).horizontalAdvance(
             QString(recordHexDumpLineChars(perLine), QLatin1Char('0'))))) +
         1;
}

}  // namespace

int RecordHexView::dumpWidthFor(int perLine) const {
  return lineWidth(dump_->font(), perLine) + 2 * int(dump_->document()->documentMargin()) +
         2 * dump_->frameWidth() + dump_->verticalScrollBar()->sizeHint().width();
}

bool RecordHexView::eventFilter(QObject* watched, QEvent* event) {
  if (watched == dump_->viewport() && event->type() == QEvent::Resize) fitDump();
  return QWidget::eventFilter(watched, event);
}

void RecordHexView::fitDump() {
  const int available = dump_->viewport()->width() - 2 * int(dump_->document()->documentMargin());
  const int perLine = lineWidth(dump_->font(), 16) <= available ? 16 : 8;
  if (perLine == perLine_) return;
  perLine_ = perLine;
  if (record_.bytes.empty()) return;
  const int scroll = dump_->verticalScrollBar()->value();
  dump_->setPlainText(recordHexDump(record_.bytes, record_.offset, perLine_));
  highlightField(currentField_);
  dump_->verticalScrollBar()->setValue(scroll);
}

void RecordHexView::highlightField(int current) {
  currentField_ = current;
  QList<QTextEdit::ExtraSelection> selections;
  QTextDocument* doc = dump_->document();
  const int n = int(record_.bytes.size());
  int i = 0;
  for (const RecordField& f : record_.layout.fields) {
    const bool strong = i == current;
    const QColor c = fieldColor(i++, strong);
    const int end = std::min(n, f.offset + f.length);
    for (int b = f.offset; b < end; ++b) {
      for (const auto& [pos, len] : {std::pair{hexDumpPosition(b, perLine_), 2},
                                     std::pair{hexDumpAsciiPosition(b, perLine_), 1}}) {
        QTextEdit::ExtraSelection sel;
        sel.cursor = QTextCursor(doc);
        sel.cursor.setPosition(pos);
        sel.cursor.setPosition(pos + len, QTextCursor::KeepAnchor);
        sel.format.setBackground(c);
        selections << sel;
      }
      // Only the first 4 KiB of a long value are tinted: enough to see where it starts.
      if (b - f.offset > 4096) break;
    }
  }
  dump_->setExtraSelections(selections);
}

}  // namespace bb
