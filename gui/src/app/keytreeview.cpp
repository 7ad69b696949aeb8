#include "app/keytreeview.h"

#include <QHeaderView>

#include "core/keytreemodel.h"

namespace bb {

KeyTreeView::KeyTreeView(QWidget* parent) : QTreeView(parent) {
  setObjectName(QStringLiteral("keyTree"));
  setUniformRowHeights(true);
  setSelectionBehavior(SelectRows);
  setSelectionMode(ExtendedSelection);
  setAlternatingRowColors(true);
  setContextMenuPolicy(Qt::ActionsContextMenu);
  header()->setStretchLastSection(false);
}

void KeyTreeView::setModel(QAbstractItemModel* model) {
  QTreeView::setModel(model);
  header()->setSectionResizeMode(KeyTreeModel::kNameColumn, QHeaderView::Stretch);
  const QFontMetrics fm = fontMetrics();
  setColumnWidth(KeyTreeModel::kKeysColumn, fm.horizontalAdvance(QStringLiteral("9,999,999")) + 24);
  setColumnWidth(KeyTreeModel::kSizeColumn, fm.horizontalAdvance(QStringLiteral("999.9 MiB")) + 24);
  setColumnWidth(KeyTreeModel::kTimestampColumn,
                 fm.horizontalAdvance(QStringLiteral("2000-00-00 00:00:00")) + 24);
}

}  // namespace bb
