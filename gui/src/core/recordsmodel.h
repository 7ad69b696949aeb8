// The records of one segment in file order, a page at a time (DB::read_records
// continuing from the last offset), or every record of one key across the
// segments (DB::history). Each row says whether the record is the live
// version of its key or shadowed, and by which segment and offset (the
// keydir's location of the key).
//
// A segment holds millions of records, so the model never keeps them: it
// keeps only the file offset of each row found so far (8 bytes a row) and
// reads rows back from the segment a page at a time when the view asks for
// them, holding at most kCachedPages pages (as DB Browser for SQLite's row
// cache does).
//
// Filters (tombstones, shadowed, corrupt, key substring) are applied while
// paging: a fetch reads at most scanBudget() records and goes on in later
// event-loop turns until a page of matches is found, so the window never
// stalls on a large segment with few matches.
#pragma once

#include <bitcask/record.h>

#include <QAbstractTableModel>
#include <QByteArray>
#include <QCache>
#include <QPointer>
#include <QSet>
#include <string>
#include <vector>

#include "core/database.h"

namespace bb {

class RecordsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kSegmentColumn,
    kOffsetColumn,
    kKindColumn,
    kKeyColumn,
    kValueSizeColumn,
    kTimestampColumn,
    kChecksumColumn,
    kStatusColumn,
    kColumnCount
  };
  enum Role {
    kSegmentRole = Qt::UserRole + 1,  // quint32
    kOffsetRole,                      // quint64
    kKeyBytesRole,                    // QByteArray
    kRecordSizeRole,                  // quint32: header + key + value
    kKindRole,                        // int: bitcask::RecordKind
    kChecksumOkRole,                  // bool
    kStateRole,                       // int: State
    kLiveSegmentRole,                 // quint32, for kShadowed
    kLiveOffsetRole,                  // quint64, for kShadowed
  };
  // Where a record stands against the keydir.
  enum class State {
    kLive,      // the version get() returns
    kShadowed,  // the key lives in a later record (liveSegment, liveOffset)
    kDeleted,   // a put whose key was deleted since (or expired)
    kDeletion,  // a tombstone, and the key is absent: this is the deletion
    kMarker,    // batch begin / commit
    kCorrupt,   // failed its checksum, or not a record at all
  };
  struct Row {
    bitcask::RecordInfo info;
    State state = State::kLive;
    quint32 liveSegment = 0;
    quint64 liveOffset = 0;
  };
  struct Filter {
    bool tombstonesOnly = false;
    bool shadowedOnly = false;  // not the live version of the key (kShadowed, kDeleted)
    bool corruptOnly = false;
    QByteArray keyContains;  // bytewise substring
    bool isEmpty() const {
      return !tombstonesOnly && !shadowedOnly && !corruptOnly && keyContains.isEmpty();
    }
    bool operator==(const Filter&) const = default;
  };
  enum class Mode { kNone, kSegment, kKey };

  explicit RecordsModel(QObject* parent = nullptr);

  void setDatabase(Database* db);
  // Pages through the records of `segment` from its first record.
  void showSegment(quint32 segment);
  // Every record of `key` still on disk, oldest first.
  void showKey(const std::string& key);
  void clear();
  void setFilter(const Filter& filter);
  const Filter& filter() const { return filter_; }

  Mode mode() const { return mode_; }
  quint32 segment() const { return segment_; }
  const std::string& key() const { return key_; }
  // Records per page (matching rows a fetch aims for) and records read at
  // most per fetch.
  void setPageSize(int rows) { pageSize_ = std::max(1, rows); }
  int pageSize() const { return pageSize_; }
  void setScanBudget(int records) { scanBudget_ = std::max(1, records); }
  // The offset paging continues from, and the segment's size (progress of a
  // filtered scan).
  quint64 scannedTo() const { return next_; }
  quint64 segmentSize() const { return segmentSize_; }
  bool isComplete() const { return complete_; }
  // A message when the records cannot be read: the segment was merged away
  // (its rows are dropped then, never shown as damaged), or the engine
  // failed (errorOccurred said so).
  const QString& error() const { return error_; }
  // Whether the segment shown was merged away (error() says so).
  bool segmentGone() const { return segmentGone_; }

  // Row `row`, read from the segment if its page is not cached.
  Row rowAt(int row) const;
  // Rows held in memory now (for tests: bounded, whatever was scrolled).
  int cachedRows() const;
  // The row of the record at `offset` (loading pages until it is passed), or -1.
  int ensureLoaded(quint64 offset);
  // Re-reads which records are live (after a merge or an import) and whether
  // the segment grew.
  void refresh();

  static QString kindName(bitcask::RecordKind kind);
  QString statusText(const Row& row) const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;
  bool canFetchMore(const QModelIndex& parent = {}) const override;
  void fetchMore(const QModelIndex& parent = {}) override;

 signals:
  // A filtered scan moved on (scannedTo / segmentSize) or finished.
  void scanProgress();
  // The engine failed to read what was asked for (an I/O error, a closed
  // database): `message` says what and where. Never for a segment merged
  // away, which is an expected change (segmentGone()).
  void errorOccurred(const QString& message);

 private:
  static constexpr int kRowsPerPage = 256;
  static constexpr int kCachedPages = 32;

  int fetch(bool untilPage, std::size_t budget);
  const std::vector<Row>* page(int index) const;
  std::vector<Row> readPage(int index) const;
  void resetRows();
  void resolve(Row& row) const;
  bool matches(Row& row, bool* resolved) const;
  void onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);
  // Re-reads the segment's size; false when it no longer exists.
  bool updateSegmentSize();
  // The segment shown went away: its rows go too (they would read as damaged).
  void dropGoneSegment();
  void fail(const QString& message);
  void scheduleContinue();

  QPointer<Database> db_;
  Mode mode_ = Mode::kNone;
  quint32 segment_ = 0;
  std::string key_;
  Filter filter_;
  std::vector<quint64> offsets_;  // kSegment: the offset of each row found
  std::vector<Row> keyRows_;      // kKey: every version of one key (a handful)
  mutable QCache<int, std::vector<Row>> pages_;
  quint64 next_ = 0;
  quint64 segmentSize_ = 0;
  bool complete_ = true;
  bool fetching_ = false;
  bool continuePending_ = false;
  int foundSinceRequest_ = 0;
  int pageSize_ = 500;
  int scanBudget_ = 20000;
  quint64 generation_ = 0;
  QString error_;
  bool segmentGone_ = false;
  QList<QMetaObject::Connection> connections_;
};

}  // namespace bb
