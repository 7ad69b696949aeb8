// The pybitcask layouts (layout_pybitcask.cpp) against directories written by
// the real pybitcask at each layout's commit (tests/fixtures/pybitcask, made
// by its generate.py): every fixture is recognised, its files walked record
// by record through the Layout in apply order, and the last-record-wins map
// compared with the writer's own read-back (expected.json). Then crafted
// bad inputs, which must give clear errors.
#include <bitcask/error.h>

#include <QCryptographicHash>
#include <QTemporaryDir>
#include <QTest>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "coding.h"
#include "layout_pybitcask.h"
#include "test_util.h"

using namespace bitcask;
using namespace testutil;
namespace pl = bitcask::pybitcask_layout;

namespace {

const fs::path kFixtures = PYBITCASK_FIXTURES_DIR;

std::string sha256(std::string_view bytes) {
  return QCryptographicHash::hash(QByteArrayView(bytes.data(), qsizetype(bytes.size())),
                                  QCryptographicHash::Sha256)
      .toHex()
      .toStdString();
}

// Hash of every file of a directory, by name.
std::map<std::string, std::string> hash_dir(const fs::path& dir) {
  std::map<std::string, std::string> hashes;
  for (const auto& e : fs::directory_iterator(dir)) {
    hashes[e.path().filename().string()] = sha256(read_file(e.path()));
  }
  return hashes;
}

struct Walk {
  std::map<std::string, std::optional<std::string>> last;  // nullopt: a tombstone
  std::map<std::string, DecodeStatus> end_status;          // by file name
  std::map<std::string, std::string> end_why;
  std::uint64_t records = 0;
};

// Walks every file of the layout in its order; the last record of a key wins.
Walk walk(const Layout& layout) {
  Walk w;
  for (const ForeignFile& f : layout.files()) {
    const std::string bytes = read_file(f.path);
    std::uint64_t offset = f.first_record_offset;
    ForeignRecord r;
    std::string why;
    DecodeStatus status;
    while ((status = layout.decode(f, bytes.data(), bytes.size(), offset, &r, &why)) ==
           DecodeStatus::kOk) {
      if (r.offset != offset || r.length == 0) throw std::runtime_error("bad record extent");
      w.last[std::string(r.key)] = r.kind == RecordKind::kTombstone
                                       ? std::nullopt
                                       : std::optional<std::string>(std::string(r.value));
      offset += r.length;
      ++w.records;
    }
    w.end_status[f.path.filename().string()] = status;
    w.end_why[f.path.filename().string()] = why;
  }
  return w;
}

// A pybitcask directory of one file with these bytes.
fs::path one_file(const QTemporaryDir& tmp, const std::string& name, const std::string& bytes) {
  const fs::path dir = path_of(tmp, "py");
  fs::create_directories(dir);
  write_file(dir / name, bytes);
  return dir;
}

std::string iiq(const std::string& key, const std::string& value,
                std::uint64_t ts = 1700000000000) {
  std::string r(16, '\0');
  encode_u32_be(r.data(), static_cast<std::uint32_t>(key.size()));
  encode_u32_be(r.data() + 4, static_cast<std::uint32_t>(value.size()));
  encode_u64_be(r.data() + 8, ts);
  return r + key + value;
}

// Error text of recognise_pybitcask, or "" when it did not throw.
std::string refusal(const fs::path& dir) {
  try {
    (void)recognise_pybitcask(dir);
  } catch (const Error& e) {
    return e.what();
  }
  return {};
}

}  // namespace

class LayoutPyBitcaskTest : public QObject {
  Q_OBJECT
 private slots:
  void fixtures_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("encoding");
    QTest::newRow("2024-iiq") << "2024-iiq"
                              << ">IIQ";
    QTest::newRow("2025-data-iiq") << "2025-data-iiq"
                                   << ">IIQ";
    QTest::newRow("2025-data-json") << "2025-data-json"
                                    << "JSON lines";
    QTest::newRow("2025-db-iiq") << "2025-db-iiq"
                                 << ">IIQ";
    QTest::newRow("2025-db-json") << "2025-db-json"
                                  << "JSON lines";
    QTest::newRow("282536b-proto") << "282536b-proto"
                                   << "protobuf";
    QTest::newRow("282536b-iiq") << "282536b-iiq"
                                 << ">IIQ";
    QTest::newRow("282536b-json") << "282536b-json"
                                  << "JSON lines";
    QTest::newRow("today-proto") << "today-proto"
                                 << "protobuf";
    QTest::newRow("today-json") << "today-json"
                                << "JSON lines";
    QTest::newRow("today-proto-reopened") << "today-proto-reopened"
                                          << "protobuf";
    QTest::newRow("today-proto-compacted") << "today-proto-compacted"
                                           << "protobuf";
    QTest::newRow("today-json-compacted") << "today-json-compacted"
                                          << "JSON lines";
  }

  void fixtures() {
    QFETCH(QString, name);
    QFETCH(QString, encoding);
    const fs::path dir = kFixtures / name.toStdString();
    const auto expected = nlohmann::json::parse(read_file(dir / "expected.json"));
    const auto before = hash_dir(dir);

    auto layout = recognise_pybitcask(dir);
    QVERIFY(layout != nullptr);
    QVERIFY2(layout->description().find(encoding.toStdString()) != std::string::npos,
             layout->description().c_str());

    // Files in numeric order, every one of them, 1-based ids.
    std::vector<std::string> names;
    for (const ForeignFile& f : layout->files()) {
      names.push_back(f.path.filename().string());
      QCOMPARE(f.id, std::uint32_t(names.size()));
      QVERIFY(f.encoding == encoding.toStdString() || f.encoding == "no records");
    }
    QVERIFY2(nlohmann::json(names) == expected["files"], nlohmann::json(names).dump().c_str());

    const Walk w = walk(*layout);
    // Where the generator tore the last record: that file ends kTruncated,
    // every other one kEnd.
    const std::string torn =
        expected["torn_file"].is_null() ? "" : expected["torn_file"].get<std::string>();
    for (const auto& [file, status] : w.end_status) {
      const DecodeStatus want = file == torn ? DecodeStatus::kTruncated : DecodeStatus::kEnd;
      QVERIFY2(status == want, (file + ": " + w.end_why.at(file)).c_str());
    }

    // Exactly the live keys, with their values as written.
    std::map<std::string, std::string> live;
    for (const auto& [key, value] : w.last) {
      if (value) live[key] = *value;
    }
    const auto& want_live = expected["live"];
    const auto& want_digest = expected["live_digest"];
    QCOMPARE(live.size(), want_live.size() + want_digest.size());
    for (const auto& [key, value] : want_live.items()) {
      QVERIFY2(live.count(key), ("missing key " + nlohmann::json(key).dump()).c_str());
      QCOMPARE(live[key], value.get<std::string>());
    }
    for (const auto& [key, digest] : want_digest.items()) {
      QVERIFY2(live.count(key), ("missing key " + nlohmann::json(key).dump()).c_str());
      QCOMPARE(std::uint64_t(live[key].size()), digest["length"].get<std::uint64_t>());
      QCOMPARE(sha256(live[key]), digest["sha256"].get<std::string>());
    }
    for (const auto& key : expected["deleted"]) {
      QVERIFY2(!live.count(key.get<std::string>()), key.dump().c_str());
    }
    if (!expected["torn_key"].is_null()) {
      QVERIFY(!w.last.count(expected["torn_key"].get<std::string>()));
    }
    // The edge keys came through: empty, non-ASCII, newline and NUL.
    QVERIFY(live.count(""));
    QVERIFY(live.count(std::string("line\nbreak\0nul", 14)));
    QVERIFY(live.count("clé-ünïcødé-日本語-🙂"));
    QCOMPARE(live["nan"], std::string("NaN"));
    QCOMPARE(live["big-int"], std::string("1180591620717411303424"));

    QCOMPARE(hash_dir(dir), before);  // not a byte changed
  }

  // pybitcask today sorts data_10.db before data_2.db: our order is numeric,
  // so the deletes in data_10.db and later stay deletes (see FORMAT.md).
  void numericOrderKeepsDeletes() {
    const fs::path dir = kFixtures / "today-proto";
    const auto expected = nlohmann::json::parse(read_file(dir / "expected.json"));
    auto layout = recognise_pybitcask(dir);
    QCOMPARE(layout->files()[1].path.filename().string(), std::string("data_2.db"));
    QCOMPARE(layout->files()[9].path.filename().string(), std::string("data_10.db"));
    const Walk w = walk(*layout);
    QVERIFY(w.last.count("k006") && !w.last.at("k006"));  // the writer resurrects it
    QVERIFY(expected["writer_readback"]["k006"].get<std::string>() != "<absent>");
  }

  // 38b5eec reopened with 10+ files wrote its format byte again in the
  // middle of data_10.db and data_11.db: the records after it are read
  // (the writer's own reader loses them).
  void strayFormatByte() {
    const fs::path dir = kFixtures / "today-proto-reopened";
    auto layout = recognise_pybitcask(dir);
    const Walk w = walk(*layout);
    for (int i = 0; i < 6; ++i) {
      const std::string key = "after-reopen-" + std::to_string(i);
      QVERIFY2(w.last.count(key) && w.last.at(key) == std::to_string(i), key.c_str());
    }
    // In data_10.db one record starts at the stray byte: without the repair
    // the record there does not decode.
    const ForeignFile& f = layout->files()[9];
    QCOMPARE(f.path.filename().string(), std::string("data_10.db"));
    const std::string bytes = read_file(f.path);
    ForeignRecord r, plain;
    std::string why;
    int repaired = 0;
    for (std::uint64_t off = f.first_record_offset;
         layout->decode(f, bytes.data(), bytes.size(), off, &r, &why) == DecodeStatus::kOk;
         off += r.length) {
      if (pl::decode_record(pl::Encoding::kProtobuf, bytes.data(), bytes.size(), off, &plain,
                            &why) != DecodeStatus::kOk) {
        QCOMPARE(bytes[off], '\x01');
        ++repaired;
      }
    }
    QCOMPARE(repaired, 1);
  }

  void noRecordsFiles() {
    QTemporaryDir tmp;
    // A 2024 database opened and never written: an empty 1.data.
    auto layout = recognise_pybitcask(one_file(tmp, "1.data", ""));
    QVERIFY(layout);
    QCOMPARE(layout->files()[0].encoding, std::string("no records"));
    ForeignRecord r;
    std::string why;
    QCOMPARE(layout->decode(layout->files()[0], "", 0, 0, &r, &why), DecodeStatus::kEnd);
    // A rotated file with its format byte only.
    QTemporaryDir tmp2;
    layout = recognise_pybitcask(one_file(tmp2, "data_3.db", "\x01"));
    QVERIFY(layout);
    QCOMPARE(layout->files()[0].first_record_offset, std::uint64_t(1));
  }

  void notPybitcask() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp, "other");
    fs::create_directories(dir);
    QVERIFY(!recognise_pybitcask(dir));  // empty
    write_file(dir / "1.bitcask.data", "basho");
    write_file(dir / "notes.txt", "x");
    write_file(dir / "data_x.db", "x");
    QVERIFY(!recognise_pybitcask(dir));  // Basho's names, others
    write_file(dir / "BITCASK", "");
    write_file(dir / "1.data", iiq("k", "1"));
    QVERIFY(!recognise_pybitcask(dir));  // a native directory
  }

  void badInputs_data() {
    QTest::addColumn<QString>("name");
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("message");
    auto b = [](const std::string& s) { return QByteArray(s.data(), qsizetype(s.size())); };
    QTest::newRow("unknown format byte")
        << "data_1.db" << b("\x07" + iiq("k", "1")) << "format byte 0x07";
    QTest::newRow("first record garbage, protobuf")
        << "data_1.db" << b(std::string("\x01\x00\x00\x00\x05garbage-garbage", 20))
        << "first record is not a pybitcask record";
    QTest::newRow("JSON line not an object")
        << "data_1.db" << b("\x02[1, 2, 3]\n") << "not a pybitcask JSON line";
    QTest::newRow("JSON line, value not JSON")
        << "data_1.db" << b("\x02{\"key\": \"k\", \"value\": nope, \"timestamp\": 1}\n")
        << "not JSON as json.dumps writes it";
    QTest::newRow("JSON line torn first")
        << "data_1.db" << b("\x02{\"key\": \"k\", \"va") << "has no end of line";
    QTest::newRow("protobuf length past the end")
        << "data_1.db" << b(std::string("\x01\x00\x00\x10\x00\x0a\x01k", 8)) << "runs past the end";
    QTest::newRow("absurd >IIQ lengths")
        << "1.data" << b(std::string("\xff\xff\xff\xff\xff\xff\xff\xff", 8) + std::string(20, 'x'))
        << "runs past the end";
    QTest::newRow("2025 .data unknown byte")
        << "1.data" << b("\x09{\"key\": \"k\"}\n") << "first record is not a pybitcask record";
    QTest::newRow(">IIQ key not UTF-8") << "1.data" << b(iiq("\xff\xfe", "1")) << "not UTF-8";
    QTest::newRow("protobuf key not UTF-8")
        << "data_1.db"
        << b(std::string("\x01\x00\x00\x00\x09\x0a\x02\xff\xfe\x12\x01\x31\x18\x01", 14))
        << "not UTF-8";
    QTest::newRow(">IIQ value NaN glued") << "1.data" << b(iiq("k", "1NaN")) << "json.dumps";
  }

  void badInputs() {
    QFETCH(QString, name);
    QFETCH(QByteArray, bytes);
    QFETCH(QString, message);
    QTemporaryDir tmp;
    const fs::path dir = one_file(tmp, name.toStdString(), bytes.toStdString());
    const std::string error = refusal(dir);
    QVERIFY2(!error.empty(), "recognised");
    QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
    QVERIFY2(error.find(name.toStdString()) != std::string::npos, error.c_str());  // names it
  }

  void mixedNamesRefused() {
    QTemporaryDir tmp;
    const fs::path dir = one_file(tmp, "1.data", iiq("a", "1"));
    write_file(dir / "data_1.db",
               "\x02" + std::string("{\"key\": \"a\", \"value\": 2, \"timestamp\": 3}\n"));
    QVERIFY(refusal(dir).find("both") != std::string::npos);
  }

  // A torn tail is an incomplete record after valid ones; damage after valid
  // ones is kDamaged, not a tear.
  void tornAndDamagedAfterValid() {
    QTemporaryDir tmp;
    const std::string good = iiq("a", "1");
    const fs::path dir = one_file(tmp, "1.data", good + iiq("b", "22").substr(0, 18));
    auto layout = recognise_pybitcask(dir);
    QVERIFY(layout);
    const std::string bytes = read_file(dir / "1.data");
    ForeignRecord r;
    std::string why;
    const ForeignFile& f = layout->files()[0];
    QCOMPARE(layout->decode(f, bytes.data(), bytes.size(), 0, &r, &why), DecodeStatus::kOk);
    QCOMPARE(layout->decode(f, bytes.data(), bytes.size(), r.length, &r, &why),
             DecodeStatus::kTruncated);
    const std::string line = "{\"key\": \"a\", \"value\": 1, \"timestamp\": 3}\n";
    const std::string json = "\x02" + line + "{\"nope\": 1}\n";
    QCOMPARE(pl::decode_record(pl::Encoding::kJsonLines, json.data(), json.size(), 1, &r, &why),
             DecodeStatus::kOk);
    QCOMPARE(pl::decode_record(pl::Encoding::kJsonLines, json.data(), json.size(), 1 + line.size(),
                               &r, &why),
             DecodeStatus::kDamaged);
  }

  // A crash while writing the first record of a freshly rotated file: the
  // last file's only record is cut short. That is the directory's torn tail
  // (after the records of the files before it); the same in any other file
  // is damage.
  void tornFirstRecordOfLastFile() {
    QTemporaryDir tmp;
    const std::string line = "{\"key\": \"a\", \"value\": 1, \"timestamp\": 3}\n";
    const fs::path dir = one_file(tmp, "data_1.db", "\x02" + line);
    write_file(dir / "data_2.db", "\x02" + line.substr(0, 20));
    auto layout = recognise_pybitcask(dir);
    QVERIFY(layout);
    const Walk w = walk(*layout);
    QCOMPARE(w.end_status.at("data_2.db"), DecodeStatus::kTruncated);
    QCOMPARE(w.last.at("a"), std::optional<std::string>("1"));
    write_file(dir / "data_3.db", "\x02" + line);
    const std::string error = refusal(dir);
    QVERIFY2(error.find("data_2.db") != std::string::npos, error.c_str());
  }

  // The same byte, two encodings: decided by parsing (0x01 in data_N.db is
  // >IIQ for a8fb92d..daf78d5 and protobuf from 282536b).
  void formatByteDecidedByParsing() {
    QTemporaryDir tmp;
    const fs::path dir = one_file(tmp, "data_1.db", "\x01" + iiq("k", "[1, 2]") + iiq("k", ""));
    auto layout = recognise_pybitcask(dir);
    QVERIFY(layout);
    QCOMPARE(layout->files()[0].encoding, std::string(">IIQ"));
    const Walk w = walk(*layout);
    QVERIFY(w.last.count("k") && !w.last.at("k"));  // its tombstone
    QCOMPARE(w.end_status.at("data_1.db"), DecodeStatus::kEnd);
  }

  void pythonJson() {
    QVERIFY(pl::is_python_json("NaN", nullptr));
    QVERIFY(pl::is_python_json("[Infinity, -Infinity, {\"a\": NaN}]", nullptr));
    QVERIFY(pl::is_python_json("\"NaN\"", nullptr));
    QVERIFY(pl::is_python_json("123456789012345678901234567890", nullptr));
    QVERIFY(!pl::is_python_json("NaNa", nullptr));
    QVERIFY(!pl::is_python_json("[1NaN]", nullptr));
    QVERIFY(!pl::is_python_json("--Infinity", nullptr));
    QVERIFY(!pl::is_python_json("", nullptr));
    QVERIFY(!pl::is_python_json("1 2", nullptr));
  }

  // The JSON-lines value is the text as written, escapes and all, and a
  // null value without "deleted" is a value.
  void jsonLineValuesExact() {
    const std::string line =
        "\x02{\"key\": \"a\\u0000\\n\\u00e9\", \"value\": {\"x\": [1.0, NaN, -0.0]}, "
        "\"timestamp\": 5}\n{\"key\": \"n\", \"value\": null, \"timestamp\": 6}\n"
        "{\"key\": \"n\", \"value\": null, \"timestamp\": 7, \"deleted\": true}\n";
    ForeignRecord r;
    std::string why;
    QCOMPARE(pl::decode_record(pl::Encoding::kJsonLines, line.data(), line.size(), 1, &r, &why),
             DecodeStatus::kOk);
    QCOMPARE(std::string(r.key), std::string("a\0\n\xc3\xa9", 5));
    QCOMPARE(std::string(r.value), std::string("{\"x\": [1.0, NaN, -0.0]}"));
    QCOMPARE(r.timestamp_us, std::uint64_t(5000));
    std::uint64_t off = 1 + r.length;
    QCOMPARE(pl::decode_record(pl::Encoding::kJsonLines, line.data(), line.size(), off, &r, &why),
             DecodeStatus::kOk);
    QCOMPARE(r.kind, RecordKind::kPut);
    QCOMPARE(std::string(r.value), std::string("null"));
    off += r.length;
    QCOMPARE(pl::decode_record(pl::Encoding::kJsonLines, line.data(), line.size(), off, &r, &why),
             DecodeStatus::kOk);
    QCOMPARE(r.kind, RecordKind::kTombstone);
    QVERIFY(r.value.empty());
  }
};

QTEST_GUILESS_MAIN(LayoutPyBitcaskTest)
#include "tst_layout_pybitcask.moc"
