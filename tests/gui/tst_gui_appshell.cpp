// The window around the pages, offscreen: the start page (recent databases,
// missing ones marked and removable), opening by dropping a folder, a
// read-only open that writes nothing into the folder, the value pane shown on
// the Keys tab only, one unit for byte sizes, and JSON object members kept in
// the order written through the editor and the import.
#include <bitcask/db.h>

#include <QAction>
#include <QApplication>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QLabel>
#include <QListView>
#include <QMimeData>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTabWidget>
#include <QtConcurrent>

#include "app/jsontextedit.h"
#include "app/mainwindow.h"
#include "app/messagebanner.h"
#include "app/settings.h"
#include "app/startpage.h"
#include "app/valueeditordock.h"
#include "core/benchworkload.h"
#include "core/editcontroller.h"
#include "core/recentdatabasesmodel.h"
#include "core/transfer.h"
#include "core/valuedocument.h"
#include "core/valueformat.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

// Every name, size, modification time and byte under `dir`, hashed.
QByteArray hashDirectory(const QString& dir) {
  QStringList names;
  QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) names << it.next();
  names.sort();
  QCryptographicHash hash(QCryptographicHash::Sha256);
  for (const QString& name : names) {
    const QFileInfo fi(name);
    hash.addData(name.toUtf8());
    hash.addData(QByteArray::number(fi.isDir() ? -1 : fi.size()));
    hash.addData(QByteArray::number(fi.lastModified().toMSecsSinceEpoch()));
    if (fi.isFile()) {
      QFile f(name);
      if (!f.open(QIODevice::ReadOnly)) return {};
      hash.addData(f.readAll());
    }
  }
  return hash.result();
}

QStringList filesNamed(const QString& dir, const QString& pattern) {
  return QDir(dir).entryList({pattern}, QDir::Files);
}

}  // namespace

class TestAppShell : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  QString path_;

  static bool waitOpened(QSignalSpy& spy) {
    return QTest::qWaitFor([&] { return spy.count() == 1; }, 30000);
  }
  bool open(MainWindow& w, OpenMode mode = OpenMode::kOpen) {
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    w.openDatabase(path_, mode);
    return waitOpened(opened);
  }

 private slots:
  void initTestCase() { isolateSettings(); }

  void init() {
    settings::clearRecentDatabases();
    dir_ = std::make_unique<QTemporaryDir>();
    path_ = guitest::dbPath(*dir_);
    auto db = guitest::openWritable(path_);
    guitest::fill(db->db(), 500);
    db->db().close();
  }

  // Read-only opens nothing for writing: every edit is off, and no file in
  // the folder is created, changed or removed, hint files included (which a
  // read-write open writes, as the window says).
  void readOnlyOpenWritesNothing() {
    // Without hints, a writable open would write them.
    for (const QString& hint : filesNamed(path_, QStringLiteral("*.hint"))) {
      QVERIFY(QFile::remove(path_ + QLatin1Char('/') + hint));
    }
    const QByteArray before = hashDirectory(path_);
    QVERIFY(!before.isEmpty());
    {
      MainWindow w;
      w.show();
      QVERIFY(open(w, OpenMode::kOpenReadOnly));
      QVERIFY(w.database()->isReadOnly());
      QVERIFY(w.windowTitle().contains(QStringLiteral("read-only")));
      QVERIFY(w.banner()->isVisibleTo(&w));
      QVERIFY2(w.banner()->text().contains(QStringLiteral("read-only")),
               qPrintable(w.banner()->text()));
      QVERIFY(w.action(QStringLiteral("actionReopenWritable"))->isEnabled());
      for (const char* name : {"actionAddKey", "actionRenameKey", "actionDuplicateKey",
                               "actionDeleteKeys", "actionImport", "actionMerge"}) {
        QVERIFY2(!w.action(QString::fromLatin1(name))->isEnabled(), name);
      }
      QVERIFY(!w.editController()->canEdit());
      QVERIFY(!w.editController()->addKey("new", QStringLiteral("1")));
      QVERIFY(w.selectKey(guitest::key(3)));
      ValueEditorDock* dock = w.valueEditor();
      QVERIFY(dock->textEdit()->isReadOnly());
      dock->document()->setText(QStringLiteral("{\"n\": 99}"));
      QVERIFY(!dock->save());
      QVERIFY(!dock->saveAction()->isEnabled());
      QVERIFY(w.findChild<QLabel*>(QStringLiteral("statusMode"))
                  ->toolTip()
                  .contains(QStringLiteral("Nothing is written")));
      w.closeDatabase();
    }
    QCOMPARE(hashDirectory(path_), before);
    QVERIFY(filesNamed(path_, QStringLiteral("*.hint")).isEmpty());

    // A read-write open does write hints (to open faster next time), and says so.
    {
      MainWindow w;
      w.show();
      QVERIFY(open(w));
      QVERIFY(!w.database()->isReadOnly());
      QVERIFY(!w.windowTitle().contains(QStringLiteral("read-only")));
      QVERIFY(w.findChild<QLabel*>(QStringLiteral("statusMode"))
                  ->toolTip()
                  .contains(QStringLiteral("hint file")));
      w.closeDatabase();
    }
    QVERIFY(hashDirectory(path_) != before);
    QVERIFY(!filesNamed(path_, QStringLiteral("*.hint")).isEmpty());
  }

  // The banner's "Open for Editing" reopens the same folder writable.
  void reopenReadOnlyForEditing() {
    MainWindow w;
    w.show();
    QVERIFY(open(w, OpenMode::kOpenReadOnly));
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    w.action(QStringLiteral("actionReopenWritable"))->trigger();
    QVERIFY(waitOpened(opened));
    QVERIFY(!w.database()->isReadOnly());
    QVERIFY(w.editController()->canEdit());
    QVERIFY(!w.banner()->isVisibleTo(&w));
    QVERIFY(!w.action(QStringLiteral("actionReopenWritable"))->isEnabled());
  }

  void startPageListsRecentsAndOpensOne() {
    const QString missing = dir_->path() + QStringLiteral("/gone");
    settings::setRecentDatabases({path_, missing});
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    StartPage* start = w.startPage();
    QVERIFY(start->isVisible());
    QVERIFY(!w.tabs()->isVisible());
    QVERIFY(!w.valueEditor()->isVisible());
    RecentDatabasesModel* recent = w.recentDatabases();
    QCOMPARE(recent->rowCount(), 2);
    QCOMPARE(recent->pathAt(0), path_);
    QVERIFY(!recent->isMissing(0));
    QVERIFY(recent->isMissing(1));
    QVERIFY(recent->index(1).data().toString().contains(QStringLiteral("missing")));
    QCOMPARE(recent->index(0).data().toString(), QStringLiteral("db"));
    QCOMPARE(recent->index(0).data(RecentDatabasesModel::kLocationRole).toString(),
             QDir::toNativeSeparators(dir_->path()));

    // The missing one cannot be opened, only removed: the list and the settings forget it.
    auto* openButton = start->findChild<QPushButton*>(QStringLiteral("recentOpen"));
    auto* removeButton = start->findChild<QPushButton*>(QStringLiteral("recentRemove"));
    QVERIFY(openButton && removeButton);
    start->recentView()->setCurrentIndex(recent->index(1));
    QVERIFY(!openButton->isEnabled());
    QVERIFY(removeButton->isEnabled());
    removeButton->click();
    QCOMPARE(recent->rowCount(), 1);
    QCOMPARE(settings::recentDatabases(), QStringList{path_});

    // The first existing one is selected: Open opens it, and the tabs replace the page.
    start->selectFirstRecent();
    QVERIFY(openButton->isEnabled());
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    openButton->click();
    QVERIFY(waitOpened(opened));
    QCOMPARE(w.database()->path(), path_);
    QVERIFY(!w.database()->isReadOnly());
    QVERIFY(!start->isVisible());
    QVERIFY(w.tabs()->isVisible());

    // Closed: the start page again, and Open Read-Only from the list.
    w.closeDatabase();
    QVERIFY(start->isVisible());
    start->selectFirstRecent();
    opened.clear();
    start->findChild<QPushButton*>(QStringLiteral("recentOpenReadOnly"))->click();
    QVERIFY(waitOpened(opened));
    QVERIFY(w.database()->isReadOnly());
  }

  void startPageWithoutRecents() {
    MainWindow w;
    w.show();
    QVERIFY(w.startPage()->isVisible());
    QVERIFY(!w.startPage()->recentView()->isVisible());
    QVERIFY(w.startPage()->findChild<QLabel*>(QStringLiteral("noRecent"))->isVisible());
    QVERIFY(w.startPage()->findChild<QLabel*>(QStringLiteral("dropHint"))->isVisible());
    for (const char* name : {"startOpen", "startOpenReadOnly", "startNew"}) {
      QVERIFY2(w.startPage()->findChild<QPushButton*>(QString::fromLatin1(name))->isVisible(),
               name);
    }
    // The first open puts it in the list.
    QVERIFY(open(w));
    QCOMPARE(w.recentDatabases()->paths(), QStringList{path_});
  }

  void dropOpensDirectory() {
    MainWindow w;
    w.show();
    // A file is refused; a folder is taken and opened.
    QMimeData file;
    file.setUrls({QUrl::fromLocalFile(path_ + QLatin1Char('/') +
                                      filesNamed(path_, QStringLiteral("*.seg")).first())});
    QDragEnterEvent refused(QPoint(20, 20), Qt::CopyAction, &file, Qt::LeftButton, Qt::NoModifier);
    refused.setAccepted(false);
    QApplication::sendEvent(&w, &refused);
    QVERIFY(!refused.isAccepted());

    QMimeData folder;
    folder.setUrls({QUrl::fromLocalFile(path_)});
    QDragEnterEvent enter(QPoint(20, 20), Qt::CopyAction, &folder, Qt::LeftButton, Qt::NoModifier);
    enter.setAccepted(false);
    QApplication::sendEvent(&w, &enter);
    QVERIFY(enter.isAccepted());
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    QDropEvent drop(QPointF(20, 20), Qt::CopyAction, &folder, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&w, &drop);
    QVERIFY(waitOpened(opened));
    QCOMPARE(w.database()->path(), path_);
    QVERIFY(!w.startPage()->isVisible());
  }

  void valuePaneOnKeysTabOnly() {
    MainWindow w;
    w.resize(1280, 800);
    w.show();
    ValueEditorDock* dock = w.valueEditor();
    QVERIFY(!dock->isVisible());  // the start page has no key
    QVERIFY(open(w));
    QVERIFY(dock->isVisible());
    w.showSegments();
    QVERIFY(!dock->isVisible());
    w.action(QStringLiteral("actionBenchmarks"))->trigger();
    QVERIFY(!dock->isVisible());
    w.showKeys();
    QVERIFY(dock->isVisible());
    // Closed by the user on Keys: it stays closed across the tabs.
    dock->close();
    w.showSegments();
    w.showKeys();
    QVERIFY(!dock->isVisible());
    dock->show();
    // Long lines wrap at the pane's width: no sideways scrolling.
    QCOMPARE(dock->textEdit()->lineWrapMode(), QPlainTextEdit::WidgetWidth);
    QVERIFY(w.selectKey(guitest::key(1)));
    dock->document()->setText(QStringLiteral("{\"long\": \"%1\"}").arg(QString(2000, 'x')));
    QTest::qWait(50);
    QVERIFY(!dock->textEdit()->horizontalScrollBar()->isVisible());

    // At 1280 pixels the value pane gets 40 % of the window: no page of another tab (the
    // Benchmarks page is wide) holds the Keys tab wider than its own content.
    w.resizeDocks({dock}, {512}, Qt::Horizontal);
    QTest::qWait(50);
    QVERIFY2(dock->width() >= 480, qPrintable(QString::number(dock->width())));
    // The hex dump: 16 bytes a row where they fit, 8 in a narrow pane; never scrolled sideways.
    auto* hex = dock->findChild<QPlainTextEdit*>(QStringLiteral("hexView"));
    QVERIFY(hex);
    dock->document()->revert();
    QVERIFY(w.editController()->addKey("long", QStringLiteral("\"%1\"").arg(QString(60, 'y'))));
    QVERIFY(w.selectKey("long"));
    QVERIFY(QTest::qWaitFor([&] { return !hex->toPlainText().isEmpty(); }, 10000));
    auto* valueTabs = dock->findChild<QTabWidget*>();
    QVERIFY(valueTabs);
    valueTabs->setCurrentWidget(hex);
    for (int width : {300, 700}) {
      w.resizeDocks({dock}, {width}, Qt::Horizontal);
      QTest::qWait(50);
      const QString first = hex->toPlainText().section(QLatin1Char('\n'), 0, 0);
      const int perRow =
          QFontMetrics(hex->font()).horizontalAdvance(QLatin1Char('0')) * hexDumpRowChars(16) <=
                  hex->viewport()->width()
              ? 16
              : 8;
      QCOMPARE(first.size(), hexDumpRowChars(perRow));
      QVERIFY2(perRow == (width == 300 ? 8 : 16),
               qPrintable(QStringLiteral("dock %1, hex %2, char %3")
                              .arg(dock->width())
                              .arg(hex->viewport()->width())
                              .arg(QFontMetrics(hex->font()).horizontalAdvance(QLatin1Char('0')))));
    }
  }

  void sizesInOneUnit() {
    QCOMPARE(formatBytes(1), QStringLiteral("1 byte"));
    QCOMPARE(formatBytes(512), QStringLiteral("512 bytes"));
    QCOMPARE(formatBytes(1536), QLocale().toString(1.5, 'f', 1) + QStringLiteral(" KiB"));
    QVERIFY(formatBytes(5ull << 20).endsWith(QStringLiteral(" MiB")));
    QVERIFY(formatBytes(3ull << 30).endsWith(QStringLiteral(" GiB")));
    // One decimal, but no trailing zero that says nothing.
    QCOMPARE(formatBytes(1024), QStringLiteral("1 KiB"));
    QCOMPARE(formatBytes(1ull << 20), QStringLiteral("1 MiB"));
    QCOMPARE(formatBytes((1ull << 20) + 1000), QStringLiteral("1 MiB"));
    QCOMPARE(formatBytes(3ull << 19), QLocale().toString(1.5, 'f', 1) + QStringLiteral(" MiB"));
    QCOMPARE(formatBytes(100ull << 20), QStringLiteral("100 MiB"));
    QCOMPARE(formatBytes(2ull << 30), QStringLiteral("2 GiB"));
    // Just below a unit's end: rounded into the next unit, never "1,024 KiB".
    QCOMPARE(formatBytes((1ull << 20) - 1), QStringLiteral("1 MiB"));
    QCOMPARE(formatBytes((1ull << 20) - 103),
             QLocale().toString(1023.9, 'f', 1) + QStringLiteral(" KiB"));
    // Workload sizes are exact: no "KB" meaning 1000 beside a "KiB" meaning 1024.
    QCOMPARE(formatValueSize(4096), QStringLiteral("4 KiB"));
    QCOMPARE(formatValueSize(1u << 20), QStringLiteral("1 MiB"));
    QCOMPARE(formatValueSize(100), QStringLiteral("100 B"));
    QCOMPARE(formatValueSize(10000), QLocale().toString(10000) + QStringLiteral(" B"));
    // The status bar's size of the database on disk says KiB.
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    const QString size = w.findChild<QLabel*>(QStringLiteral("statusSize"))->text();
    QVERIFY2(size.contains(QStringLiteral(" KiB on disk")), qPrintable(size));
  }

  // {"id": …, "created_at": …} stays in that order (nlohmann::json would sort it): saved from
  // the editor, added as a new key, imported from JSON lines.
  void memberOrderKept() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    const std::string compact = R"({"id":7,"created_at":"2024-01-02","b":{"z":1,"a":2}})";
    QVERIFY(w.selectKey(guitest::key(2)));
    ValueEditorDock* dock = w.valueEditor();
    dock->document()->setText(QStringLiteral(
        "{\n  \"id\": 7,\n  \"created_at\": \"2024-01-02\",\n  \"b\": {\"z\": 1, \"a\": 2}\n}"));
    QVERIFY(dock->save());
    QCOMPARE(*w.database()->value(guitest::key(2)), compact);
    // Shown again in that order.
    QVERIFY(dock->textEdit()->toPlainText().indexOf(QStringLiteral("\"id\"")) <
            dock->textEdit()->toPlainText().indexOf(QStringLiteral("\"created_at\"")));

    QVERIFY(w.editController()->addKey(
        "added", QStringLiteral("{\"id\": 7, \"created_at\": \"2024-01-02\", \"b\": {\"z\": 1, "
                                "\"a\": 2}}")));
    QCOMPARE(*w.database()->value("added"), compact);

    const QString file = dir_->path() + QStringLiteral("/in.jsonl");
    {
      QFile f(file);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(QByteArray::fromStdString(R"({"key":"imported","value":)" + compact + "}\n"));
    }
    QFuture<TransferOutcome> import =
        QtConcurrent::run(importJsonlTask, w.database()->handle(), file);
    import.waitForFinished();
    QVERIFY2(import.result().ok, qPrintable(import.result().message));
    QCOMPARE(*w.database()->value("imported"), compact);
  }
};

QTEST_MAIN(TestAppShell)
#include "tst_gui_appshell.moc"
