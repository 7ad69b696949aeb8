#include "core/segmentsmodel.h"

#include <QColor>
#include <QFont>
#include <algorithm>

#include "core/valueformat.h"

namespace bb {

SegmentsModel::SegmentsModel(QObject* parent) : QAbstractTableModel(parent) {}

void SegmentsModel::setDatabase(Database* db) {
  beginResetModel();
  db_ = db;
  stats_ = {};
  verified_.clear();
  QString error;
  if (db_) {
    try {
      stats_ = db_->db().stats();
    } catch (const std::exception& e) {
      error = QString::fromStdString(e.what());
    }
  }
  endResetModel();
  if (!error.isEmpty()) emit errorOccurred(error);
  emit statsChanged();
}

void SegmentsModel::refresh() {
  if (!db_) return;
  bitcask::Stats next;
  try {
    next = db_->db().stats();
  } catch (const std::exception& e) {
    // The figures shown stay those last read; the page says why.
    emit errorOccurred(QString::fromStdString(e.what()));
    return;
  }
  // Both lists are in id order: walk them together, removing segments that
  // went away and inserting new ones, so rows that stay keep their selection.
  auto& rows = stats_.segment_stats;
  const auto& fresh = next.segment_stats;
  std::size_t i = 0, j = 0;
  while (i < rows.size() || j < fresh.size()) {
    if (j == fresh.size() || (i < rows.size() && rows[i].id < fresh[j].id)) {
      std::size_t end = i + 1;
      while (end < rows.size() && (j == fresh.size() || rows[end].id < fresh[j].id)) ++end;
      beginRemoveRows({}, int(i), int(end - 1));
      for (std::size_t k = i; k < end; ++k) verified_.erase(rows[k].id);
      rows.erase(rows.begin() + std::ptrdiff_t(i), rows.begin() + std::ptrdiff_t(end));
      endRemoveRows();
    } else if (i == rows.size() || fresh[j].id < rows[i].id) {
      std::size_t end = j + 1;
      while (end < fresh.size() && (i == rows.size() || fresh[end].id < rows[i].id)) ++end;
      beginInsertRows({}, int(i), int(i + (end - j) - 1));
      rows.insert(rows.begin() + std::ptrdiff_t(i), fresh.begin() + std::ptrdiff_t(j),
                  fresh.begin() + std::ptrdiff_t(end));
      endInsertRows();
      i += end - j;
      j = end;
    } else {
      const auto& a = rows[i];
      const auto& b = fresh[j];
      const bool same = a.size == b.size && a.records == b.records &&
                        a.live_records == b.live_records && a.live_bytes == b.live_bytes &&
                        a.dead_bytes == b.dead_bytes && a.tombstones == b.tombstones &&
                        a.active == b.active && a.has_hint == b.has_hint;
      rows[i] = b;
      if (!same) emit dataChanged(index(int(i), 0), index(int(i), kColumnCount - 1));
      ++i;
      ++j;
    }
  }
  next.segment_stats = std::move(rows);
  stats_ = std::move(next);
  emit statsChanged();
}

void SegmentsModel::setVerifyOutcome(const VerifyOutcome& outcome) {
  if (!outcome.ok()) return;
  verified_.clear();
  for (const auto& [id, size] : outcome.verifiedSizes) verified_[id].size = size;
  for (const auto& p : outcome.problems) {
    Verified& v = verified_[p.segment];
    if (p.hint) {
      v.hintDamaged = true;
    } else {
      ++v.problems;
    }
  }
  if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
}

void SegmentsModel::clearVerifyOutcome() {
  verified_.clear();
  if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
}

const bitcask::SegmentStats& SegmentsModel::segmentAt(int row) const {
  return stats_.segment_stats.at(std::size_t(row));
}

int SegmentsModel::rowOfSegment(quint32 id) const {
  const auto& rows = stats_.segment_stats;
  auto it = std::lower_bound(rows.begin(), rows.end(), id,
                             [](const bitcask::SegmentStats& s, quint32 v) { return s.id < v; });
  return it != rows.end() && it->id == id ? int(it - rows.begin()) : -1;
}

SegmentsModel::Check SegmentsModel::checkOf(quint32 id) const {
  auto it = verified_.find(id);
  if (it == verified_.end()) return Check::kNotVerified;
  if (it->second.problems > 0) return Check::kDamaged;
  const int row = rowOfSegment(id);
  // Records appended since were not checked.
  if (row >= 0 && segmentAt(row).size != it->second.size) return Check::kNotVerified;
  return Check::kOk;
}

int SegmentsModel::problemsIn(quint32 id) const {
  auto it = verified_.find(id);
  return it == verified_.end() ? 0 : it->second.problems;
}

bool SegmentsModel::hintDamaged(quint32 id) const {
  auto it = verified_.find(id);
  return it != verified_.end() && it->second.hintDamaged;
}

double SegmentsModel::fragmentation(const bitcask::SegmentStats& s) {
  return s.size ? double(s.dead_bytes) / double(s.size) : 0.0;
}

int SegmentsModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(stats_.segment_stats.size());
}

int SegmentsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant SegmentsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const bitcask::SegmentStats& s = segmentAt(index.row());
  const int col = index.column();
  if (role == kSegmentIdRole) return s.id;
  if (role == Qt::DisplayRole || role == kSortRole) {
    const bool sort = role == kSortRole;
    switch (col) {
      case kIdColumn:
        return sort ? QVariant(s.id) : QVariant(QString::number(s.id));
      case kSizeColumn:
        return sort ? QVariant(quint64(s.size)) : QVariant(formatBytes(s.size));
      case kRecordsColumn:
        return sort ? QVariant(quint64(s.records)) : QVariant(QStringLiteral("%L1").arg(s.records));
      case kLiveRecordsColumn:
        return sort ? QVariant(quint64(s.live_records))
                    : QVariant(QStringLiteral("%L1").arg(s.live_records));
      case kLiveBytesColumn:
        return sort ? QVariant(quint64(s.live_bytes)) : QVariant(formatBytes(s.live_bytes));
      case kDeadBytesColumn:
        return sort ? QVariant(quint64(s.dead_bytes)) : QVariant(formatBytes(s.dead_bytes));
      case kTombstonesColumn:
        return sort ? QVariant(quint64(s.tombstones))
                    : QVariant(QStringLiteral("%L1").arg(s.tombstones));
      case kFragmentationColumn:
        return sort ? QVariant(fragmentation(s))
                    : QVariant(QStringLiteral("%1 %").arg(fragmentation(s) * 100, 0, 'f', 1));
      case kHintColumn: {
        const int rank = hintDamaged(s.id) ? 0 : s.has_hint ? 2 : 1;
        if (sort) return rank;
        return rank == 0 ? tr("damaged") : rank == 2 ? tr("valid") : tr("none");
      }
      case kStateColumn:
        if (sort) return int(s.active);
        return s.active ? tr("active") : tr("sealed");
      case kChecksumColumn: {
        const Check c = checkOf(s.id);
        if (sort) return c == Check::kDamaged ? -problemsIn(s.id) : int(c);
        switch (c) {
          case Check::kNotVerified:
            return tr("not verified");
          case Check::kOk:
            return tr("ok");
          case Check::kDamaged:
            return tr("%n damaged", nullptr, problemsIn(s.id));
        }
      }
    }
    return {};
  }
  if (role == Qt::TextAlignmentRole) {
    if (col == kHintColumn || col == kStateColumn || col == kChecksumColumn) return {};
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  if (role == Qt::ForegroundRole) {
    if ((col == kChecksumColumn && checkOf(s.id) == Check::kDamaged) ||
        (col == kHintColumn && hintDamaged(s.id))) {
      return QColor(0xd9, 0x3f, 0x3f);
    }
    if (col == kChecksumColumn && checkOf(s.id) == Check::kOk) return QColor(0x2e, 0x9e, 0x4f);
  }
  if (role == Qt::FontRole && col == kStateColumn && s.active) {
    QFont f;
    f.setBold(true);
    return f;
  }
  if (role == Qt::ToolTipRole) {
    return tr("%1\n%L2 bytes, %L3 of them dead")
        .arg(QString::fromStdString(s.file))
        .arg(s.size)
        .arg(s.dead_bytes);
  }
  return {};
}

QVariant SegmentsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::DisplayRole) {
    switch (section) {
      case kIdColumn:
        return tr("Segment");
      case kSizeColumn:
        return tr("File\nsize");
      case kRecordsColumn:
        return tr("Records");
      case kLiveRecordsColumn:
        return tr("Live\nrecords");
      case kLiveBytesColumn:
        return tr("Live\nbytes");
      case kDeadBytesColumn:
        return tr("Dead\nbytes");
      case kTombstonesColumn:
        return tr("Tombstones");
      case kFragmentationColumn:
        return tr("Fragmentation");
      case kHintColumn:
        return tr("Hint");
      case kStateColumn:
        return tr("State");
      case kChecksumColumn:
        return tr("Checksums");
    }
  } else if (role == Qt::ToolTipRole) {
    switch (section) {
      case kDeadBytesColumn:
        return tr("Bytes a merge would reclaim: overwritten and deleted values, tombstones");
      case kFragmentationColumn:
        return tr("Dead bytes / file size (a merge takes segments at 40 % and more)");
      case kHintColumn:
        return tr(
            "Hint file: lets opening skip reading values (valid, none, or damaged after "
            "Verify)");
      case kChecksumColumn:
        return tr("What the last Verify found in the segment's records");
    }
  }
  return {};
}

}  // namespace bb
