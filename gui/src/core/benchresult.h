// What a benchmark run produces, and how it is kept (JSON):
//
//   BenchMeasurement  one completed (engine, operation, configuration): the
//                     figures of bitcask-bench's result rows, plus p90/p99.9,
//                     a log-bucketed latency histogram and the percentile
//                     curve, both computed from bench::Latencies' samples;
//   BenchSlice        the throughput of one lane over a short time slice (the
//                     "throughput over time" chart);
//   BenchEvent        what the runner reports through its QPromise;
//   BenchRun          a whole run: the workload, the measurements, the slices.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <optional>

#include "core/benchworkload.h"

namespace bench {
struct Latencies;
}

namespace bb {

// The latency histogram: kBucketsPerDecade buckets a decade of µs, bucket i
// covering [10^((first + i) / k), 10^((first + i + 1) / k)) µs.
struct BenchHistogram {
  static constexpr int kBucketsPerDecade = 10;
  int first = 0;  // index of counts[0] (may be negative: below 1 µs)
  QList<quint64> counts;
  quint64 total() const;
  double lowerEdge(int i) const;  // µs, of counts[i]
  double upperEdge(int i) const;
};

// A point of the percentile curve: p = 100 × (1 − 10^−nines), so nines 1 is
// p90, 2 is p99, 3 is p99.9 (the chart's x axis).
struct BenchPercentilePoint {
  double nines = 0;
  double us = 0;
};

struct BenchMeasurement : BenchCase {
  quint64 ops = 0;      // operations measured
  quint64 samples = 0;  // of them timed one by one
  double seconds = 0;   // wall time of the operation (all threads)
  double meanUs = 0;    // per operation
  double p50Us = 0, p90Us = 0, p99Us = 0, p999Us = 0, maxUs = 0;
  double opsPerSec = 0;  // all threads together
  BenchHistogram histogram;
  QList<BenchPercentilePoint> percentiles;

  QJsonObject toJson(bool withCurves = true) const;
  static std::optional<BenchMeasurement> fromJson(const QJsonObject& json);
};

// Fills the latency figures of `m` from `l` (sorts its samples). `wallSeconds`:
// the operation's wall time, for ops/s (several threads overlap, so their busy
// time l.total_s is not it).
void fillFromLatencies(BenchMeasurement* m, bench::Latencies& l, double wallSeconds);

// `ops` operations of `op` in (t - seconds, t] of a lane, t counted from the
// lane's start.
struct BenchSlice : BenchCase {
  double t = 0;
  double seconds = 0;
  quint64 ops = 0;
  double opsPerSec() const { return seconds > 0 ? double(ops) / seconds : 0; }
  QJsonObject toJson() const;
  static BenchSlice fromJson(const QJsonObject& json);
};

struct BenchEvent {
  enum class Kind { kSlice, kMeasurement, kError };
  Kind kind = Kind::kSlice;
  BenchSlice slice;
  BenchMeasurement measurement;
  QString message;  // kError: a lane failed (the run goes on with the next)
};

struct BenchRun {
  enum class State { kRunning, kComplete, kCancelled };
  QString name;
  QDateTime started;
  double seconds = 0;
  State state = State::kRunning;
  BenchWorkload workload;
  QString machine;  // OS, CPUs, bitcask version
  QList<BenchMeasurement> measurements;
  QList<BenchSlice> slices;
  QStringList errors;

  bool isEmpty() const { return measurements.isEmpty(); }
  QJsonObject toJson() const;
  static std::optional<BenchRun> fromJson(const QJsonObject& json, QString* error = nullptr);
  // This machine, for `machine`.
  static QString describeMachine();
};

}  // namespace bb

Q_DECLARE_METATYPE(bb::BenchEvent)
