// Editing: add / edit / rename / duplicate / delete with undo and redo, each
// checked in the engine; invalid JSON refused at the right position; the
// value document; read-only databases refusing every edit.
#include <QSignalSpy>

#include "core/editcontroller.h"
#include "core/valuedocument.h"
#include "core/valueformat.h"
#include "gui_test_util.h"

using namespace bb;

class TestEditing : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void checkJsonReportsLineAndColumn_data() {
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("message");
    // Where the parser stopped: the character that cannot continue the text.
    QTest::newRow("bad literal") << "{\n  \"a\": tru,\n  \"b\": 2\n}" << 2 << 11
                                 << "invalid literal";
    QTest::newRow("missing comma") << "{\n  \"a\": 1\n  \"b\": 2\n}" << 3 << 5 << "expected '}'";
    QTest::newRow("trailing comma") << "[1, 2,]" << 1 << 7 << "unexpected ']'";
    QTest::newRow("after unicode") << "{\"name\": \"Zoë\" x}" << 1 << 16 << "expected '}'";
    QTest::newRow("unterminated") << "{\"a\": \"b" << 1 << 9 << "missing closing quote";
    QTest::newRow("empty") << "" << 1 << 1 << "unexpected end of input";
    QTest::newRow("NaN") << "{\"x\": NaN}" << 1 << 7 << "invalid literal";
  }

  void checkJsonReportsLineAndColumn() {
    QFETCH(QString, text);
    QFETCH(int, line);
    QFETCH(int, column);
    QFETCH(QString, message);
    const JsonCheck c = checkJson(text);
    QVERIFY(!c.ok);
    QCOMPARE(c.line, line);
    QCOMPARE(c.column, column);
    QVERIFY2(c.message.contains(message), qPrintable(c.message));
    QVERIFY2(!c.message.startsWith("[json.exception"), qPrintable(c.message));
  }

  void checkJsonCompactsInOrder() {
    const JsonCheck c = checkJson("{\n  \"z\": 1,\n  \"a\": [true, null, \"ü\"]\n}");
    QVERIFY(c.ok);
    QCOMPARE(c.compact, std::string("{\"z\":1,\"a\":[true,null,\"ü\"]}"));
  }

  void countsAndDurationsReadNaturally() {
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(formatCountOf(1, "1 key", "%L1 keys"), QString("1 key"));
    QCOMPARE(formatCountOf(0, "1 key", "%L1 keys"), QString("0 keys"));
    QCOMPARE(formatCountOf(12345, "1 key", "%L1 keys"), QString("12,345 keys"));
    QCOMPARE(formatDuration(0.0349), QString("35 ms"));
    QCOMPARE(formatDuration(0.0001), QString("under 1 ms"));
    QCOMPARE(formatDuration(0.0006), QString("1 ms"));
    QCOMPARE(formatDuration(0.1), QString("0.1 s"));
    QCOMPARE(formatDuration(2.44), QString("2.4 s"));
    QLocale::setDefault(before);
  }

  void classifyValues() {
    QCOMPARE(classifyValue("{\"a\":1}"), ValueKind::kJson);
    QCOMPARE(classifyValue("\"text\""), ValueKind::kJson);
    QCOMPARE(classifyValue("{\"mean\": NaN, \"max\": -Infinity}"), ValueKind::kNonStrictJson);
    QCOMPARE(classifyValue("plain words"), ValueKind::kText);
    QCOMPARE(classifyValue(std::string("\x89PNG\r\n\x1a\n\xff", 9)), ValueKind::kBinary);
    QCOMPARE(displayKey(std::string("a\xff\x01z", 4)), QString("a\\xff\\x01z"));
    QCOMPARE(displayKey("user:Zoë"), QString("user:Zoë"));
    // A Riak key, term_to_binary({<<"users">>, <<"u1">>}), reads as Erlang writes it.
    const std::string riak("\x83h\x02m\x00\x00\x00\x05usersm\x00\x00\x00\x02u1", 20);
    QCOMPARE(displayKey(riak), QString("{<<\"users\">>,<<\"u1\">>}"));
    // Bytes that only begin like a term are escaped as before.
    QCOMPARE(displayKey(std::string("\x83h", 2)), QString("\\x83h"));
    QCOMPARE(previewText(riak, 80), QString("{<<\"users\">>,<<\"u1\">>}"));
    QCOMPARE(formatBytes(1), QString("1 byte"));
    QCOMPARE(formatBytes(2), QString("2 bytes"));
    // An integer beyond 64 bits is shown as written, never rounded through a double.
    QCOMPARE(prettyJson("[1180591620717411303424]"), QString("[1180591620717411303424]"));
    QCOMPARE(previewText("{\"n\": 1180591620717411303424, \"s\": \"\\u00e4\"}", 80),
             QString("{\"n\": 1180591620717411303424, \"s\": \"\\u00e4\"}"));
    QVERIFY(hexDump("ABC").startsWith("00000000  41 42 43"));
    QCOMPARE(prettyJson("{\"b\":1,\"a\":[2]}"),
             QString("{\n  \"b\": 1,\n  \"a\": [\n    2\n  ]\n}"));
  }

  void roundTripsCheckedInTheEngine() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    bitcask::DB& e = db->db();
    EditController edits;
    edits.setDatabase(db.get());
    QUndoStack* stack = edits.undoStack();

    // Add (stored compact), then undo / redo.
    QVERIFY(edits.addKey("user:1", "{\n  \"name\": \"Ada\",\n  \"age\": 36\n}").ok);
    QCOMPARE(*e.get("user:1"), std::string(R"({"name":"Ada","age":36})"));
    QCOMPARE(stack->undoText(), QString("Add key “user:1”"));
    stack->undo();
    QVERIFY(!e.contains("user:1"));
    stack->redo();
    QCOMPARE(*e.get("user:1"), std::string(R"({"name":"Ada","age":36})"));
    // Adding an existing key is refused.
    const EditResult again = edits.addKey("user:1", "1");
    QVERIFY(!again.ok);
    QVERIFY(again.error.contains("already exists"));

    // Edit.
    QVERIFY(edits.setValue("user:1", "{\"name\": \"Ada\", \"age\": 37}").ok);
    QCOMPARE(*e.get("user:1"), std::string(R"({"name":"Ada","age":37})"));
    stack->undo();
    QCOMPARE(*e.get("user:1"), std::string(R"({"name":"Ada","age":36})"));
    stack->redo();
    QCOMPARE(*e.get("user:1"), std::string(R"({"name":"Ada","age":37})"));

    // Rename: one atomic change, undone as one.
    QVERIFY(edits.renameKey("user:1", "person:1").ok);
    QVERIFY(!e.contains("user:1"));
    QCOMPARE(*e.get("person:1"), std::string(R"({"name":"Ada","age":37})"));
    QVERIFY(!edits.renameKey("person:1", "").ok);
    stack->undo();
    QVERIFY(!e.contains("person:1"));
    QVERIFY(e.contains("user:1"));
    stack->redo();
    QVERIFY(e.contains("person:1"));

    // Duplicate.
    QVERIFY(edits.duplicateKey("person:1", "person:2").ok);
    QCOMPARE(*e.get("person:2"), *e.get("person:1"));
    QVERIFY(!edits.duplicateKey("person:1", "person:2").ok);

    // Delete several, undo restores every value exactly.
    QVERIFY(edits.addKey("n", "null").ok);
    QVERIFY(edits.deleteKeys({"person:1", "person:2", "n"}).ok);
    QCOMPARE(e.size(), std::uint64_t(0));
    QCOMPARE(stack->undoText(), QString("Delete 3 keys"));
    stack->undo();
    QCOMPARE(e.size(), std::uint64_t(3));
    QCOMPARE(*e.get("n"), std::string("null"));
    QCOMPARE(*e.get("person:2"), std::string(R"({"name":"Ada","age":37})"));

    // All the way back to empty, and forward again.
    stack->setIndex(0);
    QCOMPARE(e.size(), std::uint64_t(0));
    stack->setIndex(stack->count());
    QCOMPARE(e.size(), std::uint64_t(0));  // the last command deleted all three
    stack->undo();
    QCOMPARE(e.size(), std::uint64_t(3));
  }

  void invalidJsonIsNeverWritten() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    EditController edits;
    edits.setDatabase(db.get());
    QVERIFY(edits.addKey("k", "[1, 2]").ok);
    const EditResult r = edits.setValue("k", "[1, 2,, 3]");
    QVERIFY(!r.ok);
    QVERIFY2(r.error.contains("line 1, column 7"), qPrintable(r.error));
    QCOMPARE(*db->value("k"), std::string("[1,2]"));
    QVERIFY(!edits.addKey("k2", "{oops}").ok);
    QVERIFY(!db->contains("k2"));
    QCOMPARE(edits.undoStack()->count(), 1);
  }

  void valueDocumentValidatesAsYouType() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    EditController edits;
    edits.setDatabase(db.get());
    QVERIFY(edits.addKey("k", R"({"a":1,"b":[true]})").ok);
    bitcask::WriteBatch b;
    b.put("nan", "{\"x\": NaN}");
    b.put("bin", std::string("\x00\xff\x10", 3));
    db->write(b);

    ValueDocument doc(&edits);
    QSignalSpy validity(&doc, &ValueDocument::validityChanged);
    doc.load(std::string("k"));
    QCOMPARE(doc.kind(), ValueKind::kJson);
    QCOMPARE(doc.displayText(), QString("{\n  \"a\": 1,\n  \"b\": [\n    true\n  ]\n}"));
    QVERIFY(!doc.canSave());  // nothing changed
    doc.setText("{\n  \"a\": 2,\n  \"b\": [\n    tru\n  ]\n}");
    QVERIFY(!doc.check().ok);
    QCOMPARE(doc.check().line, 4);
    QCOMPARE(doc.check().column, 8);
    QVERIFY(!doc.canSave());
    QVERIFY(!doc.save().isEmpty());
    QCOMPARE(*db->value("k"), std::string(R"({"a":1,"b":[true]})"));
    doc.setText("{\"a\": 2, \"b\": [true]}");
    QVERIFY(doc.canSave());
    QVERIFY(doc.save().isEmpty());
    QCOMPARE(*db->value("k"), std::string(R"({"a":2,"b":[true]})"));
    QVERIFY(validity.count() >= 3);

    // NaN from the Python original: shown as stored, with a note.
    doc.load(std::string("nan"));
    QCOMPARE(doc.kind(), ValueKind::kNonStrictJson);
    QCOMPARE(doc.displayText(), QString("{\"x\": NaN}"));
    QVERIFY(doc.note().contains("not strict JSON"));
    QVERIFY(!doc.check().ok);
    // Binary: not editable as text.
    doc.load(std::string("bin"));
    QCOMPARE(doc.kind(), ValueKind::kBinary);
    QVERIFY(!doc.isEditable());
    doc.load(std::string("missing"));
    QVERIFY(!doc.exists());
    QVERIFY(!doc.readError().isEmpty());
  }

  void readOnlyRefusesEdits() {
    QTemporaryDir dir;
    {
      auto db = guitest::openWritable(guitest::dbPath(dir));
      guitest::fill(db->db(), 3);
      db->db().close();
    }
    OpenOutcome ro = openDatabase(guitest::dbPath(dir), OpenMode::kOpenReadOnly);
    QVERIFY(ro.ok());
    Database db(ro.db);
    QVERIFY(db.isReadOnly());
    EditController edits;
    edits.setDatabase(&db);
    QVERIFY(!edits.canEdit());
    const std::string k0 = guitest::key(0);
    for (const EditResult& r :
         {edits.addKey("new", "1"), edits.setValue(k0, "2"), edits.renameKey(k0, "x"),
          edits.duplicateKey(k0, "y"), edits.deleteKeys({k0}), edits.restoreValue(k0, "3", {})}) {
      QVERIFY(!r.ok);
      QVERIFY2(r.error.contains("read-only"), qPrintable(r.error));
    }
    QCOMPARE(edits.undoStack()->count(), 0);
    QCOMPARE(*db.value(k0), std::string("{\"n\":0}"));
    QCOMPARE(db.keyCount(), quint64(3));
    ValueDocument doc(&edits);
    doc.load(k0);
    QVERIFY(!doc.isEditable());
    doc.setText("42");
    QVERIFY(!doc.canSave());
  }
};

QTEST_GUILESS_MAIN(TestEditing)
#include "tst_gui_editing.moc"
