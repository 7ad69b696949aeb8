// The File menu as a user drives it: the real file dialogs (New, Open,
// Open Read-Only, Import, Export, Convert), the Recent list and dropping a
// folder on the window. Dialogs are answered from a timer, as a user would.
#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSignalSpy>
#include <QTimer>
#include <QUrl>
#include <fstream>
#include <functional>
#include <memory>

#include "app/mainwindow.h"
#include "core/database.h"
#include "core/keytablemodel.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

// Calls `answer` with the first modal dialog of type T that appears, and
// returns whether one appeared. Polls, as the dialog is shown from inside
// the action's own event loop.
template <typename T>
class DialogAnswerer {
 public:
  explicit DialogAnswerer(std::function<void(T*)> answer) : answer_(std::move(answer)) {
    QObject::connect(&timer_, &QTimer::timeout, [this] {
      // Answer on the second sighting: by then exec() has entered its event
      // loop (closing a dialog while it is still being shown hangs exec()).
      auto* dialog = qobject_cast<T*>(QApplication::activeModalWidget());
      if (dialog && dialog == seen_ && dialog->isVisible()) {
        timer_.stop();
        answered_ = true;
        answer_(dialog);
      }
      seen_ = dialog;
    });
    timer_.start(20);
  }
  bool answered() const { return answered_; }

 private:
  std::function<void(T*)> answer_;
  QTimer timer_;
  QObject* seen_ = nullptr;
  bool answered_ = false;
};

// Types `path` into a file dialog's name field and presses OK, as a user
// would. (selectFile() races the dialog's background directory listing.)
std::function<void(QFileDialog*)> choose(const QString& path) {
  return [path](QFileDialog* dialog) {
    auto* name = dialog->findChild<QLineEdit*>(QStringLiteral("fileNameEdit"));
    QVERIFY(name);
    name->setText(path);
    static_cast<QDialog*>(dialog)->accept();  // QFileDialog's own accept(), as OK does
  };
}

bool waitOpened(QSignalSpy& opened) {
  return QTest::qWaitFor([&] { return opened.count() > 0; }, 30000);
}

// A closed native database with `n` keys.
QString makeDatabase(const QTemporaryDir& dir, const char* name, int n) {
  const QString path = guitest::dbPath(dir, name);
  auto db = guitest::openWritable(path);
  guitest::fill(db->db(), n);
  db->db().close();
  return path;
}

}  // namespace

class TestDialogs : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void openThroughTheDialog() {
    QTemporaryDir dir;
    const QString path = makeDatabase(dir, "db", 25);
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    DialogAnswerer<QFileDialog> answer(choose(path));
    w.action("actionOpen")->trigger();
    QVERIFY(answer.answered());
    QVERIFY(waitOpened(opened));
    QCOMPARE(w.database()->path(), path);
    QVERIFY(!w.database()->isReadOnly());
    QCOMPARE(w.tableModel()->matchCount(), 25);
  }

  void openReadOnlyThroughTheDialog() {
    QTemporaryDir dir;
    const QString path = makeDatabase(dir, "db", 3);
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    DialogAnswerer<QFileDialog> answer(choose(path));
    w.action("actionOpenReadOnly")->trigger();
    QVERIFY(answer.answered());
    QVERIFY(waitOpened(opened));
    QVERIFY(w.database()->isReadOnly());
    QVERIFY(!w.action("actionAddKey")->isEnabled());
  }

  void cancellingTheDialogOpensNothing() {
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    DialogAnswerer<QFileDialog> answer([](QFileDialog* d) { d->reject(); });
    w.action("actionOpen")->trigger();
    QVERIFY(answer.answered());
    QTest::qWait(50);
    QCOMPARE(opened.count(), 0);
    QVERIFY(w.database() == nullptr);
  }

  void newDatabaseThroughTheDialog() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir, "fresh");
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    DialogAnswerer<QFileDialog> answer(choose(path));
    w.action("actionNew")->trigger();
    QVERIFY(answer.answered());
    QVERIFY(waitOpened(opened));
    QCOMPARE(w.database()->path(), path);
    QCOMPARE(w.tableModel()->matchCount(), 0);
    QVERIFY(w.action("actionAddKey")->isEnabled());
    QVERIFY(QFile::exists(path + "/BITCASK"));
  }

  void recentListReopens() {
    QTemporaryDir dir;
    const QString first = makeDatabase(dir, "first", 4);
    const QString second = makeDatabase(dir, "second", 6);
    MainWindow w;
    for (const QString& path : {first, second}) {
      QSignalSpy opened(&w, &MainWindow::databaseOpened);
      w.openDatabase(path);
      QVERIFY(waitOpened(opened));
    }
    QMenu* recent = nullptr;
    for (QMenu* menu : w.findChildren<QMenu*>()) {
      if (menu->title().remove('&') == "Open Recent") recent = menu;
    }
    QVERIFY(recent);
    emit recent->aboutToShow();
    QAction* entry = nullptr;
    for (QAction* a : recent->actions()) {
      if (a->text().endsWith(QDir::toNativeSeparators(first))) entry = a;
    }
    QVERIFY2(entry, "the first database is not in the Recent list");
    // The most recent comes first.
    QVERIFY(recent->actions().first()->text().endsWith(QDir::toNativeSeparators(second)));
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    entry->trigger();
    QVERIFY(waitOpened(opened));
    QCOMPARE(w.database()->path(), first);
    QCOMPARE(w.tableModel()->matchCount(), 4);
  }

  void droppingAFolderOpensIt() {
    QTemporaryDir dir;
    const QString path = makeDatabase(dir, "dropped", 7);
    MainWindow w;
    QVERIFY(w.acceptDrops());

    // A plain file is refused at the door.
    QFile file(dir.path() + "/notes.txt");
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    QMimeData fileMime;
    fileMime.setUrls({QUrl::fromLocalFile(file.fileName())});
    QDragEnterEvent refused(QPoint(10, 10), Qt::CopyAction, &fileMime, Qt::LeftButton,
                            Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&w, &refused);
    QVERIFY(!refused.isAccepted());

    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QVERIFY(waitOpened(opened));
    QCOMPARE(w.database()->path(), path);
    QCOMPARE(w.tableModel()->matchCount(), 7);
  }

  void importAndExportThroughTheDialogs() {
    QTemporaryDir dir;
    const QString path = makeDatabase(dir, "db", 2);
    const QString input = dir.path() + "/in.jsonl";
    {
      QFile f(input);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(
          "{\"key\":\"imported:1\",\"value\":{\"a\":1}}\n"
          "{\"key\":\"imported:2\",\"value\":[1,2]}\n");
    }
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    w.openDatabase(path);
    QVERIFY(waitOpened(opened));

    {
      auto report =
          std::make_unique<DialogAnswerer<QMessageBox>>([](QMessageBox* box) { box->accept(); });
      DialogAnswerer<QFileDialog> answer(choose(input));
      w.action("actionImport")->trigger();
      QVERIFY(answer.answered());
      QTRY_VERIFY_WITH_TIMEOUT(report->answered(), 30000);
    }
    QCOMPARE(w.database()->db().get("imported:1").value_or(""), std::string(R"({"a":1})"));
    QCOMPARE(w.database()->db().size(), std::uint64_t(4));

    const QString output = dir.path() + "/out.jsonl";
    DialogAnswerer<QFileDialog> answer(choose(output));
    w.action("actionExport")->trigger();
    QVERIFY(answer.answered());
    auto exportedLines = [&] {
      QFile f(output);
      if (!f.open(QIODevice::ReadOnly)) return QByteArrayList();
      QByteArrayList lines = f.readAll().split('\n');
      if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
      return lines;
    };
    QTRY_COMPARE_WITH_TIMEOUT(exportedLines().size(), 4, 30000);
    const QByteArrayList lines = exportedLines();
    QVERIFY2(lines.contains(R"({"key":"imported:2","value":[1,2]})"), lines.join('\n').constData());
  }

  // Export rescues what it can: a key whose record fails its checksum is
  // left out, the rest is written, and a warning names the key and place.
  void exportLeavesOutDamagedRecords() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir, "db");
    {
      auto db = guitest::openWritable(path);
      guitest::fill(db->db(), 5);
      db->db().put("victim", R"("VICTIM-VALUE")");
      db->db().close();  // writes the hint: opening will not read the value
    }
    const std::filesystem::path seg = std::filesystem::path(path.toStdString()) / "0000000001.seg";
    std::string bytes;
    {
      std::ifstream in(seg, std::ios::binary);
      bytes.assign(std::istreambuf_iterator<char>(in), {});
    }
    const std::size_t at = bytes.find("VICTIM-VALUE");
    QVERIFY(at != std::string::npos);
    bytes[at] = 'X';
    std::ofstream(seg, std::ios::binary | std::ios::trunc) << bytes;

    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    w.openDatabase(path);
    QVERIFY(waitOpened(opened));
    const QString output = dir.path() + "/out.jsonl";
    QString text, details;
    auto report = std::make_unique<DialogAnswerer<QMessageBox>>([&](QMessageBox* box) {
      text = box->text();
      details = box->detailedText();
      box->accept();
    });
    DialogAnswerer<QFileDialog> answer(choose(output));
    w.action("actionExport")->trigger();
    QVERIFY(answer.answered());
    QTRY_VERIFY_WITH_TIMEOUT(report->answered(), 30000);
    QVERIFY2(
        text.contains("5 keys exported") && text.contains("1 key left out: its record is damaged"),
        qPrintable(text));
    QVERIFY2(details.contains("\"victim\"") && details.contains("0000000001.seg"),
             qPrintable(details));
    QFile f(output);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    QCOMPARE(all.count('\n'), 5);
    QVERIFY(!all.contains("victim"));
  }

  // A Python directory: Convert asks for a new folder, converts, offers to
  // open the result, and the result is native and writable.
  void convertThroughTheDialog() {
    QTemporaryDir dir;
    const QString source = dir.path() + "/python";
    const auto fixture = guitest::fixturesDir() / "pybitcask-basic";
    std::filesystem::copy(fixture, source.toStdString(), std::filesystem::copy_options::recursive);
    MainWindow w;
    {
      QSignalSpy opened(&w, &MainWindow::databaseOpened);
      w.openDatabase(source);
      QVERIFY(waitOpened(opened));
    }
    QVERIFY(w.database()->isPythonFormat());
    const int keys = w.tableModel()->matchCount();
    QVERIFY(keys > 0);

    const QString target = dir.path() + "/converted";
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    DialogAnswerer<QMessageBox> openNow(
        [](QMessageBox* box) { box->button(QMessageBox::Yes)->click(); });
    DialogAnswerer<QFileDialog> answer(choose(target));
    w.action("actionConvert")->trigger();
    QVERIFY(answer.answered());
    QTRY_VERIFY_WITH_TIMEOUT(openNow.answered(), 30000);
    QVERIFY(waitOpened(opened));
    QCOMPARE(w.database()->path(), target);
    QVERIFY(!w.database()->isPythonFormat());
    QVERIFY(!w.database()->isReadOnly());
    QTRY_COMPARE(w.tableModel()->matchCount(), keys);
  }
};

QTEST_MAIN(TestDialogs)
#include "tst_gui_dialogs.moc"
