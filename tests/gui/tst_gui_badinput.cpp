// Bad input through the browser's opening path (MainWindow::openDatabase ->
// bb::openDatabase): a file instead of a folder, an empty folder, a folder of
// random files, a missing folder, a folder locked by another writer, a
// truncated hint, a record declaring a 2^31-byte value, a key over the limit.
// The error shown names the problem and the path; nothing is created or
// changed; the window stays usable (another database opens in it after).
// Invalid JSON typed into the value editor is covered by tst_gui_mainwindow
// (editorRefusesInvalidJsonAtItsPosition) and tst_gui_editing.
#include <QAbstractItemModel>
#include <QCryptographicHash>
#include <QDirIterator>
#include <QLabel>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTableView>
#include <QtConcurrent>
#include <random>

#include "app/mainwindow.h"
#include "app/messagebanner.h"
#include "app/problemsdialog.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/transfer.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

// Relative path -> SHA-256 of every file under `path` ("dir" for folders).
QMap<QString, QByteArray> checksums(const QString& path) {
  QMap<QString, QByteArray> out;
  if (QFileInfo(path).isFile()) {
    QFile f(path);
    if (f.open(QIODevice::ReadOnly))
      out["."] = QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
    return out;
  }
  QDirIterator it(path, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    const QString file = it.next();
    QFile f(file);
    out[QDir(path).relativeFilePath(file)] =
        it.fileInfo().isDir() || !f.open(QIODevice::ReadOnly)
            ? QByteArray("dir")
            : QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
  }
  return out;
}

void writeBytes(const QString& path, const QByteArray& bytes) {
  QFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
    qFatal("cannot write %s", qPrintable(path));
}

QByteArray noise(int n, unsigned seed) {
  std::mt19937 rng(seed);
  QByteArray b(n, '\0');
  for (char& c : b) c = static_cast<char>(rng());
  return b;
}

// Waits for the window's background open; true when it opened.
bool openIn(MainWindow& w, const QString& path, OpenMode mode = OpenMode::kOpen) {
  QSignalSpy ok(&w, &MainWindow::databaseOpened);
  QSignalSpy failed(&w, &MainWindow::openFailed);
  w.openDatabase(path, mode);
  return QTest::qWaitFor([&] { return ok.count() + failed.count() > 0; }, 30000) && ok.count() == 1;
}

// A database of `n` keys written one put each (no batch: damage to one
// record must not take others with it), closed, with its hint.
void makeDb(const QString& path, int n) {
  auto db = guitest::openWritable(path);
  for (int i = 0; i < n; ++i) db->db().put(guitest::key(i), "{\"n\":" + std::to_string(i) + "}");
  db->db().close();
}

}  // namespace

class TestBadInput : public QObject {
  Q_OBJECT

  QTemporaryDir good_;
  QString goodPath_;

  // The window is still usable: a good database opens in it and shows its keys.
  void checkUsable(MainWindow& w) {
    if (auto* box = w.findChild<QMessageBox*>("openErrorBox")) box->close();
    QVERIFY(openIn(w, goodPath_));
    QCOMPARE(w.tableModel()->matchCount(), quint64(25));
    QVERIFY(w.action("actionAddKey")->isEnabled());
    w.closeDatabase();
  }

 private slots:
  // A conversion whose source turns out not to be a Bitcask removes the
  // folder it created: no empty database is left behind.
  void failedConversionLeavesNoFolder() {
    QTemporaryDir dir;
    const QString source = dir.path() + "/not-a-database";
    QVERIFY(QDir().mkpath(source));
    QFile junk(source + "/notes.txt");
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a database");
    junk.close();
    const QString target = dir.path() + "/converted";
    const TransferOutcome out = QtConcurrent::run(convertForeignTask, source, target).result();
    QVERIFY(!out.ok);
    QVERIFY2(out.message.contains("not a Bitcask"), qPrintable(out.message));
    QVERIFY(!QFileInfo::exists(target));
  }

  void initTestCase() {
    isolateSettings();
    goodPath_ = guitest::dbPath(good_, "good");
    makeDb(goodPath_, 25);
  }

  void refusedWithPlainWords_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("words");  // in the message shown
    QTest::newRow("file") << "file" << int(OpenError::kNotADatabase)
                          << "is a file, not a database folder";
    QTest::newRow("empty folder") << "empty" << int(OpenError::kNotADatabase)
                                  << "is not a Bitcask database";
    QTest::newRow("random files") << "random" << int(OpenError::kNotADatabase)
                                  << "is not a Bitcask database";
    QTest::newRow("missing") << "missing" << int(OpenError::kNotFound) << "There is no folder at";
    QTest::newRow("missing, read-only")
        << "missing-ro" << int(OpenError::kNotFound) << "There is no folder at";
    QTest::newRow("empty folder, read-only")
        << "empty-ro" << int(OpenError::kNotADatabase) << "is not a Bitcask database";
  }
  void refusedWithPlainWords() {
    QFETCH(QString, kind);
    QFETCH(int, error);
    QFETCH(QString, words);
    QTemporaryDir dir;
    QString path = dir.path() + "/target";
    const OpenMode mode = kind.endsWith("-ro") ? OpenMode::kOpenReadOnly : OpenMode::kOpen;
    if (kind == "file") {
      writeBytes(path, "not a database\n");
    } else if (kind.startsWith("empty")) {
      QVERIFY(QDir().mkdir(path));
    } else if (kind == "random") {
      QVERIFY(QDir().mkpath(path + "/sub"));
      writeBytes(path + "/blob.bin", noise(5000, 1));
      writeBytes(path + "/notes.txt", "shopping list\n");
      writeBytes(path + "/sub/0000000001.seg", noise(300, 2));
    } else {
      path = dir.path() + "/missing/deeper";
    }
    const auto before = checksums(path);

    MainWindow w;
    QVERIFY(!openIn(w, path, mode));
    const OpenOutcome& out = w.lastOpenOutcome();
    QCOMPARE(int(out.error), error);
    QVERIFY(w.database() == nullptr);
    auto* box = w.findChild<QMessageBox*>("openErrorBox");
    QVERIFY(box);
    QVERIFY2(box->text().contains(words), qPrintable(box->text()));
    QVERIFY2(box->text().contains(QDir::toNativeSeparators(path)), qPrintable(box->text()));
    QVERIFY2(box->detailedText().contains(path), qPrintable(box->detailedText()));
    // Nothing created or changed.
    QCOMPARE(checksums(path), before);
    if (kind.startsWith("missing")) QVERIFY(!QFileInfo::exists(dir.path() + "/missing"));
    if (kind.startsWith("empty"))
      QVERIFY(QDir(path).isEmpty(QDir::AllEntries | QDir::Hidden | QDir::System |
                                 QDir::NoDotAndDotDot));
    checkUsable(w);
  }

  // Another writer (this process) holds the lock: the details name it.
  void lockedNamesTheWriter() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    makeDb(path, 5);
    auto writer = guitest::openWritable(path);
    MainWindow w;
    QVERIFY(!openIn(w, path));
    QCOMPARE(w.lastOpenOutcome().error, OpenError::kLocked);
    auto* box = w.findChild<QMessageBox*>("openErrorBox");
    QVERIFY(box);
    QVERIFY2(box->text().contains(path), qPrintable(box->text()));
    const QString pid = QString("process %1").arg(QCoreApplication::applicationPid());
    QVERIFY2(box->detailedText().contains(pid), qPrintable(box->detailedText()));
    checkUsable(w);
  }

  // A truncated hint: every key is read from the segment instead.
  void truncatedHintOpensEveryKey() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    makeDb(path, 300);
    const QString hint = path + "/0000000001.hint";
    QFile f(hint);
    QVERIFY(f.exists() && f.size() > 100);
    QVERIFY(f.resize(f.size() / 2));
    const auto before = checksums(path);

    {
      MainWindow w;
      QVERIFY(openIn(w, path, OpenMode::kOpenReadOnly));
      QCOMPARE(w.tableModel()->matchCount(), quint64(300));
      QCOMPARE(*w.database()->value(guitest::key(123)), std::string("{\"n\":123}"));
      w.closeDatabase();
      QCOMPARE(checksums(path), before);  // read-only changed nothing
      QVERIFY(openIn(w, path));           // writable: the hint is rebuilt on close
      QCOMPARE(w.tableModel()->matchCount(), quint64(300));
    }
    const OpenOutcome after = openDatabase(path, OpenMode::kOpenReadOnly);
    QVERIFY2(after.ok(), qPrintable(after.detail));
    QVERIFY(after.db->verify().empty());
    QCOMPARE(after.db->size(), std::uint64_t(300));
  }

  // A record declaring a 2^31-byte value: the rest opens, the banner says
  // records were skipped, and the damaged records list names the file and
  // offset.
  void hugeDeclaredSizeIsShownWhere() {
    QTemporaryDir dir;
    const QString path = guitest::dbPath(dir);
    makeDb(path, 200);
    QFile::remove(path + "/0000000001.hint");  // as after a crash: the segment is read
    const QString seg = path + "/0000000001.seg";
    QFile f(seg);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    // The records are the same size: find the 100th by its key.
    const qint64 keyAt = bytes.indexOf(QByteArray::fromStdString(guitest::key(100)));
    QVERIFY(keyAt > 20);
    const qint64 at = keyAt - 20;  // header: crc, timestamp, kind, flags, key size, value size
    bytes[at + 16] = 0;
    bytes[at + 17] = 0;
    bytes[at + 18] = 0;
    bytes[at + 19] = char(0x80);
    QVERIFY(f.seek(0) && f.write(bytes) == bytes.size());
    f.close();

    MainWindow w;
    QVERIFY(openIn(w, path, OpenMode::kOpenReadOnly));
    QCOMPARE(w.tableModel()->matchCount(), quint64(199));
    QVERIFY(!w.database()->contains(guitest::key(100)));
    QVERIFY(w.banner()->isVisibleTo(&w));
    QVERIFY2(w.banner()->text().contains("skipped"), qPrintable(w.banner()->text()));
    QVERIFY(w.action("actionProblems")->isEnabled());
    ProblemsDialog dialog(w.database()->path(), w.database()->db().recovery_report(), &w);
    bool namesPath = false;
    for (QLabel* l : dialog.findChildren<QLabel*>()) namesPath |= l->text().contains(path);
    QVERIFY(namesPath);
    auto* table = dialog.findChild<QTableView*>();
    QVERIFY(table);
    QAbstractItemModel* m = table->model();
    QCOMPARE(m->rowCount(), 1);
    QStringList cells;
    for (int c = 0; c < m->columnCount(); ++c) cells << m->index(0, c).data().toString();
    QVERIFY2(cells.contains("0000000001.seg"), qPrintable(cells.join(" | ")));
    QVERIFY2(cells.contains(QString("%L1").arg(at)), qPrintable(cells.join(" | ")));
    checkUsable(w);
  }

  // A key over the 65,535-byte limit is refused with its reason; nothing is
  // written.
  void keyOverTheLimit() {
    MainWindow w;
    QVERIFY(openIn(w, goodPath_));
    const std::string huge(70000, 'k');
    EditController* edits = w.editController();
    EditResult r = edits->addKey(huge, "1");
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains("at most") && r.error.contains("bytes"), qPrintable(r.error));
    r = edits->renameKey(guitest::key(1), huge);
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains("at most"), qPrintable(r.error));
    QCOMPARE(w.database()->keyCount(), quint64(25));
    QVERIFY(w.database()->contains(guitest::key(1)));
    QCOMPARE(edits->undoStack()->count(), 0);
    w.closeDatabase();
  }
};

QTEST_MAIN(TestBadInput)
#include "tst_gui_badinput.moc"
