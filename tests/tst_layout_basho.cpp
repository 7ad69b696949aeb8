// Basho bitcask (Riak KV's backend) read through its Layout: directories
// written by the real writer (tests/fixtures/basho, made by generate.escript
// with Debian's erlang-bitcask 2.1.0) decode to exactly what the writer reads
// back; crafted bad inputs are refused with clear errors; Erlang terms render
// through ei.
#include <bitcask/erlang_term.h>

#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <map>
#include <optional>

#include "../engine/src/coding.h"
#include "../engine/src/layout.h"
#include "../engine/src/layout_basho.h"
#include "test_util.h"

using namespace bitcask;
using namespace testutil;

namespace {

const fs::path kFixtures = BITCASK_BASHO_FIXTURES_DIR;

std::string unhex(const std::string& h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  }
  return out;
}

std::string hex(std::string_view s) {
  static const char* d = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(d[c >> 4]);
    out.push_back(d[c & 15]);
  }
  return out;
}

// Every file of a directory and its bytes: the sources must be identical
// after reading (no file changed, added or removed).
std::map<std::string, std::string> snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out[e.path().filename().string()] = read_file(e.path());
  }
  return out;
}

struct Torn {
  fs::path file;
  std::uint64_t offset;
};

// What a reader following Basho's keydir rules sees: each file in the
// layout's order, each record decoded, puts applied with
// basho::put_replaces(), tombstones removing the key.
struct Applied {
  std::map<std::string, std::pair<basho::KeydirEntry, std::string>> live;
  std::vector<Torn> torn;
  std::vector<std::string> damaged;
  std::uint64_t records = 0, tombstones = 0;
};

Applied apply(const Layout& layout) {
  Applied a;
  for (const ForeignFile& f : layout.files()) {
    const std::string bytes = read_file(f.path);
    const std::uint32_t file_id = basho::file_id_of(f);
    std::uint64_t off = f.first_record_offset;
    ForeignRecord r;
    std::string why;
    for (;;) {
      const DecodeStatus s = layout.decode(f, bytes.data(), bytes.size(), off, &r, &why);
      if (s == DecodeStatus::kEnd) break;
      if (s == DecodeStatus::kTruncated) {
        a.torn.push_back({f.path, off});
        break;
      }
      if (s == DecodeStatus::kDamaged) {
        a.damaged.push_back(f.path.filename().string() + ": " + why);
        if (r.length == 0 || r.offset != off) break;
        off += r.length;  // skipped by its sizes, as Basho does
        continue;
      }
      ++a.records;
      if (r.kind == RecordKind::kTombstone) {
        ++a.tombstones;
        a.live.erase(std::string(r.key));  // keydir_remove: unconditional
      } else {
        const basho::KeydirEntry incoming{file_id, r.offset,
                                          static_cast<std::uint32_t>(r.timestamp_us / 1000000)};
        const std::string key(r.key);
        auto it = a.live.find(key);
        if (it == a.live.end() || basho::put_replaces(it->second.first, incoming)) {
          a.live[key] = {incoming, std::string(r.value)};
        }
      }
      off += r.length;
    }
  }
  return a;
}

nlohmann::json expected_of(const fs::path& root, const std::string& name) {
  return nlohmann::json::parse(read_file(root / (name + ".expected.json")));
}

// The whole check of one fixture directory against the writer's read-back.
void check_fixture(const fs::path& root, const std::string& name) {
  const fs::path dir = root / name;
  const auto before = snapshot(dir);
  const nlohmann::json expected = expected_of(root, name);

  auto layout = recognise_basho(dir);
  QVERIFY2(layout != nullptr, name.c_str());
  QVERIFY(layout->description().starts_with("Basho bitcask data directory"));
  if (expected.contains("files")) {
    std::vector<std::string> names;
    for (const auto& f : layout->files()) names.push_back(f.path.filename().string());
    QCOMPARE(nlohmann::json(names).dump(), expected["files"].dump());
  }
  const Applied a = apply(*layout);
  QVERIFY2(a.damaged.empty(), a.damaged.empty() ? "" : a.damaged.front().c_str());

  std::map<std::string, std::string> want;
  for (const auto& [k, v] : expected["live"].items()) want[unhex(k)] = unhex(v.get<std::string>());
  std::map<std::string, std::string> got;
  for (const auto& [k, e] : a.live) got[k] = e.second;
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    QVERIFY2(it != got.end(), ("missing key " + hex(k)).c_str());
    QVERIFY2(it->second == v, ("value of " + hex(k) + ": " + hex(it->second)).c_str());
  }
  QCOMPARE(got.size(), want.size());
  for (const auto& k : expected["deleted"]) {
    QVERIFY2(!got.contains(unhex(k.get<std::string>())), k.get<std::string>().c_str());
  }

  if (expected.contains("torn_file")) {
    QCOMPARE(a.torn.size(), std::size_t{1});
    QCOMPARE(a.torn[0].file.filename().string(), expected["torn_file"].get<std::string>());
    QCOMPARE(fs::file_size(a.torn[0].file), expected["torn_size"].get<std::uint64_t>());
  } else {
    QVERIFY(a.torn.empty());
  }
  if (expected.contains("lock")) {
    QCOMPARE(layout->live_writer_warning(),
             std::string("a Riak node holds its write lock: the data may be changing"));
  } else {
    QCOMPARE(layout->live_writer_warning(), std::string());
  }
  QVERIFY(snapshot(dir) == before);
}

// One Basho record, for crafted inputs.
std::string basho_record(std::string_view key, std::string_view value, std::uint32_t ts = 1) {
  std::string r(basho::kHeaderSize, '\0');
  encode_u32_be(r.data() + 4, ts);
  r[8] = static_cast<char>(key.size() >> 8);
  r[9] = static_cast<char>(key.size());
  encode_u32_be(r.data() + 10, static_cast<std::uint32_t>(value.size()));
  r.append(key);
  r.append(value);
  encode_u32_be(r.data(), basho::crc32(r.data() + 4, r.size() - 4));
  return r;
}

// Expects recognise_basho(dir) to throw an Error whose message names `file`
// and contains `what`.
void expect_refused(const fs::path& dir, const std::string& file, const std::string& what) {
  try {
    auto l = recognise_basho(dir);
    QFAIL("recognised");
  } catch (const Error& e) {
    const std::string msg = e.what();
    QVERIFY2(msg.find(file) != std::string::npos, msg.c_str());
    QVERIFY2(msg.find(what) != std::string::npos, msg.c_str());
  }
}

}  // namespace

class LayoutBashoTest : public QObject {
  Q_OBJECT
 private slots:
  void fixtures_data() {
    QTest::addColumn<QString>("name");
    for (const char* n : {"rotated", "merged", "edge", "torn", "locked"}) QTest::newRow(n) << n;
  }
  void fixtures() {
    QFETCH(QString, name);
    check_fixture(kFixtures, name.toStdString());
  }

  void fixtureShapes() {
    // rotated: many files and real tombstones ("bitcask_tombstone2" + id)
    auto rotated = recognise_basho(kFixtures / "rotated");
    QCOMPARE(rotated->files().size(), std::size_t{15});
    QCOMPARE(rotated->files()[9].path.filename().string(), std::string("10.bitcask.data"));
    QCOMPARE(rotated->files()[9].id, 10u);
    QCOMPARE(basho::file_id_of(rotated->files()[9]), 10u);
    QVERIFY(apply(*rotated).tombstones >= 12);
    QVERIFY(rotated->description().find("15 data files, 15 hint files") != std::string::npos);
    // merged: the inputs are gone, the merge output has the highest id
    auto merged = recognise_basho(kFixtures / "merged");
    QCOMPARE(merged->files().size(), std::size_t{2});
    QCOMPARE(merged->files()[1].path.filename().string(), std::string("16.bitcask.data"));
    // edge: the empty key is a key; a value with the tombstone prefix is a
    // delete, as the writer reads it
    const Applied edge = apply(*recognise_basho(kFixtures / "edge"));
    QVERIFY(edge.live.contains(std::string()));
    QCOMPARE(edge.live.at("empty-value").second, std::string());
    QVERIFY(!edge.live.contains("looks-deleted"));
    QCOMPARE(edge.live.at("big").second.size(), std::size_t{65536});
    QCOMPARE(edge.live.at("resurrected").second, std::string("second"));
  }

  void erlangTermsOfKeys() {
    // A Riak key of the fixtures: term_to_binary({<<"bucket">>, <<"key">>}).
    const Applied a = apply(*recognise_basho(kFixtures / "rotated"));
    int riak_keys = 0;
    bool found = false;
    for (const auto& [k, e] : a.live) {
      const auto text = erlang_term_to_text(k);
      if (k.starts_with("plain-")) {
        QVERIFY(!text.has_value());  // not a term: shown as bytes
        continue;
      }
      QVERIFY2(text.has_value(), hex(k).c_str());
      QVERIFY(text->starts_with("{<<\"bucket\">>,<<\"key") ||
              *text == "{<<\"users\">>,<<\"u1\">>}");
      found = found || *text == "{<<\"bucket\">>,<<\"key\">>}";
      ++riak_keys;
    }
    QVERIFY(found);
    QVERIFY(riak_keys > 20);
    // bucket and key columns
    for (const auto& [k, e] : a.live) {
      const auto rk = riak_key_of(k);
      QCOMPARE(rk.has_value(), !k.starts_with("plain-"));
      if (rk) {
        QVERIFY(!rk->typed);
        QVERIFY(rk->bucket == "bucket" || rk->bucket == "users");
      }
    }
    const Applied edge = apply(*recognise_basho(kFixtures / "edge"));
    bool typed = false;
    for (const auto& [k, e] : edge.live) {
      if (erlang_term_to_text(k) == "{{<<\"type\">>,<<\"bucket\">>},<<\"typed\">>}") {
        typed = true;
        const auto rk = riak_key_of(k);
        QVERIFY(rk && rk->typed);
        QCOMPARE(rk->type + "/" + rk->bucket + "/" + rk->key, std::string("type/bucket/typed"));
        QCOMPARE(erlang_term_to_text(e.second).value_or("?"),
                 std::string("[1,2.5,atom,\"str\",#{a => 1}]"));
      }
    }
    QVERIFY(typed);
  }

  void erlangTermsCrafted() {
    using namespace std::string_literals;
    QCOMPARE(erlang_term_to_text("\x83\x68\x02\x6d\x00\x00\x00\x05users\x6d\x00\x00\x00\x02u1"s)
                 .value_or("?"),
             std::string("{<<\"users\">>,<<\"u1\">>}"));
    // improper list, negative and big integers, float, quoted atom, bits
    const std::string mixed =
        "\x83\x68\x07\x6c\x00\x00\x00\x01\x61\x01\x61\x02\x62\xff\xff\xff\xfb\x6e\x0d\x00\xd2\x0a"
        "\x3f\x4e\xee\xe0\x73\xc3\xf6\x0f\xe9\x8e\x01\x46\x3d\xf4\x9d\xa7\xe3\x61\xce\x4c\x64\x00"
        "\x0b\x51\x75\x6f\x74\x65\x64\x20\x61\x74\x6f\x6d\x6d\x00\x00\x00\x03\x01\x02\x03\x4d\x00"
        "\x00\x00\x01\x03\x20"s;
    QCOMPARE(erlang_term_to_text(mixed).value_or("?"),
             std::string("{[1|2],-5,16#18EE90FF6C373E0EE4E3F0AD2,3.0e-10,'Quoted atom',<<1,2,3>>,"
                         "<<1:3>>}"));
    // binaries: UTF-8 text, bytes, the empty binary, escapes
    QCOMPARE(erlang_term_to_text("\x83\x6d\x00\x00\x00\x08\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87"s)
                 .value_or("?"),
             std::string("<<\"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87\"/utf8>>"));
    QCOMPARE(erlang_term_to_text("\x83\x6d\x00\x00\x00\x02\xc8\x01"s).value_or("?"),
             std::string("<<200,1>>"));
    QCOMPARE(erlang_term_to_text("\x83\x6d\x00\x00\x00\x00"s).value_or("?"), std::string("<<>>"));
    QCOMPARE(erlang_term_to_text("\x83\x6d\x00\x00\x00\x04"
                                 "a\"\\\n"s)
                 .value_or("?"),
             std::string("<<\"a\\\"\\\\\\n\">>"));
    // Riak keys: the parts, and nothing for other terms
    QCOMPARE(riak_key_of("\x83\x68\x02\x6d\x00\x00\x00\x05users\x6d\x00\x00\x00\x02u1"s)
                 .value_or(RiakKey{})
                 .key,
             std::string("u1"));
    QVERIFY(!riak_key_of("\x83\x68\x02\x6d\x00\x00\x00\x05users\x6a"s).has_value());
    QVERIFY(!riak_key_of("\x83\x68\x02\x6d\xff\xff\xff\xffusers"s).has_value());
    QVERIFY(!riak_key_of(mixed).has_value());
    QVERIFY(!riak_key_of("plain-1").has_value());
    // not terms, or not shown: nullopt, never a crash
    QVERIFY(!erlang_term_to_text("").has_value());
    QVERIFY(!erlang_term_to_text("plain-1").has_value());
    QVERIFY(!erlang_term_to_text("\x83"s).has_value());
    QVERIFY(!erlang_term_to_text("\x83\x6d\xff\xff\xff\xff"s).has_value());          // 4 GiB binary
    QVERIFY(!erlang_term_to_text("\x83\x6d\x00\x00\x00\x05use"s).has_value());       // cut short
    QVERIFY(!erlang_term_to_text("\x83\x6c\x7f\xff\xff\xff\x61\x01"s).has_value());  // huge list
    QVERIFY(!erlang_term_to_text("\x83\x6a\x6a"s).has_value());  // trailing bytes
    QVERIFY(!erlang_term_to_text("\x83\x50\x00\x00\x00\x10\x78\x9c"s).has_value());  // compressed
    // a pid (term_to_binary(self()))
    QVERIFY(!erlang_term_to_text("\x83\x58\x64\x00\x0d\x6e\x6f\x6e\x6f\x64\x65\x40\x6e\x6f\x68\x6f"
                                 "\x73\x74\x00\x00\x00\x09\x00\x00\x00\x00\x00\x00\x00\x00"s)
                 .has_value());
    // 100 000 nested 1-tuples: refused at the nesting cap
    std::string deep = "\x83";
    for (int i = 0; i < 100000; ++i) deep += "\x68\x01";
    deep += "\x6a";
    QVERIFY(!erlang_term_to_text(deep).has_value());
    // a long binary: the text is capped
    std::string big = "\x83\x6d\x00\x01\x00\x00"s + std::string(65536, 'x');
    const auto text = erlang_term_to_text(big, 100);
    QVERIFY(text.has_value());
    QCOMPARE(text->size(), std::size_t{103});
    QVERIFY(text->ends_with("..."));
  }

  // The writer's own hint files agree with what the decoder reads from the
  // data files: every record, in order, with its offset, size, timestamp and
  // tombstone bit. Hints the writer had not closed do not validate.
  void hintsAgreeWithData_data() { fixtures_data(); }
  void hintsAgreeWithData() {
    QFETCH(QString, name);
    auto layout = recognise_basho(kFixtures / name.toStdString());
    int validated = 0;
    for (const ForeignFile& f : layout->files()) {
      const fs::path hint_path = fs::path(f.path).replace_extension(".hint");
      if (!fs::exists(hint_path)) continue;
      const auto hint = basho::read_hint(read_file(hint_path));
      if (name == "locked" && f.path.filename() == "15.bitcask.data") {
        QVERIFY(!hint.has_value());  // the active file: no trailer yet
        continue;
      }
      QVERIFY2(hint.has_value(), hint_path.c_str());
      const std::string bytes = read_file(f.path);
      ForeignRecord r;
      std::string why;
      std::uint64_t off = 0;
      std::size_t i = 0;
      while (layout->decode(f, bytes.data(), bytes.size(), off, &r, &why) == DecodeStatus::kOk) {
        QVERIFY(i < hint->size());
        const basho::HintEntry& e = (*hint)[i++];
        QCOMPARE(e.key, std::string(r.key));
        QCOMPARE(e.offset, r.offset);
        QCOMPARE(std::uint64_t{e.total_size}, r.length);
        QCOMPARE(std::uint64_t{e.tstamp} * 1000000, r.timestamp_us);
        QCOMPARE(e.tombstone, r.kind == RecordKind::kTombstone);
        off += r.length;
      }
      QCOMPARE(i, hint->size());
      ++validated;
    }
    QVERIFY(validated > 0);
    // A hint cut short or changed does not validate.
    const std::string hint = read_file(
        layout->files()[0].path.string().substr(0, layout->files()[0].path.string().size() - 5) +
        ".hint");
    QVERIFY(!basho::read_hint(hint.substr(0, hint.size() - 1)).has_value());
    std::string changed = hint;
    changed[3] ^= 1;
    QVERIFY(!basho::read_hint(changed).has_value());
  }

  void crc32IsIeee() {
    QCOMPARE(basho::crc32("123456789", 9), 0xCBF43926u);  // the CRC-32 check value
    QCOMPARE(basho::crc32("6789", 4, basho::crc32("12345", 5)), 0xCBF43926u);  // in pieces
  }

  void winnerRule() {
    using E = basho::KeydirEntry;
    // later file or offset wins, whatever the timestamps
    QVERIFY(basho::put_replaces(E{1, 100, 50}, E{2, 0, 10}));
    QVERIFY(basho::put_replaces(E{3, 10, 50}, E{3, 20, 10}));
    // a newer timestamp wins too (the clause that matters for merges)
    QVERIFY(basho::put_replaces(E{5, 10, 10}, E{3, 0, 11}));
    QVERIFY(!basho::put_replaces(E{5, 10, 10}, E{3, 0, 10}));
    QVERIFY(!basho::put_replaces(E{3, 20, 10}, E{3, 10, 10}));
  }

  void badFirstRecordIsRefused() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp, "bad-crc");
    fs::create_directories(dir);
    std::string bytes = read_file(kFixtures / "rotated" / "1.bitcask.data");
    bytes[20] ^= 0x40;  // in the first record's key
    write_file(dir / "1.bitcask.data", bytes);
    expect_refused(dir, "1.bitcask.data", "not a Basho bitcask data file");
    expect_refused(dir, "1.bitcask.data", "CRC-32");

    // keysz past the end of the file
    const fs::path dir2 = path_of(tmp, "keysz");
    fs::create_directories(dir2);
    std::string rec = basho_record("k", "v");
    rec[8] = 0x10;  // keysz 0x1001
    write_file(dir2 / "3.bitcask.data", rec);
    expect_refused(dir2, "3.bitcask.data", "claims 4112 bytes, the file has 16");

    // shorter than a header
    const fs::path dir3 = path_of(tmp, "short");
    fs::create_directories(dir3);
    write_file(dir3 / "1.bitcask.data", "\x01\x02\x03");
    expect_refused(dir3, "1.bitcask.data", "shorter than one record header");

    // a good file first does not excuse a bad later one
    const fs::path dir4 = path_of(tmp, "second");
    fs::create_directories(dir4);
    write_file(dir4 / "1.bitcask.data", basho_record("a", "1"));
    write_file(dir4 / "2.bitcask.data", "garbage that is no record at all");
    expect_refused(dir4, "2.bitcask.data", "not a Basho bitcask data file");
  }

  // A first record larger than the 1 MiB pieces its CRC is checked in.
  void bigFirstRecord() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp, "big");
    fs::create_directories(dir);
    std::string value(3 * 1024 * 1024 + 17, '\0');
    for (std::size_t i = 0; i < value.size(); ++i) value[i] = static_cast<char>(i * 7);
    std::string rec = basho_record("big", value);
    write_file(dir / "1.bitcask.data", rec);
    auto layout = recognise_basho(dir);
    QVERIFY(layout != nullptr);
    QCOMPARE(apply(*layout).live.at("big").second, value);
    rec.back() ^= 1;
    write_file(dir / "1.bitcask.data", rec);
    expect_refused(dir, "1.bitcask.data", "does not match its CRC-32");
  }

  void pybitcaskIsNotBasho() {
    QTemporaryDir tmp;
    // pybitcask's 2024 record: >IIQ (key size, value size, ms) + key + JSON
    std::string py(16, '\0');
    encode_u32_be(py.data(), 3);
    encode_u32_be(py.data() + 4, 7);
    encode_u64_be(py.data() + 8, 1700000000000);
    py += "key\"value\"";
    // under its own name: not a Basho directory at all (no guess)
    const fs::path dir = path_of(tmp, "py");
    fs::create_directories(dir);
    write_file(dir / "1.data", py);
    QVERIFY(recognise_basho(dir) == nullptr);
    // under a Basho name: its first record does not parse, a clear error
    write_file(dir / "1.bitcask.data", py);
    expect_refused(dir, "1.bitcask.data", "not a Basho bitcask data file");
  }

  void notBasho() {
    QTemporaryDir tmp;
    const fs::path empty = path_of(tmp, "empty");
    fs::create_directories(empty);
    QVERIFY(recognise_basho(empty) == nullptr);
    QVERIFY(recognise_basho(path_of(tmp, "missing")) == nullptr);
    write_file(empty / "notes.txt", "hello");
    write_file(empty / "x.bitcask.data", "not numbered");
    QVERIFY(recognise_basho(empty) == nullptr);
    QVERIFY(recognise_basho(empty / "notes.txt") == nullptr);
    // hint files without their data: the keys would be gone, say so
    const fs::path hints = path_of(tmp, "hints");
    fs::create_directories(hints);
    fs::copy_file(kFixtures / "rotated" / "1.bitcask.hint", hints / "1.bitcask.hint");
    try {
      recognise_basho(hints);
      QFAIL("hint files alone recognised");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kCorruption);
    }
    // a node's lock alone: a cask opened but not written yet
    const fs::path lock = path_of(tmp, "lock");
    fs::create_directories(lock);
    write_file(lock / "bitcask.merge.lock", "123 \n");
    auto l = recognise_basho(lock);
    QVERIFY(l != nullptr);
    QVERIFY(l->files().empty());
    QVERIFY(l->live_writer_warning().find("merging") != std::string::npos);
  }

  void damageMidFile() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp, "db");
    fs::create_directories(dir);
    const std::string a = basho_record("a", "1"), b = basho_record("b", "2"),
                      c = basho_record("c", "3");
    std::string bytes = a + b + c;
    bytes[a.size() + basho::kHeaderSize + 1] ^= 1;  // b's value
    write_file(dir / "1.bitcask.data", bytes);
    auto layout = recognise_basho(dir);
    const ForeignFile& f = layout->files().at(0);
    ForeignRecord r;
    std::string why;
    QCOMPARE(layout->decode(f, bytes.data(), bytes.size(), 0, &r, &why), DecodeStatus::kOk);
    QCOMPARE(layout->decode(f, bytes.data(), bytes.size(), a.size(), &r, &why),
             DecodeStatus::kDamaged);
    QVERIFY2(why.find("CRC-32 mismatch in the record at offset 16") != std::string::npos,
             why.c_str());
    QVERIFY(!r.checksum_ok);
    QCOMPARE(r.length, std::uint64_t(b.size()));  // skippable, as Basho skips it
    QCOMPARE(layout->decode(f, bytes.data(), bytes.size(), a.size() + b.size(), &r, &why),
             DecodeStatus::kOk);
    QCOMPARE(std::string(r.key), std::string("c"));
    QCOMPARE(layout->decode(f, bytes.data(), bytes.size(), bytes.size(), &r, &why),
             DecodeStatus::kEnd);
    QCOMPARE(layout->decode(f, bytes.data(), bytes.size(), bytes.size() + 1, &r, &why),
             DecodeStatus::kDamaged);
    // a torn header and a torn body
    QCOMPARE(layout->decode(f, bytes.data(), a.size() + 5, a.size(), &r, &why),
             DecodeStatus::kTruncated);
    QCOMPARE(layout->decode(f, bytes.data(), a.size() + b.size() - 1, a.size(), &r, &why),
             DecodeStatus::kTruncated);
    QVERIFY(why.find("runs past the end") != std::string::npos);
  }

  void tombstonesAndTimestamps() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp, "db");
    fs::create_directories(dir);
    std::string tomb2 = "bitcask_tombstone2";
    tomb2 += std::string("\x00\x00\x00\x01", 4);
    // file 2 first in the listing order of the names, but applied second
    write_file(dir / "10.bitcask.data",
               basho_record("k", tomb2, 100) + basho_record("j", "bitcask_tombstone", 100));
    write_file(dir / "9.bitcask.data", basho_record("k", "v", 1700000000) +
                                           basho_record("j", "w", 1700000000) +
                                           basho_record("m", "kept", 1700000000));
    auto layout = recognise_basho(dir);
    QCOMPARE(layout->files().at(0).path.filename().string(), std::string("9.bitcask.data"));
    const Applied a = apply(*layout);
    QCOMPARE(a.live.size(), std::size_t{1});
    QCOMPARE(a.live.at("m").second, std::string("kept"));
    QCOMPARE(a.tombstones, std::uint64_t{2});
    const std::string bytes = read_file(dir / "9.bitcask.data");
    ForeignRecord r;
    std::string why;
    QCOMPARE(layout->decode(layout->files()[0], bytes.data(), bytes.size(), 0, &r, &why),
             DecodeStatus::kOk);
    QCOMPARE(r.timestamp_us, std::uint64_t{1700000000} * 1000000);
  }

  void pendingDeleteFilesAreSkipped() {
    // bitcask:merge/1 marks replaced files with the setuid bit before it
    // deletes them; Basho reads them no more, nor do we (and we say so).
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp, "db");
    fs::create_directories(dir);
    write_file(dir / "1.bitcask.data", basho_record("old", "x"));
    write_file(dir / "2.bitcask.data", basho_record("new", "y"));
    fs::permissions(dir / "1.bitcask.data", fs::perms::set_uid, fs::perm_options::add);
    auto layout = recognise_basho(dir);
    QCOMPARE(layout->files().size(), std::size_t{1});
    QVERIFY2(layout->description().find("1 file marked for deletion by a merge not read") !=
                 std::string::npos,
             layout->description().c_str());
  }

  // The generator run live with the real writer, when erl and Debian's
  // erlang-bitcask are installed (scripts/deps.sh installs them): a fresh set
  // of directories, checked like the committed ones.
  void liveGenerator() {
    const QString escript = QStandardPaths::findExecutable("escript");
    if (escript.isEmpty()) QSKIP("escript not installed (erlang-base)");
    bool have_bitcask = false;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator("/usr/lib/erlang/lib", ec)) {
      have_bitcask = have_bitcask || e.path().filename().string().starts_with("bitcask-");
    }
    if (!have_bitcask) QSKIP("erlang-bitcask not installed");
    QTemporaryDir tmp;
    QProcess p;
    p.start(escript,
            {QString::fromStdString((kFixtures / "generate.escript").string()), tmp.path()});
    QVERIFY(p.waitForFinished(120000));
    QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    const fs::path root = tmp.path().toStdString();
    for (const char* n : {"rotated", "merged", "edge", "torn", "locked"}) {
      check_fixture(root, n);
      if (QTest::currentTestFailed()) return;
    }
  }
};

QTEST_GUILESS_MAIN(LayoutBashoTest)
#include "tst_layout_basho.moc"
