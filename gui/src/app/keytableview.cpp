#include "app/keytableview.h"

#include <QHeaderView>

#include "core/keytablemodel.h"

namespace bb {

KeyTableView::KeyTableView(QWidget* parent) : QTableView(parent) {
  setObjectName(QStringLiteral("keyTable"));
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
}

void KeyTableView::setModel(QAbstractItemModel* model) {
  QTableView::setModel(model);
  const QFontMetrics fm = fontMetrics();
  const int pad = 24;
  setColumnWidth(KeyTableModel::kKeyColumn, fm.horizontalAdvance(QLatin1Char('M')) * 20);
  setColumnWidth(KeyTableModel::kSizeColumn,
                 fm.horizontalAdvance(QStringLiteral("999.9 MB")) + pad);
  setColumnWidth(KeyTableModel::kTimestampColumn,
                 fm.horizontalAdvance(QStringLiteral("2000-00-00 00:00:00")) + pad);
  setColumnWidth(KeyTableModel::kSegmentColumn,
                 fm.horizontalAdvance(
                     model->headerData(KeyTableModel::kSegmentColumn, Qt::Horizontal).toString()) +
                     pad);
}

}  // namespace bb
