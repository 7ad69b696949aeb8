// Acting on a set of keys: every key a filter matches (or every key listed,
// when all rows are selected), or the keys selected. The match set is computed in the engine
// (runFilterScan: the index for a prefix, a scan otherwise); these tasks then
// delete, export or copy it a batch at a time off the GUI thread, with
// progress 0..1000 and cancel between batches. Exports and JSON-line copies
// write `bitcask export`'s lines (bitcask::export_jsonl_line).
#pragma once

#include <bitcask/db.h>

#include <QPromise>
#include <QString>
#include <QStringList>
#include <functional>
#include <memory>
#include <vector>

#include "core/database.h"
#include "core/keychangecommand.h"

namespace bb {

using MatchList = std::shared_ptr<const std::vector<bitcask::KeyEntry>>;

// Keys per WriteBatch of a bulk delete, and per undo/redo batch of its command.
inline constexpr std::size_t kBulkBatchKeys = 1000;
// A bulk delete keeps the deleted values for undo up to this many bytes in all; past it the
// user is told first that it cannot be undone.
inline constexpr quint64 kMaxUndoBytes = 256ull << 20;

// The sum of the stored value sizes of `matches` (what undo would keep).
quint64 valueBytesOf(const std::vector<bitcask::KeyEntry>& matches);

struct MatchSetOutcome {
  bool cancelled = false;
  QString error;           // the engine's message when it stopped on an error
  quint64 total = 0;       // keys in the match set
  quint64 done = 0;        // deleted, exported or copied
  quint64 missing = 0;     // gone since the match set was computed
  QStringList unreadable;  // damaged records: left in place (delete) or out (export)
  // Delete: what was deleted, in order, with values when kept for undo.
  std::vector<KeyValueChange> deleted;
  // Copy: the keys, one a line (display form); or the values, or their JSON lines.
  QString text;
  bool binary = false;  // copyValuesTask: a value was not UTF-8 and went as hex
};

// The tasks fill `out` as they go rather than returning it through the promise: a cancelled
// QPromise drops results added after the cancel, and a cancelled delete must still say (and
// undo) what it deleted before it stopped. Read `out` once the future has finished.
using OutcomePtr = std::shared_ptr<MatchSetOutcome>;

// Asked in the worker after each batch with the keys done so far; false stops there as a
// cancel does. Lets a test stop a delete midway without racing the progress signals.
using BatchGate = std::function<bool(quint64 done)>;

// Deletes `matches` in batches of kBulkBatchKeys. With `keepValues` each value is read first
// (and kept in `deleted` for undo); a damaged one is then left in place and named.
void deleteMatchesTask(QPromise<void>& promise, DbPtr db, MatchList matches, bool keepValues,
                       OutcomePtr out, BatchGate gate);
// Writes `matches` to `file` as JSON lines ({"key": ..., "value": ...}, as `bitcask export`).
void exportMatchesTask(QPromise<void>& promise, DbPtr db, MatchList matches, QString file,
                       OutcomePtr out);
// The keys of `matches`, one a line.
void copyMatchesTask(QPromise<void>& promise, MatchList matches, OutcomePtr out);

// What copyValuesTask puts in `text`.
enum class CopyForm {
  kValue,      // the values' text as stored (hex when not UTF-8), one after another
  kJsonLines,  // one line of `bitcask export` per key
};
// Above this much value the user is asked before it goes to the clipboard.
inline constexpr quint64 kClipboardAskBytes = 16ull << 20;
// Reads the values of `keys` into `out->text` in `form`.
void copyValuesTask(QPromise<void>& promise, DbPtr db, MatchList keys, CopyForm form,
                    OutcomePtr out);

}  // namespace bb
