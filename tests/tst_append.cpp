// The active segment's append paths side by side: records copied into the
// writable mapping (with the pages ahead of them faulted in early, or made by
// the writer when it outran the thread), and under SyncPolicy::Always large
// ones written with pwrite. Whatever the mix, every record reads back, before
// and after a reopen, and verifies.
#include <QTest>
#include <random>

#include "test_util.h"

using namespace bitcask;
using testutil::path_of;

namespace {

// A value of `size` bytes that tells its key apart from the others.
std::string value_of(int i, std::size_t size) {
  std::string v(size, static_cast<char>('a' + i % 26));
  const std::string tag = std::to_string(i);
  v.replace(0, std::min(tag.size(), size), tag.substr(0, size));
  return v;
}

}  // namespace

Q_DECLARE_METATYPE(bitcask::SyncPolicy)

class TestAppend : public QObject {
  Q_OBJECT

 private slots:
  void mixedSizesReadBack_data() {
    QTest::addColumn<std::vector<std::size_t>>("sizes");
    QTest::addColumn<SyncPolicy>("sync");
    // Past the window faulted in ahead of the writer (1 MiB), several times.
    std::vector<std::size_t> many;
    std::mt19937 rng(5);
    for (int i = 0; i < 600; ++i) many.push_back(i % 7 == 0 ? 8192 + rng() % 40000 : rng() % 3000);
    for (const auto& [name, sync] :
         {std::pair{"none", SyncPolicy::None}, std::pair{"always", SyncPolicy::Always}}) {
      QTest::addRow("large between small, %s", name)
          << std::vector<std::size_t>{10, 9000, 10, 100, 20000, 10} << sync;
      QTest::addRow("large first, %s", name) << std::vector<std::size_t>{200000, 1, 1, 1} << sync;
      QTest::addRow("random mix, %s", name) << many << sync;
    }
  }
  void mixedSizesReadBack() {
    QFETCH(std::vector<std::size_t>, sizes);
    QFETCH(SyncPolicy, sync);
    Options options;
    options.sync = sync;
    QTemporaryDir tmp;
    const auto dir = path_of(tmp);
    auto check = [&](const DB& db) {
      std::string got;
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        const std::string key = "k" + std::to_string(i);
        QVERIFY2(db.get(key, &got), key.c_str());
        QCOMPARE(got, value_of(static_cast<int>(i), sizes[i]));
      }
      QVERIFY(db.verify().empty());
    };
    {
      auto db = DB::open(dir, options);
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        db->put("k" + std::to_string(i), value_of(static_cast<int>(i), sizes[i]));
      }
      check(*db);
      if (QTest::currentTestFailed()) return;
    }
    auto db = DB::open(dir, options);
    QVERIFY(db->recovery_report().clean());
    check(*db);
  }
};

QTEST_GUILESS_MAIN(TestAppend)
#include "tst_append.moc"
