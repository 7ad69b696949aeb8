// What recovery found when the database was opened: damaged records and
// torn tails, one row each with the file and offset, for ProblemsDialog.
#pragma once

#include <bitcask/recovery.h>

#include <QAbstractTableModel>
#include <vector>

namespace bb {

class ProblemsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kKindColumn, kFileColumn, kOffsetColumn, kLengthColumn, kWhatColumn, kColumnCount };

  explicit ProblemsModel(QObject* parent = nullptr);
  void setReport(const bitcask::RecoveryReport& report);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  struct Row {
    bool tail;
    bitcask::Problem problem;
  };
  std::vector<Row> rows_;
};

}  // namespace bb
