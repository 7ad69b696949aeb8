#include "core/opener.h"

#include <bitcask/error.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <algorithm>

namespace bb {

namespace {
QString tr(const char* s, const char* c = nullptr, int n = -1) {
  return QCoreApplication::translate("bb::Opener", s, c, n);
}
}  // namespace

OpenOutcome describeOpenFailure(const QString& path, OpenMode mode, int engineErrorCode,
                                const QString& engineMessage) {
  using bitcask::ErrorCode;
  OpenOutcome out;
  out.path = path;
  out.mode = mode;
  out.detail = engineMessage;
  const QString name = QDir::toNativeSeparators(path);
  switch (static_cast<ErrorCode>(engineErrorCode)) {
    case ErrorCode::kNotFound:
      out.error = OpenError::kNotFound;
      out.title = tr("The folder does not exist");
      out.message = tr("There is no folder at %1. Check the path, or use File › New Database "
                       "to create a database there.")
                        .arg(name);
      break;
    case ErrorCode::kNotADatabase:
      out.error = OpenError::kNotADatabase;
      out.title = tr("This is not a Bitcask database");
      out.message = QFileInfo(path).isFile()
                        ? tr("%1 is a file, not a database folder. Choose the folder that "
                             "contains the BITCASK marker and the .seg files (or the .data "
                             "files of the Python version).")
                              .arg(name)
                        : tr("%1 is not a Bitcask database: it holds no database files. Choose "
                             "the folder that contains the BITCASK marker and the .seg files (or "
                             "the .data files of the Python version).")
                              .arg(name);
      break;
    case ErrorCode::kLocked:
      out.error = OpenError::kLocked;
      out.title = tr("The database is in use");
      out.message = tr("Another program is writing to %1, and only one writer is allowed at a "
                       "time. You can open it read-only to look at it while the other program "
                       "keeps running.")
                        .arg(name);
      break;
    case ErrorCode::kPermissionDenied:
      out.error = OpenError::kPermissionDenied;
      out.title = tr("Permission denied");
      out.message =
          mode == OpenMode::kOpenReadOnly
              ? tr("You are not allowed to read %1. Ask its owner for access.").arg(name)
              : tr("You are not allowed to change %1. Open it read-only, or ask its owner "
                   "for write access.")
                    .arg(name);
      break;
    case ErrorCode::kCorruption:
      out.error = OpenError::kCorruption;
      out.title = tr("The database is damaged");
      out.message = tr("%1 could not be read because its files are damaged. The details "
                       "below say where. Open it read-only to see what can still be read, or "
                       "run `bitcask check` on it.")
                        .arg(name);
      break;
    case ErrorCode::kUnsupportedVersion:
      out.error = OpenError::kUnsupportedVersion;
      out.title = tr("Written by a newer version");
      out.message = tr("%1 was written by a newer version of Bitcask. Update Bitcask Browser "
                       "to open it.")
                        .arg(name);
      break;
    default:
      out.error = OpenError::kOther;
      out.title = tr("The database could not be opened");
      out.message = tr("%1 could not be opened: %2").arg(name, engineMessage);
      break;
  }
  return out;
}

OpenOutcome openDatabase(const QString& path, OpenMode mode) {
  OpenOutcome out;
  out.path = path;
  out.mode = mode;
  const QFileInfo info(path);
  if (mode == OpenMode::kCreate && info.exists()) {
    if (!info.isDir()) {
      return describeOpenFailure(path, mode, int(bitcask::ErrorCode::kNotADatabase),
                                 tr("'%1' is a file").arg(path));
    }
    if (!QDir(path).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)) {
      out.error = OpenError::kNotEmpty;
      out.title = tr("The folder is not empty");
      out.message = tr("A new database needs an empty folder, and %1 already holds files. "
                       "Choose or create an empty folder, or use File › Open to open an "
                       "existing database.")
                        .arg(QDir::toNativeSeparators(path));
      return out;
    }
  }
  // The engine makes an empty folder a database on a writable open: only
  // File › New Database may do that.
  if (mode != OpenMode::kCreate && info.isDir() &&
      QDir(path).isEmpty(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System)) {
    return describeOpenFailure(path, mode, int(bitcask::ErrorCode::kNotADatabase),
                               tr("'%1' is an empty directory, not a Bitcask database").arg(path));
  }
  bitcask::Options options;
  options.read_only = mode == OpenMode::kOpenReadOnly;
  options.create_if_missing = mode == OpenMode::kCreate;
  try {
    out.db = DbPtr(bitcask::DB::open(path.toStdString(), options));
    // The engine brings its key order up to date at the first scan (a sort of what the open
    // added: seconds at ten million keys). Here, off the GUI thread, rather than in the key
    // table's first page.
    bitcask::ScanOptions first;
    first.limit = 1;
    out.db->scan(first);
  } catch (const bitcask::Error& e) {
    return describeOpenFailure(path, mode, int(e.code()), QString::fromStdString(e.what()));
  } catch (const std::exception& e) {
    return describeOpenFailure(path, mode, int(bitcask::ErrorCode::kIo),
                               QString::fromStdString(e.what()));
  }
  return out;
}

QString recoverySummary(const bitcask::RecoveryReport& report) {
  if (report.clean()) return {};
  QStringList parts;
  // A damaged record whose key still reads is listed under that key (reading it reports the
  // damage, as with its hint); a place whose key does not read cannot be listed.
  const auto named = std::count_if(report.corrupt_records.begin(), report.corrupt_records.end(),
                                   [](const bitcask::Problem& p) { return p.key.has_value(); });
  const auto unnamed = qsizetype(report.corrupt_records.size()) - qsizetype(named);
  if (named > 0) {
    parts << (named == 1 ? tr("1 damaged record is listed under its key: reading it reports the "
                              "damage")
                         : tr("%1 damaged records are listed under their keys: reading them "
                              "reports the damage")
                               .arg(named));
  }
  if (unnamed > 0) {
    parts << (unnamed == 1
                  ? tr("1 damaged place in the data files was skipped: its records are not shown")
                  : tr("%1 damaged places in the data files were skipped: their records are not "
                       "shown")
                        .arg(unnamed));
  }
  if (!report.truncated_tails.empty()) {
    parts << tr("an incomplete last write (from a crash) was ignored");
  }
  return parts.join(QStringLiteral("; ")) + QLatin1Char('.');
}

}  // namespace bb
