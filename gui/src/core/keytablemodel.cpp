#include "core/keytablemodel.h"

#include <bitcask/error.h>

#include <QDateTime>
#include <QLocale>
#include <QtConcurrent>
#include <algorithm>
#include <unordered_set>

#include "core/taskpool.h"
#include "core/valueformat.h"
#include "core/valueread.h"

namespace bb {

namespace {

// Changes to more keys than this (a bulk delete and its undo) reset the model at once.
constexpr qsizetype kBulkChangeKeys = 500;
// Edits whose values a search in values may test on the GUI thread, one by one; more are left to
// a new search in the background (refilterNeeded).
constexpr qsizetype kValueTestedEdits = 16;
// A single-row edit moves the keys after it in the snapshot (and renumbers a sorted order):
// past this many key moves in all, one rebuild and a reset cost less.
constexpr quint64 kSingleEditBudget = 64'000'000;
// Rows read directly for a jump towards the end while the snapshot still loads.
constexpr std::size_t kMaxTailRead = 20'000;

// A preview is one line of at most kPreviewChars characters: reading kPreviewReadBytes of the
// value is enough for it (compact JSON; \uXXXX escapes may need more, hence not 4 * chars).
constexpr int kPreviewChars = 160;
constexpr std::size_t kPreviewReadBytes = 4096;
// Values no larger are read whole (checksum verified, so damage shows as "unreadable").
// Larger ones are read as a prefix straight from their segment; when the record offers no
// prefix read (Python layout, compressed) they are not read at all for a preview: the GUI
// thread never holds more than this of a value.
constexpr quint32 kMaxWholePreviewRead = 64 * 1024;

std::optional<SortField> fieldOfColumn(int column) {
  switch (column) {
    case KeyTableModel::kSizeColumn:
      return SortField::kSize;
    case KeyTableModel::kTimestampColumn:
      return SortField::kTimestamp;
    case KeyTableModel::kSegmentColumn:
      return SortField::kSegment;
    default:
      return std::nullopt;
  }
}

std::uint64_t fieldValue(const bitcask::KeyEntry& e, int column) {
  switch (column) {
    case KeyTableModel::kSizeColumn:
      return e.value_size;
    case KeyTableModel::kTimestampColumn:
      return e.timestamp_us;
    case KeyTableModel::kSegmentColumn:
      return e.segment;
  }
  return 0;
}

bool entryLess(const bitcask::KeyEntry& e, std::string_view key) { return e.key < key; }

}  // namespace

KeyTableModel::KeyTableModel(QObject* parent) : QAbstractTableModel(parent) {
  connect(&loadWatcher_, &QFutureWatcherBase::finished, this, &KeyTableModel::onLoadFinished);
  connect(&sortWatcher_, &QFutureWatcherBase::finished, this, &KeyTableModel::onSortFinished);
}

KeyTableModel::~KeyTableModel() { stopTasks(); }

void KeyTableModel::stopTasks() {
  if (loadWatcher_.isBusy()) loadWatcher_.abandon();
  if (sortWatcher_.isBusy()) sortWatcher_.abandon();
}

void KeyTableModel::setDatabase(Database* db) {
  stopTasks();
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  db_ = db;
  filter_ = {};
  matcher_ = KeyMatcher(filter_);
  prefix_.clear();
  listMode_ = false;
  list_.reset();
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
  // Edits reach the rows through keysChanged: the same view again needs no reload (the
  // window shows a prefix right after opening, which already started reading it).
  const bool same = !listMode_ && prefix == prefix_ && db_ && (snapshot_ || isLoading());
  filter_ = {};
  filter_.mode = KeyFilter::Mode::kPrefix;
  filter_.text = QString::fromStdString(prefix);
  matcher_ = KeyMatcher(filter_);
  if (same) {
    updateCount();
    return;
  }
  prefix_ = prefix;
  listMode_ = false;
  list_.reset();
  restart();
}

void KeyTableModel::showMatches(const KeyFilter& filter,
                                std::shared_ptr<std::vector<bitcask::KeyEntry>> matches) {
  stopTasks();
  beginResetModel();
  filter_ = filter;
  matcher_ = KeyMatcher(filter_);
  prefix_.clear();
  listMode_ = true;
  list_ = matches ? std::move(matches) : std::make_shared<std::vector<bitcask::KeyEntry>>();
  snapshot_.reset();
  head_.clear();
  tail_.clear();
  order_.reset();
  pendingKeys_.clear();
  entries_.clear();
  previews_.clear();
  lastError_.clear();
  endResetModel();
  updateCount();
  resortInForce();
}

void KeyTableModel::restart() {
  stopTasks();
  beginResetModel();
  snapshot_.reset();
  head_.clear();
  head_.shrink_to_fit();
  tail_.clear();
  order_.reset();
  pendingKeys_.clear();
  entries_.clear();
  previews_.clear();
  lastError_.clear();
  count_ = 0;
  bool load = false;
  if (db_ && !listMode_) {
    readCountAndFirstPage();
    if (head_.size() < std::size_t(pageSize_)) {
      // Every key is in the first page: no background read.
      auto keys = std::make_shared<KeySnapshot>();
      keys->reserve(head_.size(), 0);
      for (const auto& e : head_) keys->append(e.key);
      snapshot_ = std::move(keys);
      head_.clear();
    } else {
      load = true;
    }
  } else if (!db_ && !listMode_) {
    snapshot_ = std::make_shared<KeySnapshot>();
  }
  endResetModel();
  updateCount();
  if (load) {
    startLoad();
  } else if (snapshot_) {
    resortInForce();
  }
}

void KeyTableModel::startLoad() {
  loadWatcher_.start(
      QtConcurrent::run(taskPool(), loadKeySnapshotTask, db_->handle(), prefix_, quint64(count_)));
}

void KeyTableModel::waitForLoaded() {
  if (!loadWatcher_.isBusy()) return;
  loadWatcher_.waitForFinished();
  onLoadFinished();
}

void KeyTableModel::onLoadFinished() {
  if (!loadWatcher_.acknowledgeFinished()) return;
  KeySnapshotResult result;
  if (!loadWatcher_.isCanceled() && loadWatcher_.future().resultCount() > 0) {
    result = loadWatcher_.result();
  }
  loadWatcher_.release();
  if (!result.keys) {
    if (result.error.isEmpty()) return;  // cancelled: a restart follows
    reportError(tr("Reading the keys failed: %1").arg(result.error));
    // Rows stay what can be shown: the first page.
    result.keys = std::make_shared<KeySnapshot>();
    for (const auto& e : head_) result.keys->append(e.key);
  }
  const std::size_t before = count_;
  const std::size_t after = result.keys->size();
  if (after > before) {
    beginInsertRows({}, int(before), int(after) - 1);
    snapshot_ = std::move(result.keys);
    endInsertRows();
  } else if (after < before) {
    beginRemoveRows({}, int(after), int(before) - 1);
    snapshot_ = std::move(result.keys);
    endRemoveRows();
  } else {
    snapshot_ = std::move(result.keys);
  }
  head_.clear();
  head_.shrink_to_fit();
  tail_.clear();
  tail_.shrink_to_fit();
  entries_.clear();
  count_ = snapshot_->size();
  if (count_ > 0) emit dataChanged(index(0, 0), index(int(count_) - 1, kColumnCount - 1));
  // Keys changed while the snapshot was read may or may not be in it: look at each again.
  const QSet<QByteArray> pending = std::exchange(pendingKeys_, {});
  if (!pending.isEmpty()) reconcile(pending);
  updateCount();
  emit loaded();
  resortInForce();
}

void KeyTableModel::reconcile(const QSet<QByteArray>& keys) {
  QList<QByteArray> put;
  QList<QByteArray> removed;
  for (const QByteArray& k : keys) {
    bool present = false;
    try {
      present = db_ && db_->contains(k.toStdString());
    } catch (const bitcask::Error& e) {
      reportError(tr("Reading the keys failed: %1").arg(QString::fromStdString(e.what())));
    }
    (present ? put : removed) << k;
  }
  onKeysChanged(put, removed);
}

void KeyTableModel::updateCount() {
  count_ = listMode_ ? list_->size() : (snapshot_ ? snapshot_->size() : count_);
  emit countChanged();
}

quint64 KeyTableModel::matchCount() const { return count_; }

const std::vector<bitcask::KeyEntry>& KeyTableModel::entries() const {
  static const std::vector<bitcask::KeyEntry> none;
  return listMode_ && list_ ? *list_ : none;
}

void KeyTableModel::readCountAndFirstPage() {
  try {
    count_ = db_->db().count(prefix_);
    bitcask::ScanOptions options;
    options.prefix = prefix_;
    options.limit = std::size_t(pageSize_);
    head_ = db_->db().scan(options);
  } catch (const bitcask::Error& e) {
    reportError(tr("Reading the keys failed: %1").arg(QString::fromStdString(e.what())));
    head_.clear();
  }
}

void KeyTableModel::reportError(const QString& message) const {
  if (message == lastError_) return;
  lastError_ = message;
  // Queued: a read failing inside data() is in the middle of a paint.
  auto* self = const_cast<KeyTableModel*>(this);
  QMetaObject::invokeMethod(
      self, [self, message] { emit self->errorOccurred(message); }, Qt::QueuedConnection);
}

// ---- rows ----------------------------------------------------------------

std::size_t KeyTableModel::baseCount() const {
  if (listMode_) return list_->size();
  return snapshot_ ? snapshot_->size() : count_;
}

std::string_view KeyTableModel::baseKey(std::size_t base) const {
  if (listMode_) return (*list_)[base].key;
  if (snapshot_) return snapshot_->key(base);
  if (base < head_.size()) return head_[base].key;
  const std::size_t tailStart = count_ - std::min<std::size_t>(count_, tail_.size());
  if (base >= tailStart && base - tailStart < tail_.size()) return tail_[base - tailStart].key;
  return {};
}

std::size_t KeyTableModel::baseLowerBound(std::string_view key) const {
  if (listMode_) {
    return std::size_t(std::lower_bound(list_->begin(), list_->end(), key, entryLess) -
                       list_->begin());
  }
  return snapshot_ ? snapshot_->lowerBound(key) : 0;
}

std::size_t KeyTableModel::baseOfRow(int row) const {
  if (order_) return (*order_)[std::size_t(row)];
  if (sortColumn_ == kKeyColumn && sortOrder_ == Qt::DescendingOrder) {
    return baseCount() - 1 - std::size_t(row);
  }
  return std::size_t(row);
}

int KeyTableModel::rowOfBase(std::size_t base) const {
  if (order_) {
    auto it = std::find(order_->begin(), order_->end(), quint32(base));
    return it == order_->end() ? -1 : int(it - order_->begin());
  }
  if (sortColumn_ == kKeyColumn && sortOrder_ == Qt::DescendingOrder) {
    return int(baseCount() - 1 - base);
  }
  return int(base);
}

void KeyTableModel::readTail(std::size_t fromBase) const {
  if (!db_ || snapshot_ || listMode_ || fromBase >= count_) return;
  const std::size_t want = count_ - fromBase;
  if (want <= tail_.size() || want > kMaxTailRead) return;
  bitcask::ScanOptions options;
  options.prefix = prefix_;
  options.reverse = true;
  options.limit = std::max(want, std::size_t(pageSize_));
  try {
    auto page = db_->db().scan(options);
    std::reverse(page.begin(), page.end());
    tail_ = std::move(page);
  } catch (const bitcask::Error& e) {
    reportError(tr("Reading the keys failed: %1").arg(QString::fromStdString(e.what())));
  }
}

const bitcask::KeyEntry* KeyTableModel::entryAt(int row) const {
  const std::size_t base = baseOfRow(row);
  if (listMode_) return &(*list_)[base];
  if (!snapshot_) {
    if (base < head_.size()) return &head_[base];
    readTail(base);
    const std::size_t tailStart = count_ - std::min<std::size_t>(count_, tail_.size());
    if (base >= tailStart && base - tailStart < tail_.size()) return &tail_[base - tailStart];
    return nullptr;
  }
  if (const bitcask::KeyEntry* cached = entries_.object(base)) return cached;
  if (!db_) return nullptr;
  std::optional<bitcask::KeyEntry> entry;
  try {
    entry = db_->entry(std::string(snapshot_->key(base)));
  } catch (const bitcask::Error& e) {
    reportError(tr("Reading the keys failed: %1").arg(QString::fromStdString(e.what())));
    return nullptr;
  }
  // Gone without a change heard (another process's write): the row shows its key only.
  if (!entry) return nullptr;
  auto* e = new bitcask::KeyEntry(std::move(*entry));
  entries_.insert(base, e);
  return e;
}

std::string KeyTableModel::keyAt(int row) const {
  if (row < 0 || row >= rowCount()) return {};
  const std::size_t base = baseOfRow(row);
  if (!hasAllKeys()) readTail(base);
  return std::string(baseKey(base));
}

int KeyTableModel::rowOfKey(const std::string& key) const {
  if (!hasAllKeys()) {
    auto it = std::lower_bound(head_.begin(), head_.end(), key, entryLess);
    if (it == head_.end() || it->key != key) return -1;
    return rowOfBase(std::size_t(it - head_.begin()));
  }
  const std::size_t base = baseLowerBound(key);
  if (base >= baseCount() || baseKey(base) != key) return -1;
  return rowOfBase(base);
}

int KeyTableModel::ensureLoaded(const std::string& key) {
  if (rowOfKey(key) < 0) waitForLoaded();
  return rowOfKey(key);
}

int KeyTableModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(baseCount());
}

int KeyTableModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
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
    // A damaged record is the row's content; a closed database is the model's error.
    if (e.code() != bitcask::ErrorCode::kCorruption) {
      reportError(tr("Reading the keys failed: %1").arg(QString::fromStdString(e.what())));
    }
    text = tr("⚠ unreadable: %1").arg(QString::fromStdString(e.what()));
  }
  previews_.insert(cacheKey, new QString(text));
  return text;
}

QVariant KeyTableModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount() || !db_) return {};
  if (role == Qt::TextAlignmentRole) {
    if (index.column() == kSizeColumn || index.column() == kSegmentColumn) {
      return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    return {};
  }
  if (role == kKeyBytesRole ||
      (index.column() == kKeyColumn && (role == Qt::DisplayRole || role == Qt::ToolTipRole))) {
    const std::string key = keyAt(index.row());
    if (key.empty()) return role == kKeyBytesRole ? QVariant() : QVariant(QStringLiteral("…"));
    if (role == kKeyBytesRole) return QByteArray(key.data(), qsizetype(key.size()));
    return displayKey(key);
  }
  if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != kValueSizeRole &&
      role != kTimestampRole) {
    return {};
  }
  const bitcask::KeyEntry* e = entryAt(index.row());
  if (!e) return {};
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kSizeColumn:
          return formatBytes(e->value_size);
        case kTimestampColumn:
          return formatTimestamp(e->timestamp_us);
        case kSegmentColumn:
          return QString::number(e->segment);
        case kPreviewColumn:
          return preview(*e);
      }
      break;
    case Qt::ToolTipRole:
      if (index.column() == kSizeColumn) {
        return formatCountOf(e->value_size, tr("1 byte"), tr("%L1 bytes"));
      }
      if (index.column() == kSegmentColumn) {
        return tr("Segment %1, offset %L2").arg(e->segment).arg(e->offset);
      }
      break;
    case kValueSizeRole:
      return quint32(e->value_size);
    case kTimestampRole:
      return quint64(e->timestamp_us);
  }
  return {};
}

QVariant KeyTableModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal)
    return QAbstractTableModel::headerData(section, orientation, role);
  return columnHeader(section, role);
}

QVariant KeyTableModel::columnHeader(int column, int role) {
  if (role == Qt::DisplayRole) {
    switch (column) {
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
  if (role == Qt::TextAlignmentRole && (column == kSizeColumn || column == kSegmentColumn)) {
    return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
  }
  return {};
}

// ---- sorting -------------------------------------------------------------

void KeyTableModel::sort(int column, Qt::SortOrder order) {
  if (column == kKeyColumn) {
    if (sortWatcher_.isBusy()) sortWatcher_.abandon();
    if (sortColumn_ == kKeyColumn && sortOrder_ == order) {
      emit sortChanged(sortColumn_, sortOrder_);
      return;
    }
    pendingSortColumn_ = kKeyColumn;
    pendingSortOrder_ = order;
    applyOrder(nullptr, kKeyColumn, order);
    return;
  }
  if (!fieldOfColumn(column)) {
    // The preview column has no order: the header shows the order in force again.
    emit sortChanged(sortColumn_, sortOrder_);
    return;
  }
  if (sortWatcher_.isBusy()) {
    if (pendingSortColumn_ == column && pendingSortOrder_ == order) return;
    sortWatcher_.abandon();
  }
  if (sortColumn_ == column && sortOrder_ == order && order_) {
    emit sortChanged(sortColumn_, sortOrder_);
    return;
  }
  pendingSortColumn_ = column;
  pendingSortOrder_ = order;
  if (!hasAllKeys()) {
    // Sorted once the snapshot is in.
    sortColumn_ = column;
    sortOrder_ = order;
    return;
  }
  startSort();
}

void KeyTableModel::startSort() {
  if (!db_ || !hasAllKeys()) return;
  if (sortWatcher_.isBusy()) sortWatcher_.abandon();
  const auto field = fieldOfColumn(pendingSortColumn_);
  if (!field) return;
  std::shared_ptr<const KeySnapshot> keys = listMode_ ? nullptr : snapshot_;
  std::shared_ptr<const std::vector<bitcask::KeyEntry>> list = listMode_ ? list_ : nullptr;
  sortWatcher_.start(QtConcurrent::run(taskPool(), sortKeysTask, db_->handle(), keys, prefix_, list,
                                       *field, pendingSortOrder_));
  const QString by = pendingSortColumn_ == kSizeColumn        ? tr("size")
                     : pendingSortColumn_ == kTimestampColumn ? tr("written time")
                                                              : tr("segment");
  emit sortStarted(tr("Sorting %L1 keys by %2…").arg(baseCount()).arg(by));
}

bool KeyTableModel::isSorting() const {
  return sortWatcher_.isBusy() ||
         (db_ && !hasAllKeys() && fieldOfColumn(sortColumn_).has_value() && !order_);
}

void KeyTableModel::resortInForce() {
  // After a reload the rows are in key order until the order asked for is computed again.
  if (!fieldOfColumn(sortColumn_) || order_ || sortWatcher_.isBusy()) return;
  pendingSortColumn_ = sortColumn_;
  pendingSortOrder_ = sortOrder_;
  startSort();
}

void KeyTableModel::cancelSort() {
  if (!sortWatcher_.isBusy()) return;
  sortWatcher_.cancel();
}

void KeyTableModel::onSortFinished() {
  if (!sortWatcher_.acknowledgeFinished()) return;
  KeySortResult result;
  if (!sortWatcher_.isCanceled() && sortWatcher_.future().resultCount() > 0) {
    result = sortWatcher_.result();
  }
  sortWatcher_.release();
  if (!result.error.isEmpty()) {
    reportError(tr("Sorting the keys failed: %1").arg(result.error));
  }
  if (!result.order || result.order->size() != baseCount()) {
    // Cancelled or failed: the previous order stays. A re-sort after a reload that was
    // cancelled leaves key order.
    if (fieldOfColumn(sortColumn_) && !order_) {
      sortColumn_ = kKeyColumn;
      sortOrder_ = Qt::AscendingOrder;
    }
    pendingSortColumn_ = sortColumn_;
    pendingSortOrder_ = sortOrder_;
    emit sortChanged(sortColumn_, sortOrder_);
    return;
  }
  applyOrder(std::move(result.order), pendingSortColumn_, pendingSortOrder_);
}

void KeyTableModel::applyOrder(RowOrder order, int column, Qt::SortOrder direction) {
  // Persistent indexes (selection, current row) follow their keys.
  emit layoutAboutToBeChanged({}, QAbstractItemModel::VerticalSortHint);
  const QModelIndexList before = persistentIndexList();
  std::vector<std::size_t> bases;
  bases.reserve(std::size_t(before.size()));
  for (const QModelIndex& i : before) bases.push_back(baseOfRow(i.row()));
  order_ = std::move(order);
  sortColumn_ = column;
  sortOrder_ = direction;
  QModelIndexList after;
  after.reserve(before.size());
  if (!order_ || before.size() <= 16) {
    // Key order, or the current row and a selection's ends: a search each costs less than an
    // inverse.
    for (qsizetype i = 0; i < before.size(); ++i) {
      after << index(rowOfBase(bases[std::size_t(i)]), before[i].column());
    }
  } else {
    std::vector<quint32> rowOf(order_->size());
    for (std::size_t r = 0; r < order_->size(); ++r) rowOf[(*order_)[r]] = quint32(r);
    for (qsizetype i = 0; i < before.size(); ++i) {
      after << index(int(rowOf[bases[std::size_t(i)]]), before[i].column());
    }
  }
  changePersistentIndexList(before, after);
  entries_.clear();
  emit layoutChanged({}, QAbstractItemModel::VerticalSortHint);
  emit sortChanged(sortColumn_, sortOrder_);
}

int KeyTableModel::insertionRow(std::size_t base, const bitcask::KeyEntry& entry) const {
  const std::size_t n = baseCount();  // before the insert
  if (!order_) {
    return sortOrder_ == Qt::DescendingOrder && sortColumn_ == kKeyColumn ? int(n - base)
                                                                          : int(base);
  }
  // Binary search over the order by (field, key); the rows probed are read like rows on screen.
  const bool descending = sortOrder_ == Qt::DescendingOrder;
  const std::uint64_t value = fieldValue(entry, sortColumn_);
  std::size_t lo = 0;
  std::size_t hi = order_->size();
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    const bitcask::KeyEntry* e = entryAt(int(mid));
    const std::uint64_t v = e ? fieldValue(*e, sortColumn_) : 0;
    bool before;  // row `mid` goes before the new row
    if (v != value) {
      before = descending ? v > value : v < value;
    } else {
      before = (*order_)[mid] < base;
    }
    if (before) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return int(lo);
}

// ---- edits ---------------------------------------------------------------

bool KeyTableModel::singleEditsAffordable(qsizetype changes) const {
  // Under a search in values each put is tested by reading its value (up to kValueSearchBytes).
  if (filter_.searchesValues() && changes > kValueTestedEdits) return false;
  return changes <= kBulkChangeKeys && quint64(changes) * baseCount() <= kSingleEditBudget;
}

void KeyTableModel::onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  if (!db_) return;
  for (const QByteArray& k : put) previews_.remove(k);
  for (const QByteArray& k : removed) previews_.remove(k);
  if (!hasAllKeys()) {
    // The snapshot being read may or may not hold these: each is looked at again once it is
    // in. Meanwhile the first page and the count are read again.
    for (const QByteArray& k : put) pendingKeys_.insert(k);
    for (const QByteArray& k : removed) pendingKeys_.insert(k);
    beginResetModel();
    readCountAndFirstPage();
    tail_.clear();
    endResetModel();
    updateCount();
    return;
  }
  // A running sort reads the rows being changed: it starts again after the change.
  const bool resort = sortWatcher_.isBusy();
  if (resort) sortWatcher_.abandon();
  if (singleEditsAffordable(put.size() + removed.size())) {
    for (const QByteArray& k : removed) applyRemove(k.toStdString());
    for (const QByteArray& k : put) applyPut(k.toStdString());
  } else {
    applyBulk(put, removed);
  }
  updateCount();
  if (resort) {
    startSort();  // the order that was being computed
  } else {
    resortInForce();  // after a bulk change
  }
}

void KeyTableModel::applyRemove(const std::string& key) {
  const std::size_t base = baseLowerBound(key);
  if (base >= baseCount() || baseKey(base) != key) return;
  const int row = rowOfBase(base);
  beginRemoveRows({}, row, row);
  if (listMode_) {
    detachList();
    list_->erase(list_->begin() + std::ptrdiff_t(base));
  } else {
    snapshot_->erase(base);
  }
  if (order_) {
    order_->erase(order_->begin() + row);
    for (quint32& b : *order_) b -= b > base ? 1 : 0;
  }
  entries_.clear();
  endRemoveRows();
}

bool KeyTableModel::putMatches(const std::string& key) const {
  if (matcher_.matches(key)) return true;
  if (!filter_.searchesValues()) return false;
  // As runFilterScan tests a value: its first kValueSearchBytes, whatever its size.
  std::string value;
  std::uint64_t size = 0;
  try {
    if (!db_->db().get_prefix(key, kValueSearchBytes, &value, &size)) return false;
  } catch (const bitcask::Error& e) {
    reportError(tr("Reading the value of %1 failed: %2")
                    .arg(displayKey(key), QString::fromStdString(e.what())));
    return false;
  }
  return matcher_.test(value) == KeyMatcher::Verdict::kYes;
}

void KeyTableModel::applyPut(const std::string& key) {
  const std::size_t base = baseLowerBound(key);
  const bool listed = base < baseCount() && baseKey(base) == key;
  // A listed row is updated even when its new value no longer matches (see the header).
  if (!listed && !putMatches(key)) return;
  std::optional<bitcask::KeyEntry> entry;
  try {
    entry = db_->entry(key);
  } catch (const bitcask::Error& e) {
    reportError(tr("Reading the keys failed: %1").arg(QString::fromStdString(e.what())));
    return;
  }
  if (!entry) return;
  if (listed) {
    if (listMode_) {
      detachList();
      (*list_)[base] = std::move(*entry);
    }
    entries_.remove(base);
    const int row = rowOfBase(base);
    emit dataChanged(index(row, 0), index(row, kColumnCount - 1));
    return;
  }
  const int row = insertionRow(base, *entry);
  beginInsertRows({}, row, row);
  if (listMode_) {
    detachList();
    list_->insert(list_->begin() + std::ptrdiff_t(base), std::move(*entry));
  } else if (!snapshot_->insert(base, key)) {
    reportError(tr("More than 4 GiB of keys to list: %1 is not shown.").arg(displayKey(key)));
  }
  if (order_) {
    for (quint32& b : *order_) b += b >= base ? 1 : 0;
    order_->insert(order_->begin() + row, quint32(base));
  }
  entries_.clear();
  endInsertRows();
}

void KeyTableModel::applyBulk(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  // One reset instead of a signal per row: a view handles 20,000 single-row removals (each
  // also moving the rows after it) in seconds, a reset in milliseconds.
  std::unordered_set<std::string> changed;
  for (const QByteArray& k : removed) changed.insert(k.toStdString());
  for (const QByteArray& k : put) changed.insert(k.toStdString());
  std::vector<bitcask::KeyEntry> added;
  bool valuesUntested = false;
  for (const QByteArray& k : put) {
    const std::string key = k.toStdString();
    if (!matcher_.matches(key)) {
      // Testing values here would read up to kValueSearchBytes of each, hundreds or millions of
      // them, on the GUI thread: the search runs again in the background instead.
      valuesUntested |= filter_.searchesValues();
      continue;
    }
    try {
      if (auto entry = db_->entry(key)) added.push_back(std::move(*entry));
    } catch (const bitcask::Error& e) {
      reportError(tr("Reading the keys failed: %1").arg(QString::fromStdString(e.what())));
    }
  }
  std::sort(added.begin(), added.end(),
            [](const bitcask::KeyEntry& a, const bitcask::KeyEntry& b) { return a.key < b.key; });
  beginResetModel();
  entries_.clear();
  previews_.clear();
  if (listMode_) {
    detachList();
    std::erase_if(*list_, [&](const bitcask::KeyEntry& e) { return changed.count(e.key) > 0; });
    list_->insert(list_->end(), std::make_move_iterator(added.begin()),
                  std::make_move_iterator(added.end()));
    std::sort(list_->begin(), list_->end(),
              [](const bitcask::KeyEntry& a, const bitcask::KeyEntry& b) { return a.key < b.key; });
  } else {
    // One merge pass of the old keys (less the changed ones) and the added ones.
    auto keys = std::make_shared<KeySnapshot>();
    std::size_t bytes = 0;
    for (const auto& e : added) bytes += e.key.size();
    std::vector<std::string> changedSorted(changed.begin(), changed.end());
    std::sort(changedSorted.begin(), changedSorted.end());
    const KeySnapshot& old = *snapshot_;
    const std::size_t oldBytes = old.empty() ? 0 : old.memoryBytes();
    keys->reserve(old.size() + added.size(), oldBytes + bytes);
    std::size_t a = 0;
    bool full = false;
    for (std::size_t i = 0; i < old.size(); ++i) {
      const std::string_view k = old.key(i);
      while (a < added.size() && added[a].key < k) full |= !keys->append(added[a++].key);
      if (!std::binary_search(changedSorted.begin(), changedSorted.end(), k)) {
        full |= !keys->append(k);
      }
    }
    while (a < added.size()) full |= !keys->append(added[a++].key);
    if (full) reportError(tr("More than 4 GiB of keys to list: some are not shown."));
    snapshot_ = std::move(keys);
  }
  order_.reset();  // key order until the order in force is computed again
  count_ = baseCount();
  endResetModel();
  if (valuesUntested) emit refilterNeeded();
}

KeyTableModel::SharedEntries KeyTableModel::sharedEntries() const {
  return listMode_ && list_ ? list_ : std::make_shared<const std::vector<bitcask::KeyEntry>>();
}

void KeyTableModel::detachList() {
  // Only the GUI thread hands out references (sharedEntries, startSort), so a count of 1 cannot
  // grow behind this check.
  if (list_.use_count() > 1) list_ = std::make_shared<std::vector<bitcask::KeyEntry>>(*list_);
}

}  // namespace bb
