// bitcask-browser [--read-only] [DIR]: the desktop browser for Bitcask databases.
#include <bitcask/version.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>

#include "app/mainwindow.h"
#include "app/settings.h"
#include "app/theme.h"
#include "app/timing.h"

int main(int argc, char* argv[]) {
  bb::timing::markLaunch();
  QApplication app(argc, argv);
  QApplication::setApplicationName(QStringLiteral("bitcask-browser"));
  QApplication::setApplicationDisplayName(QStringLiteral("Bitcask Browser"));
  QApplication::setOrganizationName(QStringLiteral("Bitcask"));
  QApplication::setApplicationVersion(QString::fromLatin1(bitcask::kVersion));
  // The desktop entry <id>.desktop (gui/CMakeLists.txt: BITCASK_APP_ID) names the window's app.
  QApplication::setDesktopFileName(QStringLiteral(BITCASK_APP_ID));
  QIcon icon;
  for (int size : {16, 24, 32, 48, 64, 128, 256}) {
    icon.addFile(QStringLiteral(":/icons/bitcask-browser-%1.png").arg(size), QSize(size, size));
  }
  QApplication::setWindowIcon(icon);

  QCommandLineParser parser;
  parser.setApplicationDescription(
      QApplication::translate("main", "Browse and edit Bitcask key-value databases."));
  parser.addHelpOption();
  parser.addVersionOption();
  const QCommandLineOption readOnly(
      {QStringLiteral("r"), QStringLiteral("read-only")},
      QApplication::translate("main",
                              "Open DIR read-only (never written, allowed beside a writer)."));
  parser.addOption(readOnly);
  parser.addPositionalArgument(QStringLiteral("DIR"),
                               QApplication::translate("main", "The database directory to open."),
                               QStringLiteral("[DIR]"));
  parser.process(app);

  // BITCASK_BROWSER_THEME=light|dark overrides the saved choice (screenshots, tests).
  QString theme = qEnvironmentVariable("BITCASK_BROWSER_THEME");
  if (theme.isEmpty())
    theme = bb::settings::text(QStringLiteral("theme"), QStringLiteral("system"));
  bb::applyTheme(bb::themeFromString(theme));

  bb::MainWindow window;
  window.show();
  const QStringList args = parser.positionalArguments();
  if (!args.isEmpty()) {
    window.openDatabase(args.first(),
                        parser.isSet(readOnly) ? bb::OpenMode::kOpenReadOnly : bb::OpenMode::kOpen);
  }
  return app.exec();
}
