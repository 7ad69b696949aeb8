// Large values never hold the GUI thread: the key table previews a bounded
// prefix, the value editor asks before loading a value over kLargeValueBytes
// (first part / load all / save to file), loads off the GUI thread, and drops
// a load whose key is no longer selected. Ordinary values still edit and save.
#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStackedWidget>
#include <QTabWidget>

#include "app/jsontextedit.h"
#include "app/largevaluepanel.h"
#include "app/mainwindow.h"
#include "app/valueeditordock.h"
#include "core/keytablemodel.h"
#include "core/valuedocument.h"
#include "core/valueformat.h"
#include "core/valueread.h"
#include "gui_test_util.h"

using namespace bb;

namespace {

// A compact JSON array of about `bytes` bytes: [{"i":0,"name":"item 0"},...].
std::string bigJsonArray(std::size_t bytes) {
  std::string s = "[";
  for (int i = 0; s.size() < bytes; ++i) {
    if (i) s += ',';
    s += "{\"i\":" + std::to_string(i) + ",\"name\":\"item " + std::to_string(i) + "\"}";
  }
  s += ']';
  return s;
}

}  // namespace

class TestLargeValues : public QObject {
  Q_OBJECT

  std::unique_ptr<QTemporaryDir> dir_;
  QString path_;
  std::string big_;   // over kLargeValueBytes, under kMaxLoadAllBytes
  std::string huge_;  // over kMaxLoadAllBytes

  bool open(MainWindow& w) {
    QSignalSpy ok(&w, &MainWindow::databaseOpened);
    w.openDatabase(path_, OpenMode::kOpen);
    return QTest::qWaitFor([&] { return ok.count() == 1; }, 30000);
  }

 private slots:
  void initTestCase() {
    isolateSettings();
    big_ = bigJsonArray(3 << 20);
    huge_ = "\"" + std::string(kMaxLoadAllBytes + (1 << 20), 'x') + "\"";
  }

  void init() {
    dir_ = std::make_unique<QTemporaryDir>();
    path_ = guitest::dbPath(*dir_);
    auto db = guitest::openWritable(path_);
    db->db().put("a:big", big_);
    db->db().put("a:huge", huge_);
    db->db().put("b:normal", R"({"name":"Ada","n":1})");
    db->db().put("b:oneline", "\"" + std::string(2 << 20, 'y') + "\"");
    db->db().put_with_ttl("c:ttl", bigJsonArray(200 << 10), std::chrono::hours(1));
    db->db().close();
  }

  void prefixReadMatchesTheValue() {
    auto db = guitest::openWritable(path_);
    for (const char* k : {"a:big", "c:ttl", "b:normal"}) {
      const auto entry = db->entry(k);
      QVERIFY(entry);
      const auto whole = db->value(k);
      const auto prefix = readValuePrefix(db->db(), *entry, 4096);
      QVERIFY2(prefix, k);  // native and uncompressed: read from the segment
      QCOMPARE(*prefix, whole->substr(0, std::min<std::size_t>(4096, whole->size())));
    }
    // A cut JSON text indented, strings kept as they are.
    QCOMPARE(indentJsonPrefix(R"({"a":[1,{}],"b":"x,{y}:\"z)"),
             std::string("{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": \"x,{y}:\\\"z"));
    // Cut at a character boundary, never inside a UTF-8 sequence.
    QCOMPARE(utf8Prefix("ab\xc3\xa9z", 3), std::string("ab"));
    QCOMPARE(utf8Prefix("ab\xc3\xa9z", 4), std::string("ab\xc3\xa9"));
  }

  void tablePreviewOfAHugeValueIsShort() {
    auto db = guitest::openWritable(path_);
    KeyTableModel model;
    model.setDatabase(db.get());
    for (int row = 0; row < model.rowCount(); ++row) {
      const QString preview = model.index(row, KeyTableModel::kPreviewColumn).data().toString();
      QVERIFY2(preview.size() <= 161, qPrintable(preview.left(200)));
    }
    const int big = model.rowOfKey("a:big");
    QVERIFY(model.index(big, KeyTableModel::kPreviewColumn)
                .data()
                .toString()
                .startsWith(R"([{"i":0,"name":"item 0"})"));
  }

  void overTheThresholdTheEditorAsksFirst() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(w.selectKey("a:big"));
    ValueEditorDock* dock = w.valueEditor();
    ValueDocument* d = dock->document();
    QCOMPARE(d->state(), ValueDocument::State::kChoice);
    QVERIFY(dock->largeValuePanel()->isVisibleTo(dock));
    QVERIFY(dock->largeValuePanel()->firstPartButton()->isVisibleTo(dock));
    QVERIFY(dock->largeValuePanel()->loadAllButton()->isVisibleTo(dock));
    QVERIFY(dock->largeValuePanel()->saveToFileButton()->isVisibleTo(dock));
    QVERIFY(dock->largeValuePanel()->messageLabel()->text().contains(formatBytes(big_.size())));
    // Nothing of the value is held or shown.
    QVERIFY(d->storedBytes().empty());
    QVERIFY(dock->textEdit()->toPlainText().isEmpty());
    QVERIFY(!dock->saveButton()->isEnabled());
    // Under the panel, no Save or Revert that could not apply: the panel's buttons alone.
    QVERIFY(!dock->saveButton()->isVisibleTo(dock));
    QVERIFY(!dock->revertButton()->isVisibleTo(dock));
    QVERIFY(!dock->saveToFileButton()->isVisibleTo(dock));  // the panel's own is there

    // A value over kMaxLoadAllBytes offers no "Load all".
    QVERIFY(w.selectKey("a:huge"));
    QCOMPARE(d->state(), ValueDocument::State::kChoice);
    QVERIFY(!dock->largeValuePanel()->loadAllButton()->isVisibleTo(dock));
    QVERIFY(dock->largeValuePanel()->firstPartButton()->isVisibleTo(dock));
  }

  void firstPartIsPartialAndReadOnly() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    for (const char* key : {"a:big", "a:huge"}) {
      QVERIFY(w.selectKey(key));
      ValueEditorDock* dock = w.valueEditor();
      ValueDocument* d = dock->document();
      QTest::mouseClick(dock->largeValuePanel()->firstPartButton(), Qt::LeftButton);
      QVERIFY(QTest::qWaitFor([&] { return d->state() == ValueDocument::State::kPartial; }, 20000));
      QVERIFY(QTest::qWaitFor([&] { return !dock->textEdit()->isBuildingText(); }, 20000));
      const QString text = dock->textEdit()->toPlainText();
      QVERIFY(!text.isEmpty());
      const std::string& whole = std::string(key) == "a:big" ? big_ : huge_;
      // What it holds is the value's first part, no more.
      QVERIFY(d->storedBytes().size() <= kPartialValueBytes);
      QVERIFY(d->storedBytes().size() > kPartialValueBytes - 4);
      QCOMPARE(d->storedBytes(), whole.substr(0, d->storedBytes().size()));
      if (std::string(key) == "a:big") {
        // Cut JSON, indented for reading.
        QVERIFY(text.startsWith("[\n  {\n    \"i\": 0,\n    \"name\": \"item 0\"\n  },\n  {"));
      } else {
        QCOMPARE(text.toStdString(), d->storedBytes());
      }
      QVERIFY(dock->textEdit()->isReadOnly());
      QVERIFY(dock->errorLabel()->text().isEmpty());
      QVERIFY2(dock->findChild<QLabel*>("valueNote")->text().contains("Partial view"),
               qPrintable(dock->findChild<QLabel*>("valueNote")->text()));
      // Never saved back, even when the text is changed.
      d->setText("[1]");
      QVERIFY(!d->canSave());
      QVERIFY(!dock->save());
      QVERIFY(!dock->saveButton()->isEnabled());
      QVERIFY(!dock->saveButton()->isVisibleTo(dock));
      QVERIFY(!dock->revertButton()->isVisibleTo(dock));
      QCOMPARE(*w.database()->value(key), whole);
      QVERIFY(dock->saveToFileButton()->isVisibleTo(dock));
    }
  }

  void loadAllIsOffTheGuiThreadAndEditable() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(w.selectKey("a:big"));
    ValueEditorDock* dock = w.valueEditor();
    ValueDocument* d = dock->document();
    d->loadAll();
    // The worker reads; the dock says so meanwhile.
    QCOMPARE(d->state(), ValueDocument::State::kLoading);
    QVERIFY(dock->largeValuePanel()->cancelButton()->isVisibleTo(dock));
    QVERIFY(QTest::qWaitFor([&] { return d->state() == ValueDocument::State::kLoaded; }, 30000));
    QCOMPARE(d->storedBytes(), big_);
    // Its pretty text (over a million characters) is laid into a document by a worker too;
    // the editor is read-only until it is on screen.
    if (dock->textEdit()->isBuildingText()) {
      QVERIFY(dock->largeValuePanel()->isVisibleTo(dock));  // still "Loading…", not a blank editor
    }
    QVERIFY(QTest::qWaitFor([&] { return !dock->textEdit()->isBuildingText(); }, 30000));
    QVERIFY(!dock->largeValuePanel()->isVisibleTo(dock));
    QVERIFY(!dock->textEdit()->isReadOnly());
    QVERIFY(dock->textEdit()->toPlainText().startsWith("[\n  {\n    \"i\": 0,"));
    QCOMPARE(dock->textEdit()->toPlainText(), d->displayText());
    // Edited and saved like any value.
    dock->textEdit()->setPlainText("[1, 2]");
    QVERIFY(dock->save());
    QCOMPARE(*w.database()->value("a:big"), std::string("[1,2]"));
  }

  void loadAllRefusesALineTooLongForTheEditor() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(w.selectKey("b:oneline"));
    ValueEditorDock* dock = w.valueEditor();
    ValueDocument* d = dock->document();
    QVERIFY(d->canLoadAll());  // by its size
    d->loadAll();
    // The worker finds one line of 2 Mi characters: laid out whole on the GUI thread, it would
    // hold it for about half a second. Back to the choice, saying why, without Load All.
    QVERIFY(QTest::qWaitFor([&] { return d->state() == ValueDocument::State::kChoice; }, 30000));
    QVERIFY(!d->canLoadAll());
    QVERIFY(d->storedBytes().empty());
    QVERIFY(!dock->largeValuePanel()->loadAllButton()->isVisibleTo(dock));
    QVERIFY2(dock->largeValuePanel()->messageLabel()->text().contains("a line of"),
             qPrintable(dock->largeValuePanel()->messageLabel()->text()));
    QVERIFY(dock->largeValuePanel()->firstPartButton()->isVisibleTo(dock));
  }

  void aLoadForAKeyNoLongerSelectedIsDropped() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(w.selectKey("a:big"));
    ValueDocument* d = w.valueEditor()->document();
    d->loadAll();
    QCOMPARE(d->state(), ValueDocument::State::kLoading);
    QVERIFY(w.selectKey("b:normal"));  // the selection moves on while the worker reads
    QCOMPARE(d->key(), std::string("b:normal"));
    QCOMPARE(d->state(), ValueDocument::State::kLoaded);
    QTest::qWait(1500);  // the old worker finishes meanwhile; its result must not show
    QCOMPARE(d->key(), std::string("b:normal"));
    QCOMPARE(d->storedBytes(), std::string(R"({"name":"Ada","n":1})"));

    // Cancel returns to the choice.
    QVERIFY(w.selectKey("a:big"));
    d->loadAll();
    QCOMPARE(d->state(), ValueDocument::State::kLoading);
    QTest::mouseClick(w.valueEditor()->largeValuePanel()->cancelButton(), Qt::LeftButton);
    QCOMPARE(d->state(), ValueDocument::State::kChoice);
    QTest::qWait(1500);
    QCOMPARE(d->state(), ValueDocument::State::kChoice);
    QVERIFY(d->storedBytes().empty());
  }

  void saveToFileWritesTheWholeValue() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(w.selectKey("a:huge"));
    ValueDocument* d = w.valueEditor()->document();
    QSignalSpy saved(d, &ValueDocument::savedToFile);
    const QString file = dir_->filePath("huge.json");
    d->saveToFile(file);
    QVERIFY(saved.wait(30000));
    QCOMPARE(saved.at(0).at(1).toString(), QString());
    QFile f(file);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.size(), qint64(huge_.size()));
    QVERIFY(f.readAll().toStdString() == huge_);
    QCOMPARE(d->state(), ValueDocument::State::kChoice);  // still nothing loaded
  }

  void aNormalValueStillEditsAndSaves() {
    MainWindow w;
    w.show();
    QVERIFY(open(w));
    QVERIFY(w.selectKey("b:normal"));
    ValueEditorDock* dock = w.valueEditor();
    QCOMPARE(dock->document()->state(), ValueDocument::State::kLoaded);  // at once, no worker
    QVERIFY(dock->saveButton()->isVisibleTo(dock));
    QVERIFY(dock->revertButton()->isVisibleTo(dock));
    QCOMPARE(dock->textEdit()->toPlainText(), QString("{\n  \"name\": \"Ada\",\n  \"n\": 1\n}"));
    dock->textEdit()->setPlainText("{\"name\": \"Eve\", \"n\": 2}");
    QVERIFY(dock->saveButton()->isEnabled());
    QVERIFY(dock->save());
    QCOMPARE(*w.database()->value("b:normal"), std::string(R"({"name":"Eve","n":2})"));

    // No key: a line saying what to do, no empty editor, no buttons.
    dock->showKey(std::nullopt);
    QVERIFY(dock->largeValuePanel()->isVisibleTo(dock));
    QVERIFY(!dock->tabs()->isVisibleTo(dock));
    QCOMPARE(dock->largeValuePanel()->messageLabel()->text(),
             QString("Select a key to see its value here."));
    for (QPushButton* b : dock->largeValuePanel()->findChildren<QPushButton*>())
      QVERIFY2(!b->isVisibleTo(dock), qPrintable(b->text()));
    QVERIFY(!dock->saveButton()->isVisibleTo(dock));
    QVERIFY(!dock->revertButton()->isVisibleTo(dock));
    dock->showKey(std::string("b:normal"));
    QVERIFY(dock->tabs()->isVisibleTo(dock));
    QVERIFY(!dock->largeValuePanel()->isVisibleTo(dock));
    QVERIFY(dock->saveButton()->isVisibleTo(dock));
  }
};

QTEST_MAIN(TestLargeValues)
#include "tst_gui_largevalues.moc"
