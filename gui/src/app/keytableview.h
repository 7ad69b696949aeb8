// The flat key table (KeyTableModel): whole-row, multi-row selection,
// compact rows, a context menu of the window's key actions, and sorting by a
// click on a column header (a sort that runs in the background shows its
// progress and can be cancelled; the header shows the order in force).
#pragma once

#include <QFontMetrics>
#include <QTableView>

class QAction;

namespace bb {

class KeyTableModel;

class KeyTableView : public QTableView {
  Q_OBJECT

 public:
  explicit KeyTableView(QWidget* parent = nullptr);
  void setModel(QAbstractItemModel* model) override;

  // Sorts by value size, largest first, and shows the first row.
  QAction* largestValuesAction() const { return largestValuesAct_; }
  // The width of the widest text the Size column can show, in `fm`.
  static int sizeTextWidth(const QFontMetrics& fm);

 private:
  void onSortChanged(int column, Qt::SortOrder order);

  KeyTableModel* keyModel_ = nullptr;
  QAction* largestValuesAct_;
  bool toTopAfterSort_ = false;
};

}  // namespace bb
