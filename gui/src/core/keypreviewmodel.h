// The first keys of a database that is still opening, as a table with the
// key table's columns (key, size, written, segment; no value previews: the
// values are read once the database is open). Filled from
// bitcask::peek_first_keys, which reads them from the hint files in a
// fraction of the time the open takes, so keys are on screen at once even at
// ten million keys. Read-only: nothing can be edited before the open ends.
#pragma once

#include <bitcask/peek.h>

#include <QAbstractTableModel>
#include <vector>

namespace bb {

class KeyPreviewModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column { kKeyColumn, kSizeColumn, kTimestampColumn, kSegmentColumn, kColumnCount };

  explicit KeyPreviewModel(QObject* parent = nullptr);

  void setKeys(std::vector<bitcask::PeekedKey> keys);
  void clear();
  const bitcask::PeekedKey& keyAt(int row) const { return keys_[std::size_t(row)]; }

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

 private:
  std::vector<bitcask::PeekedKey> keys_;
};

}  // namespace bb
