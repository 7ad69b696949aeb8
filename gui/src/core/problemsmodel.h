// Damage found in a database, one row per problem with its kind, segment,
// file, offset, the key when it still reads, length and description: what recovery reported when
// the database was opened (ProblemsDialog), or what Verify found (the Segments page). An empty
// model says the database is sound.
#pragma once

#include <bitcask/recovery.h>

#include <QAbstractTableModel>
#include <vector>

#include "core/verifytask.h"

namespace bb {

class ProblemsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kKindColumn,
    kSegmentColumn,
    kFileColumn,
    kOffsetColumn,
    kKeyColumn,  // the damaged record's key, when its bytes still read
    kLengthColumn,
    kWhatColumn,
    kColumnCount
  };
  enum Role {
    kSegmentRole = Qt::UserRole + 1,  // quint32 (0 when recovery did not say)
    kOffsetRole,                      // quint64
    kIsHintRole,                      // bool: the problem is in a hint file
    kKeyRole,                         // QByteArray, or null when the key is unknown
  };

  explicit ProblemsModel(QObject* parent = nullptr);
  // What recovery found: damaged records and torn tails.
  void setReport(const bitcask::RecoveryReport& report);
  // What Verify found.
  void setOutcome(const VerifyOutcome& outcome);
  void clear();

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  enum class Kind { kDamagedRecord, kTornTail, kDamagedHint };
  struct Row {
    Kind kind;
    SegmentProblem where;
  };
  std::vector<Row> rows_;
};

}  // namespace bb
