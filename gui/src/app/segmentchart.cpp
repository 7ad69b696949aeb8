#include "app/segmentchart.h"

#include <algorithm>
#include <cmath>

#include "app/plotlegend.h"
#include "core/valueformat.h"

namespace bb {

namespace {

constexpr double kKiB = 1024.0;
constexpr double kMiB = 1024.0 * 1024.0;
const QColor kLive(0x3f, 0x9b, 0x5c);
const QColor kDead(0xd9, 0x5b, 0x43);
const QColor kFrag(0x4a, 0x86, 0xd9);
const QColor kThreshold(0xe0, 0x9a, 0x1a);

}  // namespace

SegmentChart::SegmentChart(QWidget* parent) : QCustomPlot(parent) {
  setObjectName(QStringLiteral("segmentChart"));
  setMinimumHeight(180);
  setMinimumWidth(240);
  plotLayout()->insertRow(0);
  title_ =
      new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  plotLayout()->addElement(0, 0, title_);

  live_ = new QCPBars(xAxis, yAxis);
  live_->setName(tr("live bytes"));
  live_->setPen(Qt::NoPen);
  live_->setBrush(kLive);
  live_->setWidthType(QCPBars::wtPlotCoords);
  live_->setWidth(0.75);
  dead_ = new QCPBars(xAxis, yAxis);
  dead_->setName(tr("dead bytes"));
  dead_->setPen(Qt::NoPen);
  dead_->setBrush(kDead);
  dead_->setWidthType(QCPBars::wtPlotCoords);
  dead_->setWidth(0.75);
  dead_->moveAbove(live_);

  yAxis2->setVisible(true);
  yAxis2->setRange(0, 100);
  yAxis2->setLabel(tr("fragmentation %"));
  frag_ = addGraph(xAxis, yAxis2);
  frag_->setName(tr("fragmentation"));
  frag_->setPen(QPen(kFrag, 1.5));
  frag_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, kFrag, kFrag, 6));
  frag_->setLineStyle(QCPGraph::lsNone);

  xAxis->setLabel(tr("segment"));
  auto ticker = QSharedPointer<QCPAxisTickerText>::create();
  xAxis->setTicker(ticker);
  xAxis->grid()->setVisible(false);

  selection_ = new QCPItemRect(this);
  selection_->setLayer(QStringLiteral("background"));
  selection_->setClipToAxisRect(true);
  selection_->topLeft->setTypeX(QCPItemPosition::ptPlotCoords);
  selection_->topLeft->setTypeY(QCPItemPosition::ptAxisRectRatio);
  selection_->bottomRight->setTypeX(QCPItemPosition::ptPlotCoords);
  selection_->bottomRight->setTypeY(QCPItemPosition::ptAxisRectRatio);
  selection_->setPen(Qt::NoPen);
  selection_->setVisible(false);

  fragThreshold_ = makeLine(yAxis2, kThreshold, Qt::DashLine);
  fragTrigger_ = makeLine(yAxis2, kDead, Qt::DashLine);
  overall_ = makeLine(yAxis2, kFrag, Qt::DashDotLine);
  smallSize_ = makeLine(yAxis, kThreshold, Qt::DotLine);
  deadThreshold_ = makeLine(yAxis, kDead, Qt::DotLine);
  fragThresholdLabel_ = makeLabel(yAxis2, kThreshold);
  fragTriggerLabel_ = makeLabel(yAxis2, kDead);
  overallLabel_ = makeLabel(yAxis2, kFrag);
  smallSizeLabel_ = makeLabel(yAxis, kThreshold);
  deadThresholdLabel_ = makeLabel(yAxis, kDead);

  placeLegendUnderPlot(this, 3);

  connect(this, &QCustomPlot::plottableClick, this,
          [this](QCPAbstractPlottable* p, int dataIndex, QMouseEvent*) {
            if (p != live_ && p != dead_ && p != frag_) return;
            if (dataIndex >= 0 && dataIndex < int(ids_.size())) {
              emit segmentClicked(ids_[std::size_t(dataIndex)]);
            }
          });
  applyPalette();
}

QCPItemStraightLine* SegmentChart::makeLine(QCPAxis* valueAxis, const QColor& color,
                                            Qt::PenStyle style) {
  auto* line = new QCPItemStraightLine(this);
  for (auto* pos : {line->point1, line->point2}) {
    pos->setAxes(xAxis, valueAxis);
    pos->setTypeX(QCPItemPosition::ptAxisRectRatio);
    pos->setTypeY(QCPItemPosition::ptPlotCoords);
  }
  line->setPen(QPen(color, 1.5, style));
  line->setClipToAxisRect(true);
  return line;
}

QCPItemText* SegmentChart::makeLabel(QCPAxis* valueAxis, const QColor& color) {
  auto* label = new QCPItemText(this);
  label->position->setAxes(xAxis, valueAxis);
  label->position->setTypeX(QCPItemPosition::ptAxisRectRatio);
  label->position->setTypeY(QCPItemPosition::ptPlotCoords);
  label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
  label->setColor(color);
  label->setClipToAxisRect(true);
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  label->setFont(f);
  return label;
}

void SegmentChart::placeLine(QCPItemStraightLine* line, QCPItemText* label, double value,
                             const QString& text, bool visible) {
  line->point1->setCoords(0, value);
  line->point2->setCoords(1, value);
  label->position->setCoords(0.995, value);
  label->setText(text);
  line->setVisible(visible);
  label->setVisible(visible);
}

void SegmentChart::setStats(const bitcask::Stats& stats,
                            const bitcask::MergeThresholds& thresholds) {
  stats_ = stats;
  thresholds_ = thresholds;
  rebuild();
}

void SegmentChart::setSelectedSegment(quint32 id) {
  selected_ = id;
  rebuild();
}

QString SegmentChart::title() const { return title_->text(); }

void SegmentChart::rebuild() {
  ids_.clear();
  QVector<double> keys, live, dead, frag;
  QVector<QString> labels;
  QVector<double> ticks;
  const auto& segs = stats_.segment_stats;
  // Bars in MiB, or in KiB when every segment is under 1 MiB: on a fixed MiB
  // scale a small database's bars are a few pixels high.
  double maxBytes = 0;
  for (const auto& s : segs) maxBytes = std::max(maxBytes, double(s.live_bytes + s.dead_bytes));
  const double unit = maxBytes < kMiB ? kKiB : kMiB;
  yAxis->setLabel(unit == kMiB ? tr("MiB") : tr("KiB"));
  const double maxBar = maxBytes / unit;
  const int every = std::max(1, int(std::ceil(double(segs.size()) / 24.0)));
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& s = segs[i];
    ids_.push_back(s.id);
    const double x = double(i);
    keys << x;
    live << double(s.live_bytes) / unit;
    dead << double(s.dead_bytes) / unit;
    frag << (s.size ? 100.0 * double(s.dead_bytes) / double(s.size) : 0.0);
    if (int(i) % every == 0 || i + 1 == segs.size()) {
      ticks << x;
      labels << QString::number(s.id);
    }
  }
  live_->setData(keys, live, true);
  dead_->setData(keys, dead, true);
  frag_->setData(keys, frag, true);
  auto ticker = qSharedPointerDynamicCast<QCPAxisTickerText>(xAxis->ticker());
  ticker->setTicks(ticks, labels);
  xAxis->setRange(-0.6, std::max(0.6, double(segs.size()) - 0.4));

  // The byte thresholds are drawn when they are near the bars' scale.
  const double small = double(thresholds_.small_segment_threshold) / unit;
  const double deadMax = double(thresholds_.dead_bytes_threshold) / unit;
  double top = std::max(maxBar * 1.15, 1.0);
  const bool showSmall = small <= std::max(maxBar, 1.0) * 4;
  const bool showDead = deadMax <= std::max(maxBar, 1.0) * 4;
  if (showSmall) top = std::max(top, small * 1.15);
  if (showDead) top = std::max(top, deadMax * 1.1);
  yAxis->setRange(0, top);
  placeLine(smallSize_, smallSizeLabel_, small,
            tr("small segment < %1 (merged)").arg(formatBytes(thresholds_.small_segment_threshold)),
            showSmall);
  placeLine(deadThreshold_, deadThresholdLabel_, deadMax,
            tr("dead ≥ %1 (merged)").arg(formatBytes(thresholds_.dead_bytes_threshold)), showDead);

  const double threshold = thresholds_.fragmentation_threshold * 100;
  const double trigger = thresholds_.fragmentation_trigger * 100;
  const double overall = stats_.fragmentation * 100;
  placeLine(fragThreshold_, fragThresholdLabel_, threshold,
            tr("segment merged at %1 %").arg(threshold, 0, 'f', 0), true);
  placeLine(fragTrigger_, fragTriggerLabel_, trigger,
            tr("merge due at %1 % overall").arg(trigger, 0, 'f', 0), true);
  placeLine(overall_, overallLabel_, overall, tr("overall %1 %").arg(overall, 0, 'f', 1), true);
  overallLabel_->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
  overallLabel_->position->setCoords(0.005, overall);

  const int at = [&] {
    for (std::size_t i = 0; i < ids_.size(); ++i) {
      if (ids_[i] == selected_) return int(i);
    }
    return -1;
  }();
  selection_->setVisible(at >= 0);
  if (at >= 0) {
    selection_->topLeft->setCoords(at - 0.5, 0);
    selection_->bottomRight->setCoords(at + 0.5, 1);
  }

  const QString notSet = stats_.segments == 0 ? tr("No segments") : QString();
  title_->setText(!notSet.isEmpty() ? notSet
                                    : tr("Overall fragmentation %1 %").arg(overall, 0, 'f', 1));
  setToolTip(tr("A merge is due at %1 % overall or %2 MiB dead")
                 .arg(trigger, 0, 'f', 0)
                 .arg(double(thresholds_.dead_bytes_trigger) / kMiB, 0, 'f', 0));
  replot(QCustomPlot::rpQueuedReplot);
}

void SegmentChart::applyPalette() {
  const QPalette pal = palette();
  const QColor base = pal.color(QPalette::Base);
  const QColor text = pal.color(QPalette::WindowText);
  QColor grid = text;
  grid.setAlpha(40);
  QColor band = pal.color(QPalette::Highlight);
  band.setAlpha(60);
  setBackground(pal.color(QPalette::Window));
  axisRect()->setBackground(base);
  for (QCPAxis* a : {xAxis, yAxis, yAxis2}) {
    a->setBasePen(QPen(text, 1));
    a->setTickPen(QPen(text, 1));
    a->setSubTickPen(QPen(text, 1));
    a->setTickLabelColor(text);
    a->setLabelColor(text);
    a->grid()->setPen(QPen(grid, 1, Qt::DotLine));
  }
  yAxis2->grid()->setVisible(false);
  title_->setTextColor(text);
  legend->setBrush(base);
  legend->setTextColor(text);
  legend->setBorderPen(QPen(grid));
  selection_->setBrush(band);
  // Ringed in the background colour: the dots sit on the bars.
  frag_->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(base, 1.5), kFrag, 8));
  QColor labelBack = base;
  labelBack.setAlpha(200);
  for (QCPItemText* label : {fragThresholdLabel_, fragTriggerLabel_, overallLabel_, smallSizeLabel_,
                             deadThresholdLabel_}) {
    label->setBrush(labelBack);
    label->setPadding(QMargins(3, 0, 3, 0));
  }
  replot(QCustomPlot::rpQueuedReplot);
}

void SegmentChart::changeEvent(QEvent* event) {
  QCustomPlot::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) applyPalette();
}

}  // namespace bb
