// What Verify found: one row per problem with its segment, file, offset,
// length and description (an empty model says the database is sound).
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "core/verifytask.h"

namespace bb {

class VerifyModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kSegmentColumn,
    kFileColumn,
    kOffsetColumn,
    kLengthColumn,
    kWhatColumn,
    kColumnCount
  };
  enum Role {
    kSegmentRole = Qt::UserRole + 1,  // quint32
    kOffsetRole,                      // quint64
    kIsHintRole,                      // bool: the problem is in a hint file
  };

  explicit VerifyModel(QObject* parent = nullptr);
  void setOutcome(const VerifyOutcome& outcome);
  void clear();
  const SegmentProblem& problemAt(int row) const { return rows_.at(std::size_t(row)); }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<SegmentProblem> rows_;
};

}  // namespace bb
