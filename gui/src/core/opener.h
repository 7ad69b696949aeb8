// Opening a database directory, with every failure put in plain words. The
// open itself runs the engine's recovery, so callers run openDatabase() off
// the GUI thread (MainWindow does it through QtConcurrent).
#pragma once

#include <QString>

#include "core/database.h"

namespace bb {

enum class OpenMode {
  kOpen,          // an existing database, writable (the engine makes a Python one read-only)
  kOpenReadOnly,  // an existing database, never written
  kCreate,        // a new database in a directory that is missing or empty
};

enum class OpenError {
  kNone,
  kNotFound,
  kNotADatabase,
  kLocked,  // another writer holds it: the caller offers to open read-only
  kPermissionDenied,
  kCorruption,
  kUnsupportedVersion,
  kNotEmpty,  // kCreate in a directory that already holds files
  kOther,
};

struct OpenOutcome {
  DbPtr db;  // set on success
  OpenError error = OpenError::kNone;
  QString title;    // one line: what happened ("The database is locked")
  QString message;  // plain words: why, and what the user can do
  QString detail;   // the engine's own message, for the details box
  QString path;
  OpenMode mode = OpenMode::kOpen;

  bool ok() const { return db != nullptr; }
};

OpenOutcome openDatabase(const QString& path, OpenMode mode);

// Plain words for an engine error met while opening `path`.
OpenOutcome describeOpenFailure(const QString& path, OpenMode mode, int engineErrorCode,
                                const QString& engineMessage);

// A summary of what recovery found ("3 damaged records were skipped"), empty
// when the database opened clean.
QString recoverySummary(const bitcask::RecoveryReport& report);

}  // namespace bb
