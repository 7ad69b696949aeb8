#include "core/verifymodel.h"

namespace bb {

VerifyModel::VerifyModel(QObject* parent) : QAbstractTableModel(parent) {}

void VerifyModel::setOutcome(const VerifyOutcome& outcome) {
  beginResetModel();
  rows_ = outcome.problems;
  endResetModel();
}

void VerifyModel::clear() {
  beginResetModel();
  rows_.clear();
  endResetModel();
}

int VerifyModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int VerifyModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant VerifyModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const SegmentProblem& p = rows_[std::size_t(index.row())];
  switch (role) {
    case kSegmentRole:
      return p.segment;
    case kOffsetRole:
      return quint64(p.problem.offset);
    case kIsHintRole:
      return p.hint;
    case Qt::DisplayRole:
      switch (index.column()) {
        case kSegmentColumn:
          return QString::number(p.segment);
        case kFileColumn:
          return QString::fromStdString(p.problem.file);
        case kOffsetColumn:
          return QStringLiteral("%L1").arg(p.problem.offset);
        case kLengthColumn:
          return p.problem.length ? QStringLiteral("%L1").arg(p.problem.length) : tr("unknown");
        case kWhatColumn:
          return QString::fromStdString(p.problem.what);
      }
      break;
    case Qt::TextAlignmentRole:
      if (index.column() != kFileColumn && index.column() != kWhatColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      break;
  }
  return {};
}

QVariant VerifyModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kSegmentColumn:
      return tr("Segment");
    case kFileColumn:
      return tr("File");
    case kOffsetColumn:
      return tr("Offset");
    case kLengthColumn:
      return tr("Bytes");
    case kWhatColumn:
      return tr("Problem");
  }
  return {};
}

}  // namespace bb
