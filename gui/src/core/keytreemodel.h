// Keys as a tree by a namespace separator (default ':'), as Redis GUIs show
// them: "user:1001:name" sits under user ▸ 1001. Children of a node are
// found lazily with prefix scans of the engine's index, skipping over whole
// sub-namespaces (one scan per child group), and arrive a chunk at a time
// through canFetchMore / fetchMore, so wide namespaces stay cheap. Each
// group's key count and total value size are summed off the GUI thread (one
// background task at a time, over the groups loaded so far) and arrive as
// dataChanged; edits under a group sum it again. A failed read is reported
// through errorOccurred, never swallowed.
#pragma once

#include <QAbstractItemModel>
#include <QFutureWatcher>
#include <QIcon>
#include <QPointer>
#include <QPromise>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/database.h"
#include "core/taskwatcher.h"

namespace bb {

class KeyTreeModel : public QAbstractItemModel {
  Q_OBJECT

 public:
  enum Column { kNameColumn, kKeysColumn, kSizeColumn, kTimestampColumn, kColumnCount };
  enum Role {
    kKeyBytesRole = Qt::UserRole + 1,  // QByteArray: the full key of a leaf (null for groups)
    kPrefixRole,                       // QByteArray: a group's prefix, separator included
    kIsGroupRole,                      // bool
    kKeyCountRole,   // quint64: keys under a group (invalid until summed; 1 for a leaf)
    kTotalSizeRole,  // quint64: their value sizes as stored (invalid until summed)
  };

  // One group's figures, as the background task sums them.
  struct GroupStats {
    std::string prefix;
    quint64 keys = 0;
    quint64 bytes = 0;
    QString error;  // the engine's message when the group could not be read
  };

  explicit KeyTreeModel(QObject* parent = nullptr);
  ~KeyTreeModel() override;

  void setDatabase(Database* db);
  void setSeparator(const QString& separator);
  QString separator() const { return QString::fromStdString(separator_); }
  // Shows only keys under `prefix` (the prefix filter).
  void setRootPrefix(const std::string& prefix);
  // Children added by one fetchMore.
  void setChunkSize(int children) { chunk_ = std::max(1, children); }
  void setIcons(const QIcon& group, const QIcon& key);

  // The index of `key`'s leaf, loading the groups on its path; invalid when absent.
  QModelIndex indexOfKey(const std::string& key);
  // Whether group figures are still being summed (tests wait for it).
  bool isCounting() const { return statsWatcher_.isBusy() || !pendingStats_.empty(); }

  QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
  QModelIndex parent(const QModelIndex& child) const override;
  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  bool hasChildren(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

 signals:
  // Reading the keys failed (the engine's message, naming the group).
  void errorOccurred(const QString& message);
  // Every group figure asked for so far has arrived.
  void countingFinished();

 private:
  struct Node {
    std::string path;  // a group's prefix (separator included), or a leaf's key
    bool group = false;
    std::uint32_t valueSize = 0;
    std::uint64_t timestampUs = 0;
    Node* parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;  // ordered by path
    bool started = false;                         // a fetch ran at least once
    bool complete = false;                        // every child is loaded
    std::string resume;                           // where the next fetch scans from
    bool resumeExclusive = false;
    bool counted = false;  // a group's keys and bytes below are summed
    quint64 keys = 0;
    quint64 bytes = 0;
  };

  void restart();
  Node* nodeOf(const QModelIndex& index) const;
  int rowOf(const Node* node) const;
  QModelIndex indexOf(Node* node, int column = 0) const;
  QString labelOf(const Node* node) const;
  // Splits `key` below `parent`: the path of the child it belongs to, and whether that is a group.
  std::pair<std::string, bool> childPathOf(const Node* parent, const std::string& key) const;
  void fetchChildren(Node* node, int max);
  void onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);
  void applyPut(const std::string& key);
  void applyRemove(const std::string& key);
  // The index entry of `key`; nothing when absent or unreadable (then errorOccurred).
  std::optional<bitcask::KeyEntry> entryOf(const std::string& key);
  // The loaded node at `path` (a group's prefix or a key), or null.
  Node* findNode(const std::string& path) const;
  // Asks for `group`'s figures (again, after an edit below it).
  void countLater(Node* group);
  void startCounting();
  void onStatsReady(int first, int last);

  QPointer<Database> db_;
  std::string separator_ = ":";
  std::string rootPrefix_;
  std::unique_ptr<Node> root_;
  int chunk_ = 500;
  bool fetching_ = false;  // fetchMore re-entry guard
  QIcon groupIcon_, keyIcon_;
  QList<QMetaObject::Connection> connections_;
  std::vector<std::string> pendingStats_;  // groups to sum when the running task is done
  TaskWatcher<GroupStats> statsWatcher_;
};

// Sums the keys and value sizes under each prefix, a page of the index at a time, one result
// per prefix; stops between pages when cancelled.
void sumGroupsTask(QPromise<KeyTreeModel::GroupStats>& promise, DbPtr db,
                   std::vector<std::string> prefixes);

}  // namespace bb
