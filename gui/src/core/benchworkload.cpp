#include "core/benchworkload.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QLocale>
#include <QRegularExpression>
#include <algorithm>

#include "engines/engine.h"

namespace bb {

namespace {

struct OpInfo {
  BenchOp op;
  const char* description;
};

constexpr OpInfo kOps[] = {
    {BenchOp::kFillSeq,
     QT_TRANSLATE_NOOP("bb::Bench", "Puts in ascending key order into a fresh database.")},
    {BenchOp::kFillRandom,
     QT_TRANSLATE_NOOP("bb::Bench", "Puts in random key order into a fresh database.")},
    {BenchOp::kOverwrite,
     QT_TRANSLATE_NOOP("bb::Bench", "A new value for every key, in another random order.")},
    {BenchOp::kRead, QT_TRANSLATE_NOOP("bb::Bench", "Every key read in the order it was written.")},
    {BenchOp::kReadRandom,
     QT_TRANSLATE_NOOP("bb::Bench",
                       "Every key read once in random order, split between the threads.")},
    {BenchOp::kReadMissing,
     QT_TRANSLATE_NOOP("bb::Bench", "Absent keys (between the present ones) looked up.")},
    {BenchOp::kReadSeq,
     QT_TRANSLATE_NOOP("bb::Bench", "Every pair visited in key order (a scan).")},
    {BenchOp::kBatchWrite,
     QT_TRANSLATE_NOOP("bb::Bench",
                       "New keys written in atomic batches; a sample is a batch's time ÷ its "
                       "size.")},
    {BenchOp::kDelete, QT_TRANSLATE_NOOP("bb::Bench", "Every key deleted, in random order.")},
};

QString tr(const char* text) { return QCoreApplication::translate("bb::Bench", text); }

template <typename T, typename Fn>
QJsonArray toArray(const QList<T>& list, Fn&& fn) {
  QJsonArray out;
  for (const T& v : list) out.append(fn(v));
  return out;
}

// A positive integer from JSON (a double there).
std::optional<quint64> positive(const QJsonValue& v) {
  if (!v.isDouble()) return std::nullopt;
  const double d = v.toDouble();
  if (d < 1 || d > 1e12 || d != double(quint64(d))) return std::nullopt;
  return quint64(d);
}

}  // namespace

// bench/lane.h's names, as bitcask-bench prints them.
QString benchOpName(BenchOp op) { return QString::fromLatin1(bench::op_name(op)); }

std::optional<BenchOp> benchOpFromName(const QString& name) {
  return bench::op_from_name(name.toStdString());
}

QList<BenchOp> allBenchOps() {
  QList<BenchOp> out;
  for (const OpInfo& i : kOps) out << i.op;
  return out;
}

QString benchOpDescription(BenchOp op) {
  for (const OpInfo& i : kOps) {
    if (i.op == op) return tr(i.description);
  }
  return {};
}

bool benchOpWrites(BenchOp op) { return bench::op_writes(op); }

// ==== Presets ================================================================================

QList<BenchWorkload::Preset> BenchWorkload::presets() {
  return {Preset::kQuick, Preset::kPythonMatrix, Preset::kPeers100, Preset::kSyncWrites};
}

QString BenchWorkload::presetName(Preset preset) {
  switch (preset) {
    case Preset::kQuick:
      return tr("Quick comparison (20,000 × 100 B)");
    case Preset::kPythonMatrix:
      return tr("The Python original's matrix");
    case Preset::kPeers100:
      return tr("Peers at 100 B (1,000,000 entries)");
    case Preset::kSyncWrites:
      return tr("Writes with sync always (2,000 × 100 B)");
    case Preset::kCustom:
      break;
  }
  return tr("Custom");
}

QString BenchWorkload::presetDescription(Preset preset) {
  switch (preset) {
    case Preset::kQuick:
      return tr("Every engine, every operation on 20,000 keys of 100 bytes: a few seconds.");
    case Preset::kPythonMatrix:
      return tr(
          "bitcask, 1k–100k entries × 100–10,000-byte values, the original's five operations "
          "(raw byte API). Seconds to a minute.");
    case Preset::kPeers100:
      return tr(
          "bitcask-bench's peers suite at 100 B: every engine on 1,000,000 keys. Several "
          "minutes.");
    case Preset::kSyncWrites:
      return tr(
          "Every write synced to disk before it returns: writes of every engine on 2,000 "
          "keys.");
    case Preset::kCustom:
      break;
  }
  return tr("Your own choice of engines, operations and sizes.");
}

QString BenchWorkload::presetDetails(Preset preset) {
  switch (preset) {
    case Preset::kQuick:
      return tr(
          "bitcask, LevelDB, RocksDB, LMDB and SQLite with 20,000 keys of 100 bytes: "
          "fill_seq, fill_random, overwrite, read_random from 1 and 2 threads, "
          "read_missing, read_seq, batch_write and delete, sync none.");
    case Preset::kPythonMatrix:
      return tr(
          "The matrix of the Python original's benchmark: bitcask with 1,000 / 10,000 / "
          "100,000 entries × 100 / 1,000 / 10,000-byte values; write (fill_random), read, "
          "random read, batch write (100 a batch) and delete. Through the raw byte API: "
          "bitcask-bench python-matrix measures the same through the JSON API.");
    case Preset::kPeers100:
      return tr(
          "bitcask-bench's peers suite at 100-byte values: every engine on 1,000,000 keys, "
          "read_random from 1, 2 and 4 threads, sync none.");
    case Preset::kSyncWrites:
      return tr(
          "fill_seq, fill_random, overwrite and delete of every engine on 2,000 keys, each "
          "write on stable storage (fdatasync) before it returns: the disk's sync latency "
          "dominates (0.2–4 ms a write on a typical virtual disk).");
    case Preset::kCustom:
      break;
  }
  return presetDescription(preset);
}

BenchWorkload BenchWorkload::preset(Preset preset) {
  BenchWorkload w;
  w.name = presetName(preset);
  QStringList all;
  for (const std::string& e : bench::engine_names()) all << QString::fromStdString(e);
  const QList<BenchOp> peerOps{BenchOp::kFillSeq,    BenchOp::kFillRandom,  BenchOp::kOverwrite,
                               BenchOp::kReadRandom, BenchOp::kReadMissing, BenchOp::kReadSeq,
                               BenchOp::kDelete};
  switch (preset) {
    case Preset::kQuick:
      w.engines = all;
      w.ops = peerOps;
      w.ops.insert(6, BenchOp::kBatchWrite);
      w.entries = {20000};
      w.valueSizes = {100};
      w.threads = {1, 2};
      break;
    case Preset::kPythonMatrix:
      w.engines = {QStringLiteral("bitcask")};
      w.ops = {BenchOp::kFillRandom, BenchOp::kRead, BenchOp::kReadRandom, BenchOp::kBatchWrite,
               BenchOp::kDelete};
      w.entries = {1000, 10000, 100000};
      w.valueSizes = {100, 1000, 10000};
      w.threads = {1};
      w.batchSize = 100;
      break;
    case Preset::kPeers100:
      w.engines = all;
      w.ops = peerOps;
      w.entries = {1000000};
      w.valueSizes = {100};
      w.threads = {1, 2, 4};
      break;
    case Preset::kSyncWrites:
      w.engines = all;
      w.ops = {BenchOp::kFillSeq, BenchOp::kFillRandom, BenchOp::kOverwrite, BenchOp::kDelete};
      w.entries = {2000};
      w.valueSizes = {100};
      w.syncs = {true};
      break;
    case Preset::kCustom:
      break;
  }
  return w;
}

// ==== Validation and plan ====================================================================

QString BenchWorkload::validate() const {
  const auto& known = bench::engine_names();
  if (engines.isEmpty() && !openDatabase) return tr("Choose at least one engine.");
  for (const QString& e : engines) {
    if (std::find(known.begin(), known.end(), e.toStdString()) == known.end())
      return tr("Unknown engine “%1”.").arg(e);
  }
  if (ops.isEmpty()) return tr("Choose at least one operation.");
  if (entries.isEmpty()) return tr("Give at least one entry count.");
  if (valueSizes.isEmpty()) return tr("Give at least one value size.");
  if (syncs.isEmpty()) return tr("Choose sync none, sync always or both.");
  for (quint64 n : entries) {
    if (n < 1 || n > 100'000'000) return tr("Entry counts go from 1 to 100,000,000.");
  }
  for (quint64 v : valueSizes) {
    if (v < 1 || v > 64u << 20) return tr("Value sizes go from 1 byte to 64 MiB.");
  }
  if (ops.contains(BenchOp::kReadRandom)) {
    if (threads.isEmpty()) return tr("Give read_random's thread counts.");
    for (int t : threads) {
      if (t < 1 || t > 64) return tr("Thread counts go from 1 to 64.");
    }
  }
  if (ops.contains(BenchOp::kBatchWrite) && (batchSize < 1 || batchSize > 100000))
    return tr("Batches hold 1 to 100,000 pairs.");
  if (engines.isEmpty()) {
    bool reads = false;
    for (BenchOp op : ops) reads |= !benchOpWrites(op);
    if (!reads) return tr("The open database is only read: choose a read operation.");
  }
  return {};
}

// ==== BenchCase ==============================================================================

QString BenchCase::syncName() const {
  return sync ? QStringLiteral("always") : QStringLiteral("none");
}

bool BenchCase::sameConfig(const BenchCase& o) const {
  return op == o.op && entries == o.entries && valueSize == o.valueSize && threads == o.threads &&
         sync == o.sync;
}

void BenchCase::writeJson(QJsonObject* o) const {
  (*o)[QStringLiteral("engine")] = engine;
  (*o)[QStringLiteral("op")] = benchOpName(op);
  (*o)[QStringLiteral("entries")] = double(entries);
  (*o)[QStringLiteral("value_size")] = double(valueSize);
  (*o)[QStringLiteral("threads")] = threads;
  (*o)[QStringLiteral("sync")] = syncName();
}

bool BenchCase::readJson(const QJsonObject& o) {
  engine = o.value(QStringLiteral("engine")).toString();
  const auto name = benchOpFromName(o.value(QStringLiteral("op")).toString());
  op = name.value_or(op);
  entries = quint64(o.value(QStringLiteral("entries")).toDouble());
  valueSize = quint64(o.value(QStringLiteral("value_size")).toDouble());
  threads = o.value(QStringLiteral("threads")).toInt(1);
  sync = o.value(QStringLiteral("sync")).toString() == QLatin1String("always");
  return name && !engine.isEmpty();
}

// ==== BenchWorkload ==========================================================================

QList<BenchStep> BenchWorkload::steps(quint64 openDbKeys) const {
  QList<BenchStep> out;
  QList<BenchOp> order = ops;
  std::sort(order.begin(), order.end());
  order.erase(std::unique(order.begin(), order.end()), order.end());
  const bool needsData = std::any_of(order.begin(), order.end(), [](BenchOp op) {
    return op != BenchOp::kFillSeq && op != BenchOp::kFillRandom && op != BenchOp::kBatchWrite;
  });
  auto add = [&](BenchStep s, BenchOp op, int threads, quint64 operations, bool load = false) {
    s.op = op;
    s.threads = threads;
    s.operations = operations;
    s.load = load;
    out << s;
  };
  for (bool sync : syncs) {
    for (quint64 n : entries) {
      for (quint64 v : valueSizes) {
        for (const QString& engine : engines) {
          BenchStep lane;
          lane.engine = engine;
          lane.entries = n;
          lane.valueSize = v;
          lane.sync = sync;
          // The enum is in lane order: fill_seq (a database of its own), then
          // fill_random -- or, without it, an unmeasured load of the keys the
          // later operations need -- then the rest.
          if (order.contains(BenchOp::kFillSeq)) add(lane, BenchOp::kFillSeq, 1, n);
          if (order.contains(BenchOp::kFillRandom) || needsData)
            add(lane, BenchOp::kFillRandom, 1, n, !order.contains(BenchOp::kFillRandom));
          for (BenchOp op : order) {
            if (op == BenchOp::kFillSeq || op == BenchOp::kFillRandom) continue;
            if (op == BenchOp::kReadRandom) {
              for (int t : threads) add(lane, op, t, n);
            } else {
              add(lane, op, 1, n);
            }
          }
        }
      }
    }
  }
  if (openDatabase && openDbKeys > 0) {
    BenchStep lane;
    lane.engine = QString::fromLatin1(kOpenDatabaseEngine);
    lane.entries = std::min(openDbKeys, *std::max_element(entries.begin(), entries.end()));
    lane.valueSize = 0;  // as stored
    for (BenchOp op : order) {
      if (benchOpWrites(op)) continue;
      if (op == BenchOp::kReadRandom) {
        for (int t : threads) add(lane, op, t, lane.entries);
      } else {
        add(lane, op, 1, lane.entries);
      }
    }
  }
  return out;
}

quint64 BenchWorkload::totalOperations(quint64 openDbKeys) const {
  quint64 total = 0;
  for (const BenchStep& s : steps(openDbKeys)) total += s.operations;
  return total;
}

// ==== JSON ===================================================================================

QJsonObject BenchWorkload::toJson() const {
  QJsonObject o;
  o[QStringLiteral("name")] = name;
  o[QStringLiteral("engines")] = QJsonArray::fromStringList(engines);
  o[QStringLiteral("ops")] = toArray(ops, [](BenchOp op) { return benchOpName(op); });
  o[QStringLiteral("entries")] = toArray(entries, [](quint64 n) { return double(n); });
  o[QStringLiteral("value_sizes")] = toArray(valueSizes, [](quint64 n) { return double(n); });
  o[QStringLiteral("threads")] = toArray(threads, [](int n) { return n; });
  o[QStringLiteral("sync")] =
      toArray(syncs, [](bool s) { return s ? QStringLiteral("always") : QStringLiteral("none"); });
  o[QStringLiteral("batch_size")] = batchSize;
  o[QStringLiteral("open_database")] = openDatabase;
  return o;
}

std::optional<BenchWorkload> BenchWorkload::fromJson(const QJsonObject& json, QString* error) {
  auto fail = [&](const QString& why) -> std::optional<BenchWorkload> {
    if (error) *error = why;
    return std::nullopt;
  };
  BenchWorkload w;
  w.name = json.value(QStringLiteral("name")).toString(QStringLiteral("Custom"));
  w.engines.clear();
  for (const QJsonValue& v : json.value(QStringLiteral("engines")).toArray())
    w.engines << v.toString();
  w.ops.clear();
  for (const QJsonValue& v : json.value(QStringLiteral("ops")).toArray()) {
    const auto op = benchOpFromName(v.toString());
    if (!op) return fail(tr("Unknown operation “%1”.").arg(v.toString()));
    w.ops << *op;
  }
  auto counts = [&](const char* key, QList<quint64>* out) {
    out->clear();
    for (const QJsonValue& v : json.value(QLatin1String(key)).toArray()) {
      const auto n = positive(v);
      if (!n) return false;
      *out << *n;
    }
    return true;
  };
  if (!counts("entries", &w.entries) || !counts("value_sizes", &w.valueSizes))
    return fail(tr("Entry counts and value sizes must be positive integers."));
  w.threads.clear();
  for (const QJsonValue& v : json.value(QStringLiteral("threads")).toArray())
    w.threads << v.toInt();
  w.syncs.clear();
  for (const QJsonValue& v : json.value(QStringLiteral("sync")).toArray()) {
    if (v.toString() == QLatin1String("always")) {
      w.syncs << true;
    } else if (v.toString() == QLatin1String("none")) {
      w.syncs << false;
    } else {
      return fail(tr("Sync is “none” or “always”, not “%1”.").arg(v.toString()));
    }
  }
  w.batchSize = json.value(QStringLiteral("batch_size")).toInt(100);
  w.openDatabase = json.value(QStringLiteral("open_database")).toBool(false);
  if (const QString why = w.validate(); !why.isEmpty()) return fail(why);
  return w;
}

bool BenchWorkload::operator==(const BenchWorkload& o) const {
  return name == o.name && engines == o.engines && ops == o.ops && entries == o.entries &&
         valueSizes == o.valueSizes && threads == o.threads && syncs == o.syncs &&
         batchSize == o.batchSize && openDatabase == o.openDatabase;
}

// ==== Text ===================================================================================

std::optional<QList<quint64>> parseCounts(const QString& text) {
  static const QRegularExpression split(QStringLiteral("[\\s,;]+"));
  static const QRegularExpression part(QStringLiteral("^(\\d+(?:\\.\\d+)?)([kKmM]?)$"));
  QList<quint64> out;
  for (const QString& p : text.split(split, Qt::SkipEmptyParts)) {
    const auto m = part.match(p);
    if (!m.hasMatch()) return std::nullopt;
    double n = m.captured(1).toDouble();
    const QString unit = m.captured(2).toLower();
    if (unit == QLatin1String("k")) n *= 1e3;
    if (unit == QLatin1String("m")) n *= 1e6;
    if (n < 1 || n > 1e12 || n != double(quint64(n))) return std::nullopt;
    if (!out.contains(quint64(n))) out << quint64(n);
  }
  if (out.isEmpty()) return std::nullopt;
  return out;
}

QString formatCounts(const QList<quint64>& counts) {
  QStringList parts;
  for (quint64 n : counts) {
    if (n >= 1'000'000 && n % 1'000'000 == 0) {
      parts << QStringLiteral("%1M").arg(n / 1'000'000);
    } else if (n >= 1000 && n % 1000 == 0) {
      parts << QStringLiteral("%1k").arg(n / 1000);
    } else {
      parts << QString::number(n);
    }
  }
  return parts.join(QLatin1Char(' '));
}

QString formatCount(quint64 n) { return QLocale().toString(n); }

QString formatValueSize(quint64 bytes) {
  if (bytes == 0) return tr("as stored");
  // Exact: a workload's value size is a parameter, not a measurement. Powers of 1024 as KiB and
  // MiB, as formatBytes() names them; anything else (the Python original's 1000 and 10000) in
  // bytes, so no "KB" that means 1000 sits beside a "KiB" that means 1024.
  if (bytes >= 1u << 20 && bytes % (1u << 20) == 0)
    return QStringLiteral("%1 MiB").arg(bytes >> 20);
  if (bytes >= 1024 && bytes % 1024 == 0) return QStringLiteral("%1 KiB").arg(bytes >> 10);
  return QStringLiteral("%L1 B").arg(bytes);
}

}  // namespace bb
