// The browser at scale, measured as a user meets it (bench/gui_scale.sh runs
// it). Not a test: the figures depend on the machine; quote them with the
// machine's load.
//
//   gui_scale_probe build DIR N     writes N keys of JSON documents (+ one
//                                   100 MB value, "big:value") and closes
//                                   (hints written)
//   gui_scale_probe measure DIR     opens DIR read-only in the browser and
//                                   prints, one "name: value" a line:
//     first_keys_ms     launch until the first keys are on screen (the opening
//                       page's keys from the hint files, or the key table)
//     opened_ms         launch until the database is open
//     table_keys_ms     launch until the key table shows keys
//     loaded_ms         launch until every key is in the table
//     jump_last_ms      Ctrl+End until the last row is painted
//     jump_middle_ms    a jump to the middle row until it is painted
//     sort_size_ms      a sort by size (Largest Values) until the sorted rows are painted
//     sort_stall_ms     the longest GUI-thread stall during that sort
//     open_big_stall_ms the longest GUI-thread stall while the 100 MB value
//                       (the largest, row 0 after the sort) is opened
//     peak_rss_mb       the process's peak resident memory (VmHWM)
//
// A 1 ms QTimer measures stalls: the longest gap between two of its firings
// is the longest time the event loop was held.
#include <bitcask/db.h>
#include <sys/resource.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QKeyEvent>
#include <QScrollBar>
#include <QTableView>
#include <QTimer>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>

#include "app/jsontextedit.h"
#include "app/keytableview.h"
#include "app/mainwindow.h"
#include "app/openingpage.h"
#include "app/valueeditordock.h"
#include "core/keytablemodel.h"
#include "core/valuedocument.h"

using namespace bb;

namespace {

QElapsedTimer& launch() {
  static QElapsedTimer t;
  return t;
}

int build(const char* dir, long n) {
  bitcask::Options options;
  auto db = bitcask::DB::open(dir, options);
  std::mt19937_64 rng(42);
  bitcask::WriteBatch batch;
  char key[32];
  std::string value;
  for (long i = 0; i < n; ++i) {
    std::snprintf(key, sizeof key, "user:%09ld", i);
    // A JSON document of 80..400 bytes: sizes spread so a size order means something.
    const std::size_t pad = rng() % 320;
    value = "{\"id\":" + std::to_string(i) + ",\"name\":\"user " + std::to_string(i) +
            "\",\"email\":\"u" + std::to_string(i) +
            "@example.com\",\"active\":" + (i % 3 ? "true" : "false") + ",\"note\":\"" +
            std::string(pad, 'x') + "\"}";
    batch.put(key, value);
    if (batch.size() == 2000) {
      db->write(batch);
      batch.clear();
    }
    if (i % 1'000'000 == 0 && i > 0) std::fprintf(stderr, "  %ld keys\n", i);
  }
  if (!batch.empty()) db->write(batch);
  // One 100 MB JSON value: an array of small objects.
  std::string big = "[";
  for (int i = 0; big.size() < (100u << 20) - 64; ++i) {
    big += "{\"i\":" + std::to_string(i) + ",\"v\":\"abcdefghij\"},";
  }
  big.back() = ']';
  db->put("big:value", big);
  db->close();
  return 0;
}

long vmKb(const char* field) {
  QFile f(QStringLiteral("/proc/self/status"));
  if (!f.open(QIODevice::ReadOnly)) return -1;
  for (const QByteArray& line : f.readAll().split('\n')) {
    if (line.startsWith(field))
      return line.mid(int(std::strlen(field))).trimmed().split(' ')[0].toLong();
  }
  return -1;
}

struct StallProbe {
  QElapsedTimer clock;
  qint64 last = 0;
  qint64 worst = 0;
  qint64 worstEnd = 0;  // launch().elapsed() when the longest stall ended
  QTimer timer;
  StallProbe() {
    timer.setInterval(1);
    QObject::connect(&timer, &QTimer::timeout, [this] {
      const qint64 now = clock.elapsed();
      if (now - last > worst) {
        worst = now - last;
        worstEnd = launch().elapsed();
      }
      last = now;
    });
  }
  // Runs the event loop until `done`; returns the longest stall.
  qint64 until(const std::function<bool()>& done) {
    clock.start();
    last = 0;
    worst = 0;
    timer.start();
    while (!done()) QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    QCoreApplication::processEvents();
    worst = std::max(worst, clock.elapsed() - last);
    timer.stop();
    return worst;
  }
};

void print(const char* name, double value) {
  std::printf("%s: %.0f\n", name, value);
  std::fflush(stdout);
}

// CPU time of the whole process (every thread), in ms: less at the mercy of a loaded machine
// than wall time.
double cpuMs() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 +
         double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

void printRss(const char* when) {
  std::printf("rss_mb_%s: %.0f\n", when, double(vmKb("VmRSS:")) / 1024);
}

int measure(const QString& dir) {
  MainWindow w;
  w.resize(1400, 900);
  w.show();
  bool opened = false;
  QObject::connect(&w, &MainWindow::databaseOpened, [&] { opened = true; });
  w.openDatabase(dir, OpenMode::kOpenReadOnly);
  KeyTableModel* model = w.tableModel();
  KeyTableView* table = w.tableView();
  StallProbe probe;
  QTableView* preview = w.openingPage()->previewView();
  qint64 openedAt = -1;
  const qint64 firstStall = probe.until([&] {
    if (opened && openedAt < 0) openedAt = launch().elapsed();
    return (preview->isVisible() && preview->model()->rowCount() > 0) ||
           (opened && model->rowCount() > 0);
  });
  if (!opened) {
    preview->viewport()->repaint();
    std::printf("first_keys_from: hint files (%d keys on the opening page)\n",
                preview->model()->rowCount());
  } else {
    table->viewport()->repaint();
    std::printf("first_keys_from: key table\n");
  }
  print("first_keys_ms", double(launch().elapsed()));
  print("first_keys_stall_ms", double(firstStall));
  const qint64 openStall = probe.until([&] {
    if (opened && openedAt < 0) openedAt = launch().elapsed();
    return opened && model->rowCount() > 0;
  });
  table->viewport()->repaint();
  print("opened_ms", double(openedAt));
  print("table_keys_ms", double(launch().elapsed()));
  print("table_keys_cpu_ms", cpuMs());
  print("open_stall_ms", double(openStall));
  print("open_stall_end_ms", double(probe.worstEnd));
  printRss("opened");

  std::printf("rows: %d\n", model->rowCount());

  // Ctrl+End at once, while the keys may still be loading.
  QElapsedTimer t;
  t.start();
  table->setFocus();
  QKeyEvent end(QEvent::KeyPress, Qt::Key_End, Qt::ControlModifier);
  QApplication::sendEvent(table, &end);
  table->viewport()->repaint();
  print("jump_last_ms", double(t.nsecsElapsed()) / 1e6);
  std::printf("current_row: %d (%s)\n", table->currentIndex().row(),
              model->keyAt(table->currentIndex().row()).c_str());

  const qint64 loadStall = probe.until([&] { return !model->isLoading(); });
  print("loaded_ms", double(launch().elapsed()));
  print("loaded_cpu_ms", cpuMs());
  printRss("loaded");
  print("load_stall_ms", double(loadStall));

  t.start();
  table->scrollTo(model->index(model->rowCount() / 2, 0), QAbstractItemView::PositionAtCenter);
  table->viewport()->repaint();
  print("jump_middle_ms", double(t.nsecsElapsed()) / 1e6);
  t.start();
  QApplication::sendEvent(table, &end);
  table->viewport()->repaint();
  print("jump_last_loaded_ms", double(t.nsecsElapsed()) / 1e6);

  t.start();
  const double sortCpu = cpuMs();
  // As Largest Values does, without its selecting row 0 (measured next on its own).
  table->sortByColumn(KeyTableModel::kSizeColumn, Qt::DescendingOrder);
  const qint64 sortStall = probe.until([&] { return !model->isSorting(); });
  table->viewport()->repaint();
  print("sort_size_ms", double(t.nsecsElapsed()) / 1e6);
  print("sort_size_cpu_ms", cpuMs() - sortCpu);
  printRss("sorted");
  print("sort_stall_ms", double(sortStall));
  std::printf("row0: %s\n", model->keyAt(0).c_str());

  ValueDocument* d = w.valueEditor()->document();
  bool asked = false;
  const qint64 bigStall = probe.until([&] {
    if (!asked) {
      asked = true;
      table->setCurrentIndex(model->index(0, 0));
      return false;
    }
    return d->state() != ValueDocument::State::kLoading &&
           !w.valueEditor()->textEdit()->isBuildingText() && d->valueSize() > 0;
  });
  print("open_big_stall_ms", double(bigStall));
  std::printf("open_big_value_bytes: %llu\n", static_cast<unsigned long long>(d->valueSize()));
  print("rss_mb", double(vmKb("VmRSS:")) / 1024);
  print("peak_rss_mb", double(vmKb("VmHWM:")) / 1024);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  launch().start();
  if (argc == 4 && std::strcmp(argv[1], "build") == 0) return build(argv[2], std::atol(argv[3]));
  if (argc != 3 || std::strcmp(argv[1], "measure") != 0) {
    std::fprintf(stderr, "usage: %s build DIR N | measure DIR\n", argv[0]);
    return 2;
  }
  QApplication app(argc, argv);
  QCoreApplication::setOrganizationName(QStringLiteral("BitcaskBrowserScaleProbe"));
  return measure(QString::fromLocal8Bit(argv[2]));
}
