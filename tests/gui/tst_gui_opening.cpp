// Opening databases: every fixture, locked directories, and the errors put
// in plain words; through openDatabase() and through the main window.
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <fstream>
#include <nlohmann/json.hpp>

#include "app/mainwindow.h"
#include "app/messagebanner.h"
#include "app/openingpage.h"
#include "app/startpage.h"
#include "core/database.h"
#include "core/keypreviewmodel.h"
#include "core/keytablemodel.h"
#include "core/valueformat.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

// Waits for the window's background open to finish.
bool waitOpened(MainWindow& w) {
  QSignalSpy ok(&w, &MainWindow::databaseOpened);
  QSignalSpy failed(&w, &MainWindow::openFailed);
  return QTest::qWaitFor([&] { return ok.count() + failed.count() > 0; }, 30000) && ok.count() == 1;
}

// A closed database of `n` keys (hint files written), at `path`.
void writeHinted(const QString& path, int n) {
  auto db = bitcask::DB::open(path.toStdString());
  guitest::fill(*db, n);
  db->close();
}

// Shows `w` and starts a read-only open of a hinted database of 3,000 keys in `tmp`.
void startOpeningHinted(MainWindow& w, const QTemporaryDir& tmp) {
  const QString path = guitest::dbPath(tmp);
  writeHinted(path, 3000);
  w.show();
  w.openDatabase(path, OpenMode::kOpenReadOnly);
}

}  // namespace

class TestOpening : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void eachFixture_data() {
    QTest::addColumn<QString>("name");
    for (const auto& e : std::filesystem::directory_iterator(guitest::fixturesDir())) {
      if (e.is_directory())
        QTest::newRow(e.path().filename().c_str())
            << QString::fromStdString(e.path().filename().string());
    }
  }

  void eachFixture() {
    QFETCH(QString, name);
    const auto dir = guitest::fixturesDir() / name.toStdString();
    std::ifstream in(guitest::fixturesDir() / (name.toStdString() + ".expected.json"));
    QVERIFY(in.good());
    const nlohmann::json expected = nlohmann::json::parse(in)["live"];

    const OpenOutcome out = openDatabase(QString::fromStdString(dir.string()), OpenMode::kOpen);
    QVERIFY2(out.ok(), qPrintable(out.message + " / " + out.detail));
    Database db(out.db);
    QVERIFY(db.isPythonFormat());
    QVERIFY(db.isReadOnly());  // Python directories open read-only
    QCOMPARE(db.keyCount(), quint64(expected.size()));

    // The key table lists exactly the expected keys, in order.
    KeyTableModel model;
    model.setDatabase(&db);
    while (model.canFetchMore({})) model.fetchMore({});
    QCOMPARE(model.rowCount(), int(expected.size()));
    int row = 0;
    for (const auto& [k, v] : expected.items()) {  // nlohmann sorts object keys bytewise
      QCOMPARE(model.keyAt(row++), k);
    }
  }

  void fixturesInTheWindow() {
    for (const char* name : {"pybitcask-basic", "pybitcask-torn-tail", "pybitcask-2000"}) {
      MainWindow w;
      w.openDatabase(QString::fromStdString((guitest::fixturesDir() / name).string()));
      QVERIFY2(waitOpened(w), name);
      QVERIFY(w.database()->isPythonFormat());
      // The banner offers conversion; edit actions are off.
      QVERIFY(w.banner()->isVisibleTo(&w));
      QVERIFY2(w.banner()->text().contains("Written by pybitcask"), qPrintable(w.banner()->text()));
      QVERIFY(w.action("actionConvert")->isEnabled());
      QVERIFY(!w.action("actionAddKey")->isEnabled());
      QVERIFY(w.windowTitle().contains("read-only"));
      QVERIFY(w.tableModel()->rowCount() > 0);
      if (std::string(name) == "pybitcask-torn-tail") {
        QVERIFY(!w.database()->db().recovery_report().clean());
        QVERIFY(w.action("actionProblems")->isEnabled());
        QVERIFY(w.banner()->text().contains("incomplete last write"));
      }
    }
  }

  // Directories written by the real pybitcask (its layouts of today) and
  // Basho bitcask: the banner names the writer and layout, says when a Riak
  // node holds the write lock, and offers conversion.
  void foreignLayoutsInTheWindow_data() {
    QTest::addColumn<QString>("dir");
    QTest::addColumn<QString>("banner");
    const QString fixtures = QStringLiteral(BITCASK_SOURCE_DIR "/tests/fixtures/");
    QTest::newRow("pybitcask protobuf") << fixtures + "pybitcask/today-proto"
                                        << "Written by pybitcask (protobuf, 20 files)";
    QTest::newRow("pybitcask JSON lines") << fixtures + "pybitcask/today-json-compacted"
                                          << "Written by pybitcask (JSON lines";
    QTest::newRow("Basho") << fixtures + "basho/rotated"
                           << "Written by Basho bitcask";
    QTest::newRow("Basho, node running") << fixtures + "basho/locked"
                                         << "write lock";
  }
  void foreignLayoutsInTheWindow() {
    QFETCH(QString, dir);
    QFETCH(QString, banner);
    MainWindow w;
    w.openDatabase(dir);
    QVERIFY(waitOpened(w));
    QVERIFY(w.database()->isForeignFormat());
    QVERIFY2(w.banner()->text().contains(banner), qPrintable(w.banner()->text()));
    QVERIFY(w.action("actionConvert")->isEnabled());
    QVERIFY(!w.action("actionAddKey")->isEnabled());
    QVERIFY(w.tableModel()->rowCount() > 0);
  }

  void lockedDirectory() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    auto writer = guitest::openWritable(path);  // holds the writer lock
    guitest::fill(writer->db(), 10);

    const OpenOutcome locked = openDatabase(path, OpenMode::kOpen);
    QVERIFY(!locked.ok());
    QCOMPARE(locked.error, OpenError::kLocked);
    QVERIFY(locked.message.contains("Another program is writing"));
    QVERIFY(locked.message.contains("read-only"));
    // Read-only beside the writer works.
    const OpenOutcome ro = openDatabase(path, OpenMode::kOpenReadOnly);
    QVERIFY(ro.ok());
    QCOMPARE(ro.db->size(), std::uint64_t(10));

    // The window says so and offers read-only; the button opens it.
    MainWindow w;
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.openDatabase(path);
    QVERIFY(QTest::qWaitFor([&] { return failed.count() == 1; }, 30000));
    QCOMPARE(w.lastOpenOutcome().error, OpenError::kLocked);
    QVERIFY(w.database() == nullptr);
    auto* box = w.findChild<QMessageBox*>("openErrorBox");
    QVERIFY(box);
    QVERIFY(box->text().contains("Another program is writing"));
    QPushButton* readOnly = nullptr;
    for (QAbstractButton* b : box->buttons()) {
      if (b->text().contains("Read-Only")) readOnly = qobject_cast<QPushButton*>(b);
    }
    QVERIFY(readOnly);
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    readOnly->click();
    QVERIFY(QTest::qWaitFor([&] { return opened.count() == 1; }, 30000));
    QVERIFY(w.database()->isReadOnly());
    QCOMPARE(w.tableModel()->rowCount(), 10);
    QVERIFY(!w.action("actionDeleteKeys")->isEnabled());
  }

  void plainWordsForOtherErrors() {
    QTemporaryDir dir;
    // Not a database: a folder of unrelated files.
    QDir(dir.path()).mkdir("photos");
    QFile f(dir.path() + "/photos/cat.jpg");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("jpeg");
    f.close();
    OpenOutcome out = openDatabase(dir.path() + "/photos", OpenMode::kOpen);
    QCOMPARE(out.error, OpenError::kNotADatabase);
    QVERIFY(out.message.contains("not a Bitcask database"));
    // A file.
    out = openDatabase(dir.path() + "/photos/cat.jpg", OpenMode::kOpen);
    QCOMPARE(out.error, OpenError::kNotADatabase);
    // Missing (Open never creates).
    out = openDatabase(dir.path() + "/missing", OpenMode::kOpen);
    QCOMPARE(out.error, OpenError::kNotFound);
    QVERIFY(!QFileInfo::exists(dir.path() + "/missing"));
    // New in a folder with files.
    out = openDatabase(dir.path() + "/photos", OpenMode::kCreate);
    QCOMPARE(out.error, OpenError::kNotEmpty);
    // New where nothing is: created.
    out = openDatabase(dir.path() + "/fresh", OpenMode::kCreate);
    QVERIFY(out.ok());
    QVERIFY(!out.db->read_only());
    // Permission denied and corruption, as the engine reports them.
    out =
        describeOpenFailure("/srv/db", OpenMode::kOpen, int(bitcask::ErrorCode::kPermissionDenied),
                            "cannot open /srv/db/LOCK: Permission denied");
    QCOMPARE(out.error, OpenError::kPermissionDenied);
    QVERIFY(out.message.contains("not allowed to change"));
    QCOMPARE(out.detail, QString("cannot open /srv/db/LOCK: Permission denied"));
    out =
        describeOpenFailure("/srv/db", OpenMode::kOpen, int(bitcask::ErrorCode::kCorruption), "x");
    QCOMPARE(out.error, OpenError::kCorruption);
  }

  void corruptRecordsOpenAnywayAndSayWhere() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    {
      auto db = guitest::openWritable(path);
      // One put each (a damaged batch would lose all of its records together).
      for (int i = 0; i < 200; ++i)
        db->db().put(guitest::key(i), "{\"n\":" + std::to_string(i) + "}");
      db->db().close();
    }
    // Damage a byte in the middle of the segment (a record's payload).
    QString seg;
    for (const QString& n : QDir(path).entryList({"*.seg"})) seg = path + "/" + n;
    QFile file(seg);
    QVERIFY(file.open(QIODevice::ReadWrite));
    const qint64 at = file.size() / 2;
    file.seek(at);
    char c = 0;
    file.read(&c, 1);
    file.seek(at);
    c = char(c ^ 0x5a);
    file.write(&c, 1);
    file.close();
    // Without hint files the open reads (and checks) every record, as after a crash.
    for (const QString& n : QDir(path).entryList({"*.hint"})) QFile::remove(path + "/" + n);

    MainWindow w;
    w.openDatabase(path);
    QVERIFY(waitOpened(w));
    const auto& report = w.database()->db().recovery_report();
    QVERIFY(!report.clean());
    QVERIFY(w.banner()->isVisibleTo(&w));
    // The payload is damaged, the header reads: the key is listed and says so when read.
    QVERIFY2(w.banner()->text().contains("listed under its key"), qPrintable(w.banner()->text()));
    QVERIFY(w.action("actionProblems")->isEnabled());
    QCOMPARE(w.tableModel()->matchCount(), quint64(200));
    const auto& problem = report.corrupt_records.front();
    QVERIFY(problem.key.has_value());
    QVERIFY_THROWS_EXCEPTION(bitcask::Error, w.database()->db().get(*problem.key));
  }

  void commandLineStyleReadOnlyOpen() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    {
      auto db = guitest::openWritable(path);
      guitest::fill(db->db(), 5);
      db->db().close();
    }
    MainWindow w;
    w.openDatabase(path, OpenMode::kOpenReadOnly);
    QVERIFY(waitOpened(w));
    QVERIFY(w.database()->isReadOnly());
    QVERIFY(!w.database()->isPythonFormat());
    QVERIFY(w.findChild<QLabel*>("statusMode")->text().contains("Read-only"));
    // Nothing was created or locked: a writer can open it now.
    QVERIFY(openDatabase(path, OpenMode::kOpen).ok());
  }

  // While a database opens, the first keys from its hint files are listed, in key order.
  void openingPageListsTheFirstKeys() {
    QTemporaryDir tmp;
    const QString path = guitest::dbPath(tmp);
    writeHinted(path, 3000);
    OpeningPage page;
    page.show();
    page.start(path);
    QVERIFY(!page.previewView()->isVisible());  // nothing to list yet
    const auto peek = bitcask::peek_first_keys(path.toStdString(), 1000);
    QVERIFY(peek);
    page.showPreview(*peek);
    QVERIFY(page.previewView()->isVisible());
    KeyPreviewModel* model = page.previewModel();
    QCOMPARE(model->rowCount(), 1000);
    QCOMPARE(model->index(0, KeyPreviewModel::kKeyColumn).data().toString(),
             displayKey(guitest::key(0)));
    QCOMPARE(model->index(999, KeyPreviewModel::kKeyColumn).data().toString(),
             displayKey(guitest::key(999)));
    QCOMPARE(model->index(0, KeyPreviewModel::kSizeColumn).data().toString(),
             formatBytes(std::string("{\"n\":0}").size()));
    QVERIFY(!page.selectedKey());
    page.previewView()->selectRow(5);
    QCOMPARE(page.selectedKey().value_or(""), guitest::key(5));
  }

  // With no database open, the open shows on the opening page, then the keys.
  void theWindowShowsTheOpenOnAPage() {
    QTemporaryDir tmp;
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    startOpeningHinted(w, tmp);
    QVERIFY(w.openingPage()->isVisible());
    QVERIFY(!w.startPage()->isVisible());
    QVERIFY(opened.wait(30000));
    QVERIFY(!w.openingPage()->isVisible());
    QCOMPARE(w.tableModel()->rowCount(), 3000);
  }

  // Cancel goes back to the start page at once; the open, which cannot stop half-way, is
  // dropped when it ends.
  void cancelledOpenGoesBackToTheStartPage() {
    QTemporaryDir tmp;
    MainWindow w;
    QSignalSpy opened(&w, &MainWindow::databaseOpened);
    startOpeningHinted(w, tmp);
    auto* cancel = w.openingPage()->findChild<QPushButton*>();
    QVERIFY(cancel);
    cancel->click();
    QVERIFY(w.startPage()->isVisible());
    QVERIFY(!w.openingPage()->isVisible());
    QVERIFY(QTest::qWaitFor([&] { return !w.isOpening(); }, 30000));
    QCOMPARE(opened.count(), 0);
    QVERIFY(!w.database());
    QVERIFY(w.startPage()->isVisible());
  }

  // A failed open leaves the opening page for the start page, and says why.
  void failedOpenGoesBackToTheStartPage() {
    QTemporaryDir tmp;
    const QString path = guitest::dbPath(tmp, "not-a-database");
    QDir().mkpath(path);
    QFile f(path + "/notes.txt");
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("not a database");
    f.close();
    MainWindow w;
    w.show();
    QSignalSpy failed(&w, &MainWindow::openFailed);
    w.openDatabase(path, OpenMode::kOpenReadOnly);
    QVERIFY(failed.wait(30000));
    QVERIFY(w.startPage()->isVisible());
    QVERIFY(!w.openingPage()->isVisible());
    QVERIFY(!w.database());
    auto* box = w.findChild<QMessageBox*>(QStringLiteral("openErrorBox"));
    QVERIFY(box);
    box->close();
  }
};

QTEST_MAIN(TestOpening)
#include "tst_gui_opening.moc"
