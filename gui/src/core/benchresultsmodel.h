// The benchmark panel's results: a table with a row per measurement of the
// current run, followed by the rows of a saved run chosen for comparison (the
// "run" column tells them apart). It also keeps the current run's throughput
// slices, so the charts read everything from here. Exports the table as CSV
// or JSON (the fields of bitcask-bench's JSON rows plus run, p90, p99.9).
#pragma once

#include <QAbstractTableModel>
#include <optional>

#include "core/benchresult.h"

namespace bb {

// One (entries, value size, sync) configuration: the charts show one at a time.
struct BenchConfig {
  quint64 entries = 0;
  quint64 valueSize = 0;
  bool sync = false;
  bool operator==(const BenchConfig& o) const {
    return entries == o.entries && valueSize == o.valueSize && sync == o.sync;
  }
  bool matches(const BenchMeasurement& m) const {
    return m.entries == entries && m.valueSize == valueSize && m.sync == sync;
  }
  QString label() const;
};

class BenchResultsModel : public QAbstractTableModel {
  Q_OBJECT

 public:
  enum Column {
    kRunColumn,
    kEngineColumn,
    kOpColumn,
    kEntriesColumn,
    kValueSizeColumn,
    kThreadsColumn,
    kSyncColumn,
    kOpsColumn,
    kMeanColumn,
    kP50Column,
    kP99Column,
    kP999Column,
    kOpsPerSecColumn,
    kColumnCount
  };
  enum Role {
    kSortRole = Qt::UserRole + 1,  // numbers as numbers
    kIsComparisonRole,             // bool: a row of the compared run
  };

  explicit BenchResultsModel(QObject* parent = nullptr);

  int rowCount(const QModelIndex& parent = {}) const override;
  int columnCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
  QVariant headerData(int section, Qt::Orientation orientation,
                      int role = Qt::DisplayRole) const override;

  // The current run, as the runner fills it.
  void beginRun(const BenchWorkload& workload);
  void addMeasurement(const BenchMeasurement& m);
  void addSlice(const BenchSlice& s);
  void addError(const QString& message);
  void endRun(BenchRun::State state);
  const BenchRun& currentRun() const { return current_; }
  // A run loaded back (shown as the current one, e.g. to re-export it).
  void setCurrentRun(const BenchRun& run);
  void clear();

  // A saved run beside the current one.
  void setComparison(const BenchRun& run);
  void clearComparison();
  const std::optional<BenchRun>& comparison() const { return comparison_; }

  // The measurement behind `row`, and whether it is the compared run's.
  const BenchMeasurement& measurementAt(int row, bool* comparison = nullptr) const;
  // The configurations measured, in the order met (current run, then compared).
  QList<BenchConfig> configs() const;
  // The (op, threads) pairs measured in `config`, in lane order.
  QList<std::pair<BenchOp, int>> opsOf(const BenchConfig& config) const;
  // The engines measured in either run, in the order met.
  QStringList engines() const;
  // The name the run column shows for the current run.
  QString currentRunLabel() const;

  // Every row (both runs), as CSV (a header line, then a line per row) or as a
  // JSON array of objects. False with *error when the file cannot be written.
  bool saveCsv(const QString& path, QString* error = nullptr) const;
  bool saveJson(const QString& path, QString* error = nullptr) const;
  QByteArray toCsv() const;
  QByteArray toJson() const;

 signals:
  // Slices were added to the current run (the throughput chart follows).
  void slicesChanged();
  void runStateChanged();

 private:
  QString runLabelOf(bool comparison) const;

  BenchRun current_;
  std::optional<BenchRun> comparison_;
};

}  // namespace bb
