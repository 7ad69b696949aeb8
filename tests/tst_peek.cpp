// peek_first_keys: the first live keys, read from hints without opening,
// must be exactly what an opened database lists, or nothing at all.
#include <QTest>
#include <random>
#include <thread>

#include "test_util.h"

using namespace bitcask;
using testutil::path_of;
namespace fs = std::filesystem;

namespace {

// The first `n` keys as the opened database lists them.
std::vector<KeyEntry> opened_first(const fs::path& dir, std::size_t n) {
  auto db = DB::open(dir, testutil::read_only_options());
  ScanOptions scan;
  scan.limit = n;
  return db->scan(scan);
}

// Compares a peek with what the opened database lists, field by field.
void compare_with_open(const fs::path& dir, std::size_t n) {
  const auto peek = peek_first_keys(dir, n);
  QVERIFY2(peek.has_value(), "the database is hinted: the peek must be exact");
  const std::vector<KeyEntry> opened = opened_first(dir, n);
  QCOMPARE(peek->keys.size(), opened.size());
  for (std::size_t i = 0; i < opened.size(); ++i) {
    QCOMPARE(QByteArray::fromStdString(peek->keys[i].key),
             QByteArray::fromStdString(opened[i].key));
    QCOMPARE(peek->keys[i].value_size, opened[i].value_size);
    QCOMPARE(peek->keys[i].segment, opened[i].segment);
    QCOMPARE(peek->keys[i].timestamp_us, opened[i].timestamp_us);
  }
}

// A database of many small segments: keys written in random order,
// overwritten and deleted in later segments, some with a short TTL.
void write_churned(const fs::path& dir) {
  Options o;
  o.max_segment_size = 4096;
  auto db = DB::open(dir, o);
  std::mt19937 rng(7);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 300; ++i) {
      const std::string key = "k" + std::to_string(rng() % 400);
      db->put(key, std::string(1 + rng() % 60, char('a' + round)));
    }
    for (int i = 0; i < 60; ++i) db->remove("k" + std::to_string(rng() % 400));
  }
  db->put_with_ttl("k0-expiring", "soon gone", std::chrono::milliseconds(1));
  db->put_with_ttl("k0-lasting", "stays", std::chrono::hours(1));
  db->remove("k1");
  db->put("k1", "back again");
  db->close();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

}  // namespace

class TestPeek : public QObject {
  Q_OBJECT

 private slots:
  void matchesTheOpenedDatabase() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    write_churned(dir);
    QVERIFY(testutil::segment_files(dir).size() > 10);
    compare_with_open(dir, 20);
    compare_with_open(dir, 1000);  // every key
    const auto all = peek_first_keys(dir, 1000);
    QVERIFY(all->listed_entries >= all->keys.size());
  }

  void deletedAndExpiredKeysAreNotListed() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    write_churned(dir);
    const auto peek = peek_first_keys(dir, 1000);
    QVERIFY(peek);
    auto listed = [&](const std::string& key) {
      return std::any_of(peek->keys.begin(), peek->keys.end(),
                         [&](const PeekedKey& k) { return k.key == key; });
    };
    QVERIFY(!listed("k0-expiring"));
    QVERIFY(listed("k0-lasting"));
    QVERIFY(listed("k1"));
    auto db = DB::open(dir, testutil::read_only_options());
    for (const PeekedKey& k : peek->keys) QVERIFY2(db->contains(k.key), k.key.c_str());
    QCOMPARE(peek->keys.size(), std::size_t(db->size()));
  }

  void readsWhatTheHintsDoNotCover() {
    // The database stays open: its active segment has no hint yet, and its
    // file runs on past the data (preallocated zeros).
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    write_churned(dir);
    Options o;
    o.max_segment_size = 1 << 20;
    auto db = DB::open(dir, o);
    db->put("a-new-first-key", "written after the hints");
    db->remove("k0-lasting");
    db->put("k10", "overwritten after the hints");
    const auto peek = peek_first_keys(dir, 5000);
    QVERIFY(peek);
    ScanOptions every;
    every.limit = 5000;
    const std::vector<KeyEntry> opened = db->scan(every);
    QCOMPARE(peek->keys.size(), opened.size());
    for (std::size_t i = 0; i < opened.size(); ++i) {
      QCOMPARE(peek->keys[i].key, opened[i].key);
      QCOMPARE(peek->keys[i].value_size, opened[i].value_size);
      QCOMPARE(peek->keys[i].segment, opened[i].segment);
    }
    QCOMPARE(peek->keys.front().key, std::string("a-new-first-key"));
    // Unhinted bytes past the budget: no peek rather than a guess.
    QVERIFY(!peek_first_keys(dir, 10, 100));
  }

  void damagedHintFallsBackToTheRecords() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    write_churned(dir);
    fs::path hint;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".hint") hint = e.path();
    }
    QVERIFY(!hint.empty());
    std::string bytes = testutil::read_file(hint);
    bytes[bytes.size() / 2] ^= 0x40;
    testutil::write_file(hint, bytes);
    compare_with_open(dir, 1000);
  }

  void absentWhenUnsure() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    QVERIFY(!peek_first_keys(dir, 10));  // missing
    fs::create_directories(dir);
    QVERIFY(!peek_first_keys(dir, 10));  // empty: not a database
    testutil::write_file(dir / "data_1.db", "not ours");
    QVERIFY(!peek_first_keys(dir, 10));                // another layout
    QVERIFY(!peek_first_keys(dir / "data_1.db", 10));  // a file

    // A damaged record where no hint covers it.
    const fs::path damaged = path_of(tmp, "damaged");
    write_churned(damaged);
    for (const auto& e : fs::directory_iterator(damaged)) {
      if (e.path().extension() == ".hint") fs::remove(e.path());
    }
    QVERIFY(peek_first_keys(damaged, 10));  // sound, scanned
    const fs::path seg = testutil::segment_files(damaged)[1];
    std::string bytes = testutil::read_file(seg);
    bytes[bytes.size() / 2] ^= 0x01;
    testutil::write_file(seg, bytes);
    QVERIFY(!peek_first_keys(damaged, 10));

    // A segment of a future format version.
    const fs::path future = path_of(tmp, "future");
    write_churned(future);
    const fs::path first = testutil::segment_files(future)[0];
    std::string header = testutil::read_file(first);
    header[8] = char(0x7f);
    testutil::write_file(first, header);
    QVERIFY(!peek_first_keys(future, 10));
  }

  void writesNothing() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    write_churned(dir);
    auto listing = [&] {
      std::vector<std::pair<std::string, std::uintmax_t>> out;
      for (const auto& e : fs::directory_iterator(dir)) {
        out.emplace_back(e.path().filename().string(),
                         e.is_regular_file() ? e.file_size() : std::uintmax_t(0));
      }
      std::sort(out.begin(), out.end());
      return out;
    };
    const auto before = listing();
    QVERIFY(peek_first_keys(dir, 100));
    QVERIFY(listing() == before);
  }

  void emptyDatabaseHasNoKeys() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    DB::open(dir)->close();
    const auto peek = peek_first_keys(dir, 10);
    QVERIFY(peek);
    QVERIFY(peek->keys.empty());
  }
};

QTEST_GUILESS_MAIN(TestPeek)
#include "tst_peek.moc"
