#include "core/benchrunstore.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <algorithm>

namespace bb {

BenchRunStore::BenchRunStore(const QString& dir) : dir_(dir.isEmpty() ? defaultDirectory() : dir) {}

QString BenchRunStore::defaultDirectory() {
  return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
         QStringLiteral("/benchmarks");
}

std::optional<QString> BenchRunStore::save(const BenchRun& run, QString* error) const {
  if (!QDir().mkpath(dir_)) {
    if (error) *error = QStringLiteral("cannot create %1").arg(dir_);
    return std::nullopt;
  }
  // "2026-11-24T061813-quick-comparison.json": sorts by time, says what it is.
  static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9]+"));
  QString slug = run.name.toLower().replace(unsafe, QStringLiteral("-"));
  slug = slug.left(40).remove(QRegularExpression(QStringLiteral("^-+|-+$")));
  const QDateTime when = run.started.isValid() ? run.started : QDateTime::currentDateTime();
  const QString base = when.toString(QStringLiteral("yyyy-MM-ddTHHmmss")) +
                       (slug.isEmpty() ? QString() : QLatin1Char('-') + slug);
  QString path = dir_ + QLatin1Char('/') + base + QStringLiteral(".json");
  for (int i = 2; QFile::exists(path); ++i)
    path = dir_ + QLatin1Char('/') + base + QStringLiteral("-%1.json").arg(i);
  QSaveFile f(path);
  const QByteArray bytes = QJsonDocument(run.toJson()).toJson(QJsonDocument::Compact);
  if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit()) {
    if (error) *error = f.errorString();
    return std::nullopt;
  }
  return path;
}

std::optional<BenchRun> BenchRunStore::load(const QString& path, QString* error) const {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) {
    if (error) *error = f.errorString();
    return std::nullopt;
  }
  QJsonParseError parse;
  const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parse);
  if (parse.error != QJsonParseError::NoError || !doc.isObject()) {
    if (error) *error = parse.errorString();
    return std::nullopt;
  }
  return BenchRun::fromJson(doc.object(), error);
}

QList<BenchRunStore::Entry> BenchRunStore::list() const {
  QList<Entry> out;
  const QDir dir(dir_);
  for (const QFileInfo& info : dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files)) {
    auto run = load(info.filePath());
    if (!run) continue;
    out.append({info.filePath(), run->name, run->started, int(run->measurements.size()),
                run->workload.name});
  }
  std::sort(out.begin(), out.end(),
            [](const Entry& a, const Entry& b) { return a.started > b.started; });
  return out;
}

bool BenchRunStore::remove(const QString& path) const {
  return QFileInfo(path).absolutePath() == QFileInfo(dir_).absoluteFilePath() &&
         QFile::remove(path);
}

}  // namespace bb
