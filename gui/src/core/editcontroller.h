// Every change a user makes goes through here: it checks the request (read-
// only database, invalid JSON, key already there), writes it, and pushes an
// undoable KeyChangeCommand. Widgets call these and show the result.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <QUndoStack>
#include <string>
#include <vector>

#include "core/database.h"

namespace bb {

struct KeyValueChange;

struct EditResult {
  bool ok = false;
  QString error;  // plain words when !ok
  explicit operator bool() const { return ok; }
};

class EditController : public QObject {
  Q_OBJECT

 public:
  explicit EditController(QObject* parent = nullptr);
  ~EditController() override;

  // Starts over with `db` (or none): clears the undo stack.
  void setDatabase(Database* db);
  Database* database() const { return db_; }
  QUndoStack* undoStack() const { return stack_; }
  bool canEdit() const;

  // `jsonText` must be strict JSON; it is stored compact.
  EditResult addKey(const std::string& key, const QString& jsonText);
  EditResult setValue(const std::string& key, const QString& jsonText);
  // Writes `bytes` exactly (restoring an older version from the history).
  EditResult restoreValue(const std::string& key, const std::string& bytes,
                          const QString& description);
  EditResult renameKey(const std::string& from, const std::string& to);
  EditResult duplicateKey(const std::string& from, const std::string& to);
  EditResult deleteKeys(const std::vector<std::string>& keys);
  // Records a change a background task already wrote (deleteMatchesTask) as one undo step.
  void recordApplied(const QString& text, std::vector<KeyValueChange> changes);

 signals:
  // An undo or redo failed (the engine's message).
  void errorOccurred(const QString& message);

 private:
  EditResult checkWritable() const;
  EditResult checkNewKey(const std::string& key) const;
  EditResult commit(const QString& text, std::vector<KeyValueChange> changes);

  QPointer<Database> db_;
  QUndoStack* stack_;
};

// A short form of a key for undo texts ("Rename “user:1001”").
QString shortKey(const std::string& key);

}  // namespace bb
