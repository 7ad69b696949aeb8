#include "core/transfer.h"

#include <bitcask/error.h>

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <fstream>

#include "core/opener.h"
#include "core/valueformat.h"

namespace bb {

namespace {

QString tr(const char* s, const char* c = nullptr, int n = -1) {
  return QCoreApplication::translate("bb::Transfer", s, c, n);
}

bitcask::ProgressFn progressOf(QPromise<TransferOutcome>& promise) {
  promise.setProgressRange(0, 1000);
  return [&promise](std::uint64_t done, std::uint64_t total) {
    if (promise.isCanceled()) return false;
    promise.setProgressValue(total ? int(std::min<std::uint64_t>(1000, done * 1000 / total)) : 0);
    return true;
  };
}

void finish(QPromise<TransferOutcome>& promise, TransferOutcome out) {
  promise.setProgressValue(1000);
  promise.addResult(std::move(out));
}

QString importSummary(const bitcask::ImportResult& r) {
  QString s =
      tr("%1 written, %L2 deleted.").arg(formatKeyCount(r.keys_written)).arg(r.keys_deleted);
  if (r.not_strict_json) {
    s += QLatin1Char(' ') + formatCountOf(r.not_strict_json,
                                          tr("1 value with NaN or Infinity kept as text."),
                                          tr("%L1 values with NaN or Infinity kept as text."));
  }
  for (const auto& w : r.warnings) s += QLatin1Char('\n') + QString::fromStdString(w);
  return s;
}

void fail(QPromise<TransferOutcome>& promise, TransferOutcome out, const bitcask::Error& e) {
  out.cancelled = e.code() == bitcask::ErrorCode::kCancelled;
  out.message = out.cancelled ? tr("Cancelled.") : QString::fromStdString(e.what());
  finish(promise, std::move(out));
}

}  // namespace

void importJsonlTask(QPromise<TransferOutcome>& promise, DbPtr db, QString file) {
  TransferOutcome out;
  std::ifstream in(file.toStdString(), std::ios::binary);
  if (!in) {
    out.message = tr("Cannot read %1.").arg(file);
    return finish(promise, std::move(out));
  }
  try {
    out.imported = bitcask::import_jsonl(in, *db, progressOf(promise));
    out.ok = true;
    out.message = importSummary(out.imported);
  } catch (const bitcask::Error& e) {
    return fail(promise, std::move(out), e);
  }
  finish(promise, std::move(out));
}

void exportJsonlTask(QPromise<TransferOutcome>& promise, DbPtr db, QString file) {
  TransferOutcome out;
  const std::string path = file.toStdString();
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os) {
    out.message = tr("Cannot write %1.").arg(file);
    return finish(promise, std::move(out));
  }
  try {
    std::vector<std::string> skipped;
    out.exported = bitcask::export_jsonl(*db, os, progressOf(promise), &skipped);
    os.flush();
    if (!os) throw bitcask::Error(bitcask::ErrorCode::kIo, "writing " + path + " failed");
    out.ok = true;
    out.message = tr("%1 exported to %2.").arg(formatKeyCount(out.exported), file);
    for (const std::string& line : skipped) out.skipped << QString::fromStdString(line);
    if (!skipped.empty()) {
      out.message += QLatin1Char(' ') +
                     formatCountOf(skipped.size(), tr("1 key left out: its record is damaged"),
                                   tr("%L1 keys left out: their records are damaged")) +
                     tr(" (Tools › Verify Database lists them).");
    }
  } catch (const bitcask::Error& e) {
    os.close();
    std::remove(path.c_str());
    return fail(promise, std::move(out), e);
  }
  finish(promise, std::move(out));
}

void convertForeignTask(QPromise<TransferOutcome>& promise, QString source, QString target) {
  TransferOutcome out;
  // A conversion that fails (or is cancelled) removes the folder it created:
  // nothing half-converted is left to be mistaken for the result.
  const bool existed = QFileInfo::exists(target);
  OpenOutcome opened = openDatabase(target, OpenMode::kCreate);
  if (!opened.ok()) {
    out.message = opened.message;
    return finish(promise, std::move(out));
  }
  try {
    out.imported = bitcask::import_directory(source.toStdString(), *opened.db, progressOf(promise));
    opened.db->close();
    out.ok = true;
    out.message = importSummary(out.imported);
  } catch (const bitcask::Error& e) {
    opened.db.reset();
    if (!existed) QDir(target).removeRecursively();
    return fail(promise, std::move(out), e);
  }
  finish(promise, std::move(out));
}

}  // namespace bb
