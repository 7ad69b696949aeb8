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
  // batches of that many keys, each atomic, in the same order.
  bitcask::WriteBatch batch;
  std::size_t inBatch = 0;
  auto add = [&](const KeyValueChange& c) {
    const auto& value = forward ? c.after : c.before;
    if (value) {
      batch.put(c.key, *value);
    } else {
      batch.remove(c.key);
    }
    if (++inBatch == kBulkBatchKeys) {
      db->write(batch);
      batch = {};
      inBatch = 0;
    }
  };
  if (forward) {
    for (const auto& c : changes) add(c);
  } else {
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) add(*it);
  }
  if (inBatch > 0 || changes.empty()) db->write(batch);
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
