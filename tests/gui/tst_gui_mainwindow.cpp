// The main window end to end, offscreen: the value editor refusing invalid
// JSON at its line and column, saving and undoing through the Edit menu's
// actions, the filter bar, the history tab, the About text, read-only mode.
#include <bitcask/version.h>

#include <QAction>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTabWidget>

#include "app/aboutdialog.h"
#include "app/filterbar.h"
#include "app/historypanel.h"
#include "app/jsontextedit.h"
#include "app/keytableview.h"
#include "app/mainwindow.h"
#include "app/settings.h"
#include "app/valueeditordock.h"
#include "core/editcontroller.h"
#include "core/historymodel.h"
#include "core/keytablemodel.h"
#include "core/valuedocument.h"
#include "gui_test_util.h"

using namespace bb;

class TestMainWindow : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  QString path_;

  bool open(MainWindow& w, OpenMode mode = OpenMode::kOpen) {
    QSignalSpy ok(&w, &MainWindow::databaseOpened);
    w.openDatabase(path_, mode);
    return QTest::qWaitFor([&] { return ok.count() == 1; }, 30000);
  }

 private slots:
  void initTestCase() { isolateSettings(); }

  // Settings are written in the background: read back at once, and in the file after flush().
  void settingsReadBackBeforeAndAfterTheyAreWritten() {
    settings::setText(QStringLiteral("test/written"), QStringLiteral("first"));
    settings::setText(QStringLiteral("test/written"), QStringLiteral("second"));
    QCOMPARE(settings::text(QStringLiteral("test/written")), QStringLiteral("second"));
    settings::addRecentDatabase(QStringLiteral("/tmp/a"));
    settings::addRecentDatabase(QStringLiteral("/tmp/b"));
    QCOMPARE(settings::recentDatabases().mid(0, 2),
             QStringList({QStringLiteral("/tmp/b"), QStringLiteral("/tmp/a")}));
    settings::flush();
    QCOMPARE(QSettings().value(QStringLiteral("test/written")).toString(),
             QStringLiteral("second"));
    QCOMPARE(QSettings().value(QStringLiteral("recentDatabases")).toStringList().mid(0, 2),
             QStringList({QStringLiteral("/tmp/b"), QStringLiteral("/tmp/a")}));
    settings::clearRecentDatabases();
    QVERIFY(settings::recentDatabases().isEmpty());
    settings::flush();
    QVERIFY(!QSettings().contains(QStringLiteral("recentDatabases")));
  }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    path_ = guitest::dbPath(*dir_);
    auto db = guitest::openWritable(path_);
    guitest::fill(db->db(), 2000);
    bitcask::WriteBatch b;
    b.put("user:1001", R"({"name":"Zoë","tags":["admin","ops"],"active":true})");
    b.put("user:1002", R"({"name":"Ada"})");
    db->write(b);
    db->db().close();
  }

  void editorRefusesInvalidJsonAtItsPosition() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(w.selectKey("user:1001"));
    ValueEditorDock* dock = w.valueEditor();
    QCOMPARE(dock->document()->key(), std::string("user:1001"));
    JsonTextEdit* edit = dock->textEdit();
    QCOMPARE(edit->toPlainText(),
             QString("{\n  \"name\": \"Zoë\",\n  \"tags\": [\n    \"admin\",\n    \"ops\"\n  ],\n"
                     "  \"active\": true\n}"));
    QVERIFY(!dock->saveButton()->isEnabled());

    // Break line 3: a missing quote before admin.
    edit->setPlainText(
        "{\n  \"name\": \"Zoë\",\n  \"tags\": [admin\", \"ops\"],\n  \"active\": true\n}");
    QVERIFY(!dock->saveButton()->isEnabled());
    QVERIFY(!dock->saveAction()->isEnabled());
    QVERIFY(dock->errorLabel()->isVisibleTo(dock));
    QVERIFY2(dock->errorLabel()->text().startsWith("Line 3, column 12:"),
             qPrintable(dock->errorLabel()->text()));
    QCOMPARE(edit->errorLine(), 3);
    QCOMPARE(edit->errorColumn(), 12);
    QVERIFY(!dock->save());  // Ctrl+S does nothing either
    QCOMPARE(*w.database()->value("user:1001"),
             std::string(R"({"name":"Zoë","tags":["admin","ops"],"active":true})"));

    // Fixed: Save is enabled and writes compact JSON; Undo (the Edit menu's action) reverts it.
    edit->setPlainText("{\n  \"name\": \"Zoë\",\n  \"tags\": [\"admin\"],\n  \"active\": false\n}");
    QVERIFY(dock->saveButton()->isEnabled());
    QCOMPARE(edit->errorLine(), 0);
    QVERIFY(dock->save());
    QCOMPARE(*w.database()->value("user:1001"),
             std::string(R"({"name":"Zoë","tags":["admin"],"active":false})"));
    QAction* undo = w.action("actionUndo");
    QVERIFY(undo->isEnabled());
    QVERIFY2(undo->text().contains("Edit value of “user:1001”"), qPrintable(undo->text()));
    undo->trigger();
    QCOMPARE(*w.database()->value("user:1001"),
             std::string(R"({"name":"Zoë","tags":["admin","ops"],"active":true})"));
    // The editor follows the undo.
    QVERIFY(edit->toPlainText().contains("\"ops\""));
    w.action("actionRedo")->trigger();
    QCOMPARE(*w.database()->value("user:1001"),
             std::string(R"({"name":"Zoë","tags":["admin"],"active":false})"));
  }

  void filterBarFindsMatches() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    w.filterBar()->setDebounce(0);
    QSignalSpy done(&w, &MainWindow::filterFinished);
    KeyFilter f;
    f.mode = KeyFilter::Mode::kSubstring;
    f.text = "00:1";  // no key has it
    f.text = "user";
    w.filterBar()->setFilter(f);
    QVERIFY(QTest::qWaitFor([&] { return done.count() >= 1 && !w.isFiltering(); }, 30000));
    QCOMPARE(w.tableModel()->rowCount(), 2);
    QCOMPARE(w.tableModel()->matchCount(), quint64(2));
    QVERIFY(w.findChild<QLabel*>("matchLabel")->text().contains("2 of 2,002"));
    // Regex over the 2000 generated keys.
    f.mode = KeyFilter::Mode::kRegex;
    f.text = "^key:0001[0-9]{2}$";
    done.clear();
    w.filterBar()->setFilter(f);
    QVERIFY(QTest::qWaitFor([&] { return done.count() >= 1 && !w.isFiltering(); }, 30000));
    QCOMPARE(w.tableModel()->matchCount(), quint64(100));
    // Prefix: straight from the index.
    f.mode = KeyFilter::Mode::kPrefix;
    f.text = "key:0019";
    w.filterBar()->setFilter(f);
    QCOMPARE(w.tableModel()->matchCount(), quint64(100));
    // Cleared: every key again.
    f.text.clear();
    w.filterBar()->setFilter(f);
    QCOMPARE(w.tableModel()->matchCount(), quint64(2002));
    QVERIFY(!w.tableModel()->isFiltered());
  }

  // The filter field's keys: Esc clears it, Down goes on to the results;
  // Ctrl+3 shows the Benchmarks tab as Ctrl+1 and Ctrl+2 show the others.
  void filterKeysAndTabShortcuts() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(QTest::qWaitForWindowActive(&w));
    QLineEdit* edit = w.filterBar()->lineEdit();
    edit->setFocus();
    QTest::keyClicks(edit, "user");
    QCOMPARE(edit->text(), QString("user"));
    QTest::keyClick(edit, Qt::Key_Escape);
    QVERIFY(edit->text().isEmpty());
    QTest::keyClick(edit, Qt::Key_Down);
    QVERIFY(w.tableView()->hasFocus());
    QVERIFY(w.tableView()->currentIndex().isValid());
    // Delete is not the first entry of the key list's context menu.
    const QList<QAction*> menu = w.tableView()->actions();
    QCOMPARE(menu.first(), w.action("actionCopyKey"));
    QVERIFY(menu.indexOf(w.action("actionDeleteKeys")) > menu.indexOf(w.action("actionAddKey")));
    QCOMPARE(w.action("actionBenchmarks")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_3));
    w.action("actionBenchmarks")->trigger();
    QVERIFY(w.findChild<QTabWidget*>()->currentWidget()->inherits("bb::BenchmarkPage"));
  }

  void deleteSeveralAndUndo() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    EditController* edits = w.editController();
    QVERIFY(edits->deleteKeys({guitest::key(0), guitest::key(1), guitest::key(2)}).ok);
    QCOMPARE(w.database()->keyCount(), quint64(1999));
    QCOMPARE(w.tableModel()->keyAt(0), guitest::key(3));
    QVERIFY(w.findChild<QLabel*>("statusKeys")->text().contains("1,999"));
    w.action("actionUndo")->trigger();
    QCOMPARE(w.database()->keyCount(), quint64(2002));
    QCOMPARE(w.tableModel()->keyAt(0), guitest::key(0));
    // Selection drives the actions: three rows selected → "Delete 3 Keys".
    QItemSelection sel(w.tableModel()->index(0, 0), w.tableModel()->index(2, 0));
    w.tableView()->selectionModel()->select(
        sel, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QCOMPARE(w.selectedKeys().size(), std::size_t(3));
    QVERIFY(w.action("actionDeleteKeys")->isEnabled());
    QVERIFY(!w.action("actionRenameKey")->isEnabled());
    QVERIFY(w.action("actionDeleteKeys")->text().contains("3"));
  }

  void historyTabShowsOlderVersions() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    EditController* edits = w.editController();
    QVERIFY(edits->setValue("user:1002", R"({"name":"Ada L."})").ok);
    QVERIFY(edits->setValue("user:1002", R"({"name":"Ada Lovelace"})").ok);
    QVERIFY(w.selectKey("user:1002"));
    ValueEditorDock* dock = w.valueEditor();
    dock->tabs()->setCurrentIndex(ValueEditorDock::kHistoryTab);
    HistoryPanel* history = dock->historyPanel();
    QVERIFY(QTest::qWaitFor([&] { return history->model()->rowCount() == 3; }, 30000));
    QCOMPARE(history->model()->liveRow(), 0);
    // Restore the oldest: undoable like any edit.
    auto* restore = history->findChild<QPushButton*>();
    QVERIFY(restore);
    auto* table = history->findChild<QTableView*>("historyTable");
    table->selectRow(2);
    QVERIFY(restore->isEnabled());
    restore->click();
    QCOMPARE(*w.database()->value("user:1002"), std::string(R"({"name":"Ada"})"));
    QVERIFY(w.action("actionUndo")->text().contains("Restore"));
    QVERIFY(QTest::qWaitFor([&] { return history->model()->rowCount() == 4; }, 30000));
  }

  void readOnlyWindowRefusesEdits() {
    MainWindow w;
    w.show();
    QVERIFY(open(w, OpenMode::kOpenReadOnly));
    for (const char* name : {"actionAddKey", "actionRenameKey", "actionDuplicateKey",
                             "actionDeleteKeys", "actionImport"}) {
      QVERIFY2(!w.action(name)->isEnabled(), name);
    }
    QVERIFY(w.action("actionExport")->isEnabled());
    QVERIFY(w.selectKey("user:1002"));
    ValueEditorDock* dock = w.valueEditor();
    QVERIFY(dock->textEdit()->isReadOnly());
    dock->document()->setText("{\"name\": \"Eve\"}");
    QVERIFY(!dock->saveButton()->isEnabled());
    QVERIFY(!dock->save());
    QCOMPARE(*w.database()->value("user:1002"), std::string(R"({"name":"Ada"})"));
    QVERIFY(w.windowTitle().contains("read-only"));
  }

  void aboutNamesTheVersions() {
    const QString text = AboutDialog::versionText();
    QVERIFY(text.contains(QString("Bitcask Browser %1").arg(bitcask::kVersion)));
    QVERIFY(text.contains(QString("Qt %1").arg(qVersion())));
    QVERIFY(text.contains("nlohmann_json 3."));
    QVERIFY(text.contains("QCustomPlot 2."));
  }
};

QTEST_MAIN(TestMainWindow)
#include "tst_gui_mainwindow.moc"
