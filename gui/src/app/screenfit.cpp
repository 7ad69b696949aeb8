#include "app/screenfit.h"

#include <QGuiApplication>
#include <QScreen>
#include <QWidget>
#include <algorithm>

namespace bb {

void fitToScreen(QWidget* window) {
  if (window->isMaximized() || window->isFullScreen()) return;
  QScreen* screen = QGuiApplication::screenAt(window->geometry().center());
  if (!screen) screen = window->screen();
  if (!screen) return;
  const QRect available = screen->availableGeometry();
  // The frame (title bar, borders) counts too once the window manager drew it.
  const QSize decoration = window->frameGeometry().size() - window->geometry().size();
  const QSize fitted = window->size().boundedTo(available.size() - decoration);
  if (fitted != window->size()) window->resize(fitted);
  const QRect frame = window->frameGeometry();
  const QPoint inside(
      std::clamp(frame.left(), available.left(),
                 std::max(available.left(), available.right() + 1 - frame.width())),
      std::clamp(frame.top(), available.top(),
                 std::max(available.top(), available.bottom() + 1 - frame.height())));
  if (inside != frame.topLeft()) window->move(inside);
}

}  // namespace bb
