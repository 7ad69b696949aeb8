// What the benchmark panel's charts share (QCustomPlot): they read a
// BenchResultsModel and show one configuration (and, for the latency charts,
// one operation) at a time; they redraw as results arrive (coalesced, so a
// live run does not redraw on every event); they follow the palette (light
// and dark themes); they show a hint in place of an empty plot; and hovering
// shows the values under the cursor in a tooltip.
#pragma once

#include <qcustomplot.h>

#include <QTimer>

#include "core/benchresultsmodel.h"

namespace bb {

class BenchChart : public QCustomPlot {
  Q_OBJECT

 public:
  BenchChart(BenchResultsModel* model, QWidget* parent = nullptr);

  // The configuration and (op, threads) to show.
  void setSelection(const std::optional<BenchConfig>& config, BenchOp op, int threads);
  // Whether the chart shows any data (false: the empty-state hint).
  bool hasData() const { return hasData_; }
  QString emptyText() const;
  QString titleText() const;
  // What the tooltip says at widget position `pos`; empty when nothing is there.
  virtual QString hoverText(const QPoint& pos) const = 0;
  // Redraws now (tests; otherwise it follows the model by itself).
  void rebuildNow();

  // Fixed colours per engine, readable on light and dark backgrounds.
  static QColor engineColor(const QString& engine);

  enum class Unit { kCount, kMicroseconds };
  // A ticker for a log axis that labels decades with units: "10 k", "1 M"
  // (kCount) or "100 ns", "1 µs", "10 ms" (kMicroseconds: values in µs).
  static QSharedPointer<QCPAxisTicker> logTicker(Unit unit);

 protected:
  // Fills the plot from the model and the selection; returns whether there
  // was anything to draw (the hint shows otherwise).
  virtual bool rebuild() = 0;
  // The hint shown while there is nothing to draw.
  virtual QString emptyHint() const = 0;
  void setTitle(const QString& text);
  // Axis colours, grid, legend: called at construction and on palette changes.
  virtual void applyPalette();
  void changeEvent(QEvent* event) override;
  void leaveEvent(QEvent* event) override;
  // The redraw is deferred (timer) so bursts of results redraw once.
  void scheduleRebuild(int delayMs = 0);
  // "1.23 M" / "456 k" / "789" for ops/s.
  static QString shortCount(double n);
  static QString formatUs(double us);

  BenchResultsModel* model_;
  std::optional<BenchConfig> config_;
  BenchOp op_ = BenchOp::kFillRandom;
  int threads_ = 1;

 private:
  void updateEmptyState();

  QCPTextElement* title_;
  QCPItemText* empty_;
  QTimer rebuildTimer_;
  bool hasData_ = false;
};

}  // namespace bb
