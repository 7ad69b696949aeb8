#include "core/matchset.h"

#include <bitcask/batch.h>
#include <bitcask/error.h>
#include <bitcask/import.h>

#include <QByteArray>
#include <QCoreApplication>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "core/valueformat.h"

namespace bb {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("bb::MatchSet", text); }

void reportProgress(QPromise<void>& promise, const MatchSetOutcome& out, const QString& verb) {
  const quint64 total = std::max<quint64>(1, out.total);
  promise.setProgressValueAndText(int(std::min<quint64>(1000, out.done * 1000 / total)),
                                  verb.arg(out.done).arg(out.total));
}

QString hexOf(std::string_view bytes) {
  return QString::fromLatin1(QByteArray(bytes.data(), qsizetype(bytes.size())).toHex());
}

}  // namespace

quint64 valueBytesOf(const std::vector<bitcask::KeyEntry>& matches) {
  quint64 bytes = 0;
  for (const auto& e : matches) bytes += e.value_size;
  return bytes;
}

void deleteMatchesTask(QPromise<void>& promise, DbPtr db, MatchList matches, bool keepValues,
                       OutcomePtr outPtr, BatchGate gate) {
  MatchSetOutcome& out = *outPtr;
  out.total = matches->size();
  promise.setProgressRange(0, 1000);
  const QString verb = tr("%L1 of %L2 keys deleted");
  for (std::size_t at = 0; at < matches->size(); at += kBulkBatchKeys) {
    // Between batches only: each batch is written whole, so a cancel leaves no half batch.
    if (promise.isCanceled() || (gate && at > 0 && !gate(out.done))) {
      out.cancelled = true;
      break;
    }
    const std::size_t end = std::min(matches->size(), at + kBulkBatchKeys);
    bitcask::WriteBatch batch;
    std::vector<KeyValueChange> part;
    part.reserve(end - at);
    try {
      for (std::size_t i = at; i < end; ++i) {
        const std::string& key = (*matches)[i].key;
        std::optional<std::string> value;
        if (keepValues) {
          try {
            value = db->get(key);
          } catch (const bitcask::Error& e) {
            if (e.code() != bitcask::ErrorCode::kCorruption) throw;
            // Deleting it would lose a value undo could not bring back: leave it, say so.
            out.unreadable << displayKey(key);
            continue;
          }
          if (!value) {
            ++out.missing;
            continue;
          }
        } else if (!db->contains(key)) {
          ++out.missing;
          continue;
        }
        batch.remove(key);
        part.push_back({key, std::move(value), std::nullopt});
      }
      if (!part.empty()) db->write(batch);
    } catch (const bitcask::Error& e) {
      out.error = QString::fromStdString(e.what());
      break;
    }
    out.done += part.size();
    std::move(part.begin(), part.end(), std::back_inserter(out.deleted));
    reportProgress(promise, out, verb);
  }
}

void exportMatchesTask(QPromise<void>& promise, DbPtr db, MatchList matches, QString file,
                       OutcomePtr outPtr) {
  MatchSetOutcome& out = *outPtr;
  out.total = matches->size();
  promise.setProgressRange(0, 1000);
  const std::string path = file.toStdString();
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os) {
    out.error = tr("Cannot write %1.").arg(file);
    return;
  }
  const QString verb = tr("%L1 of %L2 keys exported");
  for (std::size_t i = 0; i < matches->size(); ++i) {
    if (i % kBulkBatchKeys == 0) {
      if (promise.isCanceled()) {
        out.cancelled = true;
        break;
      }
      reportProgress(promise, out, verb);
    }
    const std::string& key = (*matches)[i].key;
    try {
      const auto value = db->get(key);
      if (!value) {
        ++out.missing;
        continue;
      }
      os << bitcask::export_jsonl_line(key, *value);
      ++out.done;
    } catch (const bitcask::Error& e) {
      if (e.code() != bitcask::ErrorCode::kCorruption) {
        out.error = QString::fromStdString(e.what());
        break;
      }
      out.unreadable << displayKey(key);
    }
  }
  os.flush();
  if (!os && out.error.isEmpty()) out.error = tr("Writing %1 failed.").arg(file);
  if (out.cancelled || !out.error.isEmpty()) {
    // A part of the matches in a file named like the whole would be mistaken for it.
    os.close();
    std::remove(path.c_str());
  }
}

void copyMatchesTask(QPromise<void>& promise, MatchList matches, OutcomePtr outPtr) {
  MatchSetOutcome& out = *outPtr;
  out.total = matches->size();
  promise.setProgressRange(0, 1000);
  QStringList keys;
  keys.reserve(qsizetype(matches->size()));
  for (const auto& e : *matches) {
    if (keys.size() % qsizetype(kBulkBatchKeys * 10) == 0 && promise.isCanceled()) {
      out.cancelled = true;
      break;
    }
    keys << displayKey(e.key);
  }
  out.done = quint64(keys.size());
  out.text = keys.join(QLatin1Char('\n'));
}

}  // namespace bb

namespace bb {

void copyValuesTask(QPromise<void>& promise, DbPtr db, MatchList keys, CopyForm form,
                    OutcomePtr outPtr) {
  MatchSetOutcome& out = *outPtr;
  out.total = keys->size();
  promise.setProgressRange(0, 1000);
  const QString verb = tr("%L1 of %L2 values read");
  std::string text;
  for (const auto& entry : *keys) {
    if (promise.isCanceled()) {
      out.cancelled = true;
      return;
    }
    try {
      const auto value = db->get(entry.key);
      if (!value) {
        ++out.missing;
        continue;
      }
      if (form == CopyForm::kJsonLines) {
        text += bitcask::export_jsonl_line(entry.key, *value);
      } else if (isValidUtf8(*value)) {
        text += *value;
      } else {
        // The clipboard holds text: bytes that are not UTF-8 go as hex, and the caller says so.
        out.binary = true;
        text += hexOf(*value).toStdString();
      }
    } catch (const bitcask::Error& e) {
      if (e.code() != bitcask::ErrorCode::kCorruption) {
        out.error = QString::fromStdString(e.what());
        return;
      }
      out.unreadable << displayKey(entry.key);
      continue;
    }
    ++out.done;
    reportProgress(promise, out, verb);
  }
  out.text = QString::fromUtf8(text.data(), qsizetype(text.size()));
}

}  // namespace bb
