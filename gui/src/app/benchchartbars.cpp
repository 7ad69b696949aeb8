#include "app/benchchartbars.h"

#include <QLocale>
#include <cmath>

namespace bb {

BenchChartBars::BenchChartBars(BenchResultsModel* model, QWidget* parent)
    : BenchChart(model, parent), group_(new QCPBarsGroup(this)) {
  setObjectName(QStringLiteral("benchBars"));
  group_->setSpacingType(QCPBarsGroup::stAbsolute);
  group_->setSpacing(1);
  xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
  xAxis->grid()->setVisible(false);
  xAxis->setTickLength(0, 4);
  xAxis->setLabel(tr("operation"));
  yAxis->setScaleType(QCPAxis::stLogarithmic);
  yAxis->grid()->setSubGridVisible(true);
  setMetric(Metric::kOpsPerSec);
  applyPalette();
  rebuildNow();
}

void BenchChartBars::setMetric(Metric metric) {
  metric_ = metric;
  switch (metric_) {
    case Metric::kOpsPerSec:
      yAxis->setTicker(logTicker(Unit::kCount));
      yAxis->setLabel(tr("ops/s (log scale)"));
      break;
    case Metric::kMeanUs:
      yAxis->setTicker(logTicker(Unit::kMicroseconds));
      yAxis->setLabel(tr("mean latency (log scale)"));
      break;
    case Metric::kP99Us:
      yAxis->setTicker(logTicker(Unit::kMicroseconds));
      yAxis->setLabel(tr("p99 latency (log scale)"));
      break;
  }
  scheduleRebuild();
}

QString BenchChartBars::emptyHint() const {
  if (model_->rowCount() == 0)
    return tr("Run a benchmark to compare its operations and engines here.");
  return tr("Nothing measured in this configuration.");
}

double BenchChartBars::valueOf(const BenchMeasurement& m) const {
  switch (metric_) {
    case Metric::kOpsPerSec:
      return m.opsPerSec;
    case Metric::kMeanUs:
      return m.meanUs;
    case Metric::kP99Us:
      return m.p99Us;
  }
  return 0;
}

QString BenchChartBars::formatValue(double v) const {
  return metric_ == Metric::kOpsPerSec ? shortCount(v) + tr(" ops/s") : formatUs(v);
}

bool BenchChartBars::rebuild() {
  for (const Bar& b : bars_) removePlottable(b.bars);
  bars_.clear();
  group_->clear();
  // Which way is better goes in the title: the y axis of a short chart has
  // no room for it.
  const QString better =
      metric_ == Metric::kOpsPerSec ? tr("higher is better") : tr("lower is better");
  setTitle(config_ ? tr("Operations by engine — %1 (%2)").arg(config_->label(), better)
                   : tr("Operations by engine (%1)").arg(better));
  if (!config_) return false;
  ops_ = model_->opsOf(*config_);
  if (ops_.isEmpty()) return false;

  QVector<double> ticks;
  QVector<QString> labels;
  for (int i = 0; i < ops_.size(); ++i) {
    ticks << i;
    labels << benchOpName(ops_[i].first) +
                  (ops_[i].second > 1 ? QStringLiteral(" ×%1").arg(ops_[i].second) : QString());
  }
  qSharedPointerDynamicCast<QCPAxisTickerText>(xAxis->ticker())->setTicks(ticks, labels);
  xAxis->setTickLabelRotation(ops_.size() > 6 ? -25 : 0);

  // The series: (run, engine) in the order met; the compared run's after.
  struct Key {
    bool other;
    QString engine;
  };
  QList<Key> keys;
  for (int row = 0; row < model_->rowCount(); ++row) {
    bool other = false;
    const BenchMeasurement& m = model_->measurementAt(row, &other);
    if (!config_->matches(m)) continue;
    bool known = false;
    for (const Key& k : keys) known |= k.other == other && k.engine == m.engine;
    if (!known) keys.append({other, m.engine});
  }
  // Engines side by side, each with its compared bar right after it.
  QStringList engineOrder;
  for (const Key& k : keys) {
    if (!engineOrder.contains(k.engine)) engineOrder << k.engine;
  }
  std::stable_sort(keys.begin(), keys.end(), [&](const Key& a, const Key& b) {
    const auto ia = engineOrder.indexOf(a.engine), ib = engineOrder.indexOf(b.engine);
    return ia != ib ? ia < ib : (!a.other && b.other);
  });

  double lo = 1e300, hi = 0;
  const double width = std::min(0.8 / std::max<qsizetype>(1, keys.size()), 0.3);
  for (const Key& k : keys) {
    QVector<double> x, y;
    for (int row = 0; row < model_->rowCount(); ++row) {
      bool other = false;
      const BenchMeasurement& m = model_->measurementAt(row, &other);
      if (other != k.other || m.engine != k.engine || !config_->matches(m)) continue;
      const auto at = ops_.indexOf(std::pair<BenchOp, int>{m.op, m.threads});
      const double v = valueOf(m);
      if (at < 0 || !(v > 0)) continue;
      x << double(at);
      y << v;
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
    auto* b = new QCPBars(xAxis, yAxis);
    const QColor c = engineColor(k.engine);
    b->setWidthType(QCPBars::wtPlotCoords);
    b->setWidth(width);
    if (k.other) {
      QColor light = c;
      light.setAlpha(90);
      b->setBrush(QBrush(light, Qt::BDiagPattern));
      b->setPen(QPen(c, 1.2));
      b->setName(tr("%1 (saved)").arg(k.engine));
    } else {
      b->setBrush(c);
      b->setPen(QPen(c.darker(120), 1));
      b->setName(k.engine);
    }
    b->setData(x, y, true);
    b->setBarsGroup(group_);
    bars_.append(
        {b,
         k.other ? tr("%1 (saved run “%2”)").arg(k.engine, model_->comparison()->name) : k.engine,
         {}});
  }
  if (hi <= 0) return false;
  const double floor = std::pow(10, std::floor(std::log10(lo)));
  for (const Bar& b : bars_) b.bars->setBaseValue(floor);  // bars rise from the axis
  yAxis->setRange(floor, std::pow(10, std::ceil(std::log10(hi * 1.05))));
  xAxis->setRange(-0.6, double(ops_.size()) - 0.4);
  return true;
}

QString BenchChartBars::hoverText(const QPoint& pos) const {
  for (const Bar& b : bars_) {
    QVariant details;
    if (b.bars->selectTest(pos, false, &details) < 0) continue;
    const QCPDataSelection sel = details.value<QCPDataSelection>();
    if (sel.isEmpty()) continue;
    const auto it = b.bars->data()->at(sel.dataRange().begin());
    const int at = int(std::lround(it->key));
    if (at < 0 || at >= ops_.size()) continue;
    const auto& [op, threads] = ops_[at];
    return tr("<b>%1</b><br>%2%3: %4")
        .arg(b.label.toHtmlEscaped(), benchOpName(op),
             threads > 1 ? tr(" ×%1 threads").arg(threads) : QString(), formatValue(it->value));
  }
  return {};
}

}  // namespace bb
