// The Keys page with a table that knows every row at once: Ctrl+A selects up
// to millions of keys, so the selected-key actions on the whole listing go
// through the match-set path (found and acted on in the background, one undo
// step), a huge partial selection is refused with a message, the Size column
// fits the widest size text, and a value search keeps testing values of keys
// put after it ran.
#include <QApplication>
#include <QClipboard>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTimer>
#include <QUndoStack>
#include <functional>
#include <limits>

#include "app/filterbar.h"
#include "app/keyspage.h"
#include "app/keytableview.h"
#include "app/mainwindow.h"
#include "app/matchactions.h"
#include "core/database.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/valueformat.h"
#include "gui_test_util.h"

using namespace bb;

class TestKeysGuard : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  QString path_;

  void fill(int n) {
    auto db = guitest::openWritable(path_);
    guitest::fill(db->db(), n);
    db->db().close();
  }

  bool open(MainWindow& w) {
    QSignalSpy ok(&w, &MainWindow::databaseOpened);
    w.openDatabase(path_, OpenMode::kOpen);
    if (!QTest::qWaitFor([&] { return ok.count() == 1; }, 30000)) return false;
    w.tableModel()->waitForLoaded();
    return true;
  }

  void filter(MainWindow& w, const KeyFilter& f) {
    QSignalSpy done(&w, &MainWindow::filterFinished);
    w.filterBar()->setFilter(f);
    QVERIFY(done.count() > 0 || done.wait(30000));
  }

  // Runs `start` until `m` finishes, answering the box named `boxName` (when one shows) with
  // its destructive button; returns the box's text and informative text.
  static QStringList answerBox(MatchActions* m, const QString& boxName,
                               const std::function<void()>& start) {
    QSignalSpy finished(m, &MatchActions::finished);
    QStringList seen;
    QTimer poll;
    poll.setInterval(10);
    QObject::connect(&poll, &QTimer::timeout, [&] {
      auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
      if (!box || box->objectName() != boxName) return;
      seen << box->text() << box->informativeText();
      for (QAbstractButton* b : box->buttons()) {
        if (box->buttonRole(b) == QMessageBox::DestructiveRole) {
          b->click();
          return;
        }
      }
      box->reject();
    });
    poll.start();
    start();
    if (finished.count() == 0) finished.wait(60000);
    return seen;
  }

 private slots:
  void initTestCase() { isolateSettings(); }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    path_ = guitest::dbPath(*dir_);
  }

  void deleteOfEveryRowGoesThroughTheMatchSet() {
    const int n = 20000;
    fill(n);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QCOMPARE(w.tableModel()->rowCount(), n);
    w.tableView()->setFocus();
    w.tableView()->selectAll();  // what Ctrl+A does
    KeysPage* page = w.keysPage();
    QVERIFY(page->isWholeListingSelected());
    QCOMPARE(page->selectedCount(), quint64(n));
    QCOMPARE(w.action("actionDeleteKeys")->text(), QString("&Delete %L1 Keys").arg(n));

    MatchActions* m = w.matchActions();
    const QStringList asked =
        answerBox(m, "deleteAllMatchesBox", [&] { w.action("actionDeleteKeys")->trigger(); });
    // The prompt came from the match-set path, with the true count.
    QCOMPARE(asked.size(), 2);
    QCOMPARE(asked[0], QString("Delete all %L1 keys in the database?").arg(n));
    QVERIFY2(!asked[1].contains("loaded"), qPrintable(asked[1]));
    QVERIFY2(asked[1].contains("Undo"), qPrintable(asked[1]));
    QCOMPARE(m->lastOutcome().done, quint64(n));
    bitcask::DB& db = w.database()->db();
    QCOMPARE(db.size(), quint64(0));
    QCOMPARE(w.tableModel()->rowCount(), 0);

    // One undo step brings every key back.
    QUndoStack* undo = w.editController()->undoStack();
    QCOMPARE(undo->count(), 1);
    undo->undo();
    QCOMPARE(db.size(), quint64(n));
    QCOMPARE(*db.get(guitest::key(12345)), std::string(R"({"n":12345})"));
    QCOMPARE(w.tableModel()->rowCount(), n);
  }

  void deleteOfEveryFilteredRowStatesTheFilter() {
    fill(3000);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    KeyFilter f;
    f.mode = KeyFilter::Mode::kSubstring;
    f.text = "00099";  // key:000099, key:000990..000999
    filter(w, f);
    QCOMPARE(w.tableModel()->rowCount(), 11);
    w.tableView()->selectAll();
    MatchActions* m = w.matchActions();
    const QStringList asked =
        answerBox(m, "deleteAllMatchesBox", [&] { w.action("actionDeleteKeys")->trigger(); });
    QCOMPARE(asked.value(0), QString("Delete all %L1 keys matching “00099”?").arg(11));
    QVERIFY2(!asked.value(1).contains("loaded"), qPrintable(asked.value(1)));
    QCOMPARE(w.database()->db().size(), quint64(3000 - 11));
    QCOMPARE(w.editController()->undoStack()->count(), 1);
  }

  void copyAndExportOfEveryRowGoThroughTheMatchSet() {
    const int n = 20000;
    fill(n);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    w.tableView()->selectAll();
    MatchActions* m = w.matchActions();
    {
      QSignalSpy finished(m, &MatchActions::finished);
      w.action("actionCopyKey")->trigger();
      QVERIFY(finished.count() > 0 || finished.wait(60000));
      const QStringList lines = QApplication::clipboard()->text().split('\n');
      QCOMPARE(lines.size(), n);
      QCOMPARE(lines.first(), QString("key:000000"));
      QCOMPARE(lines.last(), QString::fromStdString(guitest::key(n - 1)));
    }
    {
      const QString file = dir_->path() + "/all.jsonl";
      QSignalSpy finished(m, &MatchActions::finished);
      m->exportSelected(file);
      QVERIFY(finished.count() > 0 || finished.wait(60000));
      QCOMPARE(m->lastOutcome().done, quint64(n));
      QFile f(file);
      QVERIFY(f.open(QIODevice::ReadOnly));
      QCOMPARE(f.readAll().count('\n'), n);
    }
  }

  void aHugePartialSelectionIsRefused() {
    const int n = int(MatchActions::kMaxSelectedKeys) + 50;
    fill(n);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    KeyTableModel* model = w.tableModel();
    QCOMPARE(model->rowCount(), n);
    const int rows = int(MatchActions::kMaxSelectedKeys) + 10;  // all but the last 40
    w.tableView()->selectionModel()->select(
        QItemSelection(model->index(0, 0), model->index(rows - 1, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    KeysPage* page = w.keysPage();
    QVERIFY(!page->isWholeListingSelected());
    QCOMPARE(page->selectedCount(), quint64(rows));
    w.action("actionDeleteKeys")->trigger();
    auto* box = w.findChild<QMessageBox*>("selectionTooLargeBox");
    QVERIFY(box);
    QVERIFY2(box->text().contains(QString("%L1 keys are selected").arg(rows)),
             qPrintable(box->text()));
    QVERIFY(box->informativeText().contains("Ctrl+A"));
    box->accept();
    QCOMPARE(w.database()->db().size(), quint64(n));  // nothing deleted
    QCOMPARE(w.editController()->undoStack()->count(), 0);

    // Overlapping ranges count once; a small selection is acted on directly.
    w.tableView()->selectionModel()->select(
        QItemSelection(model->index(10, 0), model->index(19, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    w.tableView()->selectionModel()->select(
        QItemSelection(model->index(15, 0), model->index(24, 0)),
        QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QCOMPARE(page->selectedCount(), quint64(15));
    const auto keys = page->selectedKeys();
    QCOMPARE(keys.size(), std::size_t(15));
    QCOMPARE(keys.front(), guitest::key(10));
    QCOMPARE(keys.back(), guitest::key(24));
  }

  void sizeColumnFitsTheWidestSize() {
    fill(10);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    KeyTableView* view = w.tableView();
    const QFontMetrics fm = view->fontMetrics();
    const int width = view->columnWidth(KeyTableModel::kSizeColumn);
    for (quint64 size : {quint64(1023), quint64(999 * 1024 + 1023), quint64(1024 * 1024 - 1),
                         quint64(1024 * 1024 - 103), quint64(1024) * 1024 * 1024 - 1,
                         quint64(std::numeric_limits<quint32>::max())}) {
      QVERIFY2(fm.horizontalAdvance(formatBytes(size)) < width,
               qPrintable(formatBytes(size) + QString(" in %1 px").arg(width)));
    }
    QCOMPARE(KeyTableView::sizeTextWidth(fm) + 24, width);
  }

  void valueSearchTestsTheValuesOfKeysPutAfterIt() {
    fill(200);
    {
      auto db = guitest::openWritable(path_);
      db->db().put("note:a", R"({"text":"a needle here"})");
      db->db().close();
    }
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    KeyFilter f;
    f.mode = KeyFilter::Mode::kSubstring;
    f.text = "needle";
    f.searchValues = true;
    filter(w, f);
    KeyTableModel* model = w.tableModel();
    QCOMPARE(model->matchCount(), quint64(1));
    QVERIFY(model->rowOfKey("note:a") >= 0);

    EditController* c = w.editController();
    // A new key whose value matches is listed; one whose value does not, is not.
    QVERIFY(c->addKey("note:b", R"({"text":"another needle"})"));
    QVERIFY(c->addKey("note:c", R"({"text":"hay"})"));
    QVERIFY(model->rowOfKey("note:b") >= 0);
    QCOMPARE(model->rowOfKey("note:c"), -1);
    // An edited key whose new value matches is listed.
    QVERIFY(c->setValue(guitest::key(7), R"({"text":"needle"})"));
    QVERIFY(model->rowOfKey(guitest::key(7)) >= 0);
    QVERIFY(c->setValue("note:c", R"({"text":"hay and a needle"})"));
    QVERIFY(model->rowOfKey("note:c") >= 0);
    QCOMPARE(model->matchCount(), quint64(4));
    // The same listing as a new search gives.
    w.keysPage()->refilter();
    QVERIFY(QTest::qWaitFor([&] { return !w.isFiltering(); }, 30000));
    QCOMPARE(model->matchCount(), quint64(4));
  }
};

QTEST_MAIN(TestKeysGuard)
#include "tst_gui_keysguard.moc"
