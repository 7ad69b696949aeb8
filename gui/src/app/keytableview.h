// The flat key table (KeyTableModel): whole-row, multi-row selection,
// compact rows, and a context menu of the window's key actions.
#pragma once

#include <QTableView>

namespace bb {

class KeyTableView : public QTableView {
  Q_OBJECT

 public:
  explicit KeyTableView(QWidget* parent = nullptr);
  void setModel(QAbstractItemModel* model) override;
};

}  // namespace bb
