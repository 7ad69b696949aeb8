#include "core/benchresult.h"

#include <bitcask/version.h>

#include <QJsonArray>
#include <QSysInfo>
#include <QThread>
#include <algorithm>
#include <cmath>

#include "bench_util.h"

namespace bb {

namespace {

// Samples below this are put in the first bucket (a clock read is ~30 ns).
constexpr double kFloorUs = 1e-3;

int bucketOf(double us) {
  return int(std::floor(std::log10(std::max(us, kFloorUs)) * BenchHistogram::kBucketsPerDecade));
}

QJsonArray doubles(const QList<double>& v) {
  QJsonArray a;
  for (double d : v) a.append(d);
  return a;
}

}  // namespace

// ==== BenchHistogram =========================================================================

quint64 BenchHistogram::total() const {
  quint64 n = 0;
  for (quint64 c : counts) n += c;
  return n;
}

double BenchHistogram::lowerEdge(int i) const {
  return std::pow(10.0, double(first + i) / kBucketsPerDecade);
}

double BenchHistogram::upperEdge(int i) const { return lowerEdge(i + 1); }

// ==== BenchMeasurement =======================================================================

void fillFromLatencies(BenchMeasurement* m, bench::Latencies& l, double wallSeconds) {
  m->ops = l.ops;
  m->samples = l.us.size();
  m->seconds = wallSeconds;
  m->meanUs = l.mean();
  // bench's nearest-rank percentiles, as bitcask-bench reports them.
  m->p50Us = l.percentile(50);
  m->p90Us = l.percentile(90);
  m->p99Us = l.percentile(99);
  m->p999Us = l.percentile(99.9);
  m->maxUs = l.percentile(100);
  m->opsPerSec = wallSeconds > 0 ? double(l.ops) / wallSeconds : 0;

  // The curve from p50 (0.30 nines) to p99.9 (3 nines) in steps of 0.05.
  m->percentiles.clear();
  for (int i = 0;; ++i) {
    const double nines = std::min(3.0, std::log10(2.0) + 0.05 * i);
    m->percentiles.append({nines, l.percentile(100.0 * (1.0 - std::pow(10.0, -nines)))});
    if (nines >= 3.0) break;
  }

  m->histogram = {};
  if (l.us.empty()) return;
  // percentile() sorted the samples: the first and last give the range.
  const int lo = bucketOf(l.us.front());
  const int hi = bucketOf(l.us.back());
  m->histogram.first = lo;
  m->histogram.counts = QList<quint64>(hi - lo + 1, 0);
  for (double us : l.us) ++m->histogram.counts[bucketOf(us) - lo];
}

QJsonObject BenchMeasurement::toJson(bool withCurves) const {
  // The fields of bitcask-bench's JSON rows, in their order, then ours.
  QJsonObject o;
  writeJson(&o);
  o[QStringLiteral("ops")] = double(ops);
  o[QStringLiteral("mean_us")] = meanUs;
  o[QStringLiteral("p50_us")] = p50Us;
  o[QStringLiteral("p99_us")] = p99Us;
  o[QStringLiteral("ops_per_sec")] = opsPerSec;
  o[QStringLiteral("p90_us")] = p90Us;
  o[QStringLiteral("p999_us")] = p999Us;
  o[QStringLiteral("max_us")] = maxUs;
  o[QStringLiteral("seconds")] = seconds;
  o[QStringLiteral("samples")] = double(samples);
  if (withCurves) {
    QJsonObject h;
    h[QStringLiteral("buckets_per_decade")] = BenchHistogram::kBucketsPerDecade;
    h[QStringLiteral("first")] = histogram.first;
    QJsonArray counts;
    for (quint64 c : histogram.counts) counts.append(double(c));
    h[QStringLiteral("counts")] = counts;
    o[QStringLiteral("histogram")] = h;
    QList<double> nines, us;
    for (const auto& p : percentiles) {
      nines << p.nines;
      us << p.us;
    }
    o[QStringLiteral("percentile_nines")] = doubles(nines);
    o[QStringLiteral("percentile_us")] = doubles(us);
  }
  return o;
}

std::optional<BenchMeasurement> BenchMeasurement::fromJson(const QJsonObject& o) {
  BenchMeasurement m;
  if (!m.readJson(o)) return std::nullopt;
  m.ops = quint64(o.value(QStringLiteral("ops")).toDouble());
  m.meanUs = o.value(QStringLiteral("mean_us")).toDouble();
  m.p50Us = o.value(QStringLiteral("p50_us")).toDouble();
  m.p99Us = o.value(QStringLiteral("p99_us")).toDouble();
  m.opsPerSec = o.value(QStringLiteral("ops_per_sec")).toDouble();
  m.p90Us = o.value(QStringLiteral("p90_us")).toDouble();
  m.p999Us = o.value(QStringLiteral("p999_us")).toDouble();
  m.maxUs = o.value(QStringLiteral("max_us")).toDouble();
  m.seconds = o.value(QStringLiteral("seconds")).toDouble();
  m.samples = quint64(o.value(QStringLiteral("samples")).toDouble());
  const QJsonObject h = o.value(QStringLiteral("histogram")).toObject();
  if (h.value(QStringLiteral("buckets_per_decade")).toInt() == BenchHistogram::kBucketsPerDecade) {
    m.histogram.first = h.value(QStringLiteral("first")).toInt();
    for (const QJsonValue& c : h.value(QStringLiteral("counts")).toArray())
      m.histogram.counts << quint64(c.toDouble());
  }
  const QJsonArray nines = o.value(QStringLiteral("percentile_nines")).toArray();
  const QJsonArray us = o.value(QStringLiteral("percentile_us")).toArray();
  for (qsizetype i = 0; i < std::min(nines.size(), us.size()); ++i)
    m.percentiles.append({nines[i].toDouble(), us[i].toDouble()});
  return m;
}

// ==== BenchSlice =============================================================================

QJsonObject BenchSlice::toJson() const {
  QJsonObject o;
  writeJson(&o);
  o[QStringLiteral("t")] = t;
  o[QStringLiteral("seconds")] = seconds;
  o[QStringLiteral("ops")] = double(ops);
  return o;
}

BenchSlice BenchSlice::fromJson(const QJsonObject& o) {
  BenchSlice s;
  s.readJson(o);  // an unknown operation keeps the default, as before
  s.t = o.value(QStringLiteral("t")).toDouble();
  s.seconds = o.value(QStringLiteral("seconds")).toDouble();
  s.ops = quint64(o.value(QStringLiteral("ops")).toDouble());
  return s;
}

// ==== BenchRun ===============================================================================

namespace {
constexpr char kFormat[] = "bitcask-browser-benchmark-run";
constexpr int kVersion = 1;
}  // namespace

QJsonObject BenchRun::toJson() const {
  QJsonObject o;
  o[QStringLiteral("format")] = QLatin1String(kFormat);
  o[QStringLiteral("version")] = kVersion;
  o[QStringLiteral("name")] = name;
  o[QStringLiteral("started")] = started.toString(Qt::ISODateWithMs);
  o[QStringLiteral("seconds")] = seconds;
  o[QStringLiteral("state")] = state == State::kCancelled ? QStringLiteral("cancelled")
                               : state == State::kRunning ? QStringLiteral("running")
                                                          : QStringLiteral("complete");
  o[QStringLiteral("machine")] = machine;
  o[QStringLiteral("workload")] = workload.toJson();
  QJsonArray rows, slicesJson;
  for (const BenchMeasurement& m : measurements) rows.append(m.toJson());
  for (const BenchSlice& s : slices) slicesJson.append(s.toJson());
  o[QStringLiteral("measurements")] = rows;
  o[QStringLiteral("slices")] = slicesJson;
  o[QStringLiteral("errors")] = QJsonArray::fromStringList(errors);
  return o;
}

std::optional<BenchRun> BenchRun::fromJson(const QJsonObject& o, QString* error) {
  auto fail = [&](const QString& why) -> std::optional<BenchRun> {
    if (error) *error = why;
    return std::nullopt;
  };
  if (o.value(QStringLiteral("format")).toString() != QLatin1String(kFormat))
    return fail(QStringLiteral("not a saved benchmark run"));
  if (o.value(QStringLiteral("version")).toInt() > kVersion)
    return fail(QStringLiteral("saved by a newer version (format %1)")
                    .arg(o.value(QStringLiteral("version")).toInt()));
  BenchRun r;
  r.name = o.value(QStringLiteral("name")).toString();
  r.started =
      QDateTime::fromString(o.value(QStringLiteral("started")).toString(), Qt::ISODateWithMs);
  r.seconds = o.value(QStringLiteral("seconds")).toDouble();
  const QString state = o.value(QStringLiteral("state")).toString();
  r.state = state == QLatin1String("cancelled") ? State::kCancelled
            : state == QLatin1String("running") ? State::kRunning
                                                : State::kComplete;
  r.machine = o.value(QStringLiteral("machine")).toString();
  QString why;
  auto w = BenchWorkload::fromJson(o.value(QStringLiteral("workload")).toObject(), &why);
  if (!w) return fail(QStringLiteral("workload: %1").arg(why));
  r.workload = *w;
  for (const QJsonValue& v : o.value(QStringLiteral("measurements")).toArray()) {
    auto m = BenchMeasurement::fromJson(v.toObject());
    if (!m) return fail(QStringLiteral("a measurement without engine or operation"));
    r.measurements << *m;
  }
  for (const QJsonValue& v : o.value(QStringLiteral("slices")).toArray())
    r.slices << BenchSlice::fromJson(v.toObject());
  for (const QJsonValue& v : o.value(QStringLiteral("errors")).toArray()) r.errors << v.toString();
  return r;
}

QString BenchRun::describeMachine() {
  return QStringLiteral("%1, %2 CPUs, %3; bitcask %4")
      .arg(QSysInfo::prettyProductName())
      .arg(QThread::idealThreadCount())
      .arg(QSysInfo::currentCpuArchitecture(), QString::fromLatin1(bitcask::kVersion));
}

}  // namespace bb
