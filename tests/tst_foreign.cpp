// Foreign directories opened through the database, as every command and the
// browser open them: the fixtures written by the real pybitcask and Basho
// bitcask (tests/fixtures/*/generate.*), each against the writer's own
// read-back (expected.json), and never a byte of them changed.
#include <bitcask/bitcask.h>

#include <QCryptographicHash>
#include <QProcess>
#include <QTest>
#include <map>
#include <nlohmann/json.hpp>

#include "test_util.h"

using namespace bitcask;
using namespace testutil;

namespace {

const fs::path kFixtures = fs::path(BITCASK_SOURCE_DIR) / "tests" / "fixtures";

std::string from_hex(const std::string& hex) {
  return QByteArray::fromHex(QByteArray::fromStdString(hex)).toStdString();
}

// Every file of the directory and its SHA-256.
std::map<std::string, QByteArray> digests(const fs::path& dir) {
  std::map<std::string, QByteArray> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (!e.is_regular_file()) continue;
    const std::string bytes = read_file(e.path());
    out[e.path().string()] =
        QCryptographicHash::hash(QByteArray::fromStdString(bytes), QCryptographicHash::Sha256);
  }
  return out;
}

struct Expected {
  std::map<std::string, std::string> live;
  std::map<std::string, std::pair<std::size_t, std::string>> digest;  // length, sha256 hex
  std::vector<std::string> deleted;
};

Expected load_expected(const fs::path& file, bool hex) {
  const nlohmann::json j = nlohmann::json::parse(read_file(file));
  Expected e;
  for (const auto& [k, v] : j.at("live").items()) {
    e.live[hex ? from_hex(k) : k] = hex ? from_hex(v.get<std::string>()) : v.get<std::string>();
  }
  if (j.contains("live_digest")) {
    for (const auto& [k, v] : j["live_digest"].items()) {
      e.digest[k] = {v.at("length").get<std::size_t>(), v.at("sha256").get<std::string>()};
    }
  }
  for (const auto& k : j.at("deleted"))
    e.deleted.push_back(hex ? from_hex(k) : k.get<std::string>());
  return e;
}

// Reads everything a user can reach: keys, values, stats, verify, each
// key's history and every record of every segment.
void read_everything(const DB& db) {
  ScanOptions all;
  all.limit = 1u << 30;
  for (const KeyEntry& e : db.scan(all)) {
    db.get(e.key);
    db.history(e.key);
  }
  db.stats();
  db.verify({});
  for (std::uint32_t id : db.segment_ids()) {
    std::vector<RecordInfo> records;
    db.read_records(id, 0, 1u << 30, [&](const RecordInfo& r) {
      if (r.checksum_ok) records.push_back(r);
      return true;
    });
    // The parts of every record tile it, in order, for the hex view.
    for (const RecordInfo& r : records) {
      std::uint64_t at = 0;
      for (const RecordPart& p : db.record_parts(id, r.offset)) {
        QCOMPARE(p.offset, at);
        at += p.length;
      }
      QCOMPARE(at, std::uint64_t(r.record_size));
    }
  }
}

}  // namespace

class ForeignTest : public QObject {
  Q_OBJECT
 private slots:
  void fixtures_data() {
    QTest::addColumn<QString>("dir");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("basho");
    int n = 0;
    for (const auto& e : fs::directory_iterator(kFixtures / "pybitcask")) {
      if (!e.is_directory()) continue;
      QTest::newRow(("pybitcask/" + e.path().filename().string()).c_str())
          << QString::fromStdString(e.path().string())
          << QString::fromStdString((e.path() / "expected.json").string()) << false;
      ++n;
    }
    for (const auto& e : fs::directory_iterator(kFixtures / "basho")) {
      if (!e.is_directory()) continue;
      QTest::newRow(("basho/" + e.path().filename().string()).c_str())
          << QString::fromStdString(e.path().string())
          << QString::fromStdString(e.path().string() + ".expected.json") << true;
      ++n;
    }
    QVERIFY(n >= 15);
  }

  // Exactly the writer's live keys and values, deleted keys absent, and
  // not a byte of the directory changed by anything a reader does.
  void readsExactlyWhatTheWriterReadsBack() {
    QFETCH(QString, dir);
    QFETCH(QString, expected);
    QFETCH(bool, basho);
    const fs::path path = dir.toStdString();
    const Expected want = load_expected(expected.toStdString(), basho);
    const auto before = digests(path);
    {
      auto db = DB::open(path, read_only_options());
      QCOMPARE(db->format(), basho ? DataFormat::kBasho : DataFormat::kPythonBitcask);
      QCOMPARE(db->size(), std::uint64_t(want.live.size() + want.digest.size()));
      for (const auto& [k, v] : want.live) {
        const std::optional<std::string> got = db->get(k);
        QVERIFY2(got.has_value(), ("missing key " + k).c_str());
        QCOMPARE(*got, v);
      }
      for (const auto& [k, d] : want.digest) {
        const std::string got = db->get(k).value_or("");
        QCOMPARE(got.size(), d.first);
        QCOMPARE(
            QCryptographicHash::hash(QByteArray::fromStdString(got), QCryptographicHash::Sha256)
                .toHex()
                .toStdString(),
            d.second);
      }
      for (const std::string& k : want.deleted) QVERIFY2(!db->contains(k), k.c_str());
      read_everything(*db);
      QVERIFY(!db->format_description().empty());
      // Writes are refused, pointing at the conversion.
      try {
        db->put("x", "1");
        QFAIL("a write to a foreign directory was taken");
      } catch (const Error& e) {
        QCOMPARE(e.code(), ErrorCode::kReadOnly);
        QVERIFY2(std::string(e.what()).find("import") != std::string::npos, e.what());
      }
    }
    // Every read command of the tool, on the directory in place.
    const QString qdir = QString::fromStdString(path.string());
    const std::string some_key = want.live.empty() ? std::string() : want.live.begin()->first;
    for (const QStringList& args :
         {QStringList{"stats", qdir}, QStringList{"stats", qdir, "--json"},
          QStringList{"keys", qdir}, QStringList{"export", qdir}, QStringList{"check", qdir},
          QStringList{"dump", qdir}, QStringList{"get", qdir, QString::fromStdString(some_key)},
          QStringList{"merge", qdir}, QStringList{"put", qdir, "x", "1"}}) {
      QProcess p;
      p.start(BITCASK_CLI_PATH, args);
      QVERIFY(p.waitForFinished(60000));
      QVERIFY2(p.exitStatus() == QProcess::NormalExit, qPrintable(args.join(' ')));
      // Writes are refused (exit 2); reads succeed or report what they skipped (exit 3).
      const bool write = args[0] == "merge" || args[0] == "put";
      QVERIFY2(write ? p.exitCode() == 2 : p.exitCode() == 0 || p.exitCode() == 3,
               qPrintable(args.join(' ') + " -> " + QString::number(p.exitCode()) + " " +
                          p.readAllStandardError()));
    }
    {
      // A writable open is read-only too: no lock, hint or marker written.
      Options o;
      o.create_if_missing = false;
      auto db = DB::open(path, o);
      QVERIFY(db->read_only());
    }
    QCOMPARE(digests(path), before);
  }
  void readsExactlyWhatTheWriterReadsBack_data() { fixtures_data(); }

  void liveWriterIsNamed() {
    auto db = DB::open(kFixtures / "basho" / "locked", read_only_options());
    QVERIFY2(db->live_writer_warning().find("lock") != std::string::npos,
             db->live_writer_warning().c_str());
    auto quiet = DB::open(kFixtures / "basho" / "rotated", read_only_options());
    QVERIFY(quiet->live_writer_warning().empty());
  }

  // A file named like a layout whose first record does not parse in it is
  // not a torn tail: the open fails, naming the file.
  void firstRecordThatDoesNotParseIsAnError_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("pybitcask, unknown format byte")
        << "data_1.db" << QByteArray("\x07garbage garbage garbage", 24);
    QTest::newRow("pybitcask, JSON line that is not an object")
        << "data_1.db" << QByteArray("\x02[1,2,3]\n");
    QTest::newRow("Basho, bad CRC") << "1.bitcask.data" << QByteArray(40, '\x11');
  }
  void firstRecordThatDoesNotParseIsAnError() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fs::create_directories(dir);
    write_file(dir / name.toStdString(), bytes.toStdString());
    try {
      DB::open(dir, read_only_options());
      QFAIL("opened");
    } catch (const Error& e) {
      QVERIFY2(std::string(e.what()).find(name.toStdString()) != std::string::npos, e.what());
    }
  }
};

QTEST_GUILESS_MAIN(ForeignTest)
#include "tst_foreign.moc"
