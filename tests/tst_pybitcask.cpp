// Directories written by the Python original: read in place (read-only),
// and converted by import; both compared with the fixtures' expected data.
#include <bitcask/import.h>

#include <QTest>
#include <cmath>

#include "../engine/src/coding.h"
#include "test_util.h"

using namespace bitcask;
using namespace testutil;

namespace {

nlohmann::json expected_of(const std::string& name) {
  return nlohmann::json::parse(read_file(fixtures_dir() / (name + ".expected.json")));
}

// A record in the Python original's layout.
std::string py_record(const std::string& key, const std::string& value, std::uint64_t ts = 1) {
  std::string r(16, '\0');
  encode_u32_be(r.data(), static_cast<std::uint32_t>(key.size()));
  encode_u32_be(r.data() + 4, static_cast<std::uint32_t>(value.size()));
  encode_u64_be(r.data() + 8, ts);
  return r + key + value;
}

void compare_with_expected(const DB& db, const nlohmann::json& expected) {
  const auto& live = expected["live"];
  QCOMPARE(db.size(), std::uint64_t(live.size()));
  std::string text;
  for (const auto& [key, value] : live.items()) {
    QVERIFY2(db.get(key, &text), key.c_str());
    QCOMPARE_JSON(parse_json_text(text), value);
  }
  if (expected.contains("deleted")) {
    for (const auto& key : expected["deleted"]) QVERIFY(!db.contains(key.get<std::string>()));
  }
}

}  // namespace

class PyBitcaskTest : public QObject {
  Q_OBJECT
 private slots:
  void fixtures_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("basic") << "pybitcask-basic";
    QTest::newRow("torn-tail") << "pybitcask-torn-tail";
    QTest::newRow("2000") << "pybitcask-2000";
  }

  void readInPlace() {
    QFETCH(QString, name);
    const fs::path src = fixtures_dir() / name.toStdString();
    // Even a writable open of the Python format is read-only: nothing changes.
    const std::string before = read_file(src / "1.data");
    auto db = DB::open(src);
    QCOMPARE(db->format(), DataFormat::kPythonBitcask);
    QVERIFY(db->read_only());
    compare_with_expected(*db, expected_of(name.toStdString()));
    try {
      db->put("k", "\"v\"");
      QFAIL("wrote to a Python directory");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kReadOnly);
      QVERIFY(std::string(e.what()).find("bitcask import") != std::string::npos);
    }
    db->close();
    QCOMPARE(read_file(src / "1.data"), before);
    QVERIFY(!fs::exists(src / "LOCK"));
    QVERIFY(!fs::exists(src / "BITCASK"));
  }
  void readInPlace_data() { fixtures_data(); }

  void tornTailIsReported() {
    auto db = DB::open(fixtures_dir() / "pybitcask-torn-tail", read_only_options());
    QCOMPARE(db->recovery_report().truncated_tails.size(), std::size_t{1});
    QVERIFY(db->recovery_report().corrupt_records.empty());
  }

  void import() {
    QFETCH(QString, name);
    QTemporaryDir tmp;
    const fs::path src = fixtures_dir() / name.toStdString();
    const std::string before = read_file(src / "1.data");
    {
      auto dst = DB::open(path_of(tmp));
      ImportResult r = import_directory(src, *dst);
      QCOMPARE(r.keys_written, dst->size());
      QCOMPARE(r.not_strict_json, 0ull);
    }
    auto db = DB::open(path_of(tmp));
    QCOMPARE(db->format(), DataFormat::kNative);
    compare_with_expected(*db, expected_of(name.toStdString()));
    // Every value is the source's exact bytes (Python's spacing and escapes).
    auto source = DB::open(src, read_only_options());
    ScanOptions all;
    all.limit = 1u << 20;
    for (const KeyEntry& e : source->scan(all)) QCOMPARE(*db->get(e.key), *source->get(e.key));
    QCOMPARE(read_file(src / "1.data"), before);
  }
  void import_data() { fixtures_data(); }

  void nonStrictValuesAndFileOrder() {
    QTemporaryDir tmp;
    const fs::path src = path_of(tmp, "py");
    fs::create_directory(src);
    // Files apply in numeric order (2 before 10), not in the string order
    // the Python code globs them in, which would bring "gone" back from a
    // file written before the one that deleted it.
    write_file(src / "2.data", py_record("k", "\"old\"") + py_record("nan", "{\"x\": NaN}") +
                                   py_record("gone", "1"));
    write_file(src / "10.data", py_record("k", "\"new\"") + py_record("gone", ""));
    auto db = DB::open(src);
    QCOMPARE(db->size(), 2ull);
    QCOMPARE(*db->get("k"), std::string("\"new\""));
    QVERIFY(!db->contains("gone"));
    Bitcask json(src);
    QVERIFY(std::isnan((*json.get("nan"))["x"].get<double>()));
    QCOMPARE(*json.get_text("nan"), std::string("{\"x\": NaN}"));

    auto dst = DB::open(path_of(tmp, "converted"));
    ImportResult r = import_directory(src, *dst);
    QCOMPARE(r.not_strict_json, 1ull);
    QCOMPARE(*dst->get("nan"), std::string("{\"x\": NaN}"));  // kept as its text
    QCOMPARE(*dst->get("k"), std::string("\"new\""));
  }

  // Any Bitcask this engine reads converts, a native one too, byte for
  // byte; an empty key (pybitcask writes them) is a key like any other.
  void importCopiesAnyBitcaskExactly() {
    QTemporaryDir tmp;
    {
      auto src = DB::open(path_of(tmp, "native"));
      src->put("k", "{\"a\": 1}");
      src->put("", "\"empty key\"");
    }
    auto dst = DB::open(path_of(tmp, "dst"));
    const ImportResult r = import_directory(path_of(tmp, "native"), *dst);
    QCOMPARE(r.keys_written, 2ull);
    QCOMPARE(*dst->get("k"), std::string("{\"a\": 1}"));
    QCOMPARE(*dst->get(""), std::string("\"empty key\""));
  }

  void jsonlRoundTrip() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp, "a"));
    db->put("plain", R"({"a":[1,2]})");
    db->put("nan", "[NaN]");
    db->put(std::string("bin\xff", 4), std::string("\xfe\x00", 2));
    std::stringstream out;
    QCOMPARE(export_jsonl(*db, out), 3ull);
    auto copy = DB::open(path_of(tmp, "b"));
    std::stringstream in(out.str());
    ImportResult r = import_jsonl(in, *copy);
    QCOMPARE(r.keys_written, 3ull);
    for (const auto& k : {std::string("plain"), std::string("nan"), std::string("bin\xff", 4)}) {
      QCOMPARE(*copy->get(k), *db->get(k));
    }
    std::stringstream bad("{\"key\":\"ok\",\"value\":1}\n{\"key\": 5}\n");
    try {
      import_jsonl(bad, *copy);
      QFAIL("bad line accepted");
    } catch (const Error& e) {
      QVERIFY(std::string(e.what()).find("line 2") != std::string::npos);
    }
    QCOMPARE(*copy->get("ok"), std::string("1"));
  }

  // A record that fails its checksum: asked to, export leaves its key out,
  // says which and where, and writes the rest; otherwise it stops there.
  void exportSkipsDamagedRecordsWhenAsked() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp, "a");
    {
      auto db = DB::open(dir);
      db->put("a", "1");
      db->put("b", R"("DAMAGED-VALUE")");
      db->put("c", "3");
    }
    const fs::path seg = dir / "0000000001.seg";
    std::string bytes = testutil::read_file(seg);
    bytes[bytes.find("DAMAGED-VALUE")] = 'X';
    testutil::write_file(seg, bytes);
    auto db = DB::open(dir, testutil::read_only_options());  // from the hint: values unread
    std::stringstream out;
    std::vector<std::string> skipped;
    QCOMPARE(export_jsonl(*db, out, {}, &skipped), 2ull);
    QCOMPARE(out.str(), std::string("{\"key\":\"a\",\"value\":1}\n{\"key\":\"c\",\"value\":3}\n"));
    QCOMPARE(skipped.size(), std::size_t(1));
    QVERIFY2(skipped[0].starts_with("skipped key \"b\": ") &&
                 skipped[0].find("0000000001.seg") != std::string::npos,
             skipped[0].c_str());
    std::stringstream stopped;
    try {
      export_jsonl(*db, stopped);
      QFAIL("a damaged record was exported");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kCorruption);
    }
  }
};

QTEST_APPLESS_MAIN(PyBitcaskTest)
#include "tst_pybitcask.moc"
