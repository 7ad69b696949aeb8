#include "app/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>

namespace bb {

namespace {

QString& systemStyleName() {
  static QString name;
  return name;
}

QPalette darkPalette() {
  QPalette p;
  const QColor window(0x2b, 0x2d, 0x30), base(0x1e, 0x1f, 0x22), text(0xdf, 0xe1, 0xe5);
  const QColor disabled(0x7f, 0x82, 0x88), highlight(0x2f, 0x65, 0xca);
  p.setColor(QPalette::Window, window);
  p.setColor(QPalette::WindowText, text);
  p.setColor(QPalette::Base, base);
  p.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2b));
  p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x41));
  p.setColor(QPalette::ToolTipText, text);
  p.setColor(QPalette::PlaceholderText, disabled);
  p.setColor(QPalette::Text, text);
  p.setColor(QPalette::Button, QColor(0x3c, 0x3f, 0x41));
  p.setColor(QPalette::ButtonText, text);
  p.setColor(QPalette::BrightText, Qt::white);
  p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x50));
  p.setColor(QPalette::Midlight, QColor(0x3c, 0x3f, 0x41));
  p.setColor(QPalette::Mid, QColor(0x31, 0x33, 0x35));
  p.setColor(QPalette::Dark, QColor(0x19, 0x1a, 0x1c));
  p.setColor(QPalette::Shadow, Qt::black);
  p.setColor(QPalette::Highlight, highlight);
  p.setColor(QPalette::HighlightedText, Qt::white);
  p.setColor(QPalette::Link, QColor(0x58, 0x9d, 0xf6));
  p.setColor(QPalette::LinkVisited, QColor(0xa3, 0x7a, 0xf0));
  for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
    p.setColor(QPalette::Disabled, role, disabled);
  }
  p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x45, 0x48, 0x4c));
  return p;
}

}  // namespace

Theme themeFromString(const QString& name) {
  if (name.compare(QLatin1String("dark"), Qt::CaseInsensitive) == 0) return Theme::kDark;
  if (name.compare(QLatin1String("light"), Qt::CaseInsensitive) == 0) return Theme::kLight;
  return Theme::kSystem;
}

QString themeToString(Theme theme) {
  switch (theme) {
    case Theme::kLight:
      return QStringLiteral("light");
    case Theme::kDark:
      return QStringLiteral("dark");
    case Theme::kSystem:
      break;
  }
  return QStringLiteral("system");
}

void applyTheme(Theme theme) {
  if (systemStyleName().isEmpty()) systemStyleName() = QApplication::style()->name();
  switch (theme) {
    case Theme::kSystem:
      QApplication::setStyle(QStyleFactory::create(systemStyleName()));
      QApplication::setPalette(QApplication::style()->standardPalette());
      // The platform theme's palette, when it has one (GTK, KDE, macOS, Windows).
      QApplication::setPalette(QPalette());
      break;
    case Theme::kLight:
      QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
      QApplication::setPalette(QApplication::style()->standardPalette());
      break;
    case Theme::kDark:
      QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
      QApplication::setPalette(darkPalette());
      break;
  }
}

bool isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

}  // namespace bb
