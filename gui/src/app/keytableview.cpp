#include "app/keytableview.h"

#include <QAction>
#include <QHeaderView>
#include <algorithm>
#include <limits>

#include "app/sortarrowheader.h"
#include "app/taskprogressdialog.h"
#include "core/keytablemodel.h"
#include "core/valueformat.h"

namespace bb {

int KeyTableView::sizeTextWidth(const QFontMetrics& fm) {
  // The widest text the Size column shows (formatBytes of a 32-bit value size): the most
  // digits come just below each unit's end ("1,023 bytes", "1,023.9 KiB") and
  // just below 1000 of it; the locale decides separators and unit names, so measure them.
  int widest = 0;
  for (quint64 unit = 1; unit <= (quint64(1) << 30); unit <<= 10) {
    for (const quint64 top : {unit * 1000, unit * 1024}) {
      // top - 1 for bytes; a tenth of the unit less for the rest, which would round up to a
      // whole number otherwise ("1,000 KiB", "1 MiB").
      for (const quint64 below : {quint64(1), unit / 10 + 1}) {
        const quint64 size = std::min<quint64>(top - below, std::numeric_limits<quint32>::max());
        widest = std::max(widest, fm.horizontalAdvance(formatBytes(size)));
      }
    }
  }
  return widest;
}

KeyTableView::KeyTableView(QWidget* parent) : QTableView(parent) {
  setObjectName(QStringLiteral("keyTable"));
  setHorizontalHeader(new SortArrowHeader(Qt::Horizontal, this));
  setSelectionBehavior(SelectRows);
  setSelectionMode(ExtendedSelection);
  setAlternatingRowColors(true);
  setShowGrid(false);
  setWordWrap(false);
  setTextElideMode(Qt::ElideRight);
  setContextMenuPolicy(Qt::ActionsContextMenu);
  setHorizontalScrollMode(ScrollPerPixel);
  verticalHeader()->hide();
  verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  horizontalHeader()->setHighlightSections(false);
  horizontalHeader()->setStretchLastSection(true);
  horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  horizontalHeader()->setSortIndicator(KeyTableModel::kKeyColumn, Qt::AscendingOrder);

  largestValuesAct_ = new QAction(tr("&Largest Values"), this);
  largestValuesAct_->setObjectName(QStringLiteral("actionLargestValues"));
  largestValuesAct_->setToolTip(tr("Sort the keys by value size, largest first"));
  connect(largestValuesAct_, &QAction::triggered, this, [this] {
    toTopAfterSort_ = true;
    sortByColumn(KeyTableModel::kSizeColumn, Qt::DescendingOrder);
  });
}

void KeyTableView::setModel(QAbstractItemModel* model) {
  if (keyModel_) keyModel_->disconnect(this);
  QTableView::setModel(model);
  keyModel_ = qobject_cast<KeyTableModel*>(model);
  const QFontMetrics fm = fontMetrics();
  const int pad = 24;
  setColumnWidth(KeyTableModel::kKeyColumn, fm.horizontalAdvance(QLatin1Char('M')) * 20);
  setColumnWidth(KeyTableModel::kSizeColumn, sizeTextWidth(fm) + pad);
  setColumnWidth(KeyTableModel::kTimestampColumn,
                 fm.horizontalAdvance(QStringLiteral("2000-00-00 00:00:00")) + pad);
  setColumnWidth(KeyTableModel::kSegmentColumn,
                 fm.horizontalAdvance(
                     model->headerData(KeyTableModel::kSegmentColumn, Qt::Horizontal).toString()) +
                     pad);
  largestValuesAct_->setEnabled(keyModel_ != nullptr);
  if (!keyModel_) return;
  horizontalHeader()->setSortIndicator(keyModel_->sortColumn(), keyModel_->sortOrder());
  // A header click calls KeyTableModel::sort; the model says when the order is in force.
  setSortingEnabled(true);
  connect(keyModel_, &KeyTableModel::sortChanged, this, &KeyTableView::onSortChanged);
  connect(keyModel_, &KeyTableModel::sortStarted, this, [this](const QString& label) {
    auto* progress = new TaskProgressDialog(label, keyModel_->sortWatcher(), this);
    progress->setObjectName(QStringLiteral("sortProgress"));
    progress->setWindowTitle(tr("Bitcask Browser"));
  });
}

void KeyTableView::onSortChanged(int column, Qt::SortOrder order) {
  // Also after a cancel: the header goes back to the order in force.
  if (horizontalHeader()->sortIndicatorSection() != column ||
      horizontalHeader()->sortIndicatorOrder() != order) {
    horizontalHeader()->setSortIndicator(column, order);
  }
  if (std::exchange(toTopAfterSort_, false) && column == KeyTableModel::kSizeColumn &&
      order == Qt::DescendingOrder && model()->rowCount() > 0) {
    scrollToTop();
    setCurrentIndex(model()->index(0, 0));
  }
}

}  // namespace bb
