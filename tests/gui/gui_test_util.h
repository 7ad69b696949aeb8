// Helpers shared by the browser's Qt Test suites.
#pragma once

#include <bitcask/db.h>
#include <bitcask/error.h>

#include <QCoreApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "core/database.h"
#include "core/opener.h"

namespace guitest {

inline std::filesystem::path fixturesDir() { return BITCASK_FIXTURES_DIR; }

inline QString dbPath(const QTemporaryDir& dir, const char* name = "db") {
  return dir.path() + QLatin1Char('/') + QLatin1String(name);
}

// A writable database at `path` (created), wrapped for the models.
inline std::unique_ptr<bb::Database> openWritable(const QString& path) {
  bb::OpenOutcome out = bb::openDatabase(path, bb::OpenMode::kOpen);
  if (!out.ok()) out = bb::openDatabase(path, bb::OpenMode::kCreate);
  if (!out.ok()) qFatal("cannot open %s: %s", qPrintable(path), qPrintable(out.detail));
  return std::make_unique<bb::Database>(out.db);
}

// Key i of a generated set: "key:000123" sorts like i.
inline std::string key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "key:%06d", i);
  return buf;
}

// Writes keys 0..n-1 (values {"n": i}) in batches.
inline void fill(bitcask::DB& db, int n, int from = 0) {
  bitcask::WriteBatch batch;
  for (int i = from; i < from + n; ++i) {
    batch.put(key(i), "{\"n\":" + std::to_string(i) + "}");
    if (batch.size() == 5000) {
      db.write(batch);
      batch.clear();
    }
  }
  if (!batch.empty()) db.write(batch);
}

}  // namespace guitest

// Tests must not write the user's real settings, nor each other's: ctest runs the suites in
// parallel, and one suite's recent databases or window state must not show up in another's.
inline void isolateSettings() {
  QStandardPaths::setTestModeEnabled(true);
  QCoreApplication::setOrganizationName(QStringLiteral("BitcaskBrowserTests"));
  QCoreApplication::setApplicationName(
      QStringLiteral("bitcask-browser-tests-" BITCASK_GUI_TEST_NAME));
}
