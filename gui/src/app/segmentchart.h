// Live versus dead bytes per segment as stacked bars (QCustomPlot), each
// segment's fragmentation on the right axis, the merge thresholds drawn as
// lines (fragmentation 40 % / 60 %, small-segment and dead-bytes sizes when
// they are on the scale) and the database's overall fragmentation. Follows
// the palette (light and dark themes). Clicking a bar selects its segment.
#pragma once

#include <bitcask/merge.h>
#include <bitcask/stats.h>
#include <qcustomplot.h>

#include <vector>

namespace bb {

class SegmentChart : public QCustomPlot {
  Q_OBJECT

 public:
  explicit SegmentChart(QWidget* parent = nullptr);

  void setStats(const bitcask::Stats& stats, const bitcask::MergeThresholds& thresholds);
  void setSelectedSegment(quint32 id);
  // The overall line's text (tests, screenshots).
  QString title() const;

 signals:
  void segmentClicked(quint32 id);

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void applyPalette();
  void rebuild();
  QCPItemStraightLine* makeLine(QCPAxis* valueAxis, const QColor& color, Qt::PenStyle style);
  QCPItemText* makeLabel(QCPAxis* valueAxis, const QColor& color);
  void placeLine(QCPItemStraightLine* line, QCPItemText* label, double value, const QString& text,
                 bool visible);

  QCPBars* live_;
  QCPBars* dead_;
  QCPGraph* frag_;
  QCPTextElement* title_;
  QCPItemRect* selection_;
  QCPItemStraightLine* fragThreshold_;
  QCPItemStraightLine* fragTrigger_;
  QCPItemStraightLine* overall_;
  QCPItemStraightLine* smallSize_;
  QCPItemStraightLine* deadThreshold_;
  QCPItemText* fragThresholdLabel_;
  QCPItemText* fragTriggerLabel_;
  QCPItemText* overallLabel_;
  QCPItemText* smallSizeLabel_;
  QCPItemText* deadThresholdLabel_;
  bitcask::Stats stats_;
  bitcask::MergeThresholds thresholds_;
  std::vector<quint32> ids_;
  quint32 selected_ = 0;
};

}  // namespace bb
