// Where the charts put their legends.
#pragma once

class QCustomPlot;

namespace bb {

// Moves `plot`'s legend into a row of its own under the axis rect (row 2,
// under a title in row 0), so it never hides data, centred between two
// spacers, `wrap` items a line.
void placeLegendUnderPlot(QCustomPlot* plot, int wrap);

}  // namespace bb
