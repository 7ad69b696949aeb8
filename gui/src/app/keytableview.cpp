#include "app/keytableview.h"

#include <QAction>
#include <QEvent>
#include <QHeaderView>
#include <QImage>
#include <QPainter>
#include <QStyle>
#include <QStyleOptionHeader>
#include <algorithm>
#include <limits>

#include "app/taskprogressdialog.h"
#include "core/keytablemodel.h"
#include "core/valueformat.h"

namespace bb {

namespace {

// Whether `style` draws `indicator` as an arrow pointing down (widest at its top). Styles
// disagree: Fusion on Linux draws SortUp pointing up, the Windows style (and Fusion elsewhere)
// pointing down, so the arrow a sort order gets is found by drawing it once.
bool drawsDownArrow(const QStyle* style, QStyleOptionHeader::SortIndicator indicator) {
  QImage image(32, 32, QImage::Format_ARGB32_Premultiplied);
  image.fill(Qt::transparent);
  QStyleOptionHeader option;
  option.rect = image.rect();
  option.sortIndicator = indicator;
  QPainter painter(&image);
  style->drawPrimitive(QStyle::PE_IndicatorHeaderArrow, &option, &painter);
  painter.end();
  int top = -1, bottom = -1;  // the ink's width in its first and last rows
  for (int y = 0; y < image.height(); ++y) {
    const int ink = int(std::count_if(reinterpret_cast<const QRgb*>(image.constScanLine(y)),
                                      reinterpret_cast<const QRgb*>(image.constScanLine(y)) + 32,
                                      [](QRgb c) { return qAlpha(c) > 64; }));
    if (ink == 0) continue;
    if (top < 0) top = ink;
    bottom = ink;
  }
  return top > bottom;
}

// The key table's header: largest first (descending) shows an arrow pointing down and
// smallest first one pointing up, whatever the style, as DB Browser for SQLite and file
// managers show them. Qt gives a descending order the indicator SortUp, which Fusion on Linux
// draws pointing up: above a list that starts with its largest value.
class SortArrowHeader : public QHeaderView {
 public:
  using QHeaderView::QHeaderView;

 protected:
  void initStyleOptionForIndex(QStyleOptionHeader* option, int logicalIndex) const override {
    QHeaderView::initStyleOptionForIndex(option, logicalIndex);
    if (option->sortIndicator == QStyleOptionHeader::None) return;
    if (probedStyle_ != style()) {
      probedStyle_ = style();
      downIndicator_ = drawsDownArrow(style(), QStyleOptionHeader::SortDown)
                           ? QStyleOptionHeader::SortDown
                           : QStyleOptionHeader::SortUp;
    }
    const auto upIndicator = downIndicator_ == QStyleOptionHeader::SortDown
                                 ? QStyleOptionHeader::SortUp
                                 : QStyleOptionHeader::SortDown;
    option->sortIndicator =
        sortIndicatorOrder() == Qt::DescendingOrder ? downIndicator_ : upIndicator;
  }

  void changeEvent(QEvent* event) override {
    if (event->type() == QEvent::StyleChange) probedStyle_ = nullptr;
    QHeaderView::changeEvent(event);
  }

 private:
  mutable const QStyle* probedStyle_ = nullptr;
  mutable QStyleOptionHeader::SortIndicator downIndicator_ = QStyleOptionHeader::SortDown;
};

}  // namespace

int KeyTableView::sizeTextWidth(const QFontMetrics& fm) {
  // The widest text the Size column shows (formatBytes of a 32-bit value size): the most
  // digits come just below each unit's end ("1,023 bytes", "1,023.9 KiB") and
  // just below 1000 of it; the locale decides separators and unit names, so measure them.
  int widest = 0;
  for (quint64 unit = 1; unit <= (quint64(1) << 30); unit <<= 10) {
    for (const quint64 top : {unit * 1000, unit * 1024}) {
      // top - 1 for bytes; a tenth of the unit less for the rest, which would round up to a
      // whole number otherwise ("1,000 KiB", "1 MiB").
      for (const quint64 below : {quint64(1), unit / 10 + 1}) {
        const quint64 size = std::min<quint64>(top - below, std::numeric_limits<quint32>::max());
        widest = std::max(widest, fm.horizontalAdvance(formatBytes(size)));
      }
    }
  }
  return widest;
}

KeyTableView::KeyTableView(QWidget* parent) : QTableView(parent) {
  setObjectName(QStringLiteral("keyTable"));
  setHorizontalHeader(new SortArrowHeader(Qt::Horizontal, this));
  horizontalHeader()->setSectionsClickable(true);  // as QTableView's own header is
  setSelectionBehavior(SelectRows);
  setSelectionMode(ExtendedSelection);
  setAlternatingRowColors(true);
  setShowGrid(false);
  setWordWrap(false);
  setTextElideMode(Qt::ElideRight);
  setContextMenuPolicy(Qt::ActionsContextMenu);
  setHorizontalScrollMode(ScrollPerPixel);
  verticalHeader()->hide();
  verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
  horizontalHeader()->setHighlightSections(false);
  horizontalHeader()->setStretchLastSection(true);
  horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
  horizontalHeader()->setSortIndicator(KeyTableModel::kKeyColumn, Qt::AscendingOrder);

  largestValuesAct_ = new QAction(tr("&Largest Values"), this);
  largestValuesAct_->setObjectName(QStringLiteral("actionLargestValues"));
  largestValuesAct_->setToolTip(tr("Sort the keys by value size, largest first"));
  connect(largestValuesAct_, &QAction::triggered, this, [this] {
    toTopAfterSort_ = true;
    sortByColumn(KeyTableModel::kSizeColumn, Qt::DescendingOrder);
  });
}

void KeyTableView::setModel(QAbstractItemModel* model) {
  if (keyModel_) keyModel_->disconnect(this);
  QTableView::setModel(model);
  keyModel_ = qobject_cast<KeyTableModel*>(model);
  const QFontMetrics fm = fontMetrics();
  const int pad = 24;
  setColumnWidth(KeyTableModel::kKeyColumn, fm.horizontalAdvance(QLatin1Char('M')) * 20);
  setColumnWidth(KeyTableModel::kSizeColumn, sizeTextWidth(fm) + pad);
  setColumnWidth(KeyTableModel::kTimestampColumn,
                 fm.horizontalAdvance(QStringLiteral("2000-00-00 00:00:00")) + pad);
  setColumnWidth(KeyTableModel::kSegmentColumn,
                 fm.horizontalAdvance(
                     model->headerData(KeyTableModel::kSegmentColumn, Qt::Horizontal).toString()) +
                     pad);
  largestValuesAct_->setEnabled(keyModel_ != nullptr);
  if (!keyModel_) return;
  horizontalHeader()->setSortIndicator(keyModel_->sortColumn(), keyModel_->sortOrder());
  // A header click calls KeyTableModel::sort; the model says when the order is in force.
  setSortingEnabled(true);
  connect(keyModel_, &KeyTableModel::sortChanged, this, &KeyTableView::onSortChanged);
  connect(keyModel_, &KeyTableModel::sortStarted, this, [this](const QString& label) {
    auto* progress = new TaskProgressDialog(label, keyModel_->sortWatcher(), this);
    progress->setObjectName(QStringLiteral("sortProgress"));
    progress->setWindowTitle(tr("Bitcask Browser"));
  });
}

void KeyTableView::onSortChanged(int column, Qt::SortOrder order) {
  // Also after a cancel: the header goes back to the order in force.
  if (horizontalHeader()->sortIndicatorSection() != column ||
      horizontalHeader()->sortIndicatorOrder() != order) {
    horizontalHeader()->setSortIndicator(column, order);
  }
  if (std::exchange(toTopAfterSort_, false) && column == KeyTableModel::kSizeColumn &&
      order == Qt::DescendingOrder && model()->rowCount() > 0) {
    scrollToTop();
    setCurrentIndex(model()->index(0, 0));
  }
}

}  // namespace bb
