// The percentile curve of one operation: latency (µs, log scale) against the
// percentile on a "nines" axis (p50, p90, p99, p99.9 evenly spaced), a line
// per engine (dashed for the compared run), the tail made as visible as the
// median. Hover: each engine's latency at the percentile under the cursor.
#pragma once

#include "app/benchchart.h"

namespace bb {

class BenchChartPercentiles : public BenchChart {
  Q_OBJECT

 public:
  explicit BenchChartPercentiles(BenchResultsModel* model, QWidget* parent = nullptr);
  QString hoverText(const QPoint& pos) const override;

 protected:
  bool rebuild() override;
  QString emptyHint() const override;

 private:
  struct Series {
    QString label;
    QList<BenchPercentilePoint> points;
  };
  QList<Series> series_;
};

}  // namespace bb
