#include "core/benchresultsmodel.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QSaveFile>

namespace bb {

namespace {

QString formatUs(double us) {
  // Three significant figures: 0.183, 1.42, 23.5, 1,234.
  if (us < 1) return QLocale().toString(us, 'f', 3);
  if (us < 10) return QLocale().toString(us, 'f', 2);
  if (us < 100) return QLocale().toString(us, 'f', 1);
  return QLocale().toString(us, 'f', 0);
}

QString csvField(const QString& s) {
  if (!s.contains(QLatin1Char(',')) && !s.contains(QLatin1Char('"')) &&
      !s.contains(QLatin1Char('\n')))
    return s;
  QString q = s;
  q.replace(QLatin1Char('"'), QStringLiteral("\"\""));
  return QLatin1Char('"') + q + QLatin1Char('"');
}

bool writeFile(const QString& path, const QByteArray& bytes, QString* error) {
  // QSaveFile: a failed export never leaves half a file over an old one.
  QSaveFile f(path);
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
    if (error) *error = f.errorString();
    return false;
  }
  return true;
}

}  // namespace

QString BenchConfig::label() const {
  if (valueSize == 0)
    return BenchResultsModel::tr("open database, %1 keys").arg(formatCount(entries));
  return BenchResultsModel::tr("%1 entries × %2, sync %3")
      .arg(formatCount(entries), formatValueSize(valueSize),
           sync ? QStringLiteral("always") : QStringLiteral("none"));
}

BenchResultsModel::BenchResultsModel(QObject* parent) : QAbstractTableModel(parent) {
  current_.state = BenchRun::State::kComplete;
}

int BenchResultsModel::rowCount(const QModelIndex& parent) const {
  if (parent.isValid()) return 0;
  return int(current_.measurements.size() + (comparison_ ? comparison_->measurements.size() : 0));
}

int BenchResultsModel::columnCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : kColumnCount;
}

const BenchMeasurement& BenchResultsModel::measurementAt(int row, bool* comparison) const {
  const bool other = row >= current_.measurements.size();
  if (comparison) *comparison = other;
  return other ? comparison_->measurements[row - current_.measurements.size()]
               : current_.measurements[row];
}

QString BenchResultsModel::currentRunLabel() const { return runLabelOf(false); }

QString BenchResultsModel::runLabelOf(bool comparison) const {
  if (comparison) return comparison_->name;
  return current_.name.isEmpty() ? tr("current") : current_.name;
}

QVariant BenchResultsModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= rowCount()) return {};
  bool other = false;
  const BenchMeasurement& m = measurementAt(index.row(), &other);
  if (role == kIsComparisonRole) return other;
  if (role == Qt::TextAlignmentRole) {
    return index.column() >= kEntriesColumn && index.column() != kSyncColumn
               ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
               : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole) {
    switch (index.column()) {
      case kOpColumn:
        return benchOpDescription(m.op);
      case kMeanColumn:
        return tr("Wall time ÷ operations (%L1 of %L2 operations timed one by one for the "
                  "percentiles).")
            .arg(m.samples)
            .arg(m.ops);
      case kRunColumn:
        return other ? tr("Saved run %1").arg(comparison_->started.toString(Qt::ISODate))
                     : tr("This session's run");
      default:
        return {};
    }
  }
  if (role == kSortRole) {
    switch (index.column()) {
      case kRunColumn:
        return other ? 1 : 0;
      case kOpColumn:
        return int(m.op);
      case kEntriesColumn:
        return m.entries;
      case kValueSizeColumn:
        return m.valueSize;
      case kThreadsColumn:
        return m.threads;
      case kSyncColumn:
        return m.sync;
      case kOpsColumn:
        return m.ops;
      case kMeanColumn:
        return m.meanUs;
      case kP50Column:
        return m.p50Us;
      case kP99Column:
        return m.p99Us;
      case kP999Column:
        return m.p999Us;
      case kOpsPerSecColumn:
        return m.opsPerSec;
      default:
        break;
    }
    role = Qt::DisplayRole;
  }
  if (role != Qt::DisplayRole) return {};
  switch (index.column()) {
    case kRunColumn:
      return runLabelOf(other);
    case kEngineColumn:
      return m.engine;
    case kOpColumn:
      return benchOpName(m.op);
    case kEntriesColumn:
      return formatCount(m.entries);
    case kValueSizeColumn:
      return formatValueSize(m.valueSize);
    case kThreadsColumn:
      return m.threads;
    case kSyncColumn:
      return m.valueSize == 0 ? QStringLiteral("–") : m.syncName();
    case kOpsColumn:
      return formatCount(m.ops);
    case kMeanColumn:
      return formatUs(m.meanUs);
    case kP50Column:
      return formatUs(m.p50Us);
    case kP99Column:
      return formatUs(m.p99Us);
    case kP999Column:
      return formatUs(m.p999Us);
    case kOpsPerSecColumn:
      return formatCount(quint64(m.opsPerSec + 0.5));
    default:
      return {};
  }
}

QVariant BenchResultsModel::headerData(int section, Qt::Orientation orientation, int role) const {
  if (orientation != Qt::Horizontal) return {};
  if (role == Qt::TextAlignmentRole) {
    return section >= kEntriesColumn && section != kSyncColumn
               ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
               : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
  }
  if (role == Qt::ToolTipRole) {
    switch (section) {
      case kThreadsColumn:
        return tr("Reading threads (read_random); the other operations run on one thread.");
      case kOpsPerSecColumn:
        return tr("Operations per second, all threads together.");
      case kP50Column:
      case kP99Column:
      case kP999Column:
        return tr("Percentiles of the operations timed one by one (nearest rank).");
      default:
        return {};
    }
  }
  if (role != Qt::DisplayRole) return {};
  switch (section) {
    case kRunColumn:
      return tr("Run");
    case kEngineColumn:
      return tr("Engine");
    case kOpColumn:
      return tr("Operation");
    case kEntriesColumn:
      return tr("Entries");
    case kValueSizeColumn:
      return tr("Value");
    case kThreadsColumn:
      return tr("Threads");
    case kSyncColumn:
      return tr("Sync");
    case kOpsColumn:
      return tr("Ops");
    case kMeanColumn:
      return tr("Mean µs");
    case kP50Column:
      return tr("p50 µs");
    case kP99Column:
      return tr("p99 µs");
    case kP999Column:
      return tr("p99.9 µs");
    case kOpsPerSecColumn:
      return tr("Ops/s");
    default:
      return {};
  }
}

// ==== Runs ===================================================================================

void BenchResultsModel::beginRun(const BenchWorkload& workload) {
  beginResetModel();
  current_ = BenchRun();
  current_.name = tr("current");
  current_.workload = workload;
  current_.started = QDateTime::currentDateTime();
  current_.state = BenchRun::State::kRunning;
  current_.machine = BenchRun::describeMachine();
  endResetModel();
  emit slicesChanged();
  emit runStateChanged();
}

void BenchResultsModel::addMeasurement(const BenchMeasurement& m) {
  const int row = int(current_.measurements.size());
  beginInsertRows({}, row, row);
  current_.measurements.append(m);
  endInsertRows();
}

void BenchResultsModel::addSlice(const BenchSlice& s) {
  current_.slices.append(s);
  emit slicesChanged();
}

void BenchResultsModel::addError(const QString& message) { current_.errors.append(message); }

void BenchResultsModel::endRun(BenchRun::State state) {
  current_.state = state;
  current_.seconds = double(current_.started.msecsTo(QDateTime::currentDateTime())) / 1000.0;
  emit runStateChanged();
}

void BenchResultsModel::setCurrentRun(const BenchRun& run) {
  beginResetModel();
  current_ = run;
  endResetModel();
  emit slicesChanged();
  emit runStateChanged();
}

void BenchResultsModel::clear() {
  beginResetModel();
  current_ = BenchRun();
  current_.state = BenchRun::State::kComplete;
  comparison_.reset();
  endResetModel();
  emit slicesChanged();
  emit runStateChanged();
}

void BenchResultsModel::setComparison(const BenchRun& run) {
  clearComparison();
  if (run.measurements.isEmpty()) {
    comparison_ = run;
    return;
  }
  const int first = int(current_.measurements.size());
  beginInsertRows({}, first, first + int(run.measurements.size()) - 1);
  comparison_ = run;
  endInsertRows();
}

void BenchResultsModel::clearComparison() {
  if (!comparison_) return;
  const int first = int(current_.measurements.size());
  const int count = int(comparison_->measurements.size());
  if (count == 0) {
    comparison_.reset();
    return;
  }
  beginRemoveRows({}, first, first + count - 1);
  comparison_.reset();
  endRemoveRows();
}

QList<BenchConfig> BenchResultsModel::configs() const {
  QList<BenchConfig> out;
  auto add = [&](const QList<BenchMeasurement>& list) {
    for (const BenchMeasurement& m : list) {
      const BenchConfig c{m.entries, m.valueSize, m.sync};
      if (!out.contains(c)) out << c;
    }
  };
  add(current_.measurements);
  if (comparison_) add(comparison_->measurements);
  return out;
}

QList<std::pair<BenchOp, int>> BenchResultsModel::opsOf(const BenchConfig& config) const {
  QList<std::pair<BenchOp, int>> out;
  auto add = [&](const QList<BenchMeasurement>& list) {
    for (const BenchMeasurement& m : list) {
      if (!config.matches(m)) continue;
      const std::pair<BenchOp, int> key{m.op, m.threads};
      if (!out.contains(key)) out << key;
    }
  };
  add(current_.measurements);
  if (comparison_) add(comparison_->measurements);
  std::sort(out.begin(), out.end());
  return out;
}

QStringList BenchResultsModel::engines() const {
  QStringList out;
  auto add = [&](const QList<BenchMeasurement>& list) {
    for (const BenchMeasurement& m : list) {
      if (!out.contains(m.engine)) out << m.engine;
    }
  };
  add(current_.measurements);
  if (comparison_) add(comparison_->measurements);
  return out;
}

// ==== Export =================================================================================

QByteArray BenchResultsModel::toCsv() const {
  // Plain numbers (no grouping, '.' decimals, the shortest text that reads back
  // as the same double) so spreadsheets and scripts read them.
  const auto num = [](double v) { return QString::number(v, 'g', QLocale::FloatingPointShortest); };
  QStringList lines;
  lines << QStringLiteral(
      "run,engine,op,entries,value_size,threads,sync,ops,mean_us,p50_us,p90_us,p99_us,p999_us,"
      "max_us,ops_per_sec");
  for (int row = 0; row < rowCount(); ++row) {
    bool other = false;
    const BenchMeasurement& m = measurementAt(row, &other);
    QStringList f;
    f << csvField(runLabelOf(other)) << csvField(m.engine) << benchOpName(m.op)
      << QString::number(m.entries) << QString::number(m.valueSize) << QString::number(m.threads)
      << m.syncName() << QString::number(m.ops) << num(m.meanUs) << num(m.p50Us) << num(m.p90Us)
      << num(m.p99Us) << num(m.p999Us) << num(m.maxUs) << num(m.opsPerSec);
    lines << f.join(QLatin1Char(','));
  }
  return (lines.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8();
}

QByteArray BenchResultsModel::toJson() const {
  QJsonArray rows;
  for (int row = 0; row < rowCount(); ++row) {
    bool other = false;
    const BenchMeasurement& m = measurementAt(row, &other);
    QJsonObject o = m.toJson(false);
    o[QStringLiteral("run")] = runLabelOf(other);
    rows.append(o);
  }
  return QJsonDocument(rows).toJson(QJsonDocument::Indented);
}

bool BenchResultsModel::saveCsv(const QString& path, QString* error) const {
  return writeFile(path, toCsv(), error);
}

bool BenchResultsModel::saveJson(const QString& path, QString* error) const {
  return writeFile(path, toJson(), error);
}

}  // namespace bb
