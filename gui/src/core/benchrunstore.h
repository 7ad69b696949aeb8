// Saved benchmark runs: one JSON file a run (BenchRun::toJson) in
// QStandardPaths::AppDataLocation/benchmarks, listed newest first so the panel
// can compare the current run with an earlier one.
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <optional>

#include "core/benchresult.h"

namespace bb {

class BenchRunStore {
 public:
  struct Entry {
    QString path;
    QString name;
    QDateTime started;
    int measurements = 0;
    QString workload;  // the workload's name
  };

  // `dir` empty: defaultDirectory().
  explicit BenchRunStore(const QString& dir = {});
  static QString defaultDirectory();
  QString directory() const { return dir_; }

  // Writes `run` to a new file named after it and its start; returns the path,
  // or nothing with *error.
  std::optional<QString> save(const BenchRun& run, QString* error = nullptr) const;
  std::optional<BenchRun> load(const QString& path, QString* error = nullptr) const;
  // Newest first; files that do not parse are left out.
  QList<Entry> list() const;
  bool remove(const QString& path) const;

 private:
  QString dir_;
};

}  // namespace bb
