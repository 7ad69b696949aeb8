// The raw bytes of one record (core/recordlayout.h): a table of its fields
// (name, offset, size, decoded value) and a hex dump with each field's bytes
// tinted in the same colour as its row.
#pragma once

#include <QWidget>

#include "core/recordlayout.h"

class QLabel;
class QPlainTextEdit;
class QTreeWidget;

namespace bb {

class RecordHexView : public QWidget {
  Q_OBJECT

 public:
  explicit RecordHexView(QWidget* parent = nullptr);

  void showRecord(const RawRecord& record);
  void clear();
  QString dumpText() const;
  QTreeWidget* fieldList() const { return fields_; }
  // Bytes a line of the dump: 16, or 8 when the pane is too narrow for 16.
  int bytesPerLine() const { return perLine_; }
  // The width the dump needs for `perLine` bytes a line, without scrolling sideways.
  int dumpWidthFor(int perLine) const;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void highlightField(int field);
  // Shows the dump with as many bytes a line as the pane's width holds.
  void fitDump();

  QLabel* caption_;
  QTreeWidget* fields_;
  QPlainTextEdit* dump_;
  RawRecord record_;
  int perLine_ = 16;
  int currentField_ = -1;
};

}  // namespace bb
