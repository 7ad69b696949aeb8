#include "app/plotlegend.h"

#include <qcustomplot.h>

namespace bb {

void placeLegendUnderPlot(QCustomPlot* plot, int wrap) {
  QCPLegend* legend = plot->legend;
  legend->setVisible(true);
  legend->setFillOrder(QCPLegend::foColumnsFirst);
  legend->setWrap(wrap);
  auto* legendRow = new QCPLayoutGrid;
  plot->plotLayout()->addElement(2, 0, legendRow);
  legendRow->setMargins(QMargins(0, 0, 0, 4));
  plot->axisRect()->insetLayout()->take(legend);
  // The spacers also keep the plot full width while the legend is empty: a
  // layout column is as narrow as its narrowest element allows, and an
  // empty legend allows next to nothing.
  legendRow->addElement(0, 0, new QCPLayoutElement(plot));
  legendRow->addElement(0, 1, legend);
  legendRow->addElement(0, 2, new QCPLayoutElement(plot));
  legendRow->setColumnStretchFactors({1, 0.001, 1});
  plot->plotLayout()->setRowStretchFactor(0, 0.001);
  plot->plotLayout()->setRowStretchFactor(2, 0.001);
}

}  // namespace bb
