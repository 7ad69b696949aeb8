// bitcask-browser [--read-only] [DIR]: the desktop browser for Bitcask databases.
#include <bitcask/version.h>

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QIcon>
#include <cstring>

#include "app/mainwindow.h"
#include "app/settings.h"
#include "app/theme.h"
#include "app/timing.h"

namespace {

// Names and the version (the project's, from CMake through bitcask/version.h).
void setApplicationNames() {
  QCoreApplication::setApplicationName(QStringLiteral("bitcask-browser"));
  QCoreApplication::setOrganizationName(QStringLiteral("Bitcask"));
  QCoreApplication::setApplicationVersion(QString::fromLatin1(bitcask::kVersion));
}

// Adds the command line's options to `parser`; returns --read-only.
QCommandLineOption addOptions(QCommandLineParser& parser) {
  parser.setApplicationDescription(
      QCoreApplication::translate("main", "Browse and edit Bitcask key-value databases."));
  parser.addHelpOption();
  parser.addVersionOption();
  QCommandLineOption readOnly(
      {QStringLiteral("r"), QStringLiteral("read-only")},
      QCoreApplication::translate("main",
                                  "Open DIR read-only (never written, allowed beside a writer)."));
  parser.addOption(readOnly);
  parser.addPositionalArgument(
      QStringLiteral("DIR"), QCoreApplication::translate("main", "The database directory to open."),
      QStringLiteral("[DIR]"));
  return readOnly;
}

// -h/--help and -v/--version print text and exit: they need no display.
bool onlyPrints(int argc, char* argv[]) {
  for (int i = 1; i < argc; ++i) {
    const char* arg = argv[i];
    if (std::strcmp(arg, "--") == 0) break;
    for (const char* option : {"-h", "--help", "-?", "-v", "--version"}) {
      if (std::strcmp(arg, option) == 0) return true;
    }
  }
  return false;
}

}  // namespace

int main(int argc, char* argv[]) {
  bb::timing::markLaunch();
  if (onlyPrints(argc, argv)) {
    QCoreApplication app(argc, argv);
    setApplicationNames();
    QCommandLineParser parser;
    addOptions(parser);
    parser.process(app);  // prints the help or the version and exits
    return 0;
  }

  QApplication app(argc, argv);
  // The icons are compiled into the static bitcask-browser-ui library, whose resource
  // initializer nothing references: without this the linker drops it, and the window, the
  // About dialog and the start page have no icon.
  Q_INIT_RESOURCE(bitcask_browser);
  setApplicationNames();
  QApplication::setApplicationDisplayName(QStringLiteral("Bitcask Browser"));
  // The desktop entry <id>.desktop (gui/CMakeLists.txt: BITCASK_APP_ID) names the window's app.
  QApplication::setDesktopFileName(QStringLiteral(BITCASK_APP_ID));
  QIcon icon;
  for (int size : {16, 24, 32, 48, 64, 128, 256}) {
    icon.addFile(QStringLiteral(":/icons/bitcask-browser-%1.png").arg(size), QSize(size, size));
  }
  QApplication::setWindowIcon(icon);

  QCommandLineParser parser;
  const QCommandLineOption readOnly = addOptions(parser);
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
