#include "core/keychangecommand.h"

#include <bitcask/error.h>

#include "core/matchset.h"

namespace bb {

KeyChangeCommand::KeyChangeCommand(Database* db, const QString& text,
                                   std::vector<KeyValueChange> changes, bool alreadyApplied)
    : QUndoCommand(text), db_(db), changes_(std::move(changes)), skipRedo_(alreadyApplied) {}

void KeyChangeCommand::apply(Database* db, const std::vector<KeyValueChange>& changes,
                             bool forward) {
  // Undo writes in reverse order so a rename's removal and put swap cleanly. A change of up to
  // kBulkBatchKeys keys (every edit a user makes on a selection) is one atomic batch; a bulk
  // change ("Delete all matches") cannot fit one batch (kMaxBatchBytes), so it is written in
  // batches of that many keys, each atomic, in the same order, and the models are told once at
  // the end (a model told of each batch resets each time).
  const bool bulk = changes.size() > kBulkBatchKeys;
  bitcask::WriteBatch batch;
  std::size_t inBatch = 0;
  QList<QByteArray> put, removed, batchPut, batchRemoved;
  auto flush = [&] {
    if (!bulk) {
      db->write(batch);
      return;
    }
    db->db().write(batch);
    put += batchPut;
    removed += batchRemoved;
    batchPut.clear();
    batchRemoved.clear();
  };
  auto add = [&](const KeyValueChange& c) {
    const auto& value = forward ? c.after : c.before;
    if (value) {
      batch.put(c.key, *value);
      if (bulk) batchPut << QByteArray::fromStdString(c.key);
    } else {
      batch.remove(c.key);
      if (bulk) batchRemoved << QByteArray::fromStdString(c.key);
    }
    if (++inBatch == kBulkBatchKeys) {
      flush();
      batch = {};
      inBatch = 0;
    }
  };
  try {
    if (forward) {
      for (const auto& c : changes) add(c);
    } else {
      for (auto it = changes.rbegin(); it != changes.rend(); ++it) add(*it);
    }
    if (inBatch > 0 || changes.empty()) flush();
  } catch (...) {
    if (bulk) db->notifyChanged(put, removed);  // what was written before the error
    throw;
  }
  if (bulk) db->notifyChanged(put, removed);
}

void KeyChangeCommand::run(bool forward) {
  lastError_.clear();
  if (!db_) {
    lastError_ = QObject::tr("The database is closed");
    return;
  }
  try {
    apply(db_, changes_, forward);
  } catch (const bitcask::Error& e) {
    lastError_ = QString::fromStdString(e.what());
  }
}

void KeyChangeCommand::redo() {
  if (skipRedo_) {
    skipRedo_ = false;
    return;
  }
  run(true);
}

void KeyChangeCommand::undo() { run(false); }

}  // namespace bb
