// The key table: one row per live key. The model knows every row at once
// (DB Browser's RowCache idea): the true row count from the start, and a
// compact snapshot of the keys in the current order (KeySnapshot: the keys'
// bytes + 4 bytes a key), so the scrollbar, Ctrl+End and a jump to any row
// are immediate. Sizes, times and previews are read for the rows on screen
// only (a bounded cache); values are never held.
//
// Two sources of rows:
//   all keys / keys with a prefix   a KeySnapshot read from the index off
//                                   the GUI thread; until it is in, the first
//                                   and last pages are read directly
//   a filter's matches              the list a substring / regex scan found
// Orders: by key (either direction, free), or by size, written time or
// segment (either direction; sortKeysTask off the GUI thread with progress
// and cancel; a cancelled sort leaves the previous order). Edits made through
// Database update the rows in place (keysChanged); an edited key keeps its
// place in a size or time order until the next sort. Under a value search a
// new or edited key is listed when its key or its value matches (the value
// read as the search reads it); a listed key whose edited value no longer
// matches stays until the next search (it is the row being edited).
//
// Engine errors (a scan or lookup failing, the database closed underneath)
// are reported by errorOccurred, once each until the view is reloaded.
#pragma once

#include <bitcask/db.h>

#include <QAbstractTableModel>
#include <QCache>
#include <QPointer>
#include <QSet>
#include <memory>
#include <string>
#include <vector>

#include "core/database.h"
#include "core/keyfilter.h"
#include "core/keysnapshot.h"
#include "core/keysort.h"
#include "core/taskwatcher.h"

namespace bb {

class KeyTableModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kKeyColumn,
    kSizeColumn,
    kTimestampColumn,
    kSegmentColumn,
    kPreviewColumn,
    kColumnCount
  };
  enum Role {
    kKeyBytesRole = Qt::UserRole + 1,  // QByteArray: the key's exact bytes
    kValueSizeRole,                    // quint32
    kTimestampRole,                    // quint64, microseconds since the epoch
  };

  explicit KeyTableModel(QObject* parent = nullptr);
  ~KeyTableModel() override;

  void setDatabase(Database* db);
  Database* database() const { return db_; }

  // Rows read directly for the first (and last) screen while the snapshot loads.
  void setPageSize(int rows);
  int pageSize() const { return pageSize_; }

  // Shows every key, or the keys that start with `prefix`.
  void showPrefix(const std::string& prefix = {});
  // Shows the keys a filter scan found (FilterResult); later edits are tested
  // against the same filter.
  void showMatches(const KeyFilter& filter,
                   std::shared_ptr<std::vector<bitcask::KeyEntry>> matches);

  // Keys the current view covers: the total, the prefix's count, or the matches.
  quint64 matchCount() const;
  bool isFiltered() const { return !filter_.isEmpty(); }
  const KeyFilter& filter() const { return filter_; }
  // Whether entries() holds every row (a filter's match list). A prefix view
  // holds keys only: a task that needs every entry asks the engine.
  bool isComplete() const { return listMode_; }
  // Whether the key snapshot is still being read (rows past the first and
  // last pages show "…" until it is in).
  bool isLoading() const { return loadWatcher_.isBusy(); }
  // Waits for the key snapshot (tests, measurements).
  void waitForLoaded();

  // A filter's match list in key order (empty for a prefix view).
  const std::vector<bitcask::KeyEntry>& entries() const;
  // The same list, shared with a background task instead of copied (millions of entries): the
  // model copies it before its next change while the task holds it.
  using SharedEntries = std::shared_ptr<const std::vector<bitcask::KeyEntry>>;
  SharedEntries sharedEntries() const;

  std::string keyAt(int row) const;
  // The row of `key`, or -1 when it is not (yet) a row.
  int rowOfKey(const std::string& key) const;
  // The row of `key`, waiting for the snapshot when it is still loading; -1 when absent.
  int ensureLoaded(const std::string& key);

  // The order: the column and direction in force (kKeyColumn ascending by
  // default). sort() by a column other than the key starts a background sort;
  // sortChanged reports the order once it is in force (or kept, when cancelled).
  int sortColumn() const { return sortColumn_; }
  Qt::SortOrder sortOrder() const { return sortOrder_; }
  // A sort runs, or waits for the key snapshot.
  bool isSorting() const;
  // The running sort (progress 0..1000, cancel) for a progress dialog.
  QFutureWatcherBase* sortWatcher() { return &sortWatcher_; }
  void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
  // Cancels a running sort: the previous order stays.
  void cancelSort();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 signals:
  // matchCount() changed (filtering, edits).
  void countChanged();
  // The key snapshot is in (every row shows its key).
  void loaded();
  // A background sort started (label: what it does, for a progress dialog).
  void sortStarted(const QString& label);
  // The order in force changed or was confirmed (after a sort, a cancel, an error).
  void sortChanged(int column, Qt::SortOrder order);
  // An engine error the rows could not hide (the message says what failed).
  void errorOccurred(const QString& message);
  // Many keys changed under a search in values: their values were not tested on the GUI
  // thread, so the search should run again (KeysPage does, in the background).
  void refilterNeeded();

 private:
  void restart();
  void startLoad();
  void onLoadFinished();
  void startSort();
  void resortInForce();
  void onSortFinished();
  void stopTasks();
  // The count and the first page of keys under prefix_ (what shows while every key is read).
  void readCountAndFirstPage();
  // Puts `order` (null: key order) in force for `column`/`direction`; persistent indexes follow
  // their keys.
  void applyOrder(RowOrder order, int column, Qt::SortOrder direction);
  void reportError(const QString& message) const;
  void onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);
  void applyPut(const std::string& key);
  void applyRemove(const std::string& key);
  void applyBulk(const QList<QByteArray>& put, const QList<QByteArray>& removed);
  // Whether a key put since the listing was made belongs in it (by key, or by value when the
  // filter searches values).
  bool putMatches(const std::string& key) const;
  void reconcile(const QSet<QByteArray>& keys);
  bool singleEditsAffordable(qsizetype changes) const;
  void updateCount();
  // Gives list_ to this model alone before it is changed (see sharedEntries).
  void detachList();

  // Rows and the base (key-ordered) indexes behind them.
  std::size_t baseCount() const;
  std::string_view baseKey(std::size_t base) const;  // empty while loading and not read yet
  std::size_t baseLowerBound(std::string_view key) const;
  std::size_t baseOfRow(int row) const;
  int rowOfBase(std::size_t base) const;
  // Where a new base index would go in the current order (rows already shifted).
  int insertionRow(std::size_t base, const bitcask::KeyEntry& entry) const;
  bool hasAllKeys() const { return listMode_ || snapshot_ != nullptr; }
  const bitcask::KeyEntry* entryAt(int row) const;
  QString preview(const bitcask::KeyEntry& entry) const;
  void readTail(std::size_t fromBase) const;

  QPointer<Database> db_;
  KeyFilter filter_;
  KeyMatcher matcher_;
  std::string prefix_;  // the index prefix of a snapshot view
  bool listMode_ = false;
  EntryList list_;           // list mode: the matches, key order
  KeySnapshotPtr snapshot_;  // snapshot mode, once loaded
  // Snapshot mode while loading: the first rows and (when looked at) the last.
  std::vector<bitcask::KeyEntry> head_;
  mutable std::vector<bitcask::KeyEntry> tail_;
  QSet<QByteArray> pendingKeys_;  // changed while the snapshot loaded
  quint64 count_ = 0;
  int pageSize_ = 512;

  int sortColumn_ = kKeyColumn;
  Qt::SortOrder sortOrder_ = Qt::AscendingOrder;
  RowOrder order_;  // row -> base index when sorted by a field
  int pendingSortColumn_ = kKeyColumn;
  Qt::SortOrder pendingSortOrder_ = Qt::AscendingOrder;

  TaskWatcher<KeySnapshotResult> loadWatcher_;
  TaskWatcher<KeySortResult> sortWatcher_;

  // Index entries of rows on screen (snapshot mode), by base index.
  mutable QCache<quint64, bitcask::KeyEntry> entries_{4000};
  mutable QCache<QByteArray, QString> previews_{4000};
  mutable QString lastError_;
  QList<QMetaObject::Connection> connections_;
};

}  // namespace bb
