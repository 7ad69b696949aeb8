#include "core/problemsmodel.h"

#include "core/valueformat.h"

namespace bb {

ProblemsModel::ProblemsModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProblemsModel::setReport(const bitcask::RecoveryReport& report) {
  beginResetModel();
  rows_.clear();
  auto add = [this](Kind kind, const bitcask::Problem& p) {
    rows_.push_back({kind, segmentProblemOf(p)});
  };
  for (const auto& p : report.corrupt_records) add(Kind::kDamagedRecord, p);
  for (const auto& p : report.truncated_tails) add(Kind::kTornTail, p);
  endResetModel();
}

void ProblemsModel::setOutcome(const VerifyOutcome& outcome) {
  beginResetModel();
  rows_.clear();
  for (const auto& p : outcome.problems) {
    rows_.push_back({p.hint ? Kind::kDamagedHint : Kind::kDamagedRecord, p});
  }
  endResetModel();
}

void ProblemsModel::clear() {
  beginResetModel();
  rows_.clear();
  endResetModel();
}

int ProblemsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int ProblemsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant ProblemsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const Row& r = rows_[std::size_t(index.row())];
  const bitcask::Problem& p = r.where.problem;
  switch (role) {
    case kSegmentRole:
      return r.where.segment;
    case kOffsetRole:
      return quint64(p.offset);
    case kIsHintRole:
      return r.where.hint;
    case kKeyRole:
      return p.key ? QVariant(QByteArray::fromStdString(*p.key)) : QVariant();
    case Qt::ToolTipRole:
      if (index.column() == kKeyColumn && p.key) {
        return tr(
            "Read from the damaged record itself: its checksum covers the key too, so a "
            "flipped key byte would show here as well.");
      }
      break;
    case Qt::DisplayRole:
      switch (index.column()) {
        case kKindColumn:
          switch (r.kind) {
            case Kind::kDamagedRecord:
              return tr("Damaged record");
            case Kind::kTornTail:
              return tr("Incomplete last write");
            case Kind::kDamagedHint:
              return tr("Damaged hint file");
          }
          break;
        case kSegmentColumn:
          return r.where.segment ? QString::number(r.where.segment) : QString();
        case kFileColumn:
          return QString::fromStdString(p.file);
        case kOffsetColumn:
          return QStringLiteral("%L1").arg(p.offset);
        case kKeyColumn:
          if (p.key) return displayKey(*p.key);
          return r.kind == Kind::kDamagedRecord ? tr("unreadable") : QString();
        case kLengthColumn:
          return p.length ? QStringLiteral("%L1").arg(p.length) : tr("unknown");
        case kWhatColumn:
          return QString::fromStdString(p.what);
      }
      break;
    case Qt::TextAlignmentRole:
      if (index.column() == kSegmentColumn || index.column() == kOffsetColumn ||
          index.column() == kLengthColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      break;
  }
  return {};
}

QVariant ProblemsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kKindColumn:
      return tr("Problem");
    case kSegmentColumn:
      return tr("Segment");
    case kFileColumn:
      return tr("File");
    case kOffsetColumn:
      return tr("Offset");
    case kKeyColumn:
      return tr("Key");
    case kLengthColumn:
      return tr("Bytes");
    case kWhatColumn:
      return tr("Details");
  }
  return {};
}

}  // namespace bb
