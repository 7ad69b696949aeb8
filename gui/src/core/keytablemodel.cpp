#include "core/keytablemodel.h"

#include <bitcask/error.h>

#include <QDateTime>
#include <QLocale>
#include <algorithm>
#include <unordered_set>

#include "core/valueformat.h"
#include "core/valueread.h"

namespace bb {

namespace {

bool entryLess(const bitcask::KeyEntry& e, const std::string& key) { return e.key < key; }

// Holds the fetchMore guard while the model changes: views and testers call
// fetchMore from the signals a change emits, which must not nest a change.
class Guard {
 public:
  explicit Guard(bool& flag) : flag_(flag), old_(flag) { flag_ = true; }
  ~Guard() { flag_ = old_; }

 private:
  bool& flag_;
  bool old_;
};

// Changes to more keys than this (a bulk delete and its undo) reset the model at once.
constexpr qsizetype kBulkChangeKeys = 500;

// A preview is one line of at most kPreviewChars characters: reading kPreviewReadBytes of the
// value is enough for it (compact JSON; \uXXXX escapes may need more, hence not 4 * chars).
constexpr int kPreviewChars = 160;
constexpr std::size_t kPreviewReadBytes = 4096;
// Values no larger are read whole (checksum verified, so damage shows as "unreadable").
// Larger ones are read as a prefix straight from their segment; when the record offers no
// prefix read (Python layout, compressed) they are not read at all for a preview: the GUI
// thread never holds more than this of a value.
constexpr quint32 kMaxWholePreviewRead = 64 * 1024;

}  // namespace

KeyTableModel::KeyTableModel(QObject* parent) : QAbstractTableModel(parent) {}

KeyTableModel::~KeyTableModel() = default;

void KeyTableModel::setDatabase(Database* db) {
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  db_ = db;
  filter_ = {};
  matcher_ = KeyMatcher(filter_);
  prefix_.clear();
  listMode_ = false;
  if (db_) {
    connections_ << connect(db_, &Database::keysChanged, this, &KeyTableModel::onKeysChanged);
    connections_ << connect(db_, &Database::reset, this, [this] {
      if (listMode_) {
        showPrefix({});
      } else {
        restart();
      }
    });
  }
  restart();
}

void KeyTableModel::setPageSize(int rows) { pageSize_ = std::max(1, rows); }

void KeyTableModel::showPrefix(const std::string& prefix) {
  filter_ = {};
  filter_.mode = KeyFilter::Mode::kPrefix;
  filter_.text = QString::fromStdString(prefix);
  matcher_ = KeyMatcher(filter_);
  prefix_ = prefix;
  listMode_ = false;
  restart();
}

void KeyTableModel::showMatches(const KeyFilter& filter,
                                std::shared_ptr<std::vector<bitcask::KeyEntry>> matches) {
  fetching_ = true;
  beginResetModel();
  filter_ = filter;
  matcher_ = KeyMatcher(filter_);
  prefix_.clear();
  listMode_ = true;
  rows_ = matches ? std::move(*matches) : std::vector<bitcask::KeyEntry>{};
  complete_ = true;
  previews_.clear();
  endResetModel();
  fetching_ = false;
  updateCount();
}

void KeyTableModel::restart() {
  // Views and testers call fetchMore from modelReset: let them only once the reset is over.
  fetching_ = true;
  beginResetModel();
  rows_.clear();
  rows_.shrink_to_fit();
  previews_.clear();
  complete_ = db_ == nullptr;
  if (listMode_) complete_ = true;
  endResetModel();
  fetching_ = false;
  // The first page right away: a view shows rows without waiting for a scroll.
  if (canFetchMore({})) fetchMore({});
  updateCount();
}

void KeyTableModel::updateCount() {
  quint64 count = 0;
  if (db_) {
    if (listMode_) {
      count = rows_.size();
    } else if (prefix_.empty()) {
      count = db_->keyCount();
    } else if (complete_) {
      count = rows_.size();
    } else {
      count = db_->db().count(prefix_);
    }
  }
  if (count != count_) {
    count_ = count;
  }
  emit countChanged();
}

quint64 KeyTableModel::matchCount() const { return count_; }

std::string KeyTableModel::keyAt(int row) const {
  if (row < 0 || row >= int(rows_.size())) return {};
  return rows_[std::size_t(row)].key;
}

int KeyTableModel::rowOfKey(const std::string& key) const {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), key, entryLess);
  if (it == rows_.end() || it->key != key) return -1;
  return int(it - rows_.begin());
}

int KeyTableModel::ensureLoaded(const std::string& key) {
  for (;;) {
    const int row = rowOfKey(key);
    if (row >= 0) return row;
    if (complete_ || (!rows_.empty() && rows_.back().key > key)) return -1;
    const std::size_t before = rows_.size();
    fetchMore({});
    if (rows_.size() == before) return -1;
  }
}

int KeyTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(rows_.size());
}

int KeyTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

bool KeyTableModel::canFetchMore(const QModelIndex& parent) const {
  return !parent.isValid() && !complete_ && db_ && !fetching_;
}

void KeyTableModel::fetchMore(const QModelIndex& parent) {
  if (parent.isValid() || complete_ || !db_ || fetching_) return;
  fetching_ = true;
  bitcask::ScanOptions options;
  options.prefix = prefix_;
  options.limit = std::size_t(pageSize_);
  if (!rows_.empty()) {
    options.start = rows_.back().key;
    options.exclusive_start = true;
  }
  std::vector<bitcask::KeyEntry> page;
  try {
    page = db_->db().scan(options);
  } catch (const bitcask::Error&) {
    page.clear();
  }
  if (page.size() < options.limit) complete_ = true;
  if (!page.empty()) {
    beginInsertRows({}, int(rows_.size()), int(rows_.size() + page.size()) - 1);
    rows_.insert(rows_.end(), std::make_move_iterator(page.begin()),
                 std::make_move_iterator(page.end()));
    endInsertRows();
  }
  fetching_ = false;
  if (complete_ && !prefix_.empty()) updateCount();
}

QString KeyTableModel::preview(const bitcask::KeyEntry& entry) const {
  const QByteArray cacheKey(entry.key.data(), qsizetype(entry.key.size()));
  if (const QString* cached = previews_.object(cacheKey)) return *cached;
  QString text;
  try {
    std::optional<std::string> prefix;
    // A compressed value is only whole once decompressed: too costly here
    // when large (below). Any other value's prefix is read without the rest.
    if (entry.value_size > kPreviewReadBytes && !entry.compressed) {
      prefix = readValuePrefix(db_->db(), entry, kPreviewReadBytes);
    }
    if (prefix) {
      // previewText elides at kPreviewChars, and says "…" since the prefix is shorter.
      text = previewText(*prefix, kPreviewChars);
      if (!text.endsWith(QStringLiteral("…"))) text += QStringLiteral("…");
    } else if (entry.value_size > kMaxWholePreviewRead) {
      text = tr("(%1 value)").arg(formatBytes(entry.value_size));
    } else {
      const auto value = db_->value(entry.key);
      text = value ? previewText(*value, kPreviewChars) : QString();
    }
  } catch (const bitcask::Error& e) {
    text = tr("⚠ unreadable: %1").arg(QString::fromStdString(e.what()));
  }
  previews_.insert(cacheKey, new QString(text));
  return text;
}

QVariant KeyTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= int(rows_.size()) || !db_) return {};
  const bitcask::KeyEntry& e = rows_[std::size_t(index.row())];
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kKeyColumn:
          return displayKey(e.key);
        case kSizeColumn:
          return formatBytes(e.value_size);
        case kTimestampColumn:
          return formatTimestamp(e.timestamp_us);
        case kSegmentColumn:
          return QString::number(e.segment);
        case kPreviewColumn:
          return preview(e);
      }
      break;
    case Qt::ToolTipRole:
      if (index.column() == kKeyColumn) return displayKey(e.key);
      if (index.column() == kSizeColumn) {
        return formatCountOf(e.value_size, tr("1 byte"), tr("%L1 bytes"));
      }
      if (index.column() == kSegmentColumn) {
        return tr("Segment %1, offset %L2").arg(e.segment).arg(e.offset);
      }
      break;
    case Qt::TextAlignmentRole:
      if (index.column() == kSizeColumn || index.column() == kSegmentColumn) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      }
      break;
    case kKeyBytesRole:
      return QByteArray(e.key.data(), qsizetype(e.key.size()));
    case kValueSizeRole:
      return quint32(e.value_size);
    case kTimestampRole:
      return quint64(e.timestamp_us);
  }
  return {};
}

QVariant KeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal)
    return QAbstractTableModel::headerData(section, orientation, role);
  if (role == Qt::DisplayRole) {
    switch (section) {
      case kKeyColumn:
        return tr("Key");
      case kSizeColumn:
        return tr("Size");
      case kTimestampColumn:
        return tr("Written");
      case kSegmentColumn:
        return tr("Segment");
      case kPreviewColumn:
        return tr("Value");
    }
  }
  if (role == Qt::TextAlignmentRole && (section == kSizeColumn || section == kSegmentColumn)) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

void KeyTableModel::onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  Guard guard(fetching_);
  if (!listMode_ && qsizetype(put.size() + removed.size()) > qsizetype(rows_.size())) {
    // A paged view holds fewer rows than the change names (a delete of every match): reloading
    // its first page costs less than matching the change against the rows.
    restart();
    return;
  }
  if (put.size() + removed.size() > kBulkChangeKeys) {
    applyBulk(put, removed);
    updateCount();
    return;
  }
  for (const QByteArray& k : removed) applyRemove(k.toStdString());
  for (const QByteArray& k : put) applyPut(k.toStdString());
  updateCount();
}

void KeyTableModel::applyBulk(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  // One reset instead of a signal per row: a view handles 20,000 single-row removals (each
  // also an erase from the middle of rows_) in seconds, a reset in milliseconds.
  std::unordered_set<std::string> changed;
  for (const QByteArray& k : removed) changed.insert(k.toStdString());
  for (const QByteArray& k : put) changed.insert(k.toStdString());
  std::vector<bitcask::KeyEntry> added;
  for (const QByteArray& k : put) {
    const std::string key = k.toStdString();
    if (!matcher_.matches(key)) continue;
    // A key past the last loaded row of a paged view arrives with its page.
    if (!complete_ && (rows_.empty() || key > rows_.back().key)) continue;
    try {
      if (auto entry = db_->entry(key)) added.push_back(std::move(*entry));
    } catch (const bitcask::Error&) {
    }
  }
  beginResetModel();
  previews_.clear();
  std::erase_if(rows_, [&](const bitcask::KeyEntry& e) { return changed.count(e.key) > 0; });
  rows_.insert(rows_.end(), std::make_move_iterator(added.begin()),
               std::make_move_iterator(added.end()));
  std::sort(rows_.begin(), rows_.end(),
            [](const bitcask::KeyEntry& a, const bitcask::KeyEntry& b) { return a.key < b.key; });
  endResetModel();
}

void KeyTableModel::applyRemove(const std::string& key) {
  previews_.remove(QByteArray::fromStdString(key));
  const int row = rowOfKey(key);
  if (row < 0) return;
  beginRemoveRows({}, row, row);
  rows_.erase(rows_.begin() + row);
  endRemoveRows();
}

void KeyTableModel::applyPut(const std::string& key) {
  previews_.remove(QByteArray::fromStdString(key));
  if (!matcher_.matches(key)) return;
  std::optional<bitcask::KeyEntry> entry;
  try {
    entry = db_->entry(key);
  } catch (const bitcask::Error&) {
  }
  if (!entry) return;
  auto it = std::lower_bound(rows_.begin(), rows_.end(), key, entryLess);
  if (it != rows_.end() && it->key == key) {
    *it = std::move(*entry);
    const int row = int(it - rows_.begin());
    emit dataChanged(index(row, 0), index(row, kColumnCount - 1));
    return;
  }
  // A key past the last loaded row arrives with its page.
  if (it == rows_.end() && !complete_) return;
  const int row = int(it - rows_.begin());
  beginInsertRows({}, row, row);
  rows_.insert(it, std::move(*entry));
  endInsertRows();
}

}  // namespace bb
