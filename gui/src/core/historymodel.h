// The History tab's table: the versions of one key on disk, newest first.
// Filled from a KeyHistorySource by a background task (HistoryPanel starts
// it); this model only holds and shows the result.
#pragma once

#include <QAbstractTableModel>
#include <vector>

#include "core/keyhistory.h"

namespace bb {

class HistoryModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kWrittenColumn,
    kChangeColumn,
    kSizeColumn,
    kWhereColumn,
    kStateColumn,
    kColumnCount
  };

  explicit HistoryModel(QObject* parent = nullptr);

  // `versions` oldest first, as KeyHistorySource returns them.
  void setVersions(std::vector<KeyVersion> versions);
  void clear();
  const KeyVersion& version(int row) const { return rows_[std::size_t(row)]; }
  // The row of the live version, or -1.
  int liveRow() const;

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<KeyVersion> rows_;  // newest first
};

}  // namespace bb
