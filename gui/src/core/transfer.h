// Long data transfers, run through QtConcurrent with progress (0..1000) and
// cancel: JSON lines import and export, and converting a directory written
// by the Python original into a new native database.
#pragma once

#include <bitcask/import.h>

#include <QPromise>
#include <QString>
#include <QStringList>

#include "core/database.h"

namespace bb {

struct TransferOutcome {
  bool ok = false;
  bool cancelled = false;
  QString message;  // a summary on success, the error otherwise
  bitcask::ImportResult imported;
  quint64 exported = 0;
  QStringList skipped;  // keys an export left out, their records damaged
};

void importJsonlTask(QPromise<TransferOutcome>& promise, DbPtr db, QString file);
void exportJsonlTask(QPromise<TransferOutcome>& promise, DbPtr db, QString file);
// Creates a native database at `target` (missing or empty) from the Python
// directory `source`, then closes it.
void convertForeignTask(QPromise<TransferOutcome>& promise, QString source, QString target);

}  // namespace bb
