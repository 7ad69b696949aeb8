// Throughput over time of the current run, live: operations per second in
// slices of about 50 ms against the time since each engine's lane started
// (log scale, so a 1,000 ops/s synced write and a 5 M ops/s read share the
// plot), a line per engine of the chosen configuration. Each operation is a
// plateau; gaps are the untimed parts (loading keys, opening). Hover: the
// engine, operation and throughput of the slice under the cursor.
#pragma once

#include "app/benchchart.h"

namespace bb {

class BenchChartThroughput : public BenchChart {
  Q_OBJECT

 public:
  explicit BenchChartThroughput(BenchResultsModel* model, QWidget* parent = nullptr);
  QString hoverText(const QPoint& pos) const override;

 protected:
  bool rebuild() override;
  QString emptyHint() const override;

 private:
  QList<BenchSlice> shown_;
};

}  // namespace bb
