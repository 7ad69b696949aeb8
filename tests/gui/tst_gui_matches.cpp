// "Delete all N matches", "Export all matches", "Copy all matching keys": they
// act on every key the filter matches in the engine, not on the rows the table
// has loaded; a delete is one undo step that brings every value back; a cancel
// midway leaves a consistent state and says how many were deleted.
#include <QAbstractButton>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFutureWatcherBase>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <functional>

#include "app/filterbar.h"
#include "app/keytableview.h"
#include "app/mainwindow.h"
#include "app/matchactions.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

std::string userKey(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "user:%06d", i);
  return buf;
}

std::string userValue(int i) {
  return R"({"id":)" + std::to_string(i) + R"(,"name":"u)" + std::to_string(i) + "\"}";
}

}  // namespace

class TestMatches : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  QString path_;

  bool open(MainWindow& w) {
    QSignalSpy ok(&w, &MainWindow::databaseOpened);
    w.openDatabase(path_, OpenMode::kOpen);
    return QTest::qWaitFor([&] { return ok.count() == 1; }, 30000);
  }

  void filter(MainWindow& w, KeyFilter::Mode mode, const QString& text) {
    QSignalSpy done(&w, &MainWindow::filterFinished);
    KeyFilter f;
    f.mode = mode;
    f.text = text;
    w.filterBar()->setFilter(f);
    QVERIFY(done.count() > 0 || done.wait(30000));
  }

  void fillUsers(int n) {
    auto db = guitest::openWritable(path_);
    guitest::fill(db->db(), 1500);  // key:000000..: not matches
    bitcask::WriteBatch b;
    for (int i = 0; i < n; ++i) {
      b.put(userKey(i), userValue(i));
      if (b.size() == 5000) {
        db->db().write(b);
        b.clear();
      }
    }
    if (!b.empty()) db->db().write(b);
    db->db().close();
  }

  void runAndWait(MatchActions* m, const std::function<void()>& start) {
    QSignalSpy finished(m, &MatchActions::finished);
    start();
    QVERIFY(finished.count() > 0 || finished.wait(60000));
  }

 private slots:
  void initTestCase() { isolateSettings(); }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    path_ = guitest::dbPath(*dir_);
  }

  void deleteAllMatchesOfAPrefixBeyondTheLoadedRows() {
    fillUsers(5000);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    filter(w, KeyFilter::Mode::kPrefix, "user:");
    KeyTableModel* model = w.tableModel();
    QCOMPARE(model->matchCount(), quint64(5000));
    QVERIFY(!model->isComplete());
    QCOMPARE(model->rowCount(), 5000);  // every row, though the table holds only keys
    MatchActions* m = w.matchActions();
    QVERIFY(m->deleteAllAction()->isEnabled());
    QCOMPARE(m->deleteAllAction()->text(), QString("Dele&te All %L1 Matches…").arg(5000));

    runAndWait(m, [&] { m->deleteAll(false); });
    QCOMPARE(m->lastOutcome().done, quint64(5000));
    QVERIFY(!m->lastOutcome().cancelled);
    bitcask::DB& db = w.database()->db();
    QCOMPARE(db.count("user:"), quint64(0));
    QCOMPARE(db.count("key:"), quint64(1500));  // nothing else
    QCOMPARE(*db.get(guitest::key(0)), std::string(R"({"n":0})"));
    QCOMPARE(model->matchCount(), quint64(0));
    QCOMPARE(model->rowCount(), 0);

    // One undo step brings every key back with its value.
    QUndoStack* undo = w.editController()->undoStack();
    QCOMPARE(undo->count(), 1);
    undo->undo();
    QCOMPARE(db.count("user:"), quint64(5000));
    for (int i : {0, 1, 999, 1000, 2500, 4999}) QCOMPARE(*db.get(userKey(i)), userValue(i));
    QCOMPARE(db.size(), quint64(6500));
    QCOMPARE(model->matchCount(), quint64(5000));
    undo->redo();
    QCOMPARE(db.count("user:"), quint64(0));
    QCOMPARE(db.size(), quint64(1500));
  }

  void selectionDeleteSaysWhatItIsOutOf() {
    fillUsers(5000);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    filter(w, KeyFilter::Mode::kPrefix, "user:");
    const int loaded = 120;  // rows selected, out of every match
    QCOMPARE(w.tableModel()->rowCount(), 5000);
    w.tableView()->setFocus();
    w.tableView()->selectionModel()->select(
        QItemSelection(w.tableModel()->index(0, 0), w.tableModel()->index(loaded - 1, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QString asked;
    QTimer::singleShot(0, [&] {
      auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
      if (!box) return;
      asked = box->text();
      box->reject();
    });
    w.action("actionDeleteKeys")->trigger();
    QVERIFY2(asked.startsWith(
                 QString("Delete %L1 selected keys (of %L2 matches)?").arg(loaded).arg(5000)),
             qPrintable(asked));
    QVERIFY(asked.contains(QString("Delete All %L1 Matches").arg(5000)));
    QCOMPARE(w.database()->db().count("user:"), quint64(5000));  // answered Cancel
  }

  void deleteAllMatchesOfASubstringFilter() {
    fillUsers(3000);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    // user:000099, user:000990..000999, and the same of key:
    filter(w, KeyFilter::Mode::kSubstring, "00099");
    KeyTableModel* model = w.tableModel();
    QCOMPARE(model->matchCount(), quint64(22));
    runAndWait(w.matchActions(), [&] { w.matchActions()->deleteAll(false); });
    bitcask::DB& db = w.database()->db();
    QCOMPARE(db.size(), quint64(4500 - 22));
    QVERIFY(!db.contains(guitest::key(99)));
    QVERIFY(!db.contains(userKey(995)));
    QVERIFY(!db.contains(guitest::key(990)));
    QVERIFY(db.contains(userKey(989)));
    w.editController()->undoStack()->undo();
    QCOMPARE(db.size(), quint64(4500));
    QCOMPARE(*db.get(userKey(995)), userValue(995));
  }

  void cancelMidwayLeavesAConsistentState() {
    fillUsers(30000);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    filter(w, KeyFilter::Mode::kPrefix, "user:");
    MatchActions* m = w.matchActions();
    // Stop after three batches, in the worker: a cancel from the progress
    // signal could arrive after the last batch on a fast machine.
    m->setBatchGate([](quint64 done) { return done < 3 * kBulkBatchKeys; });
    runAndWait(m, [&] { m->deleteAll(false); });
    m->setBatchGate({});
    const MatchSetOutcome& out = m->lastOutcome();
    const quint64 deleted = out.done;
    QVERIFY(out.cancelled);
    QVERIFY2(deleted > 0 && deleted < 30000, qPrintable(QString::number(deleted)));
    QCOMPARE(deleted % kBulkBatchKeys, quint64(0));  // whole batches only
    bitcask::DB& db = w.database()->db();
    QCOMPARE(db.count("user:"), quint64(30000) - deleted);
    QCOMPARE(db.count("key:"), quint64(1500));
    // Deleted from the first key on, in order.
    QVERIFY(!db.contains(userKey(0)));
    QVERIFY(db.contains(userKey(int(deleted))));
    QCOMPARE(w.tableModel()->matchCount(), quint64(30000) - deleted);
    QVERIFY(w.statusBar()->currentMessage().contains(
        QString("deleted %L1 of %L2").arg(deleted).arg(30000)));
    // Undo brings back exactly those.
    w.editController()->undoStack()->undo();
    QCOMPARE(db.count("user:"), quint64(30000));
    QCOMPARE(*db.get(userKey(0)), userValue(0));
  }

  void exportAndCopyAllMatches() {
    fillUsers(2500);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    filter(w, KeyFilter::Mode::kPrefix, "user:");
    QVERIFY(!w.tableModel()->isComplete());  // the table holds keys: the export reads entries
    MatchActions* m = w.matchActions();
    const QString file = dir_->filePath("matches.jsonl");
    runAndWait(m, [&] { m->exportAll(file); });
    QCOMPARE(m->lastOutcome().done, quint64(2500));
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QList<QByteArray> lines = f.readAll().trimmed().split('\n');
    QCOMPARE(lines.size(), 2500);
    QCOMPARE(lines.first(), QByteArray(R"({"key":"user:000000","value":{"id":0,"name":"u0"}})"));
    QCOMPARE(lines.last(),
             QByteArray(R"({"key":"user:002499","value":{"id":2499,"name":"u2499"}})"));

    runAndWait(m, [&] { m->copyAll(); });
    const QStringList keys = QApplication::clipboard()->text().split('\n');
    QCOMPARE(keys.size(), 2500);
    QCOMPARE(keys.first(), QString("user:000000"));
    QCOMPARE(keys.last(), QString("user:002499"));
  }

  // Every match action has a mnemonic (Alt+letter) of its own in each menu it is in: the Edit
  // menu and the key table's context menu. Checked with counts in the texts (N matches, N
  // selected keys) and without, and on the delete prompt's button.
  void matchActionsHaveTheirOwnMnemonics() {
    fillUsers(300);
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    MatchActions* m = w.matchActions();
    const QList<QAction*> mine = {m->deleteAllAction(), m->exportAllAction(),
                                  m->copyAllAction(),   m->copyValueAction(),
                                  m->copyJsonAction(),  m->exportSelectedAction()};
    QMenu* edit = nullptr;
    for (QAction* a : w.menuBar()->actions()) {
      if (a->menu() && a->text() == QStringLiteral("&Edit")) edit = a->menu();
    }
    QVERIFY(edit);
    const auto check = [&](const QString& when) {
      for (const QList<QAction*>& menu : {edit->actions(), w.tableView()->actions()}) {
        for (QAction* a : mine) {
          QVERIFY2(menu.contains(a), qPrintable(a->text()));
          const QKeySequence key = QKeySequence::mnemonic(a->text());
          QVERIFY2(!key.isEmpty(), qPrintable(when + ": no mnemonic in " + a->text()));
          for (QAction* other : menu) {
            if (other == a || other->isSeparator() || other->text().isEmpty()) continue;
            QVERIFY2(QKeySequence::mnemonic(other->text()) != key,
                     qPrintable(when + ": " + a->text() + " and " + other->text()));
          }
        }
      }
    };
    m->update();
    check("unfiltered");
    filter(w, KeyFilter::Mode::kPrefix, "user:");
    QCOMPARE(m->deleteAllAction()->text(), QString("Dele&te All %L1 Matches…").arg(300));
    w.tableView()->selectionModel()->select(
        QItemSelection(w.tableModel()->index(0, 0), w.tableModel()->index(2, 0)),
        QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m->update();
    QCOMPARE(m->exportSelectedAction()->text(), QString("Export 3 Se&lected Keys…"));
    check("filtered, 3 selected");

    QString button;
    QTimer poll;  // the prompt comes once the matches are found
    connect(&poll, &QTimer::timeout, [&] {
      auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
      if (!box || box->objectName() != QStringLiteral("deleteAllMatchesBox")) return;
      for (QAbstractButton* b : box->buttons()) {
        if (box->buttonRole(b) == QMessageBox::DestructiveRole) button = b->text();
      }
      box->reject();
    });
    poll.start(10);
    runAndWait(m, [&] { m->deleteAll(true); });
    QCOMPARE(button, QString("&Delete %L1 Keys").arg(300));
    QCOMPARE(w.database()->db().count("user:"), quint64(300));  // answered Cancel
  }
};

QTEST_MAIN(TestMatches)
#include "tst_gui_matches.moc"
