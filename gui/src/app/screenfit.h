// Keeping a top-level window on its screen.
#pragma once

class QWidget;

namespace bb {

// Shrinks `window` to the available area of the screen it is on (without
// panels and docks) and moves it inside that area, when a restored geometry
// (saved on a larger screen, or after something widened the window) would
// put part of it off-screen. A maximised or full-screen window is left as is.
void fitToScreen(QWidget* window);

}  // namespace bb
