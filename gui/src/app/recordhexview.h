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

 private:
  void highlightField(int field);

  QLabel* caption_;
  QTreeWidget* fields_;
  QPlainTextEdit* dump_;
  RawRecord record_;
};

}  // namespace bb
