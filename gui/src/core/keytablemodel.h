// The key table: one row per live key, in key order, over the engine's
// ordered index. Rows arrive a page at a time (canFetchMore / fetchMore with
// DB::scan continuing after the last key), so opening 10M keys costs one page
// and memory grows only with what was scrolled through; values are never
// held, only a bounded cache of previews for the rows on screen.
//
// Three sources of rows:
//   all keys / keys with a prefix   paged from the index
//   a filter's matches              the list a substring / regex scan found
// Edits made through Database update the rows in place (keysChanged).
#pragma once

#include <bitcask/db.h>

#include <QAbstractTableModel>
#include <QCache>
#include <QPointer>
#include <memory>
#include <string>
#include <vector>

#include "core/database.h"
#include "core/keyfilter.h"

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

  // How many rows one fetchMore adds.
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
  // Whether every matching key is loaded.
  bool isComplete() const { return complete_; }

  // The loaded rows' index entries (every match when isComplete()).
  const std::vector<bitcask::KeyEntry>& entries() const { return rows_; }

  std::string keyAt(int row) const;
  // The row of `key` when it is loaded, else -1.
  int rowOfKey(const std::string& key) const;
  // Loads pages until `key`'s row is loaded (or its place is passed); returns its row or -1.
  int ensureLoaded(const std::string& key);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent) const override;
  void fetchMore(const QModelIndex& parent) override;

 signals:
  // matchCount() changed (filtering, edits).
  void countChanged();

 private:
  void restart();
  void onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);
  void applyPut(const std::string& key);
  void applyBulk(const QList<QByteArray>& put, const QList<QByteArray>& removed);
  void applyRemove(const std::string& key);
  QString preview(const bitcask::KeyEntry& entry) const;
  void updateCount();

  QPointer<Database> db_;
  KeyFilter filter_;
  KeyMatcher matcher_;
  std::string prefix_;  // the index prefix of a paged view
  bool listMode_ = false;
  std::vector<bitcask::KeyEntry> rows_;
  bool complete_ = true;
  bool fetching_ = false;  // fetchMore re-entry guard
  int pageSize_ = 512;
  quint64 count_ = 0;
  mutable QCache<QByteArray, QString> previews_{4000};
  QList<QMetaObject::Connection> connections_;
};

}  // namespace bb
