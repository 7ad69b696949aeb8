// Measures the longest GUI-thread stall while the browser opens a database and
// shows a large value. Not a test (timings depend on the machine): a script to
// run by hand and quote.
//
//   gui_stall_probe DIR KEY [first|all|file|prefix:TEXT|deleteall|undo]...
//
// A QTimer fires every millisecond; the longest gap between two firings is the
// longest time the event loop was held. Reported per phase: opening DIR until
// the first key is on screen, selecting KEY, then each action in turn (show
// the first part, load all, save to a file; filter by a prefix, delete all its
// matches, undo that) until it is done. Opens DIR read-only unless asked to
// delete.
#include <QApplication>
#include <QElapsedTimer>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTimer>
#include <QUndoStack>
#include <cstdio>

#include "app/filterbar.h"
#include "app/jsontextedit.h"
#include "app/mainwindow.h"
#include "app/matchactions.h"
#include "app/valueeditordock.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/valuedocument.h"

using namespace bb;

namespace {

struct Probe {
  QElapsedTimer clock;
  qint64 last = 0;
  qint64 worst = 0;
  QTimer timer;
  Probe() {
    timer.setInterval(1);
    QObject::connect(&timer, &QTimer::timeout, [this] {
      const qint64 now = clock.elapsed();
      worst = std::max(worst, now - last);
      last = now;
    });
  }
  void start() {
    clock.start();
    last = 0;
    worst = 0;
    timer.start();
  }
  // Runs the event loop until `done` holds; returns the phase's longest stall in ms.
  qint64 until(const std::function<bool()>& done, const char* phase) {
    start();
    while (!done()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    QCoreApplication::processEvents();
    worst = std::max(worst, clock.elapsed() - last);
    std::printf("%-28s %7lld ms total, longest GUI-thread stall %5lld ms\n", phase,
                static_cast<long long>(clock.elapsed()), static_cast<long long>(worst));
    std::fflush(stdout);
    return worst;
  }
};

}  // namespace

int main(int argc, char** argv) {
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("BitcaskBrowserProbe"));
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s DIR KEY [first|all|file]...\n", argv[0]);
    return 2;
  }
  const QString dir = QString::fromLocal8Bit(argv[1]);
  const std::string key = argv[2];
  MainWindow w;
  w.resize(1600, 1000);
  w.show();
  Probe probe;
  bool opened = false;
  QObject::connect(&w, &MainWindow::databaseOpened, [&] { opened = true; });
  bool writes = false;
  for (int i = 3; i < argc; ++i) writes = writes || std::string(argv[i]) == "deleteall";
  QTimer::singleShot(
      0, [&] { w.openDatabase(dir, writes ? OpenMode::kOpen : OpenMode::kOpenReadOnly); });
  probe.until([&] { return opened && w.tableModel()->rowCount() > 0; }, "open, first keys shown");
  ValueDocument* d = w.valueEditor()->document();
  // Done when the value is read and its text is on screen (a long text is laid out by a worker).
  auto settled = [d, &w] {
    return d->state() != ValueDocument::State::kLoading &&
           !w.valueEditor()->textEdit()->isBuildingText();
  };
  probe.until(
      [&] {
        static bool asked = false;
        if (!asked) {
          asked = true;
          if (!w.selectKey(key)) {
            std::fprintf(stderr, "no key %s\n", key.c_str());
            std::exit(1);
          }
        }
        return settled();
      },
      "select the key");
  std::printf("  value of %llu bytes, state %d\n", static_cast<unsigned long long>(d->valueSize()),
              int(d->state()));
  QTemporaryDir tmp;
  for (int i = 3; i < argc; ++i) {
    const std::string action = argv[i];
    if (action == "first") {
      d->loadFirstPart();
      probe.until(settled, "show the first part");
    } else if (action == "all") {
      d->loadAll();
      probe.until(settled, "load all");
    } else if (action.rfind("prefix:", 0) == 0) {
      KeyFilter f;
      f.text = QString::fromStdString(action.substr(7));
      bool done = false;
      auto c = QObject::connect(&w, &MainWindow::filterFinished, [&] { done = true; });
      w.filterBar()->setFilter(f);
      probe.until([&] { return done; }, "filter by a prefix");
      QObject::disconnect(c);
      std::printf("  %llu matches\n",
                  static_cast<unsigned long long>(w.tableModel()->matchCount()));
    } else if (action == "deleteall") {
      bool done = false;
      auto c = QObject::connect(w.matchActions(), &MatchActions::finished, [&] { done = true; });
      w.matchActions()->deleteAll(false);
      probe.until([&] { return done; }, "delete all matches");
      QObject::disconnect(c);
      std::printf("  deleted %llu\n",
                  static_cast<unsigned long long>(w.matchActions()->lastOutcome().done));
    } else if (action == "undo") {
      bool asked = false;
      probe.until(
          [&] {
            if (!asked) {
              asked = true;
              w.editController()->undoStack()->undo();
            }
            return true;
          },
          "undo");
      std::printf("  %llu keys\n", static_cast<unsigned long long>(w.database()->keyCount()));
    } else if (action == "file") {
      bool saved = false;
      QObject::connect(d, &ValueDocument::savedToFile, [&] { saved = true; });
      d->saveToFile(tmp.filePath(QStringLiteral("value")));
      probe.until([&] { return saved; }, "save to a file");
    }
    std::printf("  state %d, %s\n", int(d->state()),
                (d->readError().isEmpty() ? d->note() : d->readError()).toUtf8().constData());
    std::printf("  editor text begins: %s\n", w.valueEditor()
                                                  ->textEdit()
                                                  ->toPlainText()
                                                  .left(48)
                                                  .toUtf8()
                                                  .replace('\n', "\\n")
                                                  .constData());
    if (qEnvironmentVariableIsSet("PROBE_GRAB")) {
      QCoreApplication::processEvents();
      auto* edit = w.valueEditor()->textEdit();
      std::printf("  hbar %d of %d, margins %d\n", edit->horizontalScrollBar()->value(),
                  edit->horizontalScrollBar()->maximum(), edit->viewport()->x());
      edit->grab().save(qEnvironmentVariable("PROBE_GRAB") + QString::number(i) + ".png");
    }
    // Let the views paint what arrived.
    probe.until(
        [t = QElapsedTimer()]() mutable {
          if (!t.isValid()) t.start();
          return t.elapsed() > 500;
        },
        "  then 0.5 s of painting");
  }
  return 0;
}
