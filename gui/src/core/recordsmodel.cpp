#include "core/recordsmodel.h"

#include <bitcask/error.h>

#include <QColor>
#include <QTimer>
#include <algorithm>
#include <limits>

#include "core/valueformat.h"

namespace bb {

RecordsModel::RecordsModel(QObject* parent) : QAbstractTableModel(parent) {
  pages_.setMaxCost(kCachedPages);
}

void RecordsModel::resetRows() {
  offsets_.clear();
  offsets_.shrink_to_fit();
  keyRows_.clear();
  pages_.clear();
}

void RecordsModel::setDatabase(Database* db) {
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  db_ = db;
  if (db_) {
    connections_ << connect(db_, &Database::keysChanged, this, &RecordsModel::onKeysChanged);
    connections_ << connect(db_, &Database::reset, this, &RecordsModel::refresh);
  }
  clear();
}

void RecordsModel::clear() {
  // Views and testers call fetchMore from modelReset: only once it is over.
  fetching_ = true;
  beginResetModel();
  ++generation_;
  mode_ = Mode::kNone;
  resetRows();
  key_.clear();
  segment_ = 0;
  next_ = segmentSize_ = 0;
  complete_ = true;
  continuePending_ = false;
  error_.clear();
  segmentGone_ = false;
  endResetModel();
  fetching_ = false;
  emit scanProgress();
}

void RecordsModel::showSegment(quint32 segment) {
  // Views and testers call fetchMore from modelReset: only once it is over.
  fetching_ = true;
  beginResetModel();
  ++generation_;
  mode_ = db_ ? Mode::kSegment : Mode::kNone;
  segment_ = segment;
  key_.clear();
  resetRows();
  next_ = 0;
  complete_ = !db_;
  continuePending_ = false;
  error_.clear();
  segmentGone_ = false;
  if (db_ && updateSegmentSize()) {
    foundSinceRequest_ = 0;
    fetch(false, std::size_t(filter_.isEmpty() ? pageSize_ : scanBudget_));
  }
  endResetModel();
  fetching_ = false;
  if (!error_.isEmpty() && !segmentGone_) emit errorOccurred(error_);
  if (!complete_ && !filter_.isEmpty() && foundSinceRequest_ < pageSize_) scheduleContinue();
  emit scanProgress();
}

void RecordsModel::showKey(const std::string& key) {
  // Views and testers call fetchMore from modelReset: only once it is over.
  fetching_ = true;
  beginResetModel();
  ++generation_;
  mode_ = db_ ? Mode::kKey : Mode::kNone;
  key_ = key;
  segment_ = 0;
  resetRows();
  next_ = segmentSize_ = 0;
  complete_ = true;
  continuePending_ = false;
  error_.clear();
  segmentGone_ = false;
  if (db_) {
    try {
      const auto versions = db_->db().history(key);
      const auto live = db_->entry(key);
      for (const auto& v : versions) {
        Row r;
        r.info.segment = v.segment;
        r.info.offset = v.offset;
        r.info.record_size = v.record_size;
        r.info.kind = v.kind;
        r.info.key = key;
        r.info.value_size = v.value_size;
        r.info.timestamp_us = v.timestamp_us;
        r.info.checksum_ok = !v.damaged;
        if (v.damaged) {
          r.state = State::kCorrupt;
        } else if (v.live) {
          r.state = State::kLive;
        } else if (live) {
          r.state = State::kShadowed;
          r.liveSegment = live->segment;
          r.liveOffset = live->offset;
        } else {
          r.state = v.kind == bitcask::RecordKind::kTombstone ? State::kDeletion : State::kDeleted;
        }
        bool resolved = true;
        if (matches(r, &resolved)) keyRows_.push_back(std::move(r));
      }
    } catch (const std::exception& e) {
      error_ = QString::fromStdString(e.what());
    }
  }
  endResetModel();
  fetching_ = false;
  if (!error_.isEmpty()) emit errorOccurred(error_);
  emit scanProgress();
}

void RecordsModel::setFilter(const Filter& filter) {
  if (filter == filter_) return;
  filter_ = filter;
  if (mode_ == Mode::kSegment) {
    showSegment(segment_);
  } else if (mode_ == Mode::kKey) {
    showKey(key_);
  }
}

bool RecordsModel::updateSegmentSize() {
  if (!db_ || mode_ != Mode::kSegment) return true;
  try {
    for (const auto& s : db_->db().stats().segment_stats) {
      if (s.id == segment_) {
        segmentSize_ = s.size;
        if (complete_ && error_.isEmpty() && next_ < segmentSize_) complete_ = false;
        return true;
      }
    }
  } catch (const std::exception& e) {
    error_ = QString::fromStdString(e.what());
    complete_ = true;
    return true;  // not known to be gone: the caller reports the error
  }
  error_ = tr("Segment %1 no longer exists: a merge replaced it.").arg(segment_);
  segmentGone_ = true;
  complete_ = true;
  return false;
}

void RecordsModel::dropGoneSegment() {
  fetching_ = true;
  beginResetModel();
  ++generation_;
  resetRows();
  next_ = segmentSize_ = 0;
  continuePending_ = false;
  endResetModel();
  fetching_ = false;
  emit scanProgress();
}

void RecordsModel::fail(const QString& message) {
  error_ = message;
  emit errorOccurred(message);
}

void RecordsModel::resolve(Row& row) const {
  const auto& info = row.info;
  if (!info.checksum_ok) {
    row.state = State::kCorrupt;
    return;
  }
  if (info.kind == bitcask::RecordKind::kBatchBegin ||
      info.kind == bitcask::RecordKind::kBatchCommit) {
    row.state = State::kMarker;
    return;
  }
  const auto live = db_ ? db_->entry(info.key) : std::nullopt;
  if (!live) {
    row.state = info.kind == bitcask::RecordKind::kTombstone ? State::kDeletion : State::kDeleted;
  } else if (info.kind != bitcask::RecordKind::kTombstone && live->segment == info.segment &&
             live->offset == info.offset) {
    row.state = State::kLive;
  } else {
    row.state = State::kShadowed;
    row.liveSegment = live->segment;
    row.liveOffset = live->offset;
  }
}

// Cheap tests first; the keydir is asked only when the shadowed filter needs it.
bool RecordsModel::matches(Row& row, bool* resolved) const {
  const auto& info = row.info;
  if (filter_.tombstonesOnly && info.kind != bitcask::RecordKind::kTombstone) return false;
  if (filter_.corruptOnly && info.checksum_ok) return false;
  if (!filter_.keyContains.isEmpty() &&
      QByteArray::fromRawData(info.key.data(), qsizetype(info.key.size()))
              .indexOf(filter_.keyContains) < 0) {
    return false;
  }
  if (filter_.shadowedOnly) {
    if (!*resolved) {
      resolve(row);
      *resolved = true;
    }
    if (row.state != State::kShadowed && row.state != State::kDeleted) return false;
  }
  return true;
}

int RecordsModel::fetch(bool insertRows, std::size_t budget) {
  if (!db_ || mode_ != Mode::kSegment || complete_) return 0;
  std::vector<bitcask::RecordInfo> read;
  read.reserve(std::min<std::size_t>(budget, 4096));
  std::uint64_t end = next_;
  try {
    // Collect first: the visitor runs under the engine's read lock, so the
    // keydir is asked afterwards.
    end = db_->db().read_records(segment_, next_, budget, [&](const bitcask::RecordInfo& r) {
      read.push_back(r);
      return true;
    });
  } catch (const std::exception& e) {
    complete_ = true;
    fail(QString::fromStdString(e.what()));
    return 0;
  }
  if (read.size() < budget || end <= next_) complete_ = true;
  next_ = std::max<quint64>(end, next_);
  if (next_ > segmentSize_) segmentSize_ = next_;
  std::vector<quint64> found;
  for (auto& info : read) {
    Row r;
    r.info = std::move(info);
    bool resolved = false;
    if (matches(r, &resolved)) found.push_back(r.info.offset);
  }
  if (found.empty()) return 0;
  const int first = int(offsets_.size());
  if (insertRows) beginInsertRows({}, first, first + int(found.size()) - 1);
  offsets_.insert(offsets_.end(), found.begin(), found.end());
  pages_.remove(first / kRowsPerPage);  // the last page was short; it grew
  if (insertRows) endInsertRows();
  foundSinceRequest_ += int(found.size());
  return int(found.size());
}

// Reads the rows of page `index` back from the segment: from its first
// row's offset to its last, keeping the records whose offsets are the rows'
// (with a filter, others lie between them).
std::vector<RecordsModel::Row> RecordsModel::readPage(int index) const {
  const std::size_t first = std::size_t(index) * kRowsPerPage;
  const std::size_t last = std::min(first + kRowsPerPage, offsets_.size()) - 1;
  // Rows not found again (the segment was merged away meanwhile) read as
  // damaged; updateSegmentSize() says why.
  std::vector<Row> rows(last - first + 1);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rows[i].info.segment = segment_;
    rows[i].info.offset = offsets_[first + i];
    rows[i].info.checksum_ok = false;
    rows[i].state = State::kCorrupt;
  }
  std::size_t next = first;
  try {
    db_->db().read_records(segment_, offsets_[first], std::numeric_limits<std::size_t>::max(),
                           [&](const bitcask::RecordInfo& r) {
                             while (next <= last && offsets_[next] < r.offset) ++next;
                             if (next <= last && offsets_[next] == r.offset) {
                               rows[next - first].info = r;
                               ++next;
                             }
                             return next <= last;
                           });
  } catch (const std::exception& e) {
    // Said once the view is done asking (this runs inside data()).
    QMetaObject::invokeMethod(
        const_cast<RecordsModel*>(this),
        [self = const_cast<RecordsModel*>(this), message = QString::fromStdString(e.what())] {
          self->fail(message);
        },
        Qt::QueuedConnection);
  }
  // After the read: the visitor runs under the engine's read lock.
  for (auto& row : rows) resolve(row);
  return rows;
}

const std::vector<RecordsModel::Row>* RecordsModel::page(int index) const {
  if (auto* cached = pages_.object(index)) return cached;
  auto* rows = new std::vector<Row>(readPage(index));
  pages_.insert(index, rows);
  return rows;
}

RecordsModel::Row RecordsModel::rowAt(int row) const {
  if (mode_ == Mode::kKey) return keyRows_.at(std::size_t(row));
  return page(row / kRowsPerPage)->at(std::size_t(row % kRowsPerPage));
}

int RecordsModel::cachedRows() const {
  int rows = int(keyRows_.size());
  for (int key : pages_.keys()) rows += int(pages_.object(key)->size());
  return rows;
}

bool RecordsModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && mode_ == Mode::kSegment && !complete_ && !fetching_ &&
         !continuePending_;
}

void RecordsModel::fetchMore(const QModelIndex& parent) {
  if (parent.isValid() || fetching_ || !canFetchMore(parent)) return;
  fetching_ = true;
  foundSinceRequest_ = 0;
  fetch(true, std::size_t(filter_.isEmpty() ? pageSize_ : scanBudget_));
  fetching_ = false;
  if (!complete_ && !filter_.isEmpty() && foundSinceRequest_ < pageSize_) scheduleContinue();
  emit scanProgress();
}

void RecordsModel::scheduleContinue() {
  if (continuePending_) return;
  continuePending_ = true;
  const quint64 generation = generation_;
  QTimer::singleShot(0, this, [this, generation] {
    if (generation != generation_) return;
    continuePending_ = false;
    if (complete_ || fetching_) return;
    fetching_ = true;
    fetch(true, std::size_t(scanBudget_));
    fetching_ = false;
    if (!complete_ && foundSinceRequest_ < pageSize_) scheduleContinue();
    emit scanProgress();
  });
}

int RecordsModel::ensureLoaded(quint64 offset) {
  if (mode_ == Mode::kKey) {
    for (int i = 0; i < int(keyRows_.size()); ++i) {
      if (keyRows_[std::size_t(i)].info.offset == offset) return i;
    }
    return -1;
  }
  if (mode_ != Mode::kSegment) return -1;
  while (!complete_ && (offsets_.empty() || offsets_.back() < offset) && next_ <= offset) {
    fetching_ = true;
    fetch(true, std::size_t(scanBudget_));
    fetching_ = false;
  }
  emit scanProgress();
  const auto it = std::lower_bound(offsets_.begin(), offsets_.end(), offset);
  return it != offsets_.end() && *it == offset ? int(it - offsets_.begin()) : -1;
}

void RecordsModel::refresh() {
  if (mode_ == Mode::kKey) {
    showKey(key_);
    return;
  }
  if (mode_ != Mode::kSegment) return;
  const QString before = error_;
  if (!updateSegmentSize()) {
    dropGoneSegment();
    return;
  }
  if (error_ != before && !error_.isEmpty()) emit errorOccurred(error_);
  pages_.clear();  // re-read, and so re-resolved, when next shown
  if (!offsets_.empty()) {
    emit dataChanged(index(0, 0), index(rowCount() - 1, kColumnCount - 1));
  }
  emit scanProgress();
}

void RecordsModel::onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  if (mode_ == Mode::kKey) {
    const QByteArray k = QByteArray::fromStdString(key_);
    if (put.contains(k) || removed.contains(k)) showKey(key_);
    return;
  }
  if (mode_ != Mode::kSegment) return;
  QSet<QByteArray> changed(put.begin(), put.end());
  for (const auto& k : removed) changed.insert(k);
  // Only cached rows are shown with a state; others resolve when read.
  for (int p : pages_.keys()) {
    auto& rows = *pages_.object(p);
    for (int i = 0; i < int(rows.size()); ++i) {
      Row& r = rows[std::size_t(i)];
      if (r.info.key.empty() || !changed.contains(QByteArray::fromStdString(r.info.key))) continue;
      resolve(r);
      const int row = p * kRowsPerPage + i;
      emit dataChanged(index(row, kStatusColumn), index(row, kStatusColumn));
    }
  }
  const bool wasComplete = complete_;
  if (!updateSegmentSize()) {
    dropGoneSegment();
    return;
  }
  if (wasComplete != complete_) emit scanProgress();
}

QString RecordsModel::kindName(bitcask::RecordKind kind) {
  switch (kind) {
    case bitcask::RecordKind::kPut:
      return tr("put");
    case bitcask::RecordKind::kTombstone:
      return tr("tombstone");
    case bitcask::RecordKind::kBatchBegin:
      return tr("batch begin");
    case bitcask::RecordKind::kBatchCommit:
      return tr("batch commit");
  }
  return tr("unknown");
}

QString RecordsModel::statusText(const Row& row) const {
  switch (row.state) {
    case State::kLive:
      return tr("live");
    case State::kShadowed:
      return tr("shadowed by %1 @ %L2").arg(row.liveSegment).arg(row.liveOffset);
    case State::kDeleted:
      return tr("deleted since");
    case State::kDeletion:
      return tr("deletes the key");
    case State::kMarker:
      return QStringLiteral("—");
    case State::kCorrupt:
      return tr("corrupt");
  }
  return {};
}

int RecordsModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return mode_ == Mode::kKey ? int(keyRows_.size()) : int(offsets_.size());
}

int RecordsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

QVariant RecordsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  const Row r = rowAt(index.row());
  const auto& info = r.info;
  const bool corrupt = !info.checksum_ok;
  switch (role) {
    case kSegmentRole:
      return info.segment;
    case kOffsetRole:
      return quint64(info.offset);
    case kKeyBytesRole:
      return QByteArray::fromStdString(info.key);
    case kRecordSizeRole:
      return info.record_size;
    case kKindRole:
      return int(info.kind);
    case kChecksumOkRole:
      return info.checksum_ok;
    case kStateRole:
      return int(r.state);
    case kLiveSegmentRole:
      return r.liveSegment;
    case kLiveOffsetRole:
      return quint64(r.liveOffset);
    case Qt::DisplayRole:
      switch (index.column()) {
        case kSegmentColumn:
          return QString::number(info.segment);
        case kOffsetColumn:
          return QStringLiteral("%L1").arg(info.offset);
        case kKindColumn:
          return corrupt ? tr("damaged") : kindName(info.kind);
        case kKeyColumn:
          return info.key.empty() ? QStringLiteral("—") : displayKey(info.key);
        case kValueSizeColumn:
          return corrupt ? tr("%L1 B damaged").arg(info.record_size)
                         : QStringLiteral("%L1").arg(info.value_size);
        case kTimestampColumn:
          return corrupt ? QString() : formatTimestamp(info.timestamp_us);
        case kChecksumColumn:
          return info.checksum_ok ? tr("ok") : tr("BAD");
        case kStatusColumn:
          return statusText(r);
      }
      break;
    case Qt::TextAlignmentRole:
      if (index.column() == kSegmentColumn || index.column() == kOffsetColumn ||
          index.column() == kValueSizeColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      break;
    case Qt::ForegroundRole:
      if (corrupt && (index.column() == kChecksumColumn || index.column() == kStatusColumn ||
                      index.column() == kKindColumn)) {
        return QColor(0xd9, 0x3f, 0x3f);
      }
      if (index.column() == kKindColumn && info.kind == bitcask::RecordKind::kTombstone) {
        return QColor(0xd0, 0x7a, 0x1c);
      }
      if (index.column() == kStatusColumn && r.state == State::kLive) {
        return QColor(0x2e, 0x9e, 0x4f);
      }
      if (r.state == State::kShadowed || r.state == State::kDeleted) {
        return QColor(0x8a, 0x8d, 0x93);
      }
      break;
    case Qt::ToolTipRole:
      if (index.column() == kStatusColumn && r.state == State::kShadowed) {
        return tr("The live version of this key is the record at offset %L1 of segment %2.")
            .arg(r.liveOffset)
            .arg(r.liveSegment);
      }
      if (index.column() == kKeyColumn) return displayKey(info.key);
      break;
  }
  return {};
}

QVariant RecordsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kSegmentColumn:
      return tr("Segment");
    case kOffsetColumn:
      return tr("Offset");
    case kKindColumn:
      return tr("Kind");
    case kKeyColumn:
      return tr("Key");
    case kValueSizeColumn:
      return tr("Value bytes");
    case kTimestampColumn:
      return tr("Written");
    case kChecksumColumn:
      return tr("Checksum");
    case kStatusColumn:
      return tr("Version");
  }
  return {};
}

}  // namespace bb
