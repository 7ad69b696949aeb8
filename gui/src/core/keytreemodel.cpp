#include "core/keytreemodel.h"

#include <bitcask/error.h>

#include <QLocale>
#include <QtConcurrent>
#include <algorithm>

#include "core/keyfilter.h"
#include "core/taskpool.h"
#include "core/valueformat.h"

namespace bb {

namespace {
constexpr std::size_t kScanPage = 256;
// Index entries per page when a group's figures are summed.
constexpr std::size_t kSumPage = 4096;
// Groups summed by one background task; more wait for the next one.
constexpr std::size_t kGroupsPerTask = 256;
}  // namespace

void sumGroupsTask(QPromise<KeyTreeModel::GroupStats>& promise, DbPtr db,
                   std::vector<std::string> prefixes) {
  for (std::string& prefix : prefixes) {
    KeyTreeModel::GroupStats stats;
    stats.prefix = std::move(prefix);
    bitcask::ScanOptions o;
    o.prefix = stats.prefix;
    o.limit = kSumPage;
    try {
      for (;;) {
        if (promise.isCanceled()) return;
        const std::vector<bitcask::KeyEntry> page = db->scan(o);
        for (const auto& e : page) stats.bytes += e.value_size;
        stats.keys += page.size();
        if (page.size() < o.limit) break;
        o.start = page.back().key;
        o.exclusive_start = true;
      }
    } catch (const bitcask::Error& e) {
      stats.error = QString::fromStdString(e.what());
    }
    promise.addResult(std::move(stats));
  }
}

KeyTreeModel::KeyTreeModel(QObject* parent) : QAbstractItemModel(parent) {
  connect(&statsWatcher_, &QFutureWatcher<GroupStats>::resultsReadyAt, this,
          &KeyTreeModel::onStatsReady);
  connect(&statsWatcher_, &QFutureWatcher<GroupStats>::finished, this, [this] {
    if (!statsWatcher_.acknowledgeFinished()) return;
    statsWatcher_.release();
    startCounting();
    if (!isCounting()) emit countingFinished();
  });
  restart();
}

KeyTreeModel::~KeyTreeModel() { statsWatcher_.abandon(); }

void KeyTreeModel::setDatabase(Database* db) {
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  db_ = db;
  rootPrefix_.clear();
  if (db_) {
    connections_ << connect(db_, &Database::keysChanged, this, &KeyTreeModel::onKeysChanged);
    connections_ << connect(db_, &Database::reset, this, &KeyTreeModel::restart);
  }
  restart();
}

void KeyTreeModel::setSeparator(const QString& separator) {
  separator_ = separator.toStdString();
  restart();
}

void KeyTreeModel::setRootPrefix(const std::string& prefix) {
  rootPrefix_ = prefix;
  restart();
}

void KeyTreeModel::setIcons(const QIcon& group, const QIcon& key) {
  groupIcon_ = group;
  keyIcon_ = key;
}

void KeyTreeModel::restart() {
  // Figures of the old tree no longer apply.
  statsWatcher_.abandon();
  pendingStats_.clear();
  fetching_ = true;  // no fetchMore from modelReset handlers: the first chunk follows
  beginResetModel();
  root_ = std::make_unique<Node>();
  root_->group = true;
  root_->path = rootPrefix_;
  root_->complete = db_ == nullptr;
  endResetModel();
  fetching_ = false;
  if (canFetchMore({})) fetchMore({});
}

KeyTreeModel::Node* KeyTreeModel::nodeOf(const QModelIndex& index) const {
  return index.isValid() ? static_cast<Node*>(index.internalPointer()) : root_.get();
}

int KeyTreeModel::rowOf(const Node* node) const {
  const Node* p = node->parent;
  if (!p) return 0;
  auto it = std::lower_bound(
      p->children.begin(), p->children.end(), node->path,
      [](const std::unique_ptr<Node>& n, const std::string& path) { return n->path < path; });
  return int(it - p->children.begin());
}

QModelIndex KeyTreeModel::indexOf(Node* node, int column) const {
  if (!node || node == root_.get()) return {};
  return createIndex(rowOf(node), column, node);
}

std::pair<std::string, bool> KeyTreeModel::childPathOf(const Node* parent,
                                                       const std::string& key) const {
  const std::string_view rest = std::string_view(key).substr(parent->path.size());
  if (separator_.empty()) return {key, false};
  const std::size_t pos = rest.find(separator_);
  if (pos == std::string_view::npos) return {key, false};
  return {parent->path + std::string(rest.substr(0, pos + separator_.size())), true};
}

QString KeyTreeModel::labelOf(const Node* node) const {
  std::string_view label = std::string_view(node->path).substr(node->parent->path.size());
  if (node->group) label.remove_suffix(separator_.size());
  if (label.empty()) return tr("(empty)");
  return displayKey(label);
}

void KeyTreeModel::fetchChildren(Node* node, int max) {
  node->started = true;
  if (!db_) {
    node->complete = true;
    return;
  }
  std::vector<std::unique_ptr<Node>> added;
  bitcask::ScanOptions o;
  o.prefix = node->path;
  o.start = node->resume;
  o.exclusive_start = node->resumeExclusive;
  while (int(added.size()) < max && !node->complete) {
    o.limit = kScanPage;
    std::vector<bitcask::KeyEntry> page;
    try {
      page = db_->db().scan(o);
    } catch (const bitcask::Error& e) {
      // The group stays as far as it was read (complete, so nothing retries in a loop); the
      // user hears why it is short.
      emit errorOccurred(tr("Cannot list the keys under %1: %2")
                             .arg(node->path.empty() ? tr("the root") : displayKey(node->path),
                                  QString::fromStdString(e.what())));
    }
    bool rescan = false;
    std::size_t used = 0;
    for (auto& e : page) {
      ++used;
      auto [path, group] = childPathOf(node, e.key);
      auto child = std::make_unique<Node>();
      child->path = path;
      child->group = group;
      child->parent = node;
      if (group) {
        node->resume = prefixSuccessor(path);
        node->resumeExclusive = false;
        if (node->resume.empty()) node->complete = true;  // nothing can follow
        rescan = true;
      } else {
        child->valueSize = e.value_size;
        child->timestampUs = e.timestamp_us;
        node->resume = e.key;
        node->resumeExclusive = true;
      }
      added.push_back(std::move(child));
      if (rescan || int(added.size()) >= max) break;
    }
    if (!rescan && used == page.size() && page.size() < o.limit) node->complete = true;
    o.start = node->resume;
    o.exclusive_start = node->resumeExclusive;
  }
  if (added.empty()) return;
  const int first = int(node->children.size());
  beginInsertRows(indexOf(node), first, first + int(added.size()) - 1);
  for (auto& c : added) {
    if (c->group) pendingStats_.push_back(c->path);
    node->children.push_back(std::move(c));
  }
  endInsertRows();
  startCounting();
}

KeyTreeModel::Node* KeyTreeModel::findNode(const std::string& path) const {
  if (!path.starts_with(rootPrefix_) || path == rootPrefix_) return nullptr;
  Node* node = root_.get();
  for (;;) {
    auto [childPath, group] = childPathOf(node, path);
    auto it = std::lower_bound(
        node->children.begin(), node->children.end(), childPath,
        [](const std::unique_ptr<Node>& n, const std::string& p) { return n->path < p; });
    if (it == node->children.end() || (*it)->path != childPath) return nullptr;
    if (childPath == path) return it->get();
    if (!group) return nullptr;
    node = it->get();
  }
}

void KeyTreeModel::countLater(Node* group) {
  if (group && group->group && group != root_.get()) pendingStats_.push_back(group->path);
}

void KeyTreeModel::startCounting() {
  if (statsWatcher_.isBusy() || pendingStats_.empty() || !db_) return;
  // Oldest first; a group asked for twice is summed once.
  std::vector<std::string> batch;
  const std::size_t n = std::min(kGroupsPerTask, pendingStats_.size());
  batch.assign(pendingStats_.begin(), pendingStats_.begin() + std::ptrdiff_t(n));
  pendingStats_.erase(pendingStats_.begin(), pendingStats_.begin() + std::ptrdiff_t(n));
  std::sort(batch.begin(), batch.end());
  batch.erase(std::unique(batch.begin(), batch.end()), batch.end());
  statsWatcher_.start(
      QtConcurrent::run(taskPool(), sumGroupsTask, db_->handle(), std::move(batch)));
}

void KeyTreeModel::onStatsReady(int first, int last) {
  for (int i = first; i < last; ++i) {
    const GroupStats stats = statsWatcher_.resultAt(i);
    if (!stats.error.isEmpty()) {
      emit errorOccurred(
          tr("Cannot count the keys under %1: %2").arg(displayKey(stats.prefix), stats.error));
      continue;
    }
    Node* node = findNode(stats.prefix);
    if (!node || !node->group) continue;  // gone meanwhile
    node->counted = true;
    node->keys = stats.keys;
    node->bytes = stats.bytes;
    emit dataChanged(indexOf(node, kKeysColumn), indexOf(node, kSizeColumn));
  }
}

QModelIndex KeyTreeModel::index(int row, int column, const QModelIndex& parent) const {
  if (!hasIndex(row, column, parent)) return {};
  Node* p = nodeOf(parent);
  return createIndex(row, column, p->children[std::size_t(row)].get());
}

QModelIndex KeyTreeModel::parent(const QModelIndex& child) const {
  if (!child.isValid()) return {};
  return indexOf(static_cast<Node*>(child.internalPointer())->parent);
}

int KeyTreeModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != 0) return 0;
  return int(nodeOf(parent)->children.size());
}

int KeyTreeModel::columnCount(const QModelIndex&) const { return kColumnCount; }

bool KeyTreeModel::hasChildren(const QModelIndex& parent) const {
  if (parent.isValid() && parent.column() != 0) return false;
  const Node* n = nodeOf(parent);
  return n->group && (!n->complete || !n->children.empty());
}

bool KeyTreeModel::canFetchMore(const QModelIndex& parent) const {
  if (fetching_ || (parent.isValid() && parent.column() != 0)) return false;
  const Node* n = nodeOf(parent);
  return n->group && !n->complete && db_;
}

void KeyTreeModel::fetchMore(const QModelIndex& parent) {
  if (!canFetchMore(parent)) return;
  fetching_ = true;
  fetchChildren(nodeOf(parent), chunk_);
  fetching_ = false;
}

QVariant KeyTreeModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid()) return {};
  const Node* n = static_cast<Node*>(index.internalPointer());
  switch (role) {
    case Qt::DisplayRole:
      switch (index.column()) {
        case kNameColumn:
          return labelOf(n);
        case kKeysColumn:
          if (!n->group) return {};
          return n->counted ? QVariant(QLocale().toString(n->keys)) : QVariant(QStringLiteral("…"));
        case kSizeColumn:
          if (n->group) return n->counted ? QVariant(formatBytes(n->bytes)) : QVariant();
          return formatBytes(n->valueSize);
        case kTimestampColumn:
          return n->group ? QVariant() : QVariant(formatTimestamp(n->timestampUs));
      }
      break;
    case Qt::ToolTipRole:
      if (n->group && n->counted) {
        return tr("%1\n%2, %3 of values")
            .arg(displayKey(n->path), formatKeyCount(n->keys), formatBytes(n->bytes));
      }
      return displayKey(n->path);
    case Qt::DecorationRole:
      if (index.column() == kNameColumn) return n->group ? groupIcon_ : keyIcon_;
      break;
    case Qt::TextAlignmentRole:
      if (index.column() == kSizeColumn || index.column() == kKeysColumn)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
      break;
    case kKeyBytesRole:
      return n->group ? QByteArray() : QByteArray::fromStdString(n->path);
    case kPrefixRole:
      return n->group ? QByteArray::fromStdString(n->path) : QByteArray();
    case kIsGroupRole:
      return n->group;
    case kKeyCountRole:
      if (!n->group) return quint64(1);
      return n->counted ? QVariant(n->keys) : QVariant();
    case kTotalSizeRole:
      if (!n->group) return quint64(n->valueSize);
      return n->counted ? QVariant(n->bytes) : QVariant();
  }
  return {};
}

QVariant KeyTreeModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal || role != Qt::DisplayRole) return {};
  switch (section) {
    case kNameColumn:
      return tr("Key");
    case kKeysColumn:
      return tr("Keys");
    case kSizeColumn:
      return tr("Size");
    case kTimestampColumn:
      return tr("Written");
  }
  return {};
}

QModelIndex KeyTreeModel::indexOfKey(const std::string& key) {
  if (!key.starts_with(rootPrefix_)) return {};
  Node* node = root_.get();
  for (;;) {
    auto [path, group] = childPathOf(node, key);
    for (;;) {
      auto it = std::lower_bound(
          node->children.begin(), node->children.end(), path,
          [](const std::unique_ptr<Node>& n, const std::string& p) { return n->path < p; });
      if (it != node->children.end() && (*it)->path == path) {
        if (!group) return indexOf(it->get());
        node = it->get();
        break;
      }
      if (node->complete || (it != node->children.end())) return {};
      const std::size_t before = node->children.size();
      fetchMore(indexOf(node));
      if (node->children.size() == before) return {};
    }
  }
}

void KeyTreeModel::onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  // A bulk change (a delete of every match, its undo) starts the lazily loaded tree over: one
  // reset instead of a row signal per key.
  if (put.size() + removed.size() > 500) {
    restart();
    return;
  }
  // No fetchMore from the signals of these changes (views and testers call it): they must not nest.
  const bool wasFetching = fetching_;
  fetching_ = true;
  for (const QByteArray& k : removed) applyRemove(k.toStdString());
  for (const QByteArray& k : put) applyPut(k.toStdString());
  fetching_ = wasFetching;
  startCounting();
}

std::optional<bitcask::KeyEntry> KeyTreeModel::entryOf(const std::string& key) {
  try {
    return db_->entry(key);
  } catch (const bitcask::Error& e) {
    emit errorOccurred(
        tr("Cannot read the key %1: %2").arg(displayKey(key), QString::fromStdString(e.what())));
    return std::nullopt;
  }
}

void KeyTreeModel::applyPut(const std::string& key) {
  if (!key.starts_with(rootPrefix_) || !db_) return;
  Node* node = root_.get();
  while (node->started) {
    auto [path, group] = childPathOf(node, key);
    auto it = std::lower_bound(
        node->children.begin(), node->children.end(), path,
        [](const std::unique_ptr<Node>& n, const std::string& p) { return n->path < p; });
    if (it != node->children.end() && (*it)->path == path) {
      Node* child = it->get();
      if (group) {
        countLater(child);
        node = child;
        continue;
      }
      if (auto e = entryOf(key)) {
        child->valueSize = e->value_size;
        child->timestampUs = e->timestamp_us;
        emit dataChanged(indexOf(child, 0), indexOf(child, kColumnCount - 1));
      }
      return;
    }
    // Past the loaded children: it arrives with a later fetch.
    if (it == node->children.end() && !node->complete) return;
    auto child = std::make_unique<Node>();
    child->path = path;
    child->group = group;
    child->parent = node;
    if (!group) {
      if (auto e = entryOf(key)) {
        child->valueSize = e->value_size;
        child->timestampUs = e->timestamp_us;
      }
    }
    if (group) pendingStats_.push_back(child->path);
    const int row = int(it - node->children.begin());
    beginInsertRows(indexOf(node), row, row);
    node->children.insert(it, std::move(child));
    endInsertRows();
    return;
  }
}

void KeyTreeModel::applyRemove(const std::string& key) {
  if (!key.starts_with(rootPrefix_)) return;
  Node* node = root_.get();
  std::vector<Node*> groups;  // groups on the path, outermost first
  while (node->started) {
    auto [path, group] = childPathOf(node, key);
    auto it = std::lower_bound(
        node->children.begin(), node->children.end(), path,
        [](const std::unique_ptr<Node>& n, const std::string& p) { return n->path < p; });
    if (it == node->children.end() || (*it)->path != path) break;
    if (group) {
      groups.push_back(it->get());
      node = it->get();
      continue;
    }
    const int row = int(it - node->children.begin());
    beginRemoveRows(indexOf(node), row, row);
    node->children.erase(it);
    endRemoveRows();
    break;
  }
  // Groups left without keys disappear, innermost first; the others are summed again.
  for (Node* g : groups) countLater(g);
  for (auto g = groups.rbegin(); g != groups.rend(); ++g) {
    Node* grp = *g;
    bitcask::ScanOptions o;
    o.prefix = grp->path;
    o.limit = 1;
    bool empty = true;
    try {
      empty = !db_ || db_->db().scan(o).empty();
    } catch (const bitcask::Error& e) {
      emit errorOccurred(tr("Cannot list the keys under %1: %2")
                             .arg(displayKey(grp->path), QString::fromStdString(e.what())));
      break;
    }
    if (!empty) break;
    Node* parent = grp->parent;
    const int row = rowOf(grp);
    beginRemoveRows(indexOf(parent), row, row);
    parent->children.erase(parent->children.begin() + row);
    endRemoveRows();
  }
}

}  // namespace bb
