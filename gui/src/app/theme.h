// Light and dark palettes. By default the application follows the system
// (the platform theme's palette); a user may force light or dark (View ›
// Theme), which uses the Fusion style with a matching palette.
#pragma once

#include <QPalette>
#include <QString>

namespace bb {

enum class Theme { kSystem, kLight, kDark };

Theme themeFromString(const QString& name);  // "system", "light", "dark"
QString themeToString(Theme theme);
// Applies `theme` to the running application.
void applyTheme(Theme theme);
// Whether `palette` has a dark window background.
bool isDark(const QPalette& palette);

}  // namespace bb
