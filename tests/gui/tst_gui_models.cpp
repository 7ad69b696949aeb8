// The browser's item models: QAbstractItemModelTester on each, the key
// table paging through 100k keys, the namespace tree, edits followed live.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

#include "core/editcontroller.h"
#include "core/historymodel.h"
#include "core/jsontreemodel.h"
#include "core/keyhistory.h"
#include "core/keytablemodel.h"
#include "core/keytreemodel.h"
#include "core/problemsmodel.h"
#include "gui_test_util.h"

using namespace bb;
using guitest::key;

class TestModels : public QObject {
  Q_OBJECT

 private slots:
  void initTestCase() { isolateSettings(); }

  void tableKnowsAll100kKeys() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 100'000);
    KeyTableModel model;
    model.setPageSize(1000);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    // Every row at once (the keys themselves arrive in the background).
    QCOMPARE(model.rowCount(), 100'000);
    QCOMPARE(model.matchCount(), quint64(100'000));
    QVERIFY(!model.canFetchMore({}));
    QTRY_VERIFY(!model.isLoading());
    // Rows in key order, with their index entries.
    for (int row : {0, 1, 999, 1000, 54'321, 99'999}) {
      QCOMPARE(model.keyAt(row), key(row));
      QCOMPARE(model.data(model.index(row, KeyTableModel::kKeyColumn)).toString(),
               QString::fromStdString(key(row)));
    }
    QCOMPARE(model.data(model.index(7, 0), KeyTableModel::kValueSizeRole).toUInt(),
             quint32(std::string("{\"n\":7}").size()));
    QVERIFY(
        model.data(model.index(7, KeyTableModel::kPreviewColumn)).toString().contains("\"n\":7"));
  }

  void tablePrefixAndLiveEdits() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    guitest::fill(db->db(), 30);
    bitcask::WriteBatch b;
    b.put("other:1", "1");
    b.put("other:2", "2");
    db->write(b);
    KeyTableModel model;
    model.setPageSize(7);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    model.showPrefix("other:");
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.matchCount(), quint64(2));
    EditController edits;
    edits.setDatabase(db.get());
    QVERIFY(edits.addKey("other:15", "true").ok);
    QVERIFY(edits.addKey("key:000005x", "true").ok);  // not under the prefix
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.keyAt(1), std::string("other:15"));
    QVERIFY(edits.deleteKeys({"other:1"}).ok);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.keyAt(0), std::string("other:15"));
    QCOMPARE(model.matchCount(), quint64(2));
    // All keys: an insert appears in place, the count stays exact.
    model.showPrefix({});
    QTRY_VERIFY(!model.isLoading());
    QCOMPARE(model.rowCount(), 33);
    QVERIFY(edits.addKey("key:000002a", "1").ok);
    QCOMPARE(model.rowCount(), 34);
    QCOMPARE(model.keyAt(3), std::string("key:000002a"));
    QVERIFY(edits.addKey("zzz", "1").ok);
    QCOMPARE(model.rowCount(), 35);
    QCOMPARE(model.matchCount(), quint64(35));
    const int zzz = model.ensureLoaded("zzz");
    QCOMPARE(zzz, model.rowCount() - 1);
    QVERIFY(edits.undoStack()->canUndo());
    edits.undoStack()->undo();  // removes zzz
    QCOMPARE(model.rowOfKey("zzz"), -1);
  }

  void treeGroupsByNamespace() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    bitcask::WriteBatch b;
    for (const char* k : {"user:1001:name", "user:1001:email", "user:1002:name", "user", "config",
                          "session:a", "session:b", "zeta:x:y:z"}) {
      b.put(k, "1");
    }
    db->write(b);
    KeyTreeModel model;
    model.setChunkSize(2);  // exercise fetchMore on every level
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    while (model.canFetchMore({})) model.fetchMore({});
    QStringList top;
    for (int r = 0; r < model.rowCount(); ++r) top << model.index(r, 0).data().toString();
    QCOMPARE(top, (QStringList{"config", "session", "user", "user", "zeta"}));
    // "user" the key and "user:" the group are two rows.
    const QModelIndex userGroup = model.index(3, 0);
    QVERIFY(userGroup.data(KeyTreeModel::kIsGroupRole).toBool());
    QVERIFY(!model.index(2, 0).data(KeyTreeModel::kIsGroupRole).toBool());
    QCOMPARE(model.index(2, 0).data(KeyTreeModel::kKeyBytesRole).toByteArray(), QByteArray("user"));
    while (model.canFetchMore(userGroup)) model.fetchMore(userGroup);
    QCOMPARE(model.rowCount(userGroup), 2);  // 1001, 1002
    const QModelIndex leaf = model.indexOfKey("user:1001:email");
    QVERIFY(leaf.isValid());
    QCOMPARE(leaf.data().toString(), QString("email"));
    QCOMPARE(leaf.parent().data().toString(), QString("1001"));
    QCOMPARE(leaf.parent().parent(), userGroup);

    // Edits: a new key in a loaded group appears; removing the last key of a group removes it.
    EditController edits;
    edits.setDatabase(db.get());
    QVERIFY(edits.addKey("user:1001:phone", "\"555\"").ok);
    QVERIFY(model.indexOfKey("user:1001:phone").isValid());
    QCOMPARE(model.rowCount(model.indexOfKey("user:1001:phone").parent()), 3);
    QVERIFY(edits.deleteKeys({"user:1002:name"}).ok);
    QCOMPARE(model.rowCount(userGroup), 1);
    edits.undoStack()->undo();
    QCOMPARE(model.rowCount(userGroup), 2);

    // Another separator, and a root prefix.
    model.setSeparator("/");
    while (model.canFetchMore({})) model.fetchMore({});
    QCOMPARE(model.rowCount(), 9);  // flat: no '/' in any key
    model.setSeparator(":");
    model.setRootPrefix("user:");
    while (model.canFetchMore({})) model.fetchMore({});
    QCOMPARE(model.rowCount(), 2);
  }

  void treeSkipsWideNamespacesCheaply() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    bitcask::WriteBatch b;
    for (int g = 0; g < 50; ++g) {
      for (int i = 0; i < 200; ++i) b.put("g" + std::to_string(g) + ":" + std::to_string(i), "1");
    }
    db->write(b);
    KeyTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDatabase(db.get());
    QCOMPARE(model.rowCount(), 50);  // one row per group, found without visiting 10k keys
    QVERIFY(!model.canFetchMore({}));
  }

  void jsonTree() {
    JsonTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setJson(nlohmann::ordered_json::parse(
        R"({"name":"Zoë","tags":["a","b"],"nested":{"x":1.5,"y":null},"a/b":true})"));
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex root = model.index(0, 0);
    QCOMPARE(model.rowCount(root), 4);
    // Members keep their written order.
    QCOMPARE(model.index(0, 0, root).data().toString(), QString("name"));
    QCOMPARE(model.index(0, JsonTreeModel::kValueColumn, root).data().toString(), QString("Zoë"));
    const QModelIndex tags = model.index(1, 0, root);
    QCOMPARE(model.rowCount(tags), 2);
    QCOMPARE(model.index(1, JsonTreeModel::kValueColumn, tags).data().toString(), QString("b"));
    QCOMPARE(model.index(1, 0, tags).data(JsonTreeModel::kPointerRole).toString(),
             QString("/tags/1"));
    QCOMPARE(model.index(3, 0, root).data(JsonTreeModel::kPointerRole).toString(),
             QString("/a~1b"));
    QCOMPARE(model.index(2, JsonTreeModel::kTypeColumn, root).data().toString(), QString("object"));
    model.clear();
    QCOMPARE(model.rowCount(), 0);
  }

  void historyOfAKey() {
    QTemporaryDir dir;
    auto db = guitest::openWritable(guitest::dbPath(dir));
    EditController edits;
    edits.setDatabase(db.get());
    QVERIFY(edits.addKey("k", "1").ok);
    QVERIFY(edits.setValue("k", "2").ok);
    QVERIFY(edits.addKey("other", "0").ok);
    QVERIFY(edits.setValue("k", "[3]").ok);
    auto source = makeHistorySource(db->handle());
    auto versions = source->versions("k", {});
    QCOMPARE(versions.size(), std::size_t(3));
    QCOMPARE(source->value(versions[0]), std::string("1"));
    QCOMPARE(source->value(versions[1]), std::string("2"));
    QCOMPARE(source->value(versions[2]), std::string("[3]"));
    QVERIFY(versions[2].live && !versions[0].live);

    HistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setVersions(versions);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.liveRow(), 0);  // newest first
    QCOMPARE(model.index(0, HistoryModel::kStateColumn).data().toString(), QString("current"));

    // Restore an older version (undoable), and deletions show as tombstones.
    QVERIFY(edits.restoreValue("k", source->value(versions[0]), {}).ok);
    QCOMPARE(*db->value("k"), std::string("1"));
    edits.undoStack()->undo();
    QCOMPARE(*db->value("k"), std::string("[3]"));
    QVERIFY(edits.deleteKeys({"k"}).ok);
    versions = source->versions("k", {});
    QCOMPARE(versions.size(), std::size_t(6));  // 3 puts, restore, its undo, delete
    QVERIFY(versions.back().tombstone);
    QVERIFY(!versions.back().live);
    model.setVersions(versions);
    QCOMPARE(model.liveRow(), -1);
    QCOMPARE(model.index(0, HistoryModel::kChangeColumn).data().toString(), QString("Deleted"));
  }

  void problems() {
    bitcask::RecoveryReport report;
    report.corrupt_records.push_back({"0000000001.seg", 4096, 120, "checksum mismatch"});
    report.truncated_tails.push_back({"0000000002.seg", 800, 12, "truncated record"});
    ProblemsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setReport(report);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, ProblemsModel::kFileColumn).data().toString(),
             QString("0000000001.seg"));
    QCOMPARE(model.index(0, ProblemsModel::kWhatColumn).data().toString(),
             QString("checksum mismatch"));
    QCOMPARE(model.index(1, ProblemsModel::kKindColumn).data().toString(),
             QString("Incomplete last write"));
    QCOMPARE(model.index(1, 0).data(ProblemsModel::kSegmentRole).toUInt(), 2u);
    QCOMPARE(model.index(1, 0).data(ProblemsModel::kOffsetRole).toULongLong(), 800ull);

    // Verify's problems: a damaged hint says so, and where.
    VerifyOutcome outcome;
    outcome.problems.push_back(segmentProblemOf({"0000000003.hint", 0, 40, "bad trailer"}));
    model.setOutcome(outcome);
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.index(0, ProblemsModel::kKindColumn).data().toString(),
             QString("Damaged hint file"));
    QCOMPARE(model.index(0, ProblemsModel::kSegmentColumn).data().toString(), QString("3"));
    QVERIFY(model.index(0, 0).data(ProblemsModel::kIsHintRole).toBool());
    model.clear();
    QCOMPARE(model.rowCount(), 0);
  }
};

QTEST_GUILESS_MAIN(TestModels)
#include "tst_gui_models.moc"
