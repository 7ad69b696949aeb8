#include "app/sortarrowheader.h"

#include <QEvent>
#include <QImage>
#include <QPainter>
#include <QStyle>
#include <algorithm>

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

}  // namespace

SortArrowHeader::SortArrowHeader(Qt::Orientation orientation, QWidget* parent)
    : QHeaderView(orientation, parent) {
  setSectionsClickable(true);  // as a QTableView's own header is
}

void SortArrowHeader::initStyleOptionForIndex(QStyleOptionHeader* option, int logicalIndex) const {
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

void SortArrowHeader::changeEvent(QEvent* event) {
  if (event->type() == QEvent::StyleChange) probedStyle_ = nullptr;
  QHeaderView::changeEvent(event);
}

}  // namespace bb
