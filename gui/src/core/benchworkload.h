// What the benchmark panel measures: engines × entry counts × value sizes ×
// sync policies, and for each of those the chosen operations (read_random once
// per thread count). The presets reproduce bitcask-bench's suites at sizes a
// desktop session can wait for. A workload is JSON (de)serialisable so saved
// runs carry what they measured.
//
// steps() is the plan the runner follows and its progress counts: one step per
// (lane, operation), a lane being one engine on one (entries, value size, sync)
// configuration in a fresh scratch database.
#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

#include "lane.h"

namespace bb {

// The operations, in the order a lane performs them: bench/lane.h's, which
// the runner runs (as bitcask-bench's peers suite does).
using BenchOp = bench::Op;

QString benchOpName(BenchOp op);  // "fill_seq", … (bitcask-bench's names)
std::optional<BenchOp> benchOpFromName(const QString& name);
QList<BenchOp> allBenchOps();
// One sentence for tooltips.
QString benchOpDescription(BenchOp op);
bool benchOpWrites(BenchOp op);

// The row name of the lane that reads the database open in the browser.
inline constexpr char kOpenDatabaseEngine[] = "open database";

// What is measured: one operation of one engine in one configuration. The
// steps of a workload, the throughput slices and the measurements of a run
// all say which case they are.
struct BenchCase {
  QString engine;
  quint64 entries = 0;
  quint64 valueSize = 0;  // 0 for the open database: as stored
  bool sync = false;
  BenchOp op = BenchOp::kFillRandom;
  int threads = 1;

  QString syncName() const;  // "none" / "always"
  // Whether `other` is the same operation and configuration (engine aside).
  bool sameConfig(const BenchCase& other) const;
  // The fields under bitcask-bench's JSON names ("engine", "op", "entries",
  // "value_size", "threads", "sync").
  void writeJson(QJsonObject* o) const;
  // Reads every field there is; false without an engine or with an unknown
  // operation (which leaves `op` as it was).
  bool readJson(const QJsonObject& o);
};

struct BenchStep : BenchCase {
  // Not measured: the keys the reads, overwrite and delete need, written when
  // fill_random is not among the operations.
  bool load = false;
  quint64 operations = 0;
};

struct BenchWorkload {
  enum class Preset { kCustom, kQuick, kPythonMatrix, kPeers100, kSyncWrites };

  QString name = QStringLiteral("Custom");
  QStringList engines{QStringLiteral("bitcask")};
  QList<BenchOp> ops{BenchOp::kFillRandom, BenchOp::kReadRandom};
  QList<quint64> entries{10000};
  QList<quint64> valueSizes{100};
  QList<int> threads{1};     // read_random's thread counts
  QList<bool> syncs{false};  // false: sync none; true: sync always
  int batchSize = 100;       // batch_write's pairs a batch
  // Also measure the reads (never writes) on the database open in the
  // browser, over up to max(entries) of its keys.
  bool openDatabase = false;

  static BenchWorkload preset(Preset preset);
  static QList<Preset> presets();  // the ones offered, kCustom excluded
  static QString presetName(Preset preset);
  static QString presetDescription(Preset preset);  // one or two lines
  static QString presetDetails(Preset preset);      // for the tooltip

  // An empty string when the workload can run; otherwise what is wrong.
  QString validate() const;
  // The runner's plan, lane by lane; the open database's lane last (when
  // openDatabase and `openDbKeys` > 0: its reads over min(keys, max entries)).
  QList<BenchStep> steps(quint64 openDbKeys = 0) const;
  quint64 totalOperations(quint64 openDbKeys = 0) const;

  QJsonObject toJson() const;
  static std::optional<BenchWorkload> fromJson(const QJsonObject& json, QString* error = nullptr);
  bool operator==(const BenchWorkload& other) const;
};

// "1000 10k 1M" or "1000, 10000" → {1000, 10000, 1000000}: counts separated by
// spaces, commas or semicolons (so no digit grouping), each with an optional
// k or M suffix (×1000, ×10^6). Empty optional when a part is not a positive
// count or there is none.
std::optional<QList<quint64>> parseCounts(const QString& text);
// {1000, 10000} → "1k 10k" (the form's text; parseCounts reads it back).
QString formatCounts(const QList<quint64>& counts);
// 20000 → "20,000", 1000000 → "1,000,000" (locale grouping).
QString formatCount(quint64 n);
// 100 → "100 B", 10000 → "10,000 B", 4096 → "4 KiB", 1048576 → "1 MiB": exact, in the units
// formatBytes() uses.
QString formatValueSize(quint64 bytes);

}  // namespace bb
