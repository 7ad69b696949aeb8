#include "app/benchchartpercentiles.h"

#include <QLocale>
#include <cmath>

namespace bb {

namespace {

// p = 100 (1 − 10^−nines).
double percentOf(double nines) { return 100.0 * (1.0 - std::pow(10.0, -nines)); }

QString percentileName(double nines) {
  const double p = percentOf(nines);
  // p50, p90, p99.9, p99.95: as few decimals as say it.
  for (int decimals = 0; decimals < 3; ++decimals) {
    const double scale = std::pow(10.0, decimals);
    if (std::abs(std::round(p * scale) / scale - p) < 0.005 / scale)
      return QStringLiteral("p") + QLocale::c().toString(p, 'f', decimals);
  }
  return QStringLiteral("p") + QLocale::c().toString(p, 'f', 2);
}

}  // namespace

BenchChartPercentiles::BenchChartPercentiles(BenchResultsModel* model, QWidget* parent)
    : BenchChart(model, parent) {
  setObjectName(QStringLiteral("benchPercentiles"));
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  for (double p : {50.0, 75.0, 90.0, 95.0, 99.0, 99.5, 99.9}) {
    const double nines = -std::log10(1.0 - p / 100.0);
    ticker->addTick(nines, percentileName(nines));
  }
  xAxis->setTicker(ticker);
  xAxis->setLabel(tr("percentile (evenly spaced nines)"));
  xAxis->setRange(std::log10(2.0) - 0.05, 3.05);
  yAxis->setScaleType(QCPAxis::stLogarithmic);
  yAxis->setTicker(logTicker(Unit::kMicroseconds));
  yAxis->setLabel(tr("latency (log scale)"));
  yAxis->grid()->setSubGridVisible(true);
  yAxis->setRange(0.1, 1000);
  applyPalette();
  rebuildNow();
}

QString BenchChartPercentiles::emptyHint() const {
  if (model_->rowCount() == 0) return tr("Run a benchmark to see its percentile curves here.");
  return tr("No latencies for this configuration and operation.");
}

bool BenchChartPercentiles::rebuild() {
  clearGraphs();
  series_.clear();
  setTitle(config_ ? tr("Latency percentiles — %1, %2")
                         .arg(benchOpName(op_) +
                                  (threads_ > 1 ? tr(" ×%1 threads").arg(threads_) : QString()),
                              config_->label())
                   : tr("Latency percentiles"));
  if (!config_) return false;
  double lo = 1e300, hi = 0;
  for (int row = 0; row < model_->rowCount(); ++row) {
    bool other = false;
    const BenchMeasurement& m = model_->measurementAt(row, &other);
    if (!config_->matches(m) || m.op != op_ || m.threads != threads_ || m.percentiles.isEmpty())
      continue;
    QVector<double> keys, values;
    for (const BenchPercentilePoint& p : m.percentiles) {
      keys << p.nines;
      values << std::max(p.us, 1e-3);
      lo = std::min(lo, values.last());
      hi = std::max(hi, values.last());
    }
    QCPGraph* g = addGraph();
    const QColor c = engineColor(m.engine);
    g->setPen(QPen(c, other ? 1.5 : 2.2, other ? Qt::DashLine : Qt::SolidLine));
    g->setData(keys, values, true);
    const QString label = other ? tr("%1 (saved)").arg(m.engine) : m.engine;
    g->setName(label);
    // Marks at p50, p90, p99 and p99.9, the figures the table gives.
    QCPGraph* marks = addGraph();
    marks->setPen(QPen(c));
    marks->setLineStyle(QCPGraph::lsNone);
    marks->setScatterStyle(
        QCPScatterStyle(other ? QCPScatterStyle::ssCircle : QCPScatterStyle::ssDisc, c, c, 6));
    marks->setData({std::log10(2.0), 1.0, 2.0, 3.0}, {m.p50Us, m.p90Us, m.p99Us, m.p999Us});
    marks->removeFromLegend();
    series_.append({label, m.percentiles});
  }
  if (series_.isEmpty()) return false;
  yAxis->setRange(std::pow(10, std::floor(std::log10(lo))),
                  std::pow(10, std::ceil(std::log10(hi))));
  return true;
}

QString BenchChartPercentiles::hoverText(const QPoint& pos) const {
  if (series_.isEmpty() || !axisRect()->rect().contains(pos)) return {};
  const double x = xAxis->pixelToCoord(pos.x());
  QStringList lines;
  bool any = false;
  for (const Series& s : series_) {
    // The nearest computed point.
    const BenchPercentilePoint* best = nullptr;
    for (const BenchPercentilePoint& p : s.points) {
      if (!best || std::abs(p.nines - x) < std::abs(best->nines - x)) best = &p;
    }
    if (!best) continue;
    if (!any) lines << tr("<b>%1</b>").arg(percentileName(best->nines));
    any = true;
    lines << tr("%1: %2").arg(s.label.toHtmlEscaped(), formatUs(best->us));
  }
  return any ? lines.join(QStringLiteral("<br>")) : QString();
}

}  // namespace bb
