// One undoable change to the database: a set of keys with their value before
// and after (no value = absent). Adding, editing, renaming, deleting,
// duplicating and restoring are all this one command with a different text;
// redo and undo each write one atomic batch.
#pragma once

#include <QPointer>
#include <QUndoCommand>
#include <optional>
#include <string>
#include <vector>

#include "core/database.h"

namespace bb {

struct KeyValueChange {
  std::string key;
  std::optional<std::string> before;
  std::optional<std::string> after;
};

class KeyChangeCommand : public QUndoCommand {
 public:
  // `alreadyApplied`: the caller wrote `after` itself (so it could report an
  // error before pushing); the first redo() then does nothing.
  KeyChangeCommand(Database* db, const QString& text, std::vector<KeyValueChange> changes,
                   bool alreadyApplied = true);

  void redo() override;
  void undo() override;

  const std::vector<KeyValueChange>& changes() const { return changes_; }
  // The engine's message when the last redo/undo failed, else empty.
  QString lastError() const { return lastError_; }

  // Writes one side of `changes` as a batch. Throws bitcask::Error.
  static void apply(Database* db, const std::vector<KeyValueChange>& changes, bool forward);

 private:
  void run(bool forward);

  QPointer<Database> db_;
  std::vector<KeyValueChange> changes_;
  bool skipRedo_;
  QString lastError_;
};

}  // namespace bb
