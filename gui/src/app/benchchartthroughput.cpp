#include "app/benchchartthroughput.h"

#include <QLocale>
#include <cmath>
#include <limits>

namespace bb {

BenchChartThroughput::BenchChartThroughput(BenchResultsModel* model, QWidget* parent)
    : BenchChart(model, parent) {
  setObjectName(QStringLiteral("benchThroughput"));
  xAxis->setLabel(tr("time since the engine's lane started (s)"));
  yAxis->setScaleType(QCPAxis::stLogarithmic);
  yAxis->setTicker(logTicker(Unit::kCount));
  yAxis->setLabel(tr("operations per second (log scale)"));
  yAxis->grid()->setSubGridVisible(true);
  xAxis->setRange(0, 1);
  yAxis->setRange(1e3, 1e7);
  // Live: redraw a few times a second while slices arrive.
  connect(model_, &BenchResultsModel::slicesChanged, this, [this] { scheduleRebuild(250); });
  applyPalette();
  rebuildNow();
}

QString BenchChartThroughput::emptyHint() const {
  if (model_->currentRun().slices.isEmpty())
    return tr("Throughput over time appears here while a benchmark runs.");
  return tr("No throughput recorded for this configuration in the current run.");
}

bool BenchChartThroughput::rebuild() {
  clearGraphs();
  shown_.clear();
  setTitle(config_ ? tr("Throughput over time — %1").arg(config_->label())
                   : tr("Throughput over time"));
  if (!config_) return false;
  QStringList engines;
  for (const BenchSlice& s : model_->currentRun().slices) {
    if (s.entries != config_->entries || s.valueSize != config_->valueSize ||
        s.sync != config_->sync)
      continue;
    shown_ << s;
    if (!engines.contains(s.engine)) engines << s.engine;
  }
  if (shown_.isEmpty()) return false;
  double tMax = 0, lo = 1e300, hi = 0;
  const double gap = std::numeric_limits<double>::quiet_NaN();
  for (const QString& engine : engines) {
    QVector<double> keys, values;
    double end = -1;
    for (const BenchSlice& s : shown_) {
      if (s.engine != engine) continue;
      const double start = s.t - s.seconds;
      // A break in the line where nothing was timed (loading, opening).
      if (end >= 0 && start - end > 0.005) {
        keys << end;
        values << gap;
      }
      const double v = std::max(s.opsPerSec(), 1.0);
      keys << start;
      values << v;
      end = s.t;
      tMax = std::max(tMax, s.t);
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    // The last slice's step ends at its end.
    keys << end;
    values << values.last();
    QCPGraph* g = addGraph();
    const QColor c = engineColor(engine);
    g->setPen(QPen(c, 2));
    g->setLineStyle(QCPGraph::lsStepLeft);
    g->setData(keys, values, true);
    g->setName(engine);
  }
  xAxis->setRange(0, std::max(0.1, tMax * 1.02));
  yAxis->setRange(std::pow(10, std::floor(std::log10(lo))),
                  std::pow(10, std::ceil(std::log10(hi))));
  return true;
}

QString BenchChartThroughput::hoverText(const QPoint& pos) const {
  if (shown_.isEmpty() || !axisRect()->rect().contains(pos)) return {};
  const double t = xAxis->pixelToCoord(pos.x());
  const double y = yAxis->pixelToCoord(pos.y());
  // The slice under the cursor closest to it on the (log) value axis.
  const BenchSlice* best = nullptr;
  double bestDistance = 0;
  for (const BenchSlice& s : shown_) {
    if (t < s.t - s.seconds || t > s.t) continue;
    const double d =
        std::abs(std::log10(std::max(s.opsPerSec(), 1.0)) - std::log10(std::max(y, 1.0)));
    if (!best || d < bestDistance) {
      best = &s;
      bestDistance = d;
    }
  }
  if (!best) return {};
  const QLocale l;
  return tr("<b>%1</b> · %2%3<br>%4 – %5 s: %6 ops/s")
      .arg(best->engine.toHtmlEscaped(), benchOpName(best->op),
           best->threads > 1 ? tr(" ×%1 threads").arg(best->threads) : QString(),
           l.toString(best->t - best->seconds, 'f', 2), l.toString(best->t, 'f', 2),
           l.toString(best->opsPerSec(), 'f', 0));
}

}  // namespace bb
