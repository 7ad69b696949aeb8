// tst_cli: runs the built `bitcask` tool (BITCASK_CLI_PATH) in scratch
// directories and checks its output and exit codes.
#include <QByteArray>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>
#include <algorithm>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#if !defined(Q_MOC_RUN) && !defined(BITCASK_CLI_PATH)
#error "BITCASK_CLI_PATH must name the bitcask executable"
#endif
#if !defined(Q_MOC_RUN) && !defined(BITCASK_FIXTURES_DIR)
#error "BITCASK_FIXTURES_DIR must name shared/fixtures"
#endif

using nlohmann::json;

namespace {

struct Run {
  int code = -1;  // -1: did not start, crashed or hung
  QByteArray out;
  QByteArray err;
};

std::string str(const QByteArray& b) {
  return std::string(b.constData(), static_cast<std::size_t>(b.size()));
}

// Splits output into lines (without the final empty piece after the last '\n').
QList<QByteArray> lines_of(const QByteArray& out) {
  QList<QByteArray> lines = out.split('\n');
  if (!lines.isEmpty() && lines.last().isEmpty()) lines.removeLast();
  return lines;
}

// Parses export lines {"key":..,"value":..} into a map (false on a bad line).
// A value that is not strict JSON comes as {"key":..,"raw":"text"}: it is
// kept in the map as the object {"raw": "text"}.
bool parse_export(const QByteArray& out, std::map<std::string, json>* map,
                  std::vector<std::string>* order) {
  for (const QByteArray& line : lines_of(out)) {
    json j = json::parse(str(line), nullptr, /*allow_exceptions=*/false);
    const bool shape = j.is_object() && j.size() == 2 && j.contains("key") &&
                       j["key"].is_string() &&
                       (j.contains("value") || (j.contains("raw") && j["raw"].is_string()));
    if (!shape) {
      qWarning("not an export line: %s", line.constData());
      return false;
    }
    const std::string key = j["key"].get<std::string>();
    order->push_back(key);
    if (j.contains("value")) {
      (*map)[key] = j["value"];
    } else {
      // Stored bytes that are JSON in another spelling (a pybitcask value's
      // spaces) compare as the JSON they are; other bytes as {"raw": text}.
      const json parsed = json::parse(j["raw"].get<std::string>(), nullptr, false);
      (*map)[key] = parsed.is_discarded() ? json{{"raw", j["raw"]}} : parsed;
    }
  }
  return true;
}

json read_json_file(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) return json();
  return json::parse(str(f.readAll()), nullptr, false);
}

// Big-endian record as written by the Python original: key_size u32 |
// value_size u32 | timestamp_ms u64 | key | value (empty value: tombstone).
QByteArray py_record(const QByteArray& key, const QByteArray& value, std::uint64_t timestamp_ms) {
  QByteArray r;
  auto be = [&r](std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i) r.append(static_cast<char>((v >> (8 * i)) & 0xff));
  };
  be(static_cast<std::uint64_t>(key.size()), 4);
  be(static_cast<std::uint64_t>(value.size()), 4);
  be(timestamp_ms, 8);
  r.append(key);
  r.append(value);
  return r;
}

// Names, sizes and modification times of everything under `dir`.
QStringList snapshot(const QString& dir) {
  QStringList list;
  QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                  QDirIterator::Subdirectories);
  while (it.hasNext()) {
    it.next();
    const QFileInfo fi = it.fileInfo();
    list << QStringLiteral("%1 %2 %3")
                .arg(fi.filePath())
                .arg(fi.isDir() ? -1 : fi.size())
                .arg(fi.lastModified().toMSecsSinceEpoch());
  }
  list.sort();
  return list;
}

QStringList segment_files(const QString& dir) {
  QDir d(dir);
  return d.entryList(QStringList() << QStringLiteral("*.seg"), QDir::Files, QDir::Name);
}

// `depth` arrays nested inside one another: [[...]].
std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

QByteArray bytes(const std::string& s) {
  return QByteArray(s.data(), static_cast<qsizetype>(s.size()));
}

std::string from_hex(const json& hex) {
  return str(QByteArray::fromHex(QByteArray::fromStdString(hex.get<std::string>())));
}

// The key and the value bytes an export line stands for, as import stores
// them ("value" as its compact JSON).
std::pair<std::string, std::string> decode_export_line(const QByteArray& line) {
  const json j = json::parse(str(line));
  const std::string key = j.contains("key") ? j["key"].get<std::string>() : from_hex(j["key_hex"]);
  if (j.contains("value")) return {key, j["value"].dump()};
  if (j.contains("raw")) return {key, j["raw"].get<std::string>()};
  return {key, from_hex(j["raw_hex"])};
}

}  // namespace

// Returns from the test function when a helper failed.
#define CHECKED(expr)                       \
  do {                                      \
    expr;                                   \
    if (QTest::currentTestFailed()) return; \
  } while (0)

class TstCli : public QObject {
  Q_OBJECT

 private:
  Run run(const QStringList& args, const QByteArray& input = QByteArray()) {
    Run r;
    QProcess p;
    p.setProgram(QStringLiteral(BITCASK_CLI_PATH));
    p.setArguments(args);
    p.start();
    if (!p.waitForStarted(60000)) {
      qWarning("cannot start %s: %s", BITCASK_CLI_PATH, qPrintable(p.errorString()));
      return r;
    }
    if (!input.isEmpty()) p.write(input);
    p.closeWriteChannel();
    if (!p.waitForFinished(300000)) {
      p.kill();
      p.waitForFinished();
      qWarning("bitcask %s: did not finish", qPrintable(args.join(' ')));
      return r;
    }
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    return r;
  }

  // Runs a command that must succeed.
  Run ok(const QStringList& args, const QByteArray& input = QByteArray()) {
    Run r = run(args, input);
    if (r.code != 0) {
      qWarning("bitcask %s -> %d\nstdout: %s\nstderr: %s", qPrintable(args.join(' ')), r.code,
               r.out.constData(), r.err.constData());
    }
    [&] { QCOMPARE(r.code, 0); }();
    return r;
  }

  void put(const QString& dir, const QString& key, const QString& value) {
    ok({QStringLiteral("put"), dir, key, value});
  }

  json stats_json(const QString& dir) {
    const Run r = ok({QStringLiteral("stats"), dir, QStringLiteral("--json")});
    json j = json::parse(str(r.out), nullptr, false);
    [&] { QVERIFY2(j.is_object(), r.out.constData()); }();
    return j;
  }

  QString fixture(const QString& name) { return QStringLiteral(BITCASK_FIXTURES_DIR "/") + name; }

  // A directory in the Python original's format with non-strict values.
  QString make_python_dir(const QTemporaryDir& tmp) {
    const QString dir = tmp.filePath(QStringLiteral("py"));
    QDir().mkpath(dir);
    QByteArray data;
    data += py_record("nan", "NaN", 1700000000123ull);
    data += py_record("obj", R"({"x": Infinity, "y": [1, -Infinity]})", 1700000000124ull);
    data += py_record("s", R"("caf\u00e9")", 1700000000125ull);
    data += py_record("gone", "1", 1700000000126ull);
    data += py_record("gone", "", 1700000000127ull);
    QFile f(dir + QStringLiteral("/1.data"));
    if (!f.open(QIODevice::WriteOnly) || f.write(data) != data.size()) return QString();
    return dir;
  }

 private slots:
  void version() {
    const Run r = ok({QStringLiteral("--version")});
    QVERIFY2(QRegularExpression(QStringLiteral("^bitcask \\d+\\.\\d+\\.\\d+\\n$"))
                 .match(QString::fromUtf8(r.out))
                 .hasMatch(),
             r.out.constData());
  }

  void help_data() {
    QTest::addColumn<QString>("command");
    for (const char* c :
         {"put", "get", "delete", "keys", "stats", "check", "dump", "import", "export"})
      QTest::newRow(c) << QString::fromLatin1(c);
  }
  void help() {
    QFETCH(QString, command);
    const Run r = ok({command, QStringLiteral("--help")});
    QVERIFY2(r.out.contains(command.toUtf8()), r.out.constData());
    QVERIFY2(r.out.contains("DIR"), r.out.constData());
  }

  void usage_errors_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no subcommand") << QStringList();
    QTest::newRow("unknown subcommand")
        << QStringList{QStringLiteral("frobnicate"), QStringLiteral("d")};
    QTest::newRow("put missing value")
        << QStringList{QStringLiteral("put"), QStringLiteral("d"), QStringLiteral("k")};
    QTest::newRow("get missing key") << QStringList{QStringLiteral("get"), QStringLiteral("d")};
    QTest::newRow("bad sync") << QStringList{QStringLiteral("put"),    QStringLiteral("d"),
                                             QStringLiteral("k"),      QStringLiteral("1"),
                                             QStringLiteral("--sync"), QStringLiteral("sometimes")};
    QTest::newRow("bad limit") << QStringList{QStringLiteral("keys"), QStringLiteral("d"),
                                              QStringLiteral("--limit"), QStringLiteral("many")};
    QTest::newRow("negative limit") << QStringList{QStringLiteral("keys"), QStringLiteral("d"),
                                                   QStringLiteral("--limit"), QStringLiteral("-1")};
    QTest::newRow("import without source")
        << QStringList{QStringLiteral("import"), QStringLiteral("d")};
    QTest::newRow("import two sources") << QStringList{
        QStringLiteral("import"), QStringLiteral("d"),           QStringLiteral("--jsonl"),
        QStringLiteral("-"),      QStringLiteral("--pybitcask"), QStringLiteral("x")};
    QTest::newRow("dump bad segment")
        << QStringList{QStringLiteral("dump"), QStringLiteral("d"), QStringLiteral("x")};
  }
  void usage_errors() {
    QFETCH(QStringList, args);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    // Relative "d" would land in the working directory: point it into tmp.
    for (QString& a : args)
      if (a == QLatin1String("d")) a = tmp.filePath(QStringLiteral("d"));
    const Run r = run(args);
    QCOMPARE(r.code, 2);
    QVERIFY(!r.err.isEmpty());
    QVERIFY(r.out.isEmpty());
    QVERIFY2(!QFileInfo::exists(tmp.filePath(QStringLiteral("d"))),
             "a usage error created the database");
  }

  void put_get_roundtrip_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("value");
    QTest::newRow("object") << QStringLiteral("key2")
                            << QStringLiteral(R"({"name":"test","values":[1,2,3]})");
    QTest::newRow("spaced object")
        << QStringLiteral("k") << QStringLiteral("{ \"b\" : 1 ,\n \"a\" : [ true , null ] }");
    QTest::newRow("string") << QStringLiteral("key1") << QStringLiteral(R"("value1")");
    QTest::newRow("empty string") << QStringLiteral("empty") << QStringLiteral(R"("")");
    QTest::newRow("escapes") << QStringLiteral("esc")
                             << QStringLiteral("\"line\\nbreak \\\"q\\\" \\\\ tab\\t\"");
    QTest::newRow("unicode value")
        << QStringLiteral("user:1002")
        << QString::fromUtf8(R"({"name":"李雷","city":"Zoë","e":"🙂"})");
    QTest::newRow("unicode key") << QString::fromUtf8("ключ") << QString::fromUtf8(R"("значение")");
    QTest::newRow("escaped unicode")
        << QStringLiteral("u") << QStringLiteral(R"("caf\u00e9 \ud83d\ude42")");
    QTest::newRow("key with space") << QStringLiteral("with space") << QStringLiteral("1");
    QTest::newRow("integer") << QStringLiteral("counter") << QStringLiteral("42");
    QTest::newRow("negative") << QStringLiteral("neg") << QStringLiteral("-7");
    QTest::newRow("float") << QStringLiteral("pi") << QStringLiteral("3.14159");
    QTest::newRow("big integer") << QStringLiteral("big") << QStringLiteral("18446744073709551615");
    QTest::newRow("false") << QStringLiteral("flag") << QStringLiteral("false");
    QTest::newRow("null") << QStringLiteral("nothing") << QStringLiteral("null");
    QTest::newRow("array") << QStringLiteral("list") << QStringLiteral(R"([1,"two",{"three":3}])");
    QTest::newRow("nested") << QStringLiteral("deep")
                            << QStringLiteral(R"({"a":{"b":{"c":[[],{}]}}})");
  }
  void put_get_roundtrip() {
    QFETCH(QString, key);
    QFETCH(QString, value);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));  // put creates it
    Run r;
    CHECKED(r = ok({QStringLiteral("put"), dir, key, value}));
    QVERIFY(r.out.isEmpty());
    QVERIFY(QFileInfo(dir).isDir());
    CHECKED(r = ok({QStringLiteral("get"), dir, key}));
    QVERIFY(r.err.isEmpty());
    const json expected = json::parse(value.toStdString());
    QVERIFY2(r.out.endsWith('\n') && r.out.count('\n') == 1, r.out.constData());
    // Compact JSON, UTF-8 (not \u escapes), same value, members in the order given.
    QCOMPARE(str(r.out), nlohmann::ordered_json::parse(value.toStdString()).dump() + "\n");
    QCOMPARE(json::parse(str(r.out)), expected);
  }

  void overwrite_and_dash_keys() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    CHECKED(put(dir, QStringLiteral("k"), QStringLiteral("1")));
    CHECKED(put(dir, QStringLiteral("k"), QStringLiteral(R"({"v":2})")));
    Run r;
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("k")}));
    QCOMPARE(r.out, QByteArray("{\"v\":2}\n"));
    // A key beginning with '-' goes after "--".
    CHECKED(r = ok({QStringLiteral("put"), dir, QStringLiteral("--"), QStringLiteral("-dash"),
                    QStringLiteral("-1.5")}));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("--"), QStringLiteral("-dash")}));
    QCOMPARE(r.out, QByteArray("-1.5\n"));
    CHECKED(r = ok({QStringLiteral("put"), dir, QStringLiteral("s"), QStringLiteral("\"x\""),
                    QStringLiteral("--sync"), QStringLiteral("always")}));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("s")}));
    QCOMPARE(r.out, QByteArray("\"x\"\n"));
  }

  void get_and_delete_absent() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    CHECKED(put(dir, QStringLiteral("a"), QStringLiteral("1")));
    Run r = run({QStringLiteral("get"), dir, QStringLiteral("missing")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("bitcask: ") && r.err.contains("missing"), r.err.constData());

    r = run({QStringLiteral("delete"), dir, QStringLiteral("missing")});
    QCOMPARE(r.code, 1);
    QVERIFY(r.err.contains("missing"));

    CHECKED(r = ok({QStringLiteral("delete"), dir, QStringLiteral("a")}));
    QVERIFY(r.out.isEmpty());
    r = run({QStringLiteral("get"), dir, QStringLiteral("a")});
    QCOMPARE(r.code, 1);
    r = run({QStringLiteral("delete"), dir, QStringLiteral("a")});
    QCOMPARE(r.code, 1);
    // Put again after delete.
    CHECKED(put(dir, QStringLiteral("a"), QStringLiteral("2")));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("a")}));
    QCOMPARE(r.out, QByteArray("2\n"));
  }

  void put_invalid_json_data() {
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("line");
    QTest::newRow("truncated object") << QStringLiteral(R"({"a":)") << QStringLiteral("line 1");
    QTest::newRow("bare word") << QStringLiteral("hello") << QStringLiteral("line 1");
    QTest::newRow("second line") << QStringLiteral("{\n  \"a\": tru\n}")
                                 << QStringLiteral("line 2");
    QTest::newRow("trailing comma") << QStringLiteral("[1,2,]") << QStringLiteral("line 1");
    QTest::newRow("empty") << QString() << QStringLiteral("line 1");
    QTest::newRow("trailing garbage") << QStringLiteral(R"({"a":1} x)") << QStringLiteral("line 1");
    QTest::newRow("NaN") << QStringLiteral("NaN") << QStringLiteral("line 1");
    QTest::newRow("single quotes") << QStringLiteral("{'a':1}") << QStringLiteral("line 1");
  }
  void put_invalid_json() {
    QFETCH(QString, value);
    QFETCH(QString, line);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const Run r = run({QStringLiteral("put"), dir, QStringLiteral("k"), value});
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("bitcask: "), r.err.constData());
    QVERIFY2(r.err.contains(line.toUtf8()), r.err.constData());
    QVERIFY2(r.err.contains("column"), r.err.constData());
    QVERIFY2(!QFileInfo::exists(dir), "a refused put created the database");
  }

  void missing_directory_data() {
    QTest::addColumn<QStringList>("args");  // "D" stands for the directory
    QTest::newRow("get") << QStringList{QStringLiteral("get"), QStringLiteral("D"),
                                        QStringLiteral("k")};
    QTest::newRow("keys") << QStringList{QStringLiteral("keys"), QStringLiteral("D")};
    QTest::newRow("stats") << QStringList{QStringLiteral("stats"), QStringLiteral("D")};
    QTest::newRow("stats json") << QStringList{QStringLiteral("stats"), QStringLiteral("D"),
                                               QStringLiteral("--json")};
    QTest::newRow("check") << QStringList{QStringLiteral("check"), QStringLiteral("D")};
    QTest::newRow("dump") << QStringList{QStringLiteral("dump"), QStringLiteral("D")};
    QTest::newRow("export") << QStringList{QStringLiteral("export"), QStringLiteral("D")};
    QTest::newRow("delete") << QStringList{QStringLiteral("delete"), QStringLiteral("D"),
                                           QStringLiteral("k")};
  }
  void missing_directory() {
    QFETCH(QStringList, args);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("no-such-db"));
    args.replaceInStrings(QRegularExpression(QStringLiteral("^D$")), dir);
    const Run r = run(args);
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("bitcask: "), r.err.constData());
    QVERIFY2(r.err.contains(dir.toUtf8()), r.err.constData());
    QVERIFY2(!QFileInfo::exists(dir), "the command created the directory");
  }

  void file_instead_of_directory_data() {
    QTest::addColumn<QStringList>("args");
    QTest::newRow("get") << QStringList{QStringLiteral("get"), QStringLiteral("D"),
                                        QStringLiteral("k")};
    QTest::newRow("keys") << QStringList{QStringLiteral("keys"), QStringLiteral("D")};
    QTest::newRow("stats") << QStringList{QStringLiteral("stats"), QStringLiteral("D")};
    QTest::newRow("check") << QStringList{QStringLiteral("check"), QStringLiteral("D")};
    QTest::newRow("put") << QStringList{QStringLiteral("put"), QStringLiteral("D"),
                                        QStringLiteral("k"), QStringLiteral("1")};
    QTest::newRow("delete") << QStringList{QStringLiteral("delete"), QStringLiteral("D"),
                                           QStringLiteral("k")};
  }
  void file_instead_of_directory() {
    QFETCH(QStringList, args);
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString path = tmp.filePath(QStringLiteral("plain-file"));
    {
      QFile f(path);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("not a database\n");
    }
    args.replaceInStrings(QRegularExpression(QStringLiteral("^D$")), path);
    const Run r = run(args);
    QCOMPARE(r.code, 2);
    QVERIFY(r.out.isEmpty());
    QVERIFY2(r.err.startsWith("bitcask: ") && r.err.contains(path.toUtf8()), r.err.constData());
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("not a database\n"));
  }

  void keys_order_prefix_limit() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const QStringList inserted{
        QStringLiteral("user:2"),  QStringLiteral("b"),      QStringLiteral("user:10"),
        QString::fromUtf8("ключ"), QStringLiteral("a"),      QStringLiteral("user:1"),
        QStringLiteral("ab"),      QStringLiteral("User:3"), QStringLiteral("c")};
    QByteArray jsonl;
    for (const QString& k : inserted)
      jsonl += json({{"key", k.toStdString()}, {"value", 1}}).dump() + "\n";
    Run r;
    CHECKED(r = ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")},
                   jsonl));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("c")}));

    std::vector<std::string> expected;
    for (const QString& k : inserted)
      if (k != QLatin1String("c")) expected.push_back(k.toStdString());
    std::sort(expected.begin(), expected.end());  // bytewise
    QByteArray all;
    for (const std::string& k : expected) all += QByteArray::fromStdString(k) + "\n";

    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QCOMPARE(r.out, all);
    QVERIFY(r.err.isEmpty());

    CHECKED(
        r = ok({QStringLiteral("keys"), dir, QStringLiteral("--prefix"), QStringLiteral("user:")}));
    QCOMPARE(r.out, QByteArray("user:1\nuser:10\nuser:2\n"));
    CHECKED(r = ok({QStringLiteral("keys"), dir, QStringLiteral("--limit"), QStringLiteral("3")}));
    QCOMPARE(r.out, QByteArray("User:3\na\nab\n"));
    CHECKED(r = ok({QStringLiteral("keys"), dir, QStringLiteral("--prefix"),
                    QStringLiteral("user:"), QStringLiteral("--limit"), QStringLiteral("2")}));
    QCOMPARE(r.out, QByteArray("user:1\nuser:10\n"));
    CHECKED(r = ok({QStringLiteral("keys"), dir, QStringLiteral("--limit"), QStringLiteral("0")}));
    QCOMPARE(r.out, QByteArray());
    CHECKED(
        r = ok({QStringLiteral("keys"), dir, QStringLiteral("--prefix"), QStringLiteral("zzz")}));
    QCOMPARE(r.out, QByteArray());
    CHECKED(r = ok({QStringLiteral("keys"), dir, QStringLiteral("--prefix"),
                    QString::fromUtf8("клю")}));
    QCOMPARE(r.out, QByteArray("ключ\n"));
  }

  // More keys than one scan page: keys pages with exclusive_start.
  void keys_paging() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const int n = 2500;
    QByteArray jsonl;
    std::vector<std::string> expected;
    for (int i = n - 1; i >= 0; --i) {  // inserted in reverse order
      const std::string key = "k" + std::to_string(i);
      expected.push_back(key);
      jsonl += json({{"key", key}, {"value", i}}).dump() + "\n";
    }
    std::sort(expected.begin(), expected.end());
    Run r;
    CHECKED(r = ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")},
                   jsonl));
    QVERIFY2(r.out.contains("records read:      2500"), r.out.constData());
    QVERIFY2(r.out.contains("keys written:      2500"), r.out.constData());

    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QList<QByteArray> got = lines_of(r.out);
    QCOMPARE(got.size(), n);
    for (int i = 0; i < n; ++i) QCOMPARE(str(got[i]), expected[static_cast<std::size_t>(i)]);

    CHECKED(
        r = ok({QStringLiteral("keys"), dir, QStringLiteral("--limit"), QStringLiteral("1500")}));
    got = lines_of(r.out);
    QCOMPARE(got.size(), 1500);
    QCOMPARE(str(got.last()), expected[1499]);

    std::vector<std::string> with_prefix;
    for (const std::string& k : expected)
      if (k.rfind("k1", 0) == 0) with_prefix.push_back(k);
    CHECKED(
        r = ok({QStringLiteral("keys"), dir, QStringLiteral("--prefix"), QStringLiteral("k1")}));
    got = lines_of(r.out);
    QCOMPARE(static_cast<std::size_t>(got.size()), with_prefix.size());
    for (std::size_t i = 0; i < with_prefix.size(); ++i)
      QCOMPARE(str(got[static_cast<int>(i)]), with_prefix[i]);

    const json s = stats_json(dir);
    QCOMPARE(s.value("keys", -1), n);
  }

  void stats_counts() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    for (const char* k : {"a", "b", "c", "d", "e"})
      CHECKED(put(dir, QString::fromLatin1(k), QStringLiteral(R"({"v":"some value"})")));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("a")}));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("b")}));
    CHECKED(put(dir, QStringLiteral("c"), QStringLiteral("2")));  // overwrite: one dead record

    json s;
    CHECKED(s = stats_json(dir));
    QCOMPARE(s.value("keys", -1), 3);
    QCOMPARE(s.value("tombstones", -1), 2);
    QCOMPARE(s.value("format", std::string()), std::string("native"));
    QCOMPARE(s.value("read_only", false), true);
    QVERIFY(s["segment_stats"].is_array());
    QCOMPARE(s.value("segments", -1), static_cast<int>(s["segment_stats"].size()));
    QVERIFY(s["segments"].get<int>() >= 1);
    for (const char* f : {"total_bytes", "live_bytes", "dead_bytes", "keydir_bytes"})
      QVERIFY2(s[f].is_number_unsigned(), f);
    QVERIFY(s["fragmentation"].is_number());
    QVERIFY(s["fragmentation"].get<double>() > 0.0 && s["fragmentation"].get<double>() < 1.0);
    QVERIFY(s["dead_bytes"].get<std::uint64_t>() > 0);
    QVERIFY(s["live_bytes"].get<std::uint64_t>() > 0);
    QVERIFY(s["total_bytes"].get<std::uint64_t>() >= s["live_bytes"].get<std::uint64_t>());

    std::uint64_t records = 0, tombstones = 0, live_records = 0;
    for (const json& g : s["segment_stats"]) {
      for (const char* f : {"id", "file", "size", "records", "live_records", "live_bytes",
                            "dead_bytes", "tombstones", "active", "has_hint"})
        QVERIFY2(g.contains(f), f);
      const QString file = QString::fromStdString(g["file"].get<std::string>());
      QVERIFY2(file.endsWith(QLatin1String(".seg")), qPrintable(file));
      QCOMPARE(static_cast<qint64>(g["size"].get<std::uint64_t>()),
               QFileInfo(QDir(dir).filePath(file)).size());
      records += g["records"].get<std::uint64_t>();
      tombstones += g["tombstones"].get<std::uint64_t>();
      live_records += g["live_records"].get<std::uint64_t>();
    }
    QCOMPARE(records, std::uint64_t{8});
    QCOMPARE(tombstones, std::uint64_t{2});
    QCOMPARE(live_records, std::uint64_t{3});
    QCOMPARE(static_cast<qsizetype>(s["segment_stats"].size()), segment_files(dir).size());

    Run r;
    CHECKED(r = ok({QStringLiteral("stats"), dir}));
    QVERIFY2(QRegularExpression(QStringLiteral("keys:\\s+3\\n"))
                 .match(QString::fromUtf8(r.out))
                 .hasMatch(),
             r.out.constData());
    QVERIFY2(QRegularExpression(QStringLiteral("tombstones:\\s+2\\n"))
                 .match(QString::fromUtf8(r.out))
                 .hasMatch(),
             r.out.constData());
    QVERIFY(r.out.contains("native"));
    QVERIFY(r.out.contains(segment_files(dir).first().toUtf8()));
  }

  void merge_reclaims_dead_bytes() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    QByteArray lines;
    for (int i = 0; i < 300; ++i)
      lines += QStringLiteral("{\"key\":\"k%1\",\"value\":\"%2\"}\n")
                   .arg(i)
                   .arg(QString(200, QLatin1Char('x')))
                   .toUtf8();
    for (int round = 0; round < 3; ++round)
      CHECKED(ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-"),
                  QStringLiteral("--max-segment-size"), QStringLiteral("8192")},
                 lines));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("k0")}));
    json before;
    CHECKED(before = stats_json(dir));
    QVERIFY(before["segments"].get<int>() > 10);
    QVERIFY(before["fragmentation"].get<double>() > 0.6);
    Run r;
    CHECKED(r = ok({QStringLiteral("merge"), dir}));
    QVERIFY2(r.out.contains("reclaimed:"), r.out.constData());
    // Sizes in powers of 1024, named so, as everywhere else.
    QVERIFY2(r.out.contains(" KiB\n") && r.out.contains(" MiB/s)"), r.out.constData());
    QVERIFY2(!r.out.contains(" MB"), r.out.constData());
    json after;
    CHECKED(after = stats_json(dir));
    QCOMPARE(after["keys"].get<int>(), 299);
    QVERIFY(after["total_bytes"].get<std::uint64_t>() <
            before["total_bytes"].get<std::uint64_t>() / 2);
    QCOMPARE(after["tombstones"].get<int>(), 0);
    for (const json& g : after["segment_stats"])
      QVERIFY(g["active"].get<bool>() || g["has_hint"].get<bool>());
    CHECKED(r = run({QStringLiteral("get"), dir, QStringLiteral("k0")}));
    QCOMPARE(r.code, 1);  // deleted stays deleted
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("k299")}));
    QCOMPARE(str(r.out), "\"" + std::string(200, 'x') + "\"\n");
    CHECKED(r = ok({QStringLiteral("check"), dir}));
    CHECKED(r = ok({QStringLiteral("merge"), dir, QStringLiteral("--if-needed")}));
    QVERIFY2(r.out.contains("no merge needed"), r.out.constData());
    CHECKED(r = run({QStringLiteral("merge"), tmp.filePath(QStringLiteral("missing"))}));
    QCOMPARE(r.code, 2);
  }

  void check_clean() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    CHECKED(put(dir, QStringLiteral("a"), QStringLiteral("1")));
    CHECKED(put(dir, QStringLiteral("b"), QStringLiteral("[1,2,3]")));
    CHECKED(put(dir, QStringLiteral("c"), QStringLiteral(R"("three")")));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("b")}));
    json s;
    CHECKED(s = stats_json(dir));
    Run r;
    CHECKED(r = ok({QStringLiteral("check"), dir}));
    QCOMPARE(
        QString::fromUtf8(r.out),
        QStringLiteral("OK: 4 records in %1 segments verified\n").arg(s["segments"].get<int>()));
    QVERIFY(r.err.isEmpty());
  }

  void check_corrupt() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const QString value = QStringLiteral("\"%1\"").arg(QString(200, QLatin1Char('x')));
    for (int i = 0; i < 8; ++i) CHECKED(put(dir, QStringLiteral("key%1").arg(i), value));
    const QStringList segs = segment_files(dir);
    QVERIFY2(!segs.isEmpty(), "no *.seg file");
    const QString first = segs.first();
    qint64 middle = 0;
    {
      QFile f(QDir(dir).filePath(first));
      QVERIFY(f.open(QIODevice::ReadWrite));
      middle = f.size() / 2;
      QVERIFY(middle > 0);
      QVERIFY(f.seek(middle));
      char c = 0;
      QVERIFY(f.getChar(&c));
      QVERIFY(f.seek(middle));
      QVERIFY(f.putChar(static_cast<char>(c ^ 0x5a)));
    }
    const QStringList before = snapshot(dir);
    Run r = run({QStringLiteral("check"), dir});
    QCOMPARE(r.code, 3);
    const auto m =
        QRegularExpression(QStringLiteral("(?:^|\\n)") + QRegularExpression::escape(first) +
                           QStringLiteral(" (\\d+): \\S"))
            .match(QString::fromUtf8(r.out));
    QVERIFY2(m.hasMatch(), r.out.constData());
    // The problem is reported at the damaged record: at or before the flipped byte.
    QVERIFY2(m.captured(1).toLongLong() <= middle, r.out.constData());
    QVERIFY(!r.out.contains("OK:"));
    QVERIFY(r.out.contains("CORRUPT"));

    // dump shows the damaged record as BAD.
    r = run({QStringLiteral("dump"), dir, QStringLiteral("--no-header")});
    QCOMPARE(r.code, 0);
    QVERIFY2(r.out.contains("\tBAD\n"), r.out.constData());
    QCOMPARE(snapshot(dir), before);  // read commands never repair
  }

  void dump_lines() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    CHECKED(put(dir, QStringLiteral("a"), QStringLiteral("1")));
    CHECKED(put(dir, QString::fromUtf8("ключ"), QStringLiteral(R"("xyz")")));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("a")}));

    Run r;
    CHECKED(r = ok({QStringLiteral("dump"), dir}));
    QList<QByteArray> lines = lines_of(r.out);
    QCOMPARE(lines.size(), 4);
    QVERIFY2(lines.first().startsWith("segment\toffset\tkind\tkey"), lines.first().constData());
    lines.removeFirst();

    const QRegularExpression iso(
        QStringLiteral("^(\\d{4})-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z$"));
    std::map<QByteArray, qulonglong> last_offset;
    QList<QList<QByteArray>> rows;
    for (const QByteArray& line : lines) {
      const QList<QByteArray> f = line.split('\t');
      QCOMPARE(f.size(), 8);
      bool num = false;
      const qulonglong offset = f[1].toULongLong(&num);
      QVERIFY(num);
      if (last_offset.count(f[0])) QVERIFY(offset > last_offset[f[0]]);
      last_offset[f[0]] = offset;
      const auto m = iso.match(QString::fromLatin1(f[6]));
      QVERIFY2(m.hasMatch(), f[6].constData());
      const int year = m.captured(1).toInt();
      QVERIFY2(year >= 2020 && year < 2200, f[6].constData());  // microseconds, not ms or ns
      QCOMPARE(f[7], QByteArray("ok"));
      rows << f;
    }
    QCOMPARE(rows[0][3], QByteArray("\"a\""));
    QCOMPARE(rows[0][4], QByteArray("1"));
    QCOMPARE(rows[0][5], QByteArray("1"));
    QCOMPARE(rows[1][3], QByteArray("\"ключ\""));
    QCOMPARE(rows[1][4], QByteArray::number(QByteArray("ключ").size()));
    QCOMPARE(rows[1][5], QByteArray("5"));
    QCOMPARE(rows[0][2], rows[1][2]);  // both puts
    QCOMPARE(rows[2][3], QByteArray("\"a\""));
    QVERIFY2(rows[2][2].toLower().contains("tomb"), rows[2][2].constData());
    QCOMPARE(rows[2][5], QByteArray("0"));

    // One segment only.
    json s;
    CHECKED(s = stats_json(dir));
    const std::uint32_t id = s["segment_stats"][0]["id"].get<std::uint32_t>();
    CHECKED(
        r = ok({QStringLiteral("dump"), dir, QString::number(id), QStringLiteral("--no-header")}));
    QVERIFY(!r.out.isEmpty());
    for (const QByteArray& line : lines_of(r.out))
      QCOMPARE(line.split('\t').first(), QByteArray::number(id));

    r = run({QStringLiteral("dump"), dir, QStringLiteral("4000000000")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains("4000000000"));
  }

  void read_commands_modify_nothing() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    CHECKED(put(dir, QStringLiteral("a"), QStringLiteral("1")));
    CHECKED(put(dir, QStringLiteral("b"), QStringLiteral("2")));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("a")}));
    const QStringList before = snapshot(dir);
    QThread::msleep(20);  // so that a modification would change an mtime
    CHECKED(ok({QStringLiteral("get"), dir, QStringLiteral("b")}));
    QCOMPARE(run({QStringLiteral("get"), dir, QStringLiteral("a")}).code, 1);
    CHECKED(ok({QStringLiteral("keys"), dir}));
    CHECKED(ok({QStringLiteral("stats"), dir}));
    CHECKED(ok({QStringLiteral("stats"), dir, QStringLiteral("--json")}));
    CHECKED(ok({QStringLiteral("check"), dir}));
    CHECKED(ok({QStringLiteral("dump"), dir}));
    CHECKED(ok({QStringLiteral("export"), dir}));
    QCOMPARE(snapshot(dir), before);
  }

  // A writer holds the database (an import waiting on stdin); reads work
  // beside it and a second writer is refused.
  void read_beside_writer() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    QProcess writer;
    writer.setProgram(QStringLiteral(BITCASK_CLI_PATH));
    writer.setArguments(
        {QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")});
    writer.start();
    QVERIFY(writer.waitForStarted(60000));
    writer.write("{\"key\":\"first\",\"value\":{\"n\":1}}\n");
    QVERIFY(writer.waitForBytesWritten(60000));

    // Wait (no deadline assertion beyond a generous cap) until the reader sees the first key.
    Run r;
    for (int i = 0; i < 600; ++i) {
      r = run({QStringLiteral("get"), dir, QStringLiteral("first")});
      if (r.code == 0 || writer.state() == QProcess::NotRunning) break;
      QThread::msleep(100);
    }
    QCOMPARE(writer.state(), QProcess::Running);
    QCOMPARE(r.code, 0);
    QCOMPARE(r.out, QByteArray("{\"n\":1}\n"));

    // A second writer is refused while the first holds the lock.
    r = run({QStringLiteral("put"), dir, QStringLiteral("other"), QStringLiteral("1")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith("bitcask: "), r.err.constData());

    writer.write("{\"key\":\"second\",\"value\":2}\n");
    writer.closeWriteChannel();
    QVERIFY(writer.waitForFinished(300000));
    QCOMPARE(writer.exitStatus(), QProcess::NormalExit);
    QCOMPARE(writer.exitCode(), 0);
    QVERIFY(writer.readAllStandardOutput().contains("records read:      2"));
    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QCOMPARE(r.out, QByteArray("first\nsecond\n"));
  }

  void import_pybitcask_fixture_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("basic") << QStringLiteral("pybitcask-basic");
    QTest::newRow("torn-tail") << QStringLiteral("pybitcask-torn-tail");
    QTest::newRow("2000") << QStringLiteral("pybitcask-2000");
  }
  void import_pybitcask_fixture() {
    QFETCH(QString, name);
    const json expected = read_json_file(fixture(name + QStringLiteral(".expected.json")));
    QVERIFY2(expected.is_object() && expected["live"].is_object(),
             "cannot read the fixture's expected.json");
    const json& live = expected["live"];
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("imported"));

    // A torn tail in the source was not imported: said, and exit 3.
    const bool torn = name.contains(QLatin1String("torn"));
    Run r = run({QStringLiteral("import"), dir, QStringLiteral("--from"), fixture(name)});
    QCOMPARE(r.code, torn ? 3 : 0);
    QVERIFY2(!torn || r.err.contains("1.data"), r.err.constData());
    QVERIFY2(r.out.contains("records read:"), r.out.constData());
    QVERIFY2(r.out.contains(QStringLiteral("keys written:      %1\n").arg(live.size()).toUtf8()),
             r.out.constData());
    QVERIFY2(r.out.contains("not-strict values: 0\n"), r.out.constData());

    CHECKED(r = ok({QStringLiteral("export"), dir}));
    std::map<std::string, json> got;
    std::vector<std::string> order;
    QVERIFY(parse_export(r.out, &got, &order));
    QVERIFY(std::is_sorted(order.begin(), order.end()));
    QCOMPARE(got.size(), live.size());
    for (auto it = live.begin(); it != live.end(); ++it) {
      QVERIFY2(got.count(it.key()), it.key().c_str());
      QVERIFY2(got[it.key()] == it.value(),
               (it.key() + ": " + got[it.key()].dump() + " != " + it.value().dump()).c_str());
    }
    if (expected.contains("deleted"))
      for (const json& k : expected["deleted"])
        QVERIFY2(!got.count(k.get<std::string>()), k.dump().c_str());

    json s;
    CHECKED(s = stats_json(dir));
    QCOMPARE(s["keys"].get<std::size_t>(), live.size());
    QCOMPARE(s["format"].get<std::string>(), std::string("native"));
  }

  // Read commands work in place on the Python original's directories (the
  // fixtures are read-only directories).
  void read_pybitcask_in_place_data() { import_pybitcask_fixture_data(); }
  void read_pybitcask_in_place() {
    QFETCH(QString, name);
    const json expected = read_json_file(fixture(name + QStringLiteral(".expected.json")));
    QVERIFY(expected.is_object());
    const json& live = expected["live"];
    const QString dir = fixture(name);
    const QStringList before = snapshot(dir);
    const bool torn = name.contains(QLatin1String("torn"));

    Run r;
    if (torn) {
      // What the torn tail held is not exported: exit 3, with a warning saying where.
      r = run({QStringLiteral("export"), dir});
      QCOMPARE(r.code, 3);
      QVERIFY2(r.err.contains("warning") && r.err.contains("1.data"), r.err.constData());
    } else {
      CHECKED(r = ok({QStringLiteral("export"), dir}));
      QVERIFY2(r.err.isEmpty(), r.err.constData());
    }
    std::map<std::string, json> got;
    std::vector<std::string> order;
    QVERIFY(parse_export(r.out, &got, &order));
    QCOMPARE(got.size(), live.size());
    for (auto it = live.begin(); it != live.end(); ++it)
      QVERIFY2(got[it.key()] == it.value(), it.key().c_str());

    // keys and get print what is there; with a torn tail left out, they exit 3 as export does.
    r = run({QStringLiteral("keys"), dir});
    QCOMPARE(r.code, torn ? 3 : 0);
    QVERIFY2(!torn || r.err.contains("torn tail ignored"), r.err.constData());
    QCOMPARE(static_cast<std::size_t>(lines_of(r.out).size()), live.size());

    const std::string some_key = live.begin().key();
    r = run({QStringLiteral("get"), dir, QString::fromStdString(some_key)});
    QCOMPARE(r.code, torn ? 3 : 0);
    QCOMPARE(json::parse(str(r.out)), live.begin().value());
    QCOMPARE(json::parse(str(r.out)), live.begin().value());  // the value as stored

    json s;
    CHECKED(s = stats_json(dir));
    QCOMPARE(s["format"].get<std::string>(), std::string("pybitcask"));
    QCOMPARE(s["keys"].get<std::size_t>(), live.size());

    CHECKED(r = ok({QStringLiteral("dump"), dir, QStringLiteral("--no-header")}));
    QVERIFY(!lines_of(r.out).isEmpty());
    QVERIFY(r.out.contains("\t1.data") || r.out.startsWith("1\t"));

    r = run({QStringLiteral("check"), dir});
    if (torn) {
      QCOMPARE(r.code, 3);
      QVERIFY2(r.out.contains("1.data "), r.out.constData());
    } else {
      QCOMPARE(r.code, 0);
      QVERIFY2(r.out.startsWith("OK: "), r.out.constData());
    }
    QCOMPARE(snapshot(dir), before);
  }

  void python_non_strict_values() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = make_python_dir(tmp);
    QVERIFY(!dir.isEmpty());

    Run r;
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("nan")}));
    QCOMPARE(r.out, QByteArray("NaN\n"));
    QVERIFY2(r.err.contains("not strict JSON"), r.err.constData());
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("obj")}));
    QCOMPARE(r.out, QByteArray("{\"x\": Infinity, \"y\": [1, -Infinity]}\n"));
    QVERIFY(!r.err.isEmpty());
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("s")}));
    QCOMPARE(r.out, QByteArray("\"café\"\n"));
    QVERIFY(r.err.isEmpty());
    QCOMPARE(run({QStringLiteral("get"), dir, QStringLiteral("gone")}).code, 1);
    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QCOMPARE(r.out, QByteArray("nan\nobj\ns\n"));

    json s;
    CHECKED(s = stats_json(dir));
    QCOMPARE(s["format"].get<std::string>(), std::string("pybitcask"));
    QCOMPARE(s["keys"].get<int>(), 3);
    QCOMPARE(s["tombstones"].get<int>(), 1);

    // Timestamps in milliseconds become microseconds.
    CHECKED(r = ok({QStringLiteral("dump"), dir, QStringLiteral("--no-header")}));
    QList<QByteArray> lines = lines_of(r.out);
    QCOMPARE(lines.size(), 5);
    QCOMPARE(lines[0].split('\t').value(6), QByteArray("2023-11-14T22:13:20.123000Z"));
    QCOMPARE(lines[4].split('\t').value(5), QByteArray("0"));

    // The Python format is read-only: writes are refused, the file untouched.
    const QStringList before = snapshot(dir);
    r = run({QStringLiteral("put"), dir, QStringLiteral("new"), QStringLiteral("1")});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.startsWith("bitcask: "));
    QCOMPARE(snapshot(dir), before);

    // Import keeps non-strict values as their text; export writes them as "raw" text.
    const QString native = tmp.filePath(QStringLiteral("native"));
    CHECKED(r = ok({QStringLiteral("import"), native, QStringLiteral("--pybitcask"), dir}));
    QVERIFY2(r.out.contains("not-strict values: 2\n"), r.out.constData());
    QVERIFY2(r.out.contains("keys written:      3\n"), r.out.constData());
    CHECKED(r = ok({QStringLiteral("export"), native}));
    std::map<std::string, json> got;
    std::vector<std::string> order;
    QVERIFY(parse_export(r.out, &got, &order));
    QCOMPARE(got.size(), std::size_t{3});
    QCOMPARE(got["nan"], json({{"raw", "NaN"}}));
    QCOMPARE(got["obj"], json({{"raw", R"({"x": Infinity, "y": [1, -Infinity]})"}}));
    QCOMPARE(got["s"], json("café"));
    // ... and get on the imported database prints them as stored, with a note.
    CHECKED(r = ok({QStringLiteral("get"), native, QStringLiteral("nan")}));
    QCOMPARE(r.out, QByteArray("NaN\n"));
    QVERIFY(r.err.contains("not strict JSON"));
    // The export round-trips through import --jsonl, raw values included.
    CHECKED(r = ok({QStringLiteral("export"), native}));
    const QString again = tmp.filePath(QStringLiteral("again"));
    Run imp;
    CHECKED(
        imp = ok({QStringLiteral("import"), again, QStringLiteral("--jsonl"), QStringLiteral("-")},
                 r.out));
    QVERIFY2(imp.out.contains("not-strict values: 2\n"), imp.out.constData());
    Run r2;
    CHECKED(r2 = ok({QStringLiteral("export"), again}));
    QCOMPARE(r2.out, r.out);
  }

  // Object members keep the order they were written in, through put, get,
  // import and export: "id" stays before "created_at", never sorted.
  void member_order_kept() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const std::string value = R"({"id":7,"created_at":"2024-01-02","tags":[{"z":1,"a":2}]})";
    Run r;
    CHECKED(ok({QStringLiteral("put"), dir, QStringLiteral("put"),
                QStringLiteral(
                    R"({ "id": 7, "created_at": "2024-01-02", "tags": [{"z": 1, "a": 2}] })")}));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("put")}));
    QCOMPARE(str(r.out), value + "\n");

    const QByteArray line =
        QByteArray::fromStdString(R"({"key":"imported","value":)" + value + "}\n");
    CHECKED(
        ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")}, line));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("imported")}));
    QCOMPARE(str(r.out), value + "\n");

    // Exported as a JSON value (not "raw" text), in its order; imported back to the same bytes.
    CHECKED(r = ok({QStringLiteral("export"), dir}));
    QCOMPARE(str(r.out), R"({"key":"imported","value":)" + value + "}\n" +
                             R"({"key":"put","value":)" + value + "}\n");
    // Text that parse_strict_json checks further (a long run of digits, leading spaces) too.
    CHECKED(ok({QStringLiteral("import"), tmp.filePath(QStringLiteral("checked")),
                QStringLiteral("--jsonl"), QStringLiteral("-")},
               R"(  {"key":"k","value":{"id":"123456789012345678901","created_at":1}})"
               "\n"));
    Run checked;
    CHECKED(checked = ok({QStringLiteral("get"), tmp.filePath(QStringLiteral("checked")),
                          QStringLiteral("k")}));
    QCOMPARE(str(checked.out),
             std::string(R"({"id":"123456789012345678901","created_at":1})") + "\n");

    const QString copy = tmp.filePath(QStringLiteral("copy"));
    CHECKED(ok({QStringLiteral("import"), copy, QStringLiteral("--jsonl"), QStringLiteral("-")},
               r.out));
    Run again;
    CHECKED(again = ok({QStringLiteral("export"), copy}));
    QCOMPARE(again.out, r.out);
  }

  void import_jsonl_file_and_stdin() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const json records = json::array({
        {{"key", "a"}, {"value", {{"x", 1}, {"y", {true, nullptr}}}}},
        {{"key", "ключ"}, {"value", "значение"}},
        {{"key", "n"}, {"value", 3.5}},
        {{"key", "a"}, {"value", "overwritten"}},
    });
    QByteArray text;
    for (const json& r : records) text += QByteArray::fromStdString(r.dump()) + "\n";
    const QString file = tmp.filePath(QStringLiteral("in.jsonl"));
    {
      QFile f(file);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write(text);
    }
    std::map<std::string, json> expected{{"a", "overwritten"}, {"ключ", "значение"}, {"n", 3.5}};

    for (const bool from_stdin : {false, true}) {
      const QString dir =
          tmp.filePath(from_stdin ? QStringLiteral("from-stdin") : QStringLiteral("from-file"));
      Run r;
      CHECKED(r = ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"),
                      from_stdin ? QStringLiteral("-") : file},
                     from_stdin ? text : QByteArray()));
      QVERIFY2(r.out.contains("records read:      4\n"), r.out.constData());
      QVERIFY2(r.out.contains("warnings:          0\n"), r.out.constData());
      CHECKED(r = ok({QStringLiteral("export"), dir}));
      std::map<std::string, json> got;
      std::vector<std::string> order;
      QVERIFY(parse_export(r.out, &got, &order));
      QVERIFY(got == expected);
      QCOMPARE(order, (std::vector<std::string>{"a", "n", "ключ"}));
    }

    // A missing input file is an error naming it; nothing is created.
    const QString missing = tmp.filePath(QStringLiteral("missing.jsonl"));
    const QString dir = tmp.filePath(QStringLiteral("never"));
    const Run r = run({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), missing});
    QCOMPARE(r.code, 2);
    QVERIFY(r.err.contains(missing.toUtf8()));
    QVERIFY(!QFileInfo::exists(dir));
  }

  // An integer beyond 64 bits would be rounded through a double by the JSON
  // library: `put` refuses it with the reason, and as raw bytes it is kept,
  // printed and exported exactly as written.
  void big_integers_are_never_rounded() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    Run r = run({QStringLiteral("put"), dir, QStringLiteral("k"),
                 QStringLiteral("[1180591620717411303424]")});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("rounded"), r.err.constData());
    r = run({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")},
            "{\"key\":\"k\",\"raw\":\"1180591620717411303424\"}\n");
    QCOMPARE(r.code, 0);
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("k")}));
    QCOMPARE(r.out, QByteArray("1180591620717411303424\n"));
    CHECKED(r = ok({QStringLiteral("export"), dir}));
    QVERIFY2(r.out.contains("\"raw\":\"1180591620717411303424\""), r.out.constData());
  }

  void import_jsonl_bad_line() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const QByteArray text =
        "{\"key\":\"a\",\"value\":1}\n{\"key\":\"b\",\"value\":2}\nthis is not "
        "json\n{\"key\":\"c\",\"value\":3}\n";
    Run r =
        run({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")}, text);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.startsWith("bitcask: ") && r.err.contains("3"), r.err.constData());
    // The import created the directory and failed: it is removed, not left
    // half-filled (or empty) to be mistaken for a result.
    QVERIFY(!QFileInfo::exists(dir));
    // Into an existing database, what came before the bad line stays.
    CHECKED(put(dir, QStringLiteral("existing"), QStringLiteral("0")));
    r = run({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")}, text);
    QCOMPARE(r.code, 2);
    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QCOMPARE(r.out, QByteArray("a\nb\nexisting\n"));
  }

  void export_format() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    CHECKED(put(dir, QStringLiteral("z"), QStringLiteral(R"({"b":[1,2],"a":"x"})")));
    CHECKED(put(dir, QStringLiteral("m"),
                QStringLiteral("\"text with \\\"quotes\\\"\\nand newline\"")));
    CHECKED(put(dir, QStringLiteral("a"), QStringLiteral("null")));
    CHECKED(put(dir, QStringLiteral("gone"), QStringLiteral("1")));
    CHECKED(ok({QStringLiteral("delete"), dir, QStringLiteral("gone")}));

    Run r;
    CHECKED(r = ok({QStringLiteral("export"), dir}));
    QVERIFY(r.err.isEmpty());
    QVERIFY(r.out.endsWith('\n'));
    const QList<QByteArray> lines = lines_of(r.out);
    QCOMPARE(lines.size(), 3);  // one line per record even with a newline in a value
    std::map<std::string, json> got;
    std::vector<std::string> order;
    QVERIFY(parse_export(r.out, &got, &order));
    QCOMPARE(order, (std::vector<std::string>{"a", "m", "z"}));
    QCOMPARE(got["z"], json::parse(R"({"a":"x","b":[1,2]})"));
    QCOMPARE(got["m"], json("text with \"quotes\"\nand newline"));
    QVERIFY(got["a"].is_null());

    // The export re-imports to the same content.
    const QString copy = tmp.filePath(QStringLiteral("copy"));
    CHECKED(ok({QStringLiteral("import"), copy, QStringLiteral("--jsonl"), QStringLiteral("-")},
               r.out));
    Run again;
    CHECKED(again = ok({QStringLiteral("export"), copy}));
    QCOMPARE(again.out, r.out);

    // An empty database exports nothing.
    const QString empty = tmp.filePath(QStringLiteral("empty"));
    CHECKED(put(empty, QStringLiteral("k"), QStringLiteral("1")));
    CHECKED(ok({QStringLiteral("delete"), empty, QStringLiteral("k")}));
    CHECKED(r = ok({QStringLiteral("export"), empty}));
    QVERIFY(r.out.isEmpty());
  }

  // JSON nested deeper than kMaxJsonDepth (512) is refused where it comes in,
  // naming the line, the byte and the limit; stored bytes nested deeper are
  // printed and exported as they are. Nothing crashes (issue 14: a value
  // nested 100,000 deep overflowed the stack in nlohmann's dump()).
  void deep_json() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const QStringList import_stdin = {QStringLiteral("import"), dir, QStringLiteral("--jsonl"),
                                      QStringLiteral("-")};
    Run r;
    // At the limit: stored, and printed back as it went in.
    CHECKED(ok(import_stdin, bytes("{\"key\":\"k\",\"value\":" + nested(512) + "}\n")));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("k")}));
    QCOMPARE(str(r.out), nested(512) + "\n");
    CHECKED(
        ok({QStringLiteral("put"), dir, QStringLiteral("p"), QString::fromStdString(nested(512))}));

    // Deeper: refused. A line's own object is one more level.
    const std::string prefix = "{\"key\":\"deep\",\"value\":";
    for (const int depth : {513, 100000}) {
      r = run(import_stdin,
              bytes("{\"key\":\"a\",\"value\":1}\n" + prefix + nested(depth) + "}\n"));
      QCOMPARE(r.code, 2);
      const std::string where = "line 2: JSON nested deeper than 513 levels at byte " +
                                std::to_string(prefix.size() + 513);
      QVERIFY2(r.err.contains(bytes(where)), r.err.constData());
    }
    r = run({QStringLiteral("put"), dir, QStringLiteral("p"), QString::fromStdString(nested(513))});
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("JSON nested deeper than 512 levels at byte 513"), r.err.constData());
    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QCOMPARE(r.out, QByteArray("a\nk\np\n"));

    // Stored as raw text, the deep value is printed as stored with a note,
    // exported as "raw", and round-trips.
    const std::string deep = nested(100000);
    CHECKED(ok(import_stdin, bytes(json({{"key", "raw"}, {"raw", deep}}).dump() + "\n")));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("raw")}));
    QCOMPARE(str(r.out), deep + "\n");
    QVERIFY2(r.err.contains("nested deeper than 512 levels at byte 513; printed as stored"),
             r.err.constData());
    CHECKED(r = ok({QStringLiteral("export"), dir}));
    QVERIFY2(r.out.contains(bytes(json({{"key", "raw"}, {"raw", deep}}).dump() + "\n")),
             r.out.left(200).constData());
    const QString copy = tmp.filePath(QStringLiteral("copy"));
    CHECKED(ok({QStringLiteral("import"), copy, QStringLiteral("--jsonl"), QStringLiteral("-")},
               r.out));
    Run again;
    CHECKED(again = ok({QStringLiteral("export"), copy}));
    QCOMPARE(again.out, r.out);
  }

  // The same in a directory of the Python original, read in place and
  // imported: the value is kept as its text, with a warning naming the key.
  void deep_json_python_layout() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("py"));
    QVERIFY(QDir().mkpath(dir));
    const std::string deep = nested(100000);
    {
      QFile f(dir + QStringLiteral("/1.data"));
      QVERIFY(f.open(QIODevice::WriteOnly));
      const QByteArray data = py_record("deep", bytes(deep), 1700000000123ull) +
                              py_record("ok", "[[1]]", 1700000000124ull);
      QCOMPARE(f.write(data), data.size());
    }
    Run r;
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("deep")}));
    QCOMPARE(str(r.out), deep + "\n");
    QVERIFY2(r.err.contains("nested deeper than 512 levels"), r.err.constData());
    CHECKED(r = ok({QStringLiteral("export"), dir}));
    QCOMPARE(str(r.out), json({{"key", "deep"}, {"raw", deep}}).dump() +
                             "\n{\"key\":\"ok\",\"value\":[[1]]}\n");

    const QString native = tmp.filePath(QStringLiteral("native"));
    CHECKED(r = ok({QStringLiteral("import"), native, QStringLiteral("--pybitcask"), dir}));
    QVERIFY2(r.out.contains("keys written:      2\n") && r.out.contains("warnings:          1\n"),
             r.out.constData());
    QVERIFY2(r.err.contains("value of key \"deep\": JSON nested deeper than 512"),
             r.err.constData());
    CHECKED(r = ok({QStringLiteral("get"), native, QStringLiteral("deep")}));
    QCOMPARE(str(r.out), deep + "\n");
  }

  // A value "x" followed by a NUL byte and more: nlohmann stops reading at
  // the NUL, so get printed "x" and export wrote a raw NUL (issue 14).
  void nul_after_json_value() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const QByteArray line = "{\"key\":\"k\",\"raw\":\"\\\"x\\\"\\u0000junk\"}\n";
    Run r;
    CHECKED(
        ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")}, line));
    CHECKED(r = ok({QStringLiteral("get"), dir, QStringLiteral("k")}));
    QCOMPARE(r.out, QByteArray("\"x\"\0junk\n", 9));
    QVERIFY2(r.err.contains("NUL byte at byte 4"), r.err.constData());
    CHECKED(r = ok({QStringLiteral("export"), dir}));
    QCOMPARE(r.out, line);

    // A NUL byte in a line is refused, not taken for the end of the line.
    r = run({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")},
            QByteArray("{\"key\":\"j\",\"value\":1}\0{\"key\":\"lost\"}\n", 37));
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains("line 1: NUL byte at byte 22"), r.err.constData());
    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QCOMPARE(r.out, QByteArray("k\n"));
  }

  // export -> import -> export is exact for any bytes in keys and values:
  // NUL, invalid UTF-8, newlines, JSON that is not in compact form.
  void export_import_exact_bytes() {
    const std::map<std::string, std::string> records = {
        {std::string("nul\0key", 7), std::string("\"x\"\0junk", 8)},
        {"\xff\xfe", "\xc3("},                  // not UTF-8
        {"new\nline", "[1,\n2]"},               // JSON over two lines
        {"spaced", "{\"a\": 1}"},               // JSON, not compact
        {"escaped", "\"caf\\u00e9\""},          // JSON, not as import stores it
        {"exponent", "1E2"},                    // likewise
        {"compact", "{\"a\":[1,2.5,\"s\"]}"},   // exactly as import stores it
        {"controls", std::string(64, '\x01')},  // escaped: 6 times as long
        {"back\\slash\r", "\\"},
        {"deep", nested(600)},
    };
    QByteArray input;
    for (const auto& [key, value] : records) {
      input += "{\"key_hex\":\"" + bytes(key).toHex() + "\",\"raw_hex\":\"" + bytes(value).toHex() +
               "\"}\n";
    }
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    CHECKED(
        ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")}, input));
    Run first;
    CHECKED(first = ok({QStringLiteral("export"), dir}));
    QVERIFY(!first.out.contains('\0'));
    const QList<QByteArray> lines = lines_of(first.out);
    QCOMPARE(static_cast<std::size_t>(lines.size()), records.size());
    std::map<std::string, std::string> got;
    for (const QByteArray& line : lines) got.insert(decode_export_line(line));
    QVERIFY(got == records);
    QVERIFY(first.out.contains("{\"key\":\"compact\",\"value\":{\"a\":[1,2.5,\"s\"]}}\n"));
    QVERIFY(first.out.contains("{\"key\":\"spaced\",\"raw\":\"{\\\"a\\\": 1}\"}\n"));
    QVERIFY(first.out.contains("{\"key\":\"controls\",\"raw_hex\":\"0101"));

    const QString copy = tmp.filePath(QStringLiteral("copy"));
    CHECKED(ok({QStringLiteral("import"), copy, QStringLiteral("--jsonl"), QStringLiteral("-")},
               first.out));
    Run second;
    CHECKED(second = ok({QStringLiteral("export"), copy}));
    QCOMPARE(second.out, first.out);
  }

  // keys prints one line a key whatever it holds: a backslash as \\, a
  // control byte as \xHH; -z/--null prints keys as they are, NUL-terminated.
  void keys_unambiguous() {
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString dir = tmp.filePath(QStringLiteral("db"));
    const std::vector<std::string> keys = {"\x01z", "a\nb", "a\\x0ab", "plain", "tab\tx", "é"};
    QByteArray input;
    for (const std::string& key : keys)
      input += "{\"key_hex\":\"" + bytes(key).toHex() + "\",\"value\":1}\n";
    CHECKED(
        ok({QStringLiteral("import"), dir, QStringLiteral("--jsonl"), QStringLiteral("-")}, input));
    Run r;
    CHECKED(r = ok({QStringLiteral("keys"), dir}));
    QCOMPARE(r.out, QByteArray("\\x01z\na\\x0ab\na\\\\x0ab\nplain\ntab\\x09x\né\n"));
    QByteArray raw;
    for (const std::string& key : keys) raw += bytes(key) + '\0';
    for (const char* flag : {"-z", "--null"}) {
      CHECKED(r = ok({QStringLiteral("keys"), dir, QString::fromLatin1(flag)}));
      QCOMPARE(r.out, raw);
    }
    CHECKED(r = ok({QStringLiteral("keys"), dir, QStringLiteral("-z"), QStringLiteral("--prefix"),
                    QStringLiteral("a"), QStringLiteral("--limit"), QStringLiteral("1")}));
    QCOMPARE(r.out, QByteArray("a\nb\0", 4));
  }
};

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
