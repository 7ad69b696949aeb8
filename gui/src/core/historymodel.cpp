#include "core/historymodel.h"

#include <QFont>
#include <algorithm>

#include "core/valueformat.h"

namespace bb {

HistoryModel::HistoryModel(QObject* parent) : QAbstractTableModel(parent) {}

void HistoryModel::setVersions(std::vector<KeyVersion> versions) {
  beginResetModel();
  rows_ = std::move(versions);
  std::reverse(rows_.begin(), rows_.end());
  endResetModel();
}

void HistoryModel::clear() {
  beginResetModel();
  rows_.clear();
  endResetModel();
}

int HistoryModel::liveRow() const {
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    if (rows_[i].live) return int(i);
  }
  return -1;
}

int HistoryModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int HistoryModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant HistoryModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size())) return {};
  const KeyVersion& v = rows_[std::size_t(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case kWrittenColumn:
        return formatTimestamp(v.timestampUs);
      case kChangeColumn:
        return v.tombstone ? tr("Deleted") : tr("Written");
      case kSizeColumn:
        return v.tombstone ? QString() : formatBytes(v.valueSize);
      case kWhereColumn:
        return tr("segment %1 @ %L2").arg(v.segment).arg(v.offset);
      case kStateColumn:
        if (!v.checksumOk) return tr("damaged");
        return v.live ? tr("current") : QString();
    }
  } else if (role == Qt::FontRole && v.live) {
    QFont f;
    f.setBold(true);
    return f;
  } else if (role == Qt::TextAlignmentRole && index.column() == kSizeColumn) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant HistoryModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kWrittenColumn:
      return tr("Written");
    case kChangeColumn:
      return tr("Change");
    case kSizeColumn:
      return tr("Size");
    case kWhereColumn:
      return tr("Where");
    case kStateColumn:
      return tr("State");
  }
  return {};
}

}  // namespace bb
