#include "core/keypreviewmodel.h"

#include "core/valueformat.h"

namespace bb {

KeyPreviewModel::KeyPreviewModel(QObject* parent) : QAbstractTableModel(parent) {}

void KeyPreviewModel::setKeys(std::vector<bitcask::PeekedKey> keys) {
  beginResetModel();
  keys_ = std::move(keys);
  endResetModel();
}

void KeyPreviewModel::clear() { setKeys({}); }

int KeyPreviewModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(keys_.size());
}

int KeyPreviewModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant KeyPreviewModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const bitcask::PeekedKey& k = keyAt(index.row());
  if (role == Qt::TextAlignmentRole) {
    if (index.column() == kSizeColumn || index.column() == kSegmentColumn) {
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
  }
  if (role == Qt::ToolTipRole && index.column() == kSizeColumn) {
    return formatCountOf(k.value_size, tr("1 byte"), tr("%L1 bytes"));
  }
  if (role != Qt::DisplayRole && !(role == Qt::ToolTipRole && index.column() == kKeyColumn)) {
    return {};
  }
  switch (index.column()) {
    case kKeyColumn:
      return displayKey(k.key);
    case kSizeColumn:
      return formatBytes(k.value_size);
    case kTimestampColumn:
      return formatTimestamp(k.timestamp_us);
    case kSegmentColumn:
      return QString::number(k.segment);
  }
  return {};
}

QVariant KeyPreviewModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
    return QAbstractTableModel::headerData(section, orientation, role);
  }
  switch (section) {
    case kKeyColumn:
      return tr("Key");
    case kSizeColumn:
      return tr("Size");
    case kTimestampColumn:
      return tr("Written");
    case kSegmentColumn:
      return tr("Segment");
  }
  return {};
}

}  // namespace bb
