// The latency histogram of one operation: the share of timed operations per
// latency bucket (10 a decade) on a logarithmic µs axis, a filled step curve
// per engine (dashed for the compared run), so the engines' distributions
// overlay. Hover: each engine's share in the bucket under the cursor.
#pragma once

#include "app/benchchart.h"

namespace bb {

class BenchChartHistogram : public BenchChart {
  Q_OBJECT

 public:
  explicit BenchChartHistogram(BenchResultsModel* model, QWidget* parent = nullptr);
  QString hoverText(const QPoint& pos) const override;

 protected:
  bool rebuild() override;
  QString emptyHint() const override;

 private:
  struct Series {
    QString label;
    BenchHistogram histogram;
  };
  QList<Series> series_;
};

}  // namespace bb
