#include "core/problemsmodel.h"

namespace bb {

ProblemsModel::ProblemsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProblemsModel::setReport(const bitcask::RecoveryReport& report) {
  beginResetModel();
  rows_.clear();
  for (const auto& p : report.corrupt_records) rows_.push_back({false, p});
  for (const auto& p : report.truncated_tails) rows_.push_back({true, p});
  endResetModel();
}

int ProblemsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int ProblemsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size())) return {};
  const Row& r = rows_[std::size_t(index.row())];
  if (role == Qt::DisplayRole) {
    switch (index.column()) {
      case kKindColumn:
        return r.tail ? tr("Incomplete last write") : tr("Damaged record");
      case kFileColumn:
        return QString::fromStdString(r.problem.file);
      case kOffsetColumn:
        return QStringLiteral("%L1").arg(r.problem.offset);
      case kLengthColumn:
        return r.problem.length ? QStringLiteral("%L1").arg(r.problem.length) : tr("unknown");
      case kWhatColumn:
        return QString::fromStdString(r.problem.what);
    }
  } else if (role == Qt::TextAlignmentRole &&
             (index.column() == kOffsetColumn || index.column() == kLengthColumn)) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kKindColumn:
      return tr("Problem");
    case kFileColumn:
      return tr("File");
    case kOffsetColumn:
      return tr("Offset");
    case kLengthColumn:
      return tr("Bytes");
    case kWhatColumn:
      return tr("Details");
  }
  return {};
}

}  // namespace bb
