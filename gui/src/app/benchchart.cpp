#include "app/benchchart.h"

#include <QLocale>
#include <QToolTip>

#include "app/plotlegend.h"

namespace bb {

namespace {

class UnitLogTicker : public QCPAxisTickerLog {
 public:
  explicit UnitLogTicker(BenchChart::Unit unit) : unit_(unit) { setSubTickCount(8); }

 protected:
  QString getTickLabel(double tick, const QLocale&, QChar, int) override {
    auto num = [](double v) { return QString::number(v, 'g', 3); };
    if (unit_ == BenchChart::Unit::kMicroseconds) {
      if (tick < 1) return num(tick * 1000) + QStringLiteral(" ns");
      if (tick < 1e3) return num(tick) + QStringLiteral(" µs");
      if (tick < 1e6) return num(tick / 1e3) + QStringLiteral(" ms");
      return num(tick / 1e6) + QStringLiteral(" s");
    }
    if (tick >= 1e9) return num(tick / 1e9) + QStringLiteral(" G");
    if (tick >= 1e6) return num(tick / 1e6) + QStringLiteral(" M");
    if (tick >= 1e3) return num(tick / 1e3) + QStringLiteral(" k");
    return num(tick);
  }

 private:
  BenchChart::Unit unit_;
};

}  // namespace

QSharedPointer<QCPAxisTicker> BenchChart::logTicker(Unit unit) {
  return QSharedPointer<UnitLogTicker>::create(unit);
}

BenchChart::BenchChart(BenchResultsModel* model, QWidget* parent)
    : QCustomPlot(parent), model_(model) {
  setMinimumSize(320, 220);
  setAntialiasedElements(QCP::aePlottables | QCP::aeItems);
  plotLayout()->insertRow(0);
  title_ =
      new QCPTextElement(this, QString(), QFont(font().family(), font().pointSize(), QFont::Bold));
  plotLayout()->addElement(0, 0, title_);

  placeLegendUnderPlot(this, 6);

  empty_ = new QCPItemText(this);
  empty_->setClipToAxisRect(false);
  empty_->position->setType(QCPItemPosition::ptAxisRectRatio);
  empty_->position->setCoords(0.5, 0.5);
  empty_->setPositionAlignment(Qt::AlignCenter);
  empty_->setTextAlignment(Qt::AlignCenter);
  QFont f = font();
  f.setPointSizeF(f.pointSizeF() * 1.1);
  empty_->setFont(f);

  rebuildTimer_.setSingleShot(true);
  connect(&rebuildTimer_, &QTimer::timeout, this, &BenchChart::rebuildNow);
  connect(model_, &QAbstractItemModel::rowsInserted, this, [this] { scheduleRebuild(150); });
  connect(model_, &QAbstractItemModel::rowsRemoved, this, [this] { scheduleRebuild(); });
  connect(model_, &QAbstractItemModel::modelReset, this, [this] { scheduleRebuild(); });
  connect(this, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
    const QString text = hoverText(event->pos());
    if (text.isEmpty()) {
      QToolTip::hideText();
    } else {
      // Rich text tooltips wrap at a width of their own; these lines are short.
      QToolTip::showText(event->globalPosition().toPoint(),
                         QStringLiteral("<p style='white-space:pre'>%1</p>").arg(text), this);
    }
  });
}

void BenchChart::setSelection(const std::optional<BenchConfig>& config, BenchOp op, int threads) {
  config_ = config;
  op_ = op;
  threads_ = threads;
  scheduleRebuild();
}

void BenchChart::scheduleRebuild(int delayMs) {
  // A pending later redraw is brought forward, never pushed back (a live run
  // would otherwise postpone it for as long as results keep coming).
  if (rebuildTimer_.isActive() && rebuildTimer_.remainingTime() <= delayMs) return;
  rebuildTimer_.start(delayMs);
}

void BenchChart::rebuildNow() {
  rebuildTimer_.stop();
  hasData_ = rebuild();
  updateEmptyState();
  replot(QCustomPlot::rpQueuedReplot);
}

void BenchChart::updateEmptyState() {
  empty_->setText(emptyHint());
  empty_->setVisible(!hasData_);
  legend->setVisible(hasData_);
  // An empty plot's scale means nothing: no numbers on it.
  for (QCPAxis* a : axisRect()->axes()) a->setTickLabels(hasData_);
}

QString BenchChart::emptyText() const { return empty_->visible() ? empty_->text() : QString(); }

QString BenchChart::titleText() const { return title_->text(); }

void BenchChart::setTitle(const QString& text) { title_->setText(text); }

void BenchChart::applyPalette() {
  const QPalette pal = palette();
  const QColor base = pal.color(QPalette::Base);
  const QColor text = pal.color(QPalette::WindowText);
  QColor grid = text;
  grid.setAlpha(40);
  QColor subGrid = text;
  subGrid.setAlpha(18);
  setBackground(pal.color(QPalette::Window));
  axisRect()->setBackground(base);
  for (QCPAxis* a : axisRect()->axes()) {
    a->setBasePen(QPen(text, 1));
    a->setTickPen(QPen(text, 1));
    a->setSubTickPen(QPen(text, 1));
    a->setTickLabelColor(text);
    a->setLabelColor(text);
    a->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    a->grid()->setSubGridPen(QPen(subGrid, 1, Qt::DotLine));
    a->grid()->setZeroLinePen(Qt::NoPen);
  }
  title_->setTextColor(text);
  legend->setBrush(base);
  legend->setTextColor(text);
  legend->setBorderPen(QPen(grid));
  QColor hint = text;
  hint.setAlpha(150);
  empty_->setColor(hint);
  replot(QCustomPlot::rpQueuedReplot);
}

void BenchChart::changeEvent(QEvent* event) {
  QCustomPlot::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) {
    applyPalette();
    // Series colours may depend on the background (comparison shades).
    scheduleRebuild();
  }
}

void BenchChart::leaveEvent(QEvent* event) {
  QCustomPlot::leaveEvent(event);
  QToolTip::hideText();
}

QColor BenchChart::engineColor(const QString& engine) {
  static const QHash<QString, QColor> colors{
      {QStringLiteral("bitcask"), QColor(0x3b, 0x82, 0xf6)},
      {QStringLiteral("leveldb"), QColor(0x22, 0xa0, 0x6b)},
      {QStringLiteral("rocksdb"), QColor(0xf0, 0x8c, 0x2e)},
      {QStringLiteral("lmdb"), QColor(0xa2, 0x59, 0xd9)},
      {QStringLiteral("sqlite"), QColor(0xe5, 0x48, 0x4d)},
  };
  return colors.value(engine, QColor(0x8a, 0x8f, 0x98));
}

QString BenchChart::shortCount(double n) {
  const QLocale l;
  if (n >= 1e6) return l.toString(n / 1e6, 'f', n >= 1e7 ? 1 : 2) + QStringLiteral(" M");
  if (n >= 1e3) return l.toString(n / 1e3, 'f', n >= 1e4 ? 0 : 1) + QStringLiteral(" k");
  return l.toString(n, 'f', 0);
}

QString BenchChart::formatUs(double us) {
  const QLocale l;
  if (us < 1) return l.toString(us, 'f', 3) + QStringLiteral(" µs");
  if (us < 100) return l.toString(us, 'f', us < 10 ? 2 : 1) + QStringLiteral(" µs");
  if (us < 10000) return l.toString(us, 'f', 0) + QStringLiteral(" µs");
  return l.toString(us / 1000, 'f', 1) + QStringLiteral(" ms");
}

}  // namespace bb
