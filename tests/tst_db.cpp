// The database API: reads and writes, rotation, scans, stats, the writer
// lock, sync policies, errors on bad directories, and the JSON API.
#include <sys/wait.h>
#include <unistd.h>

#include <QTest>
#include <cmath>
#include <map>
#include <random>

#include "test_util.h"

using namespace bitcask;
using namespace testutil;

class DbTest : public QObject {
  Q_OBJECT

  static ErrorCode code_of(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.code();
    }
    return static_cast<ErrorCode>(-1);
  }
  static std::string message_of(const std::function<void()>& fn) {
    try {
      fn();
    } catch (const Error& e) {
      return e.what();
    }
    return {};
  }

 private slots:
  // A prefix of a value without the rest: plain, compressed, absent.
  void getPrefixReadsAPrefix() {
    for (auto codec : {Compression::None, Compression::Zstd}) {
      QTemporaryDir tmp;
      Options o;
      o.compression = codec;
      auto db = DB::open(path_of(tmp), o);
      std::string big(1 << 20, 'x');
      big[0] = 'a';
      big[9] = 'b';
      db->put("big", big);
      std::string prefix;
      std::uint64_t size = 0;
      QVERIFY(db->get_prefix("big", 10, &prefix, &size));
      QCOMPARE(prefix, big.substr(0, 10));
      QCOMPARE(size, std::uint64_t(big.size()));
      QVERIFY(db->get_prefix("big", 2u << 20, &prefix, &size));
      QCOMPARE(prefix, big);
      QVERIFY(!db->get_prefix("absent", 10, &prefix, &size));
    }
  }

  void putGetRemoveOverwrite() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    QVERIFY(!db->get("a"));
    db->put("a", "1");
    db->put("a", "2");
    QCOMPARE(*db->get("a"), std::string("2"));
    QCOMPARE(db->size(), 1ull);
    QVERIFY(db->remove("a"));
    QVERIFY(!db->get("a"));
    QCOMPARE(db->size(), 0ull);
    std::string binary("\0\1\2\xff", 4);
    db->put(binary, binary);
    QCOMPARE(*db->get(binary), binary);
  }

  // A value in parts is stored as the parts joined, compressed or not,
  // and read back whole, also after a reopen; the size limit counts them
  // all.
  void putPartsStoresThePartsJoined() {
    for (auto codec : {Compression::None, Compression::Zstd, Compression::Lz4}) {
      QTemporaryDir tmp;
      Options o;
      o.compression = codec;
      const std::string big(5000, 'b');
      {
        auto db = DB::open(path_of(tmp), o);
        const std::string_view quoted[] = {"\"", big, "\""};
        db->put_parts("quoted", quoted);
        const std::string_view with_empty[] = {"", "a", "", "bc", ""};
        db->put_parts("with empty", with_empty);
        db->put_parts("none", {});
        QCOMPARE(*db->get("quoted"), "\"" + big + "\"");
        QCOMPARE(*db->get("with empty"), std::string("abc"));
        QCOMPARE(*db->get("none"), std::string());
        const std::string half(kMaxValueSize / 2 + 1, 'h');
        const std::string_view too_big[] = {half, half};
        QVERIFY_THROWS_EXCEPTION(Error, db->put_parts("too big", too_big));
        QVERIFY(!db->contains("too big"));
        db->close();
      }
      auto again = DB::open(path_of(tmp), o);
      QCOMPARE(*again->get("quoted"), "\"" + big + "\"");
      QCOMPARE(*again->get("with empty"), std::string("abc"));
      QVERIFY(again->verify().empty());
    }
  }

  void rotationAcrossManySegments() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    Options o;
    o.max_segment_size = 1024;
    std::map<std::string, std::string> model;
    std::mt19937 rng(1);
    {
      auto db = DB::open(dir, o);
      for (int i = 0; i < 3000; ++i) {
        std::string k = "key" + std::to_string(rng() % 700);
        if (rng() % 5 == 0) {
          QCOMPARE(db->remove(k), model.erase(k) == 1);
        } else {
          std::string v = std::string(rng() % 60, 'a' + i % 26);
          db->put(k, v);
          model[k] = v;
        }
      }
      QVERIFY(db->segment_ids().size() > 50);
      for (const auto& s : db->stats().segment_stats) QVERIFY(s.size <= 1024 + 100);
    }
    auto db = DB::open(dir, o);
    QVERIFY(db->recovery_report().clean());
    QCOMPARE(db->size(), std::uint64_t(model.size()));
    for (const auto& [k, v] : model) QCOMPARE(*db->get(k), v);
    // Only the newest segment is active; ids are consecutive from 1.
    const auto ids = db->segment_ids();
    for (std::size_t i = 0; i < ids.size(); ++i) QCOMPARE(ids[i], std::uint32_t(i + 1));
    int active = 0;
    for (const auto& s : db->stats().segment_stats) active += s.active;
    QCOMPARE(active, 1);
  }

  void orderedScans() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    for (const char* k : {"b", "a", "user:2", "user:10", "user:1", "z", "user;"}) db->put(k, k);
    auto keys = [&](const ScanOptions& o) {
      std::vector<std::string> out;
      for (const auto& e : db->scan(o)) out.push_back(e.key);
      return out;
    };
    ScanOptions all;
    QCOMPARE(keys(all),
             (std::vector<std::string>{"a", "b", "user:1", "user:10", "user:2", "user;", "z"}));
    ScanOptions prefix;
    prefix.prefix = "user:";
    QCOMPARE(keys(prefix), (std::vector<std::string>{"user:1", "user:10", "user:2"}));
    QCOMPARE(db->count("user:"), 3ull);
    QCOMPARE(db->count(""), 7ull);
    prefix.reverse = true;
    QCOMPARE(keys(prefix), (std::vector<std::string>{"user:2", "user:10", "user:1"}));
    ScanOptions page;
    page.limit = 2;
    QCOMPARE(keys(page), (std::vector<std::string>{"a", "b"}));
    page.start = "b";
    page.exclusive_start = true;
    QCOMPARE(keys(page), (std::vector<std::string>{"user:1", "user:10"}));
    ScanOptions back;
    back.reverse = true;
    back.start = "user:10";
    back.exclusive_start = true;
    back.limit = 10;
    QCOMPARE(keys(back), (std::vector<std::string>{"user:1", "b", "a"}));
    const auto entries = db->scan(all);
    QCOMPARE(entries[0].value_size, 1u);
    QVERIFY(entries[0].timestamp_us > 0);
  }

  void statsCountLiveAndDead() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    db->put("a", std::string(100, 'x'));
    db->put("a", std::string(100, 'y'));
    db->put("b", "1");
    db->remove("b");
    const Stats s = db->stats();
    QCOMPARE(s.keys, 1ull);
    QCOMPARE(s.segments, 1ull);
    QCOMPARE(s.tombstones, 1ull);
    QCOMPARE(s.segment_stats[0].records, 4ull);
    QCOMPARE(s.segment_stats[0].live_records, 1ull);
    QCOMPARE(s.live_bytes, 20ull + 1 + 100);
    QCOMPARE(s.total_bytes, s.live_bytes + s.dead_bytes + 16);
    QVERIFY(s.fragmentation > 0.5 && s.fragmentation < 1.0);
    QVERIFY(s.keydir_bytes > 0);
  }

  void secondWriterIsRefusedReaderAllowed() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    auto writer = DB::open(dir);
    writer->put("k", "v");
    const std::string msg = message_of([&] { DB::open(dir); });
    QVERIFY2(msg.find(dir.string()) != std::string::npos, msg.c_str());
    QCOMPARE(code_of([&] { DB::open(dir); }), ErrorCode::kLocked);
    auto reader = DB::open(dir, read_only_options());
    QCOMPARE(*reader->get("k"), std::string("v"));
    QCOMPARE(code_of([&] { reader->put("x", "y"); }), ErrorCode::kReadOnly);
    // Another process is refused too.
    pid_t pid = fork();
    if (pid == 0) {
      try {
        DB::open(dir);
        _exit(0);
      } catch (const Error& e) {
        _exit(e.code() == ErrorCode::kLocked ? 42 : 1);
      }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    QCOMPARE(WEXITSTATUS(status), 42);
    writer->close();
    auto next = DB::open(dir);  // released on close
    QCOMPARE(*next->get("k"), std::string("v"));
  }

  void syncPolicies_data() {
    QTest::addColumn<int>("policy");
    QTest::newRow("none") << static_cast<int>(SyncPolicy::None);
    QTest::newRow("always") << static_cast<int>(SyncPolicy::Always);
    QTest::newRow("interval") << static_cast<int>(SyncPolicy::Interval);
  }
  void syncPolicies() {
    QFETCH(int, policy);
    QTemporaryDir tmp;
    Options o;
    o.sync = static_cast<SyncPolicy>(policy);
    o.sync_interval = std::chrono::milliseconds(5);
    {
      auto db = DB::open(path_of(tmp), o);
      std::vector<std::thread> threads;
      for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
          for (int i = 0; i < 50; ++i) db->put(std::to_string(t) + ":" + std::to_string(i), "v");
        });
      }
      for (auto& th : threads) th.join();
      db->sync();
    }
    auto db = DB::open(path_of(tmp));
    QCOMPARE(db->size(), 200ull);
  }

  void badDirectories() {
    QTemporaryDir tmp;
    const fs::path missing = path_of(tmp, "missing");
    QCOMPARE(code_of([&] { DB::open(missing, read_only_options()); }), ErrorCode::kNotFound);
    Options no_create;
    no_create.create_if_missing = false;
    QCOMPARE(code_of([&] { DB::open(missing, no_create); }), ErrorCode::kNotFound);
    QVERIFY(message_of([&] { DB::open(missing, no_create); }).find(missing.string()) !=
            std::string::npos);
    QVERIFY(!fs::exists(missing));

    const fs::path file = path_of(tmp, "file");
    write_file(file, "hello");
    QCOMPARE(code_of([&] { DB::open(file); }), ErrorCode::kNotADatabase);

    const fs::path other = path_of(tmp, "other");
    fs::create_directory(other);
    write_file(other / "notes.txt", "not a database");
    QCOMPARE(code_of([&] { DB::open(other); }), ErrorCode::kNotADatabase);
    QCOMPARE(read_file(other / "notes.txt"), std::string("not a database"));

    const fs::path empty = path_of(tmp, "empty");
    fs::create_directory(empty);
    QCOMPARE(code_of([&] { DB::open(empty, read_only_options()); }), ErrorCode::kNotADatabase);
    DB::open(empty)->put("k", "v");  // a writable open initialises it
    QCOMPARE(*DB::open(empty, read_only_options())->get("k"), std::string("v"));

    // Nested creation.
    const fs::path nested = path_of(tmp, "a/b/c");
    DB::open(nested)->put("k", "v");
    QVERIFY(fs::exists(nested / "BITCASK"));
  }

  void permissionDenied() {
    if (geteuid() == 0) QSKIP("root ignores permissions");
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    DB::open(dir)->put("k", "v");
    fs::permissions(dir, fs::perms::owner_read | fs::perms::owner_exec);
    QCOMPARE(code_of([&] { DB::open(dir); }), ErrorCode::kPermissionDenied);
    fs::permissions(dir, fs::perms::owner_all);
  }

  void closedDatabaseRefusesCalls() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    db->close();
    db->close();  // idempotent
    QCOMPARE(code_of([&] { db->put("k", "v"); }), ErrorCode::kClosed);
    QCOMPARE(code_of([&] { db->get("k"); }), ErrorCode::kClosed);
  }

  void jsonApi() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      Options opts;
      opts.sync = SyncPolicy::Always;
      Bitcask db(dir, opts);
      db.put("key1", "value1");
      db.put("key2", {{"name", "test"}, {"values", {1, 2, 3}}});
      db.put("long", std::string(10000, 'z'));
      db.put("unicode", "Zoë \"quoted\" \\ 李雷");
      QCOMPARE_JSON(*db.get("key1"), nlohmann::json("value1"));
      QCOMPARE(*db.get_text("key1"), std::string("\"value1\""));
      QCOMPARE(*db.get_text("key2"), std::string(R"({"name":"test","values":[1,2,3]})"));
      QCOMPARE(db.get("long")->get<std::string>(), std::string(10000, 'z'));
      QCOMPARE(db.get("unicode")->get<std::string>(), std::string("Zoë \"quoted\" \\ 李雷"));
      QVERIFY(db.remove("key1"));
      QVERIFY(!db.remove("key1"));
      QVERIFY(!db.get("key1"));
      db.close();
    }
    Bitcask db(dir);
    QCOMPARE_JSON((*db.get("key2"))["values"][2], nlohmann::json(3));
    QVERIFY(!db.get("key1").has_value());
  }

  // Object members keep the order written through the JSON API ({"id": …}
  // before {"created_at": …}), nested objects too, on put, get, batch_write,
  // parse_strict_json and parse_json_text.
  void jsonApiKeepsMemberOrder() {
    const std::string text =
        R"({"id":7,"created_at":"2026-11-30","name":"x","nested":{"zeta":1,"alpha":[{"y":2,"b":3}],"mid":{"q":null,"c":true}}})";
    const Json parsed = parse_strict_json(text);
    QCOMPARE(to_json_text(parsed), text);
    QCOMPARE(parsed.dump(), text);

    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    {
      Bitcask db(dir);
      db.put("parsed", parsed);
      Json built = Json::object();
      built["zebra"] = 1;
      built["apple"] = Json::object();
      built["apple"]["kiwi"] = "k";
      built["apple"]["banana"] = "b";
      db.put("built", built);
      db.put("literal", {{"id", 1}, {"created_at", "now"}, {"inner", {{"z", 0}, {"a", 1}}}});
      db.put("ttl", parsed, std::chrono::hours(1));
      Json batch = Json::object();
      batch["b2"] = parse_strict_json(R"({"second":2,"first":1})");
      batch["b1"] = parse_strict_json(R"([{"to":1,"from":0}])");
      db.batch_write(batch);

      QCOMPARE(*db.get_text("parsed"), text);
      QCOMPARE(*db.get_text("ttl"), text);
      QCOMPARE(*db.get_text("built"),
               std::string(R"({"zebra":1,"apple":{"kiwi":"k","banana":"b"}})"));
      QCOMPARE(*db.get_text("literal"),
               std::string(R"({"id":1,"created_at":"now","inner":{"z":0,"a":1}})"));
      QCOMPARE(*db.get_text("b2"), std::string(R"({"second":2,"first":1})"));
      QCOMPARE(*db.get_text("b1"), std::string(R"([{"to":1,"from":0}])"));
      db.close();
    }
    // Read back after a reopen: get() returns the members in the stored order.
    Bitcask db(dir);
    const Json got = *db.get("parsed");
    QCOMPARE(to_json_text(got), text);
    std::vector<std::string> top, inner;
    for (const auto& [k, v] : got.items()) top.push_back(k);
    for (const auto& [k, v] : got["nested"].items()) inner.push_back(k);
    QCOMPARE(top, (std::vector<std::string>{"id", "created_at", "name", "nested"}));
    QCOMPARE(inner, (std::vector<std::string>{"zeta", "alpha", "mid"}));
    QCOMPARE(got["nested"]["alpha"][0].begin().key(), std::string("y"));
    QCOMPARE(to_json_text(*db.get("built")),
             std::string(R"({"zebra":1,"apple":{"kiwi":"k","banana":"b"}})"));
    QCOMPARE(to_json_text(*db.get("b2")), std::string(R"({"second":2,"first":1})"));
    // A get, changed and put back (as an editor saves), keeps the order too.
    Json edited = got;
    edited["nested"]["zeta"] = 2;
    db.put("parsed", edited);
    QCOMPARE(
        *db.get_text("parsed"),
        std::string(
            R"({"id":7,"created_at":"2026-11-30","name":"x","nested":{"zeta":2,"alpha":[{"y":2,"b":3}],"mid":{"q":null,"c":true}}})"));
    // The Python original's NaN goes another way through parse_json_text.
    const Json py = parse_json_text(R"({"z": NaN, "a": {"y": Infinity, "b": 1}})");
    QCOMPARE(py.begin().key(), std::string("z"));
    QCOMPARE(py["a"].begin().key(), std::string("y"));
    // Code written for nlohmann::json still compiles; such a value is sorted.
    const nlohmann::json sorted = *db.get("b2");
    QCOMPARE(sorted.dump(), std::string(R"({"first":1,"second":2})"));
  }

  // parse_strict_json builds what nlohmann's own parse builds, member order
  // and names written twice (first place, last value) included, for narrow
  // and wide objects and nested ones.
  void strictParseMatchesNlohmannOrderedParse() {
    std::vector<std::string> texts = {
        R"({"b":1,"a":2,"b":3})",
        R"({"x":{"b":[1,{"d":1,"c":2,"d":[3]}],"a":null},"x":{"z":0}})",
        R"([{"k":1},{},[],{"k":{"j":"v"}}])",
        R"({})",
        R"({"":1,"":2})",
    };
    for (const bool duplicate : {false, true}) {
      std::string wide = "{";
      for (int i = 40; i > 0; --i)
        wide += "\"m" + std::to_string(i) + "\":" + std::to_string(i) + ",";
      wide += duplicate ? R"("m40":{"again":true}})" : R"("last":[]})";
      texts.push_back(wide);
    }
    for (const std::string& text : texts) {
      const std::string expected = Json::parse(text).dump();
      QCOMPARE(to_json_text(parse_strict_json(text)), expected);
      QCOMPARE(to_json_text(parse_json_text(text)), expected);
    }
    QCOMPARE(to_json_text(parse_strict_json(R"({"b":1,"a":2,"b":3})")),
             std::string(R"({"b":3,"a":2})"));
    QVERIFY(to_json_text(parse_strict_json(texts[texts.size() - 1]))
                .starts_with(R"({"m40":{"again":true},"m39":39,)"));
  }

  // The fast path for plain strings must give exactly nlohmann's text, and
  // read back the same string, whichever byte needs escaping and wherever it
  // is (inside a 16-, 32- or 64-byte step or in the tail), through
  // Bitcask::put and get as well.
  void stringFastPathMatchesNlohmann() {
    QTemporaryDir tmp;
    Bitcask db(path_of(tmp));
    for (unsigned char special : {0x00, 0x01, 0x1f, 0x22, 0x5c, 0x7f, 0x80, 0xc3, 0xff}) {
      for (std::size_t at = 0; at < 100; ++at) {
        std::string s(100, 'a');
        s[at] = static_cast<char>(special);
        if (special == 0xc3 && at + 1 < s.size()) s[at + 1] = static_cast<char>(0xa9);  // é
        const nlohmann::json value(s);
        std::string expected;
        try {
          expected = value.dump();
        } catch (const nlohmann::json::exception&) {
          continue;  // not UTF-8: nlohmann refuses it, and so must we
        }
        QCOMPARE(to_json_text(value), expected);
        QCOMPARE(parse_json_text(expected).get<std::string>(), s);
        db.put("k", value);
        QCOMPARE(*db.get_text("k"), expected);
        QCOMPARE(db.get("k")->get<std::string>(), s);
      }
    }
    const std::string plain(37, 'x');
    QCOMPARE(to_json_text(nlohmann::json(plain)), "\"" + plain + "\"");
  }

  void pythonNonStrictJson() {
    const nlohmann::json j =
        parse_json_text(R"({"a": NaN, "b": [Infinity, -Infinity], "s": "NaN"})");
    QVERIFY(std::isnan(j["a"].get<double>()));
    QVERIFY(std::isinf(j["b"][0].get<double>()) && j["b"][0].get<double>() > 0);
    QVERIFY(j["b"][1].get<double>() < 0);
    QCOMPARE_JSON(j["s"], nlohmann::json("NaN"));  // inside a string it is text
    QVERIFY(!is_strict_json("NaN"));
    QVERIFY(is_strict_json("\"NaN\""));
    try {
      parse_json_text("{\"a\": 1,,}");
      QFAIL("invalid JSON parsed");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kCorruption);
      QVERIFY(std::string(e.what()).find("column") != std::string::npos);
    }
  }
};

QTEST_APPLESS_MAIN(DbTest)
#include "tst_db.moc"
