// The operations side by side: for the chosen configuration, a group of bars
// per operation (QCPBarsGroup) with a bar per engine -- and, when a saved run
// is being compared, a second, hatched bar per engine from that run. The
// metric is ops/s, mean µs or p99 µs, on a log axis (engines differ by orders
// of magnitude). Hover: the bar's engine, run, operation and value.
#pragma once

#include "app/benchchart.h"

namespace bb {

class BenchChartBars : public BenchChart {
  Q_OBJECT

 public:
  enum class Metric { kOpsPerSec, kMeanUs, kP99Us };

  explicit BenchChartBars(BenchResultsModel* model, QWidget* parent = nullptr);
  void setMetric(Metric metric);
  Metric metric() const { return metric_; }
  QString hoverText(const QPoint& pos) const override;
  // Bars drawn (tests): one QCPBars per (run, engine).
  int seriesCount() const { return int(bars_.size()); }

 protected:
  bool rebuild() override;
  QString emptyHint() const override;

 private:
  double valueOf(const BenchMeasurement& m) const;
  QString formatValue(double v) const;

  Metric metric_ = Metric::kOpsPerSec;
  QCPBarsGroup* group_;
  struct Bar {
    QCPBars* bars;
    QString label;
    QList<std::pair<BenchOp, int>> ops;
  };
  QList<Bar> bars_;
  QList<std::pair<BenchOp, int>> ops_;
};

}  // namespace bb
