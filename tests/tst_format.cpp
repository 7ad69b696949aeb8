// Format version 1: encoding round trips, field limits, checksums.
#include <QTest>

#include "../engine/src/coding.h"
#include "../engine/src/crc32c.h"
#include "../engine/src/format.h"
#include "test_util.h"

using namespace bitcask;
using testutil::path_of;

class FormatTest : public QObject {
  Q_OBJECT
 private slots:
  void crc32cKnownValues() {
    // The standard check value of CRC-32C, and chaining.
    QCOMPARE(crc32c::value("123456789", 9), 0xE3069283u);
    QCOMPARE(crc32c::extend(crc32c::value("1234", 4), "56789", 5), 0xE3069283u);
    QCOMPARE(crc32c::value("", 0), 0u);
  }

  void integersAreLittleEndian() {
    char b[8];
    encode_u32_le(b, 0x11223344u);
    QCOMPARE(static_cast<unsigned char>(b[0]), 0x44);
    QCOMPARE(static_cast<unsigned char>(b[3]), 0x11);
    QCOMPARE(decode_u32_le(b), 0x11223344u);
    encode_u64_le(b, 0x0102030405060708ull);
    QCOMPARE(static_cast<unsigned char>(b[0]), 0x08);
    QCOMPARE(decode_u64_le(b), 0x0102030405060708ull);
    encode_u16_le(b, 0xABCD);
    QCOMPARE(decode_u16_le(b), 0xABCD);
    encode_u32_be(b, 0x11223344u);
    QCOMPARE(static_cast<unsigned char>(b[0]), 0x11);
    QCOMPARE(decode_u32_be(b), 0x11223344u);
    encode_u64_be(b, 42);
    QCOMPARE(decode_u64_be(b), 42ull);
  }

  void recordRoundTrip_data() {
    QTest::addColumn<int>("kind");
    QTest::addColumn<QByteArray>("key");
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("expiry");
    QTest::newRow("put") << 0 << QByteArray("k") << QByteArray("v") << false;
    QTest::newRow("tombstone") << 1 << QByteArray("gone") << QByteArray() << false;
    QTest::newRow("binary") << 0 << QByteArray("\0\xff", 2) << QByteArray("\0\1\2", 3) << false;
    QTest::newRow("expiry") << 0 << QByteArray("ttl") << QByteArray("x") << true;
    QTest::newRow("max key") << 0 << QByteArray(kMaxKeySize, 'k') << QByteArray("v") << false;
    QTest::newRow("batch begin") << 2 << QByteArray() << QByteArray("\2\0\0\0", 4) << false;
  }
  void recordRoundTrip() {
    QFETCH(int, kind);
    QFETCH(QByteArray, key);
    QFETCH(QByteArray, value);
    QFETCH(bool, expiry);
    std::string buf = "prefix";
    const std::uint8_t flags = expiry ? format::kFlagExpiry : 0;
    format::append_record(&buf, static_cast<RecordKind>(kind), 123456789012345ull,
                          key.toStdString(), value.toStdString(), flags, 999);
    const char* rec = buf.data() + 6;
    const std::uint64_t n = buf.size() - 6;
    format::RecordHeader h;
    QCOMPARE(format::parse_record(rec, n, &h), format::ParseStatus::kOk);
    QCOMPARE(static_cast<int>(h.kind), kind);
    QCOMPARE(h.timestamp_us, 123456789012345ull);
    QCOMPARE(h.key_size, static_cast<std::uint16_t>(key.size()));
    QCOMPARE(h.value_size, static_cast<std::uint32_t>(value.size()));
    QCOMPARE(h.record_size(), n);
    QCOMPARE(h.expiry_us, expiry ? 999ull : 0ull);
    QCOMPARE(QByteArray(rec + h.header_size(), h.key_size), key);
    QCOMPARE(QByteArray(rec + h.header_size() + h.key_size, h.value_size), value);
    // Every shorter prefix of the record is incomplete, never "ok".
    for (std::uint64_t cut = 0; cut < n; cut += (n > 4096 ? 997 : 1)) {
      QCOMPARE(format::parse_record(rec, cut, &h), format::ParseStatus::kIncomplete);
    }
  }

  void everyBitFlipIsDetected() {
    std::string buf;
    format::append_record(&buf, RecordKind::kPut, 42, "user:1", R"({"name":"Zoë"})");
    for (std::size_t byte = 0; byte < buf.size(); ++byte) {
      for (int bit = 0; bit < 8; ++bit) {
        std::string bad = buf;
        bad[byte] = static_cast<char>(bad[byte] ^ (1 << bit));
        format::RecordHeader h;
        QVERIFY2(format::parse_record(bad.data(), bad.size(), &h) != format::ParseStatus::kOk,
                 qPrintable(QString("flip at byte %1 bit %2 not detected").arg(byte).arg(bit)));
      }
    }
  }

  void invalidHeadersAreRejected() {
    format::RecordHeader h;
    std::string buf;
    format::append_record(&buf, RecordKind::kPut, 1, "k", "v");
    std::string bad = buf;
    bad[12] = 9;  // unknown kind
    QCOMPARE(format::parse_record(bad.data(), bad.size(), &h), format::ParseStatus::kBadKind);
    bad = buf;
    bad[13] = static_cast<char>(0x80);  // unknown flag
    QCOMPARE(format::parse_record(bad.data(), bad.size(), &h), format::ParseStatus::kBadFlags);
    bad = buf;
    bad[13] = static_cast<char>(format::kFlagCompressionMask);  // both codecs at once
    QCOMPARE(format::parse_record(bad.data(), bad.size(), &h), format::ParseStatus::kBadFlags);
    bad = buf;
    encode_u32_le(bad.data() + 16, kMaxValueSize + 1);  // value over the limit
    QCOMPARE(format::parse_record(bad.data(), bad.size(), &h), format::ParseStatus::kValueTooLarge);
    bad = buf;
    bad[12] = static_cast<char>(RecordKind::kTombstone);  // a tombstone, but with a value
    QCOMPARE(format::parse_record(bad.data(), bad.size(), &h),
             format::ParseStatus::kTombstoneWithValue);
    // Each names its field for the reports.
    QVERIFY(std::string_view(format::to_string(format::ParseStatus::kBadKind)).find("kind") !=
            std::string_view::npos);
    QVERIFY(std::string_view(format::to_string(format::ParseStatus::kValueTooLarge))
                .find("value size") != std::string_view::npos);
    std::string zeros(64, '\0');
    QVERIFY(format::parse_record(zeros.data(), zeros.size(), &h) != format::ParseStatus::kOk);
  }

  void segmentNamesAndHeader() {
    QCOMPARE(QString::fromStdString(format::segment_file_name(42)), QString("0000000042.seg"));
    QCOMPARE(QString::fromStdString(format::segment_file_name(4294967295u)),
             QString("4294967295.seg"));
    std::uint32_t id = 0;
    QVERIFY(format::parse_segment_file_name("0000000042.seg", &id));
    QCOMPARE(id, 42u);
    QVERIFY(!format::parse_segment_file_name("42.seg", &id));
    QVERIFY(!format::parse_segment_file_name("0000000000.seg", &id));
    QVERIFY(!format::parse_segment_file_name("000000004x.seg", &id));
    QVERIFY(!format::parse_segment_file_name("0000000042.hint", &id));
    const std::string h = format::encode_segment_header(7);
    QCOMPARE(h.size(), std::size_t{format::kSegmentHeaderSize});
    QVERIFY(format::check_segment_header(h.data(), 7).empty());
    QVERIFY(!format::check_segment_header(h.data(), 8).empty());
    std::string v2 = h;
    v2[8] = 2;
    QVERIFY(format::check_segment_header(v2.data(), 7).find("version 2") != std::string::npos);
  }

  void limitsAreEnforcedByTheDatabase() {
    QTemporaryDir tmp;
    auto db = DB::open(path_of(tmp));
    db->put(std::string(kMaxKeySize, 'k'), "max key");
    QCOMPARE(*db->get(std::string(kMaxKeySize, 'k')), std::string("max key"));
    try {
      db->put(std::string(kMaxKeySize + 1, 'k'), "v");
      QFAIL("a key over the limit was accepted");
    } catch (const Error& e) {
      QCOMPARE(e.code(), ErrorCode::kInvalidArgument);
      QVERIFY(std::string(e.what()).find("65535") != std::string::npos);
    }
    db->put("", "the empty key");  // allowed, as in LevelDB, RocksDB and SQLite
    QCOMPARE(*db->get(""), std::string("the empty key"));
    QVERIFY_THROWS_EXCEPTION(Error, db->put("k", std::string(kMaxValueSize + 1, 'v')));
    db->put("empty value", "");
    QCOMPARE(*db->get("empty value"), std::string());
    QVERIFY(db->contains("empty value"));
  }
};

QTEST_APPLESS_MAIN(FormatTest)
#include "tst_format.moc"
