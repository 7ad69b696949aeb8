// A table header whose sort arrow points down for a descending order (largest first) and up for
// an ascending one, whatever the style draws for Qt's indicators. Qt gives a descending order
// the indicator SortUp, which Fusion on Linux draws pointing up, above a list that starts with
// its largest value; DB Browser for SQLite and file managers point it down.
#pragma once

#include <QHeaderView>
#include <QStyleOptionHeader>

namespace bb {

class SortArrowHeader : public QHeaderView {
 public:
  explicit SortArrowHeader(Qt::Orientation orientation, QWidget* parent = nullptr);

 protected:
  void initStyleOptionForIndex(QStyleOptionHeader* option, int logicalIndex) const override;
  void changeEvent(QEvent* event) override;

 private:
  // The style the indicator below was found for.
  mutable const QStyle* probedStyle_ = nullptr;
  // The indicator that style draws pointing down.
  mutable QStyleOptionHeader::SortIndicator downIndicator_ = QStyleOptionHeader::SortDown;
};

}  // namespace bb
