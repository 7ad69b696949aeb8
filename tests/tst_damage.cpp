// A damaged record in the middle of a database of several segments, opened
// with and without hint files: the key counts agree, Verify, History and a
// merge name the key, and a merge removes every input it read, saves the
// damaged bytes and reports what it really reclaimed.
#include <QTest>

#include "test_util.h"

using namespace bitcask;
using namespace testutil;

namespace {

constexpr int kKeys = 400;

Options small_segments() {
  Options o;
  o.max_segment_size = 4096;
  return o;
}

std::string key_of(int i) { return "key" + std::to_string(1000 + i); }

// kKeys keys written once each over several segments; closing writes the
// hints of the sealed ones.
void fill(const fs::path& dir) {
  auto db = DB::open(dir, small_segments());
  for (int i = 0; i < kKeys; ++i)
    db->put(key_of(i), "value of " + key_of(i) + std::string(40, 'v'));
}

// Flips the last value byte of `key`'s live record; returns its segment.
std::uint32_t damage_value_of(const fs::path& dir, const std::string& key) {
  KeyVersion live;
  {
    auto db = DB::open(dir, small_segments());
    const auto versions = db->history(key);
    if (versions.size() != 1) throw std::runtime_error("expected one version of " + key);
    live = versions[0];
  }
  char name[32];
  std::snprintf(name, sizeof name, "%010u.seg", live.segment);
  const fs::path seg = dir / name;
  std::string bytes = read_file(seg);
  bytes[live.offset + live.record_size - 1] ^= 0x20;
  write_file(seg, bytes);
  return live.segment;
}

void remove_hints(const fs::path& dir) {
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".hint") fs::remove(e.path());
  }
}

std::uint64_t sum_live_records(const Stats& s) {
  std::uint64_t n = 0;
  for (const auto& seg : s.segment_stats) n += seg.live_records;
  return n;
}

}  // namespace

class DamageTest : public QObject {
  Q_OBJECT
 private slots:
  // The same key count with hints (the hint points at the damaged record)
  // and without (the scan finds it damaged): the key is there, its value
  // reads as damaged, never as an older one or as absent.
  void keyCountAgreesWithAndWithoutHints() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fill(dir);
    const std::string victim = key_of(kKeys / 2);
    const std::uint32_t seg = damage_value_of(dir, victim);
    QVERIFY(fs::exists(
        dir / (std::string(10 - std::to_string(seg).size(), '0') + std::to_string(seg) + ".hint")));
    std::uint64_t hinted = 0, scanned = 0;
    {
      auto db = DB::open(dir, small_segments());
      hinted = db->size();
      QVERIFY(db->contains(victim));
      QVERIFY_THROWS_EXCEPTION(Error, db->get(victim));
    }
    remove_hints(dir);
    {
      auto db = DB::open(dir, small_segments());
      scanned = db->size();
      QCOMPARE(db->recovery_report().corrupt_records.size(), std::size_t(1));
      const Problem& p = db->recovery_report().corrupt_records[0];
      QVERIFY(p.key.has_value());
      QCOMPARE(*p.key, victim);
      QVERIFY(db->contains(victim));
      QVERIFY_THROWS_EXCEPTION(Error, db->get(victim));
    }
    QCOMPARE(scanned, hinted);
    QCOMPARE(hinted, std::uint64_t(kKeys));
  }

  // Verify names the key of a damaged record whose header still reads.
  void verifyNamesTheKey() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fill(dir);
    const std::string victim = key_of(123);
    damage_value_of(dir, victim);
    auto db = DB::open(dir, small_segments());
    const auto problems = db->verify();
    QCOMPARE(problems.size(), std::size_t(1));
    QVERIFY(problems[0].key.has_value());
    QCOMPARE(*problems[0].key, victim);
    QVERIFY(problems[0].what.find("checksum") != std::string::npos);
  }

  // A damaged header names no key: nothing is guessed.
  void damagedHeaderNamesNoKey() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fill(dir);
    KeyVersion live;
    {
      auto db = DB::open(dir, small_segments());
      live = db->history(key_of(7))[0];
    }
    const fs::path seg = segment_files(dir)[0];
    std::string bytes = read_file(seg);
    bytes[live.offset + 12] = char(0x7f);  // the kind byte: no record kind
    write_file(seg, bytes);
    remove_hints(dir);
    auto db = DB::open(dir, small_segments());
    const auto problems = db->verify();
    QCOMPARE(problems.size(), std::size_t(1));
    QVERIFY(!problems[0].key.has_value());
  }

  // History lists the damaged version instead of saying there is none.
  void historyShowsTheDamagedVersion() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fill(dir);
    const std::string victim = key_of(200);
    const std::uint32_t seg = damage_value_of(dir, victim);
    for (bool hints : {true, false}) {
      if (!hints) remove_hints(dir);
      auto db = DB::open(dir, small_segments());
      const auto versions = db->history(victim);
      QCOMPARE(versions.size(), std::size_t(1));
      QVERIFY(versions[0].damaged);
      QVERIFY(versions[0].live);
      QCOMPARE(versions[0].segment, seg);
      QVERIFY_THROWS_EXCEPTION(Error, db->read_version(versions[0].segment, versions[0].offset));
    }
  }

  // A merge of a database with a damaged record: every input goes, the
  // database shrinks (or stays), the key whose value was damaged is named
  // and removed (its bytes in lost+found/), and the figures agree with the
  // keydir, also after reopening.
  void mergeRemovesEveryInputAndReportsTrueFigures_data() {
    QTest::addColumn<bool>("hints");
    QTest::newRow("with hints") << true;
    QTest::newRow("without hints") << false;
  }
  void mergeRemovesEveryInputAndReportsTrueFigures() {
    QFETCH(bool, hints);
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fill(dir);
    const std::string victim = key_of(kKeys / 3);
    damage_value_of(dir, victim);
    if (!hints) remove_hints(dir);
    MergeResult r;
    std::uint64_t total_before = 0;
    {
      auto db = DB::open(dir, small_segments());
      const Stats before = db->stats();
      QVERIFY(before.segments >= 5);
      total_before = before.total_bytes;
      r = db->merge({});
      const Stats after = db->stats();
      QCOMPARE(r.inputs_removed, r.inputs);
      QCOMPARE(r.damaged.size(), std::size_t(1));
      QVERIFY(r.damaged[0].key.has_value());
      QCOMPARE(*r.damaged[0].key, victim);
      QCOMPARE(r.damaged_keys_removed, std::uint64_t(1));
      QCOMPARE(r.saved_to.size(), std::size_t(1));
      QVERIFY(fs::exists(dir / r.saved_to[0]));
      QCOMPARE(read_file(dir / r.saved_to[0]).size(), std::size_t(r.damaged[0].length));
      // True figures: what the files shrank by, never more.
      QVERIFY(after.total_bytes <= total_before);
      QCOMPARE(r.bytes_reclaimed(), r.bytes_removed - r.bytes_after);
      QVERIFY(r.bytes_removed <= r.bytes_before);
      // No segment left without a live record but the active one.
      for (const auto& s : after.segment_stats) {
        if (!s.active) QVERIFY2(s.live_records > 0, s.file.c_str());
      }
      QCOMPARE(db->size(), std::uint64_t(kKeys - 1));
      QCOMPARE(after.keys, std::uint64_t(kKeys - 1));
      QCOMPARE(sum_live_records(after), after.keys);
      QVERIFY(!db->contains(victim));
      QVERIFY(db->verify().empty());
      QVERIFY(db->get(key_of(0)).has_value());
    }
    for (bool with_hints : {true, false}) {
      if (!with_hints) remove_hints(dir);
      auto db = DB::open(dir, small_segments());
      QVERIFY(db->recovery_report().clean());
      QCOMPARE(db->size(), std::uint64_t(kKeys - 1));
      QCOMPARE(sum_live_records(db->stats()), std::uint64_t(kKeys - 1));
      QVERIFY(!db->contains(victim));
    }
  }

  // The damaged key's older version in a segment the merge keeps does not
  // come back: the merge leaves a tombstone for it.
  void damagedKeysOlderVersionStaysGone() {
    QTemporaryDir tmp;
    const fs::path dir = path_of(tmp);
    fill(dir);
    const std::string victim = key_of(5);  // in the first segment
    {
      // The newer version among records that are overwritten next, so its
      // segment is fragmented and the first one (one dead record) is not.
      auto db = DB::open(dir, small_segments());
      for (int i = 0; i < 50; ++i) db->put(key_of(kKeys + i), std::string(60, 'n'));
      db->put(victim, "newer value" + std::string(40, 'n'));
      for (int i = 50; i < 100; ++i) db->put(key_of(kKeys + i), std::string(60, 'n'));
      for (int i = 0; i < 100; ++i) db->put(key_of(kKeys + i), std::string(60, 'm'));
    }
    const auto versions = [&] {
      auto db = DB::open(dir, small_segments());
      return db->history(victim);
    }();
    QCOMPARE(versions.size(), std::size_t(2));
    // Damage the newer one, then merge only the segment holding it.
    char name[32];
    std::snprintf(name, sizeof name, "%010u.seg", versions[1].segment);
    std::string bytes = read_file(dir / name);
    bytes[versions[1].offset + versions[1].record_size - 1] ^= 0x20;
    write_file(dir / name, bytes);
    Options o = small_segments();
    // Only fragmented segments: the first one, with the older version, stays.
    o.merge_thresholds.small_segment_threshold = 0;
    o.merge_thresholds.fragmentation_threshold = 0.05;
    o.merge_thresholds.dead_bytes_threshold = 1ull << 40;
    {
      auto db = DB::open(dir, o);
      MergeOptions m;
      m.all_segments = false;
      const MergeResult r = db->merge(m);
      QVERIFY(fs::exists(segment_files(dir).front()));
      QCOMPARE(segment_files(dir).front().filename().string(), std::string("0000000001.seg"));
      QCOMPARE(r.damaged.size(), std::size_t(1));
      QCOMPARE(r.damaged_keys_removed, std::uint64_t(1));
      QVERIFY(!db->contains(victim));
    }
    remove_hints(dir);
    auto db = DB::open(dir, o);
    QVERIFY(!db->contains(victim));
  }
};

QTEST_GUILESS_MAIN(DamageTest)
#include "tst_damage.moc"
