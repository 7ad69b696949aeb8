// The Segments table: one row per segment file with the engine's figures
// (DB::stats()), its fragmentation, hint and active/sealed state, and the
// checksum status found by the last Verify. refresh() re-reads the figures
// and updates rows in place (inserting and removing rows for segments that
// appeared or went away), so selections survive edits and merges.
#pragma once

#include <bitcask/stats.h>

#include <QAbstractTableModel>
#include <QPointer>
#include <map>
#include <optional>

#include "core/database.h"
#include "core/verifytask.h"

namespace bb {

class SegmentsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kIdColumn,
    kSizeColumn,
    kRecordsColumn,
    kLiveRecordsColumn,
    kLiveBytesColumn,
    kDeadBytesColumn,
    kTombstonesColumn,
    kFragmentationColumn,
    kHintColumn,
    kStateColumn,
    kChecksumColumn,
    kColumnCount
  };
  enum Role {
    kSortRole = Qt::UserRole + 1,  // the raw figure, for sorting
    kSegmentIdRole,                // quint32
  };
  // What the last Verify said about one segment.
  enum class Check { kNotVerified, kOk, kDamaged };

  explicit SegmentsModel(QObject* parent = nullptr);

  void setDatabase(Database* db);
  Database* database() const { return db_; }
  // Re-reads DB::stats().
  void refresh();
  // Takes the outcome of a Verify (a cancelled one is ignored).
  void setVerifyOutcome(const VerifyOutcome& outcome);
  void clearVerifyOutcome();

  const bitcask::Stats& stats() const { return stats_; }
  const bitcask::SegmentStats& segmentAt(int row) const;
  int rowOfSegment(quint32 id) const;
  Check checkOf(quint32 id) const;
  // Problems the last Verify found in the segment's records / its hint file.
  int problemsIn(quint32 id) const;
  bool hintDamaged(quint32 id) const;
  // dead / size of one segment, as the merge thresholds measure it.
  static double fragmentation(const bitcask::SegmentStats& s);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 signals:
  // The figures were re-read (the chart and summary follow this).
  void statsChanged();
  // The engine could not give the figures (a closed database, an I/O error).
  void errorOccurred(const QString& message);

 private:
  struct Verified {
    quint64 size = 0;  // of the segment when verified
    int problems = 0;
    bool hintDamaged = false;
  };

  QPointer<Database> db_;
  bitcask::Stats stats_;
  std::map<quint32, Verified> verified_;
};

}  // namespace bb
