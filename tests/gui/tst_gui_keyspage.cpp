// The Keys page: filters are case-insensitive by default with a case toggle
// that shows its state; a search inside values (in the background, bounded,
// cancellable); a backtracking pattern neither hangs the search nor is
// silently dropped; Copy Value and Copy as JSON Line; Export of the selection
// and of every match in `bitcask export`'s lines; key counts and sizes on the
// namespace tree's groups; the value pane lets go of a key the filter hides;
// and the tree model's errors reach the user.
#include <bitcask/import.h>

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QImage>
#include <QItemSelectionModel>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QSignalSpy>
#include <QToolButton>
#include <QtConcurrent>
#include <atomic>
#include <sstream>

#include "app/filterbar.h"
#include "app/jsontextedit.h"
#include "app/keyspage.h"
#include "app/keytableview.h"
#include "app/mainwindow.h"
#include "app/matchactions.h"
#include "app/messagebanner.h"
#include "app/valueeditordock.h"
#include "core/editcontroller.h"
#include "core/keyfilter.h"
#include "core/keytablemodel.h"
#include "core/keytreemodel.h"
#include "core/valuedocument.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

// A run of a's that (a+)+$ cannot match, and backtracks over until PCRE2's match limit.
std::string catastrophic(int i) { return std::string(30, 'a') + "!" + std::to_string(i); }

FilterResult scan(const DbPtr& db, const KeyFilter& f) {
  QFuture<FilterResult> future = QtConcurrent::run(runFilterScan, db, f);
  future.waitForFinished();
  if (future.resultCount() != 1) qFatal("filter returned no result");
  return future.result();
}

KeyFilter contains(const QString& text, bool values = false) {
  KeyFilter f;
  f.mode = KeyFilter::Mode::kSubstring;
  f.text = text;
  f.searchValues = values;
  return f;
}

QStringList keysOf(const FilterResult& r) {
  QStringList out;
  for (const auto& e : *r.matches) out << QString::fromStdString(e.key);
  return out;
}

// The mean colour of a widget as drawn.
QColor meanColour(QWidget* w) {
  const QImage img = w->grab().toImage();
  qint64 r = 0, g = 0, b = 0, n = 0;
  for (int y = 0; y < img.height(); ++y) {
    for (int x = 0; x < img.width(); ++x) {
      const QColor c = img.pixelColor(x, y);
      r += c.red();
      g += c.green();
      b += c.blue();
      ++n;
    }
  }
  if (n == 0) return {};
  return QColor(int(r / n), int(g / n), int(b / n));
}

int distance(const QColor& a, const QColor& b) {
  return std::abs(a.red() - b.red()) + std::abs(a.green() - b.green()) +
         std::abs(a.blue() - b.blue());
}

// The lines `bitcask export` writes for the whole database, by key.
QMap<QString, QString> exportedLines(bitcask::DB& db) {
  std::ostringstream os;
  bitcask::export_jsonl(db, os);
  QMap<QString, QString> lines;
  std::istringstream is(os.str());
  std::string line;
  while (std::getline(is, line)) {
    const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromStdString(line)).object();
    lines.insert(o.value("key").toString(), QString::fromStdString(line + "\n"));
  }
  return lines;
}

}  // namespace

class TestKeysPage : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  QString path_;

  bool open(MainWindow& w) {
    QSignalSpy ok(&w, &MainWindow::databaseOpened);
    w.openDatabase(path_, OpenMode::kOpen);
    return QTest::qWaitFor([&] { return ok.count() == 1; }, 30000);
  }

  static void applyAndWait(MainWindow& w, const KeyFilter& f) {
    QSignalSpy done(&w, &MainWindow::filterFinished);
    w.filterBar()->setFilter(f);
    QVERIFY(done.count() > 0 || done.wait(30000));
  }

  static void runAndWait(MatchActions* m, const std::function<void()>& start) {
    QSignalSpy finished(m, &MatchActions::finished);
    start();
    QVERIFY(finished.count() > 0 || finished.wait(60000));
  }

  // Selects exactly `keys` in the table.
  static void selectRows(MainWindow& w, const std::vector<std::string>& keys) {
    KeyTableView* view = w.tableView();
    view->selectionModel()->clearSelection();
    for (const auto& k : keys) {
      const int row = w.tableModel()->ensureLoaded(k);
      QVERIFY(row >= 0);
      view->selectionModel()->select(w.tableModel()->index(row, 0),
                                     QItemSelectionModel::Select | QItemSelectionModel::Rows);
    }
  }

  void fillSample() {
    auto db = guitest::openWritable(path_);
    bitcask::WriteBatch b;
    b.put("user:1:name", R"("Ada")");
    b.put("User:2:name", R"("Grace")");
    b.put("user:3:bio", R"({"text":"likes NEEDLES and thread"})");
    b.put("config", R"({"theme": "dark"})");  // not compact JSON: exported as "raw"
    b.put("blob", std::string("\x00\xff\x01", 3));
    b.put("session:a", "1");
    db->write(b);
    db->db().close();
  }

  // The sample, open in `w` and searched for "needle" in keys and values: one match.
  bool openSearchingForNeedles(MainWindow& w) {
    fillSample();
    w.show();
    if (!open(w)) return false;
    applyAndWait(w, contains("needle", true));
    return w.tableModel()->matchCount() == 1;
  }

 private slots:
  void initTestCase() { isolateSettings(); }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    path_ = guitest::dbPath(*dir_);
  }

  void filtersIgnoreCaseByDefault() {
    QVERIFY(!KeyFilter{}.caseSensitive);
    FilterBar bar;
    QVERIFY(!bar.filter().caseSensitive);
    QVERIFY(!bar.caseToggle()->isChecked());
    fillSample();
    auto db = guitest::openWritable(path_);
    QCOMPARE(keysOf(scan(db->handle(), contains("user:"))),
             (QStringList{"User:2:name", "user:1:name", "user:3:bio"}));
    KeyFilter rx;
    rx.mode = KeyFilter::Mode::kRegex;
    rx.text = "^USER:\\d";
    QCOMPARE(scan(db->handle(), rx).matches->size(), std::size_t(3));
    rx.caseSensitive = true;
    QCOMPARE(scan(db->handle(), rx).matches->size(), std::size_t(0));
  }

  void caseToggleShowsItsState() {
    FilterBar bar;
    bar.resize(600, 40);
    bar.show();
    QSignalSpy changed(&bar, &FilterBar::filterChanged);
    QToolButton* toggle = bar.caseToggle();
    QVERIFY(!toggle->isEnabled());  // a prefix is matched exactly
    bar.setFilter(contains("x"));
    QVERIFY(toggle->isEnabled());
    const QString offTip = toggle->toolTip();
    QVERIFY(offTip.contains("Match case: off"));
    toggle->click();
    QVERIFY(bar.filter().caseSensitive);
    QVERIFY(toggle->toolTip().contains("Match case: on"));
    QVERIFY(changed.wait(5000));  // the filter runs again, debounced

    // Checked and unchecked look plainly different, in a light and in a dark palette.
    const QPalette saved = QApplication::palette();
    for (const bool dark : {false, true}) {
      QPalette p;
      if (dark) {
        p.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        p.setColor(QPalette::Base, QColor(0x1e, 0x1e, 0x1e));
        p.setColor(QPalette::Text, QColor(0xe0, 0xe0, 0xe0));
        p.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xe0));
        p.setColor(QPalette::HighlightedText, Qt::white);
      } else {
        p.setColor(QPalette::Window, QColor(0xf0, 0xf0, 0xf0));
        p.setColor(QPalette::Base, Qt::white);
        p.setColor(QPalette::Text, Qt::black);
        p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
        p.setColor(QPalette::HighlightedText, Qt::white);
      }
      QApplication::setPalette(p);        // as View › Theme does
      QCoreApplication::processEvents();  // the palette reaches widgets through events
      toggle->setChecked(true);
      const QColor on = meanColour(toggle);
      toggle->setChecked(false);
      const QColor off = meanColour(toggle);
      // The palette reached the toggle: unchecked, it is dark in the dark one.
      QVERIFY2((off.lightness() < 128) == dark, qPrintable(off.name()));
      QVERIFY2(distance(on, off) > 90, qPrintable(QString("%1: checked %2, unchecked %3")
                                                      .arg(dark ? "dark" : "light")
                                                      .arg(on.name(), off.name())));
    }
    QApplication::setPalette(saved);
  }

  void valueSearchFindsWhatOnlyAValueHolds() {
    fillSample();
    auto db = guitest::openWritable(path_);
    // By key only: nothing has "needle" in its key.
    QCOMPARE(scan(db->handle(), contains("needle")).matches->size(), std::size_t(0));
    const FilterResult r = scan(db->handle(), contains("needle", true));
    QCOMPARE(keysOf(r), QStringList{"user:3:bio"});
    QCOMPARE(r.valuesRead, quint64(6));
    QCOMPARE(r.valuesPartial, quint64(0));
    // A key matching by name is listed without its value being read.
    const FilterResult byName = scan(db->handle(), contains("session", true));
    QCOMPARE(keysOf(byName), QStringList{"session:a"});
    QCOMPARE(byName.valuesRead, quint64(5));

    // A value longer than kValueSearchBytes is searched in its first part, and counted.
    std::string big(kValueSearchBytes + 100, 'x');
    big.replace(10, 6, "early!");
    big.replace(kValueSearchBytes + 10, 5, "late!");
    db->db().put("big", big);
    QCOMPARE(keysOf(scan(db->handle(), contains("early!", true))), QStringList{"big"});
    const FilterResult late = scan(db->handle(), contains("late!", true));
    QCOMPARE(late.matches->size(), std::size_t(0));
    QCOMPARE(late.valuesPartial, quint64(1));
  }

  void valueSearchInTheWindowAndItsCount() {
    MainWindow w;
    QVERIFY(openSearchingForNeedles(w));
    QCOMPARE(w.tableModel()->keyAt(0), std::string("user:3:bio"));
    QVERIFY(w.keysPage()->lastScan().has_value());
    QCOMPARE(w.keysPage()->lastScan()->valuesRead, quint64(6));
    const QString text = w.filterBar()->matchLabel()->text();
    QVERIFY2(text.contains("1 of 6 keys") && text.contains("values"), qPrintable(text));
    QVERIFY(w.filterBar()->valuesToggle()->isChecked());
  }

  // Many keys put under a search in values: their values are not read on the GUI thread one by
  // one; the search runs again in the background and lists the new matches.
  void manyChangesUnderAValueSearchSearchAgain() {
    MainWindow w;
    QVERIFY(openSearchingForNeedles(w));
    QSignalSpy again(w.tableModel(), &KeyTableModel::refilterNeeded);
    QSignalSpy done(w.keysPage(), &KeysPage::filterFinished);
    bitcask::WriteBatch batch;
    for (int i = 0; i < 100; ++i) {
      batch.put("doc:" + std::to_string(1000 + i), R"({"text":"a needle"})");
      batch.put("other:" + std::to_string(1000 + i), R"({"text":"hay"})");
    }
    w.database()->write(batch);
    QCOMPARE(again.count(), 1);
    QVERIFY(done.count() > 0 || done.wait(30000));
    QCOMPARE(w.tableModel()->matchCount(), quint64(101));
    QCOMPARE(w.tableModel()->keyAt(0), std::string("doc:1000"));
  }

  // The match list goes to a background task shared, not copied; an edit meanwhile changes the
  // model's list only.
  void matchListIsSharedAndCopiedOnChange() {
    fillSample();
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    applyAndWait(w, contains("user"));
    KeyTableModel* model = w.tableModel();
    QCOMPARE(model->matchCount(), quint64(3));
    const KeyTableModel::SharedEntries shared = model->sharedEntries();
    QCOMPARE(shared.get(), &model->entries());  // the same list, no copy
    bitcask::WriteBatch batch;
    batch.remove("user:1:name");
    w.database()->write(batch);
    QCOMPARE(model->matchCount(), quint64(2));
    QCOMPARE(shared->size(), std::size_t(3));  // what the task was given stays as it was
    QVERIFY(shared.get() != &model->entries());
  }

  void cancelStopsABacktrackingSearchWithinAKey() {
    // Each key costs the pattern its whole match limit: hundreds of them would take long.
    auto db = guitest::openWritable(path_);
    bitcask::WriteBatch b;
    for (int i = 0; i < 400; ++i) b.put(catastrophic(i), "v");
    db->write(b);
    KeyFilter f;
    f.mode = KeyFilter::Mode::kRegex;
    f.text = "^(a+)+$";
    auto scanned = std::make_shared<std::atomic<quint64>>(0);
    QFuture<FilterResult> future =
        QtConcurrent::run(runFilterScanCounting, db->handle(), f, scanned);
    QVERIFY(QTest::qWaitFor([&] { return scanned->load() >= 2 || future.isFinished(); }, 60000));
    future.cancel();
    future.waitForFinished();
    // Stopped between keys, not at the end of a page of 4,096.
    QVERIFY2(scanned->load() < 400, qPrintable(QString::number(scanned->load())));
    QCOMPARE(future.resultCount(), 0);

    // Finished, the keys it gave up on are counted, not silently left out.
    bitcask::WriteBatch few;
    for (int i = 0; i < 400; ++i) few.remove(catastrophic(i));
    for (int i = 0; i < 3; ++i) few.put(catastrophic(i), "v");
    few.put("aaaa", "v");
    db->write(few);
    const FilterResult r = scan(db->handle(), f);
    QCOMPARE(keysOf(r), QStringList{"aaaa"});
    QCOMPARE(r.undecided, quint64(3));
  }

  void cancelAValueSearchFromTheBar() {
    auto db = guitest::openWritable(path_);
    bitcask::WriteBatch b;
    for (int i = 0; i < 400; ++i) b.put("k" + std::to_string(i), catastrophic(i));
    db->write(b);
    db->db().close();
    db.reset();
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    KeyFilter f;
    f.mode = KeyFilter::Mode::kRegex;
    f.text = "^(a+)+$";
    f.searchValues = true;
    w.filterBar()->setFilter(f);
    QVERIFY(w.isFiltering());
    QVERIFY(QTest::qWaitFor([&] { return w.filterBar()->cancelButton()->isVisible(); }, 5000));
    w.filterBar()->cancelButton()->click();
    QVERIFY(QTest::qWaitFor([&] { return !w.isFiltering(); }, 60000));
    QCOMPARE(w.filterBar()->matchLabel()->text(), QString("Search stopped"));
    QVERIFY(!w.filterBar()->cancelButton()->isVisible());
  }

  void copyValueAndJsonLines() {
    fillSample();
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    MatchActions* m = w.matchActions();
    QVERIFY(w.selectKey("user:3:bio"));
    QVERIFY(m->copyValueAction()->isEnabled());
    runAndWait(m, [&] { m->copyValue(false); });
    QCOMPARE(QApplication::clipboard()->text(), QString(R"({"text":"likes NEEDLES and thread"})"));

    // A binary value goes as hex, and the user is told.
    QVERIFY(w.selectKey("blob"));
    QSignalSpy status(m, &MatchActions::statusMessage);
    runAndWait(m, [&] { m->copyValue(false); });
    QCOMPARE(QApplication::clipboard()->text(), QString("00ff01"));
    QVERIFY(status.last().at(0).toString().contains("hex"));

    // JSON lines: exactly what `bitcask export` writes for those keys.
    const QMap<QString, QString> exported = exportedLines(w.database()->db());
    selectRows(w, {"config", "user:1:name"});
    QCOMPARE(m->copyJsonAction()->text(), QString("Copy 2 as &JSON Lines"));
    runAndWait(m, [&] { m->copyJsonLines(false); });
    QCOMPARE(QApplication::clipboard()->text(), exported["config"] + exported["user:1:name"]);
    QVERIFY(exported["config"].contains("\"raw\""));  // kept byte for byte
    QCOMPARE(QApplication::clipboard()->text().toStdString(),
             bitcask::export_jsonl_line("config", R"({"theme": "dark"})") +
                 bitcask::export_jsonl_line("user:1:name", R"("Ada")"));
  }

  void exportFilteredKeysAndSelection() {
    fillSample();
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    const QMap<QString, QString> exported = exportedLines(w.database()->db());
    applyAndWait(w, contains("user"));
    QCOMPARE(w.tableModel()->matchCount(), quint64(3));
    MatchActions* m = w.matchActions();
    const QString all = dir_->filePath("matches.jsonl");
    runAndWait(m, [&] { m->exportAll(all); });
    QFile f(all);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(f.readAll()),
             exported["User:2:name"] + exported["user:1:name"] + exported["user:3:bio"]);

    // The selection only.
    selectRows(w, {"user:3:bio"});
    const QString selected = dir_->filePath("selected.jsonl");
    QVERIFY(m->exportSelectedAction()->isEnabled());
    runAndWait(m, [&] { m->exportSelected(selected); });
    QFile s(selected);
    QVERIFY(s.open(QIODevice::ReadOnly));
    QCOMPARE(QString::fromUtf8(s.readAll()), exported["user:3:bio"]);
    QCOMPARE(m->lastOutcome().done, quint64(1));
  }

  void treeGroupsShowCountsAndSizes() {
    auto db = guitest::openWritable(path_);
    bitcask::WriteBatch b;
    b.put("user:1:name", "12345");    // 5 bytes
    b.put("user:1:mail", "123");      // 3
    b.put("user:2:name", "1234567");  // 7
    b.put("order:9", "12");           // 2
    b.put("plain", "1");
    db->write(b);
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    QVERIFY(QTest::qWaitFor([&] { return !model.isCounting(); }, 30000));
    QCOMPARE(model.rowCount(), 3);  // order:, plain, user:
    const QModelIndex user = model.index(2, 0);
    QVERIFY(user.data(KeyTreeModel::kIsGroupRole).toBool());
    QCOMPARE(user.data(KeyTreeModel::kKeyCountRole).toULongLong(), 3ull);
    QCOMPARE(user.data(KeyTreeModel::kTotalSizeRole).toULongLong(), 15ull);
    QCOMPARE(model.index(2, KeyTreeModel::kKeysColumn).data().toString(), QString("3"));
    QCOMPARE(model.index(2, KeyTreeModel::kSizeColumn).data().toString(), formatBytes(15));
    QCOMPARE(model.index(0, 0).data(KeyTreeModel::kKeyCountRole).toULongLong(), 1ull);
    // A leaf has no count in the Keys column.
    QVERIFY(model.index(1, KeyTreeModel::kKeysColumn).data().toString().isEmpty());
    // Nested groups count their own keys.
    while (model.canFetchMore(user)) model.fetchMore(user);
    QVERIFY(QTest::qWaitFor([&] { return !model.isCounting(); }, 30000));
    const QModelIndex one = model.index(0, 0, user);
    QCOMPARE(one.data(KeyTreeModel::kPrefixRole).toByteArray(), QByteArray("user:1:"));
    QCOMPARE(one.data(KeyTreeModel::kKeyCountRole).toULongLong(), 2ull);
    QCOMPARE(one.data(KeyTreeModel::kTotalSizeRole).toULongLong(), 8ull);

    // Edits under a group sum it again.
    EditController edits;
    edits.setDatabase(db.get());
    QVERIFY(edits.addKey("user:1:phone", "\"5\"").ok);  // 3 bytes
    QVERIFY(QTest::qWaitFor(
        [&] { return !model.isCounting() && user.data(KeyTreeModel::kKeyCountRole) == 4ull; },
        30000));
    QCOMPARE(user.data(KeyTreeModel::kTotalSizeRole).toULongLong(), 18ull);
    QCOMPARE(one.data(KeyTreeModel::kKeyCountRole).toULongLong(), 3ull);
    QVERIFY(edits.deleteKeys({"user:2:name"}).ok);
    QVERIFY(QTest::qWaitFor(
        [&] { return !model.isCounting() && user.data(KeyTreeModel::kKeyCountRole) == 3ull; },
        30000));
    QCOMPARE(user.data(KeyTreeModel::kTotalSizeRole).toULongLong(), 11ull);
  }

  void valuePaneLetsGoOfAHiddenKey() {
    fillSample();
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    ValueDocument* doc = w.valueEditor()->document();
    QVERIFY(w.selectKey("session:a"));
    QVERIFY(doc->hasKey());
    QCOMPARE(doc->key(), std::string("session:a"));

    QVERIFY(QTest::qWaitFor([&] { return doc->state() == ValueDocument::State::kLoaded; }, 30000));

    // Still listed: it stays, and stays selected, unsaved edits and all.
    w.valueEditor()->textEdit()->setPlainText("2");  // typed in the editor
    QVERIFY(doc->isModified());
    applyAndWait(w, contains("sess"));
    QCOMPARE(w.currentKey(), std::optional<std::string>("session:a"));
    QCOMPARE(doc->key(), std::string("session:a"));
    QVERIFY(doc->isModified());
    QCOMPARE(doc->text(), QString("2"));

    // A scan that no longer lists it: the pane shows what the table does.
    applyAndWait(w, contains("nothing-matches-this"));
    QCOMPARE(w.tableModel()->rowCount(), 0);
    QVERIFY(!doc->hasKey());

    // A prefix filter too.
    applyAndWait(w, KeyFilter{});
    QVERIFY(w.selectKey("session:a"));
    QCOMPARE(doc->key(), std::string("session:a"));
    KeyFilter prefix;
    prefix.text = "user:";
    applyAndWait(w, prefix);
    QVERIFY(w.currentKey() != std::optional<std::string>("session:a"));
    QVERIFY(!doc->hasKey() || doc->key() != "session:a");
  }

  void treeModelErrorsReachTheUser() {
    fillSample();
    auto db = guitest::openWritable(path_);
    KeyTreeModel model;
    model.setDatabase(db.get());
    QCOMPARE(model.rowCount(), 5);  // User:, blob, config, session:, user:
    QSignalSpy errors(&model, &KeyTreeModel::errorOccurred);
    db->db().close();  // every read now fails
    model.setRootPrefix("user:");
    QVERIFY(errors.count() >= 1);
    QVERIFY2(errors.first().at(0).toString().contains("user:"),
             qPrintable(errors.first().at(0).toString()));
    QCOMPARE(model.rowCount(), 0);

    // The window shows it in its banner (the banner is part of the open database's page).
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    emit w.keysPage()->treeModel()->errorOccurred(QStringLiteral("Cannot list the keys: boom"));
    QVERIFY(w.banner()->isVisible());
    QVERIFY(w.banner()->text().contains("boom"));
  }
};

QTEST_MAIN(TestKeysPage)
#include "tst_gui_keyspage.moc"
