#include "app/benchcharthistogram.h"

#include <QLocale>
#include <cmath>

namespace bb {

BenchChartHistogram::BenchChartHistogram(BenchResultsModel* model, QWidget* parent)
    : BenchChart(model, parent) {
  setObjectName(QStringLiteral("benchHistogram"));
  xAxis->setScaleType(QCPAxis::stLogarithmic);
  xAxis->setTicker(logTicker(Unit::kMicroseconds));
  xAxis->setLabel(tr("latency of one operation (log scale)"));
  xAxis->grid()->setSubGridVisible(true);
  yAxis->setLabel(tr("share of timed operations (%)"));
  xAxis->setRange(0.1, 1000);
  yAxis->setRange(0, 100);
  // Entries carry p50 and p99: three to a row.
  legend->setWrap(3);
  applyPalette();
  rebuildNow();
}

QString BenchChartHistogram::emptyHint() const {
  if (model_->rowCount() == 0) return tr("Run a benchmark to see its latency histograms here.");
  return tr("No latencies for this configuration and operation.");
}

bool BenchChartHistogram::rebuild() {
  clearGraphs();
  series_.clear();
  setTitle(config_ ? tr("Latency histogram — %1, %2")
                         .arg(benchOpName(op_) +
                                  (threads_ > 1 ? tr(" ×%1 threads").arg(threads_) : QString()),
                              config_->label())
                   : tr("Latency histogram"));
  if (!config_) return false;
  double lo = 1e300, hi = 0, top = 0;
  for (int row = 0; row < model_->rowCount(); ++row) {
    bool other = false;
    const BenchMeasurement& m = model_->measurementAt(row, &other);
    if (!config_->matches(m) || m.op != op_ || m.threads != threads_) continue;
    const BenchHistogram& h = m.histogram;
    const quint64 total = h.total();
    if (total == 0) continue;
    QVector<double> keys, values;
    for (int i = 0; i < h.counts.size(); ++i) {
      keys << h.lowerEdge(i);
      values << 100.0 * double(h.counts[i]) / double(total);
      top = std::max(top, values.last());
    }
    // Close the last step at the bucket's upper edge.
    keys << h.upperEdge(int(h.counts.size()) - 1);
    values << 0;
    lo = std::min(lo, keys.first());
    hi = std::max(hi, keys.last());
    QCPGraph* g = addGraph();
    const QColor c = engineColor(m.engine);
    QColor fill = c;
    fill.setAlpha(other ? 25 : 55);
    g->setPen(QPen(c, other ? 1.5 : 2, other ? Qt::DashLine : Qt::SolidLine));
    g->setBrush(fill);
    g->setLineStyle(QCPGraph::lsStepLeft);
    g->setData(keys, values, true);
    const QString label = other ? tr("%1 (saved)").arg(m.engine) : m.engine;
    g->setName(tr("%1: p50 %2, p99 %3").arg(label, formatUs(m.p50Us), formatUs(m.p99Us)));
    series_.append({label, h});
  }
  if (series_.isEmpty()) return false;
  // Whole decades around the data.
  xAxis->setRange(std::pow(10, std::floor(std::log10(lo))),
                  std::pow(10, std::ceil(std::log10(hi))));
  yAxis->setRange(0, std::max(5.0, std::ceil(top * 1.15 / 5) * 5));
  return true;
}

QString BenchChartHistogram::hoverText(const QPoint& pos) const {
  if (series_.isEmpty() || !axisRect()->rect().contains(pos)) return {};
  const double us = xAxis->pixelToCoord(pos.x());
  if (!(us > 0)) return {};
  const int bucket = int(std::floor(std::log10(us) * BenchHistogram::kBucketsPerDecade));
  const double from = std::pow(10.0, double(bucket) / BenchHistogram::kBucketsPerDecade);
  const double to = std::pow(10.0, double(bucket + 1) / BenchHistogram::kBucketsPerDecade);
  QStringList lines;
  lines << tr("<b>%1 – %2</b>").arg(formatUs(from), formatUs(to));
  for (const Series& s : series_) {
    const int i = bucket - s.histogram.first;
    const quint64 n = i >= 0 && i < s.histogram.counts.size() ? s.histogram.counts[i] : 0;
    const double share = 100.0 * double(n) / double(s.histogram.total());
    // %1 and %2 first: arg() fills the lowest-numbered placeholder.
    QString line = n == 1 ? tr("%1: %2 % (1 operation)") : tr("%1: %2 % (%L3 operations)");
    line = line.arg(s.label.toHtmlEscaped(), QLocale().toString(share, 'f', share < 1 ? 2 : 1));
    lines << (n == 1 ? line : line.arg(n));
  }
  return lines.join(QStringLiteral("<br>"));
}

}  // namespace bb
