#include "core/editcontroller.h"

#include <bitcask/error.h>
#include <bitcask/options.h>

#include "core/keychangecommand.h"
#include "core/valueformat.h"

namespace bb {

QString shortKey(const std::string& key) {
  QString text = displayKey(key);
  if (text.size() > 40) text = text.left(39) + QStringLiteral("…");
  return QStringLiteral("“%1”").arg(text);
}

EditController::EditController(QObject* parent) : QObject(parent), stack_(new QUndoStack(this)) {
  connect(stack_, &QUndoStack::indexChanged, this, [this] {
    // After undo/redo, report a failure of the command just run.
    const int idx = stack_->index();
    for (int i : {idx - 1, idx}) {
      if (i < 0 || i >= stack_->count()) continue;
      const auto* cmd = dynamic_cast<const KeyChangeCommand*>(stack_->command(i));
      if (cmd && !cmd->lastError().isEmpty()) emit errorOccurred(cmd->lastError());
    }
  });
}

EditController::~EditController() = default;

void EditController::setDatabase(Database* db) {
  stack_->clear();
  db_ = db;
  stack_->setClean();
}

bool EditController::canEdit() const { return db_ && !db_->isReadOnly(); }

EditResult EditController::checkWritable() const {
  if (!db_) return {false, tr("No database is open.")};
  if (db_->isReadOnly()) {
    return {false, db_->isForeignFormat()
                       ? tr("This database was written by %1 and is open read-only. Convert "
                            "it to edit it.")
                             .arg(db_->writtenBy())
                       : tr("The database is open read-only.")};
  }
  return {true, {}};
}

EditResult EditController::checkNewKey(const std::string& key) const {
  if (key.empty()) return {false, tr("A key cannot be empty.")};
  if (key.size() > bitcask::kMaxKeySize) {
    return {false, tr("A key can be at most %L1 bytes long.").arg(bitcask::kMaxKeySize)};
  }
  try {
    if (db_->contains(key)) return {false, tr("The key %1 already exists.").arg(shortKey(key))};
  } catch (const bitcask::Error& e) {
    return {false, QString::fromStdString(e.what())};
  }
  return {true, {}};
}

EditResult EditController::commit(const QString& text, std::vector<KeyValueChange> changes) {
  try {
    KeyChangeCommand::apply(db_, changes, true);
  } catch (const bitcask::Error& e) {
    return {false, QString::fromStdString(e.what())};
  }
  stack_->push(new KeyChangeCommand(db_, text, std::move(changes), true));
  return {true, {}};
}

EditResult EditController::addKey(const std::string& key, const QString& jsonText) {
  if (auto r = checkWritable(); !r) return r;
  if (auto r = checkNewKey(key); !r) return r;
  const JsonCheck check = checkJson(jsonText);
  if (!check.ok) {
    return {false, tr("The value is not valid JSON (line %1, column %2): %3")
                       .arg(check.line)
                       .arg(check.column)
                       .arg(check.message)};
  }
  return commit(tr("Add key %1").arg(shortKey(key)), {{key, std::nullopt, check.compact}});
}

EditResult EditController::setValue(const std::string& key, const QString& jsonText) {
  if (auto r = checkWritable(); !r) return r;
  const JsonCheck check = checkJson(jsonText);
  if (!check.ok) {
    return {false, tr("The value is not valid JSON (line %1, column %2): %3")
                       .arg(check.line)
                       .arg(check.column)
                       .arg(check.message)};
  }
  std::optional<std::string> before;
  try {
    before = db_->value(key);
  } catch (const bitcask::Error& e) {
    return {false, QString::fromStdString(e.what())};
  }
  if (before && *before == check.compact) return {true, {}};
  return commit(tr("Edit value of %1").arg(shortKey(key)), {{key, before, check.compact}});
}

EditResult EditController::restoreValue(const std::string& key, const std::string& bytes,
                                        const QString& description) {
  if (auto r = checkWritable(); !r) return r;
  std::optional<std::string> before;
  try {
    before = db_->value(key);
  } catch (const bitcask::Error& e) {
    return {false, QString::fromStdString(e.what())};
  }
  if (before && *before == bytes) return {true, {}};
  return commit(description.isEmpty() ? tr("Restore %1").arg(shortKey(key)) : description,
                {{key, before, bytes}});
}

EditResult EditController::renameKey(const std::string& from, const std::string& to) {
  if (auto r = checkWritable(); !r) return r;
  if (from == to) return {true, {}};
  if (auto r = checkNewKey(to); !r) return r;
  std::optional<std::string> value;
  try {
    value = db_->value(from);
  } catch (const bitcask::Error& e) {
    return {false, QString::fromStdString(e.what())};
  }
  if (!value) return {false, tr("The key %1 no longer exists.").arg(shortKey(from))};
  return commit(tr("Rename %1 to %2").arg(shortKey(from), shortKey(to)),
                {{from, value, std::nullopt}, {to, std::nullopt, value}});
}

EditResult EditController::duplicateKey(const std::string& from, const std::string& to) {
  if (auto r = checkWritable(); !r) return r;
  if (auto r = checkNewKey(to); !r) return r;
  std::optional<std::string> value;
  try {
    value = db_->value(from);
  } catch (const bitcask::Error& e) {
    return {false, QString::fromStdString(e.what())};
  }
  if (!value) return {false, tr("The key %1 no longer exists.").arg(shortKey(from))};
  return commit(tr("Duplicate %1 as %2").arg(shortKey(from), shortKey(to)),
                {{to, std::nullopt, value}});
}

EditResult EditController::deleteKeys(const std::vector<std::string>& keys) {
  if (auto r = checkWritable(); !r) return r;
  std::vector<KeyValueChange> changes;
  changes.reserve(keys.size());
  try {
    for (const auto& key : keys) {
      auto value = db_->value(key);
      if (value) changes.push_back({key, std::move(value), std::nullopt});
    }
  } catch (const bitcask::Error& e) {
    return {false, QString::fromStdString(e.what())};
  }
  if (changes.empty()) return {false, tr("The selected keys no longer exist.")};
  const QString text = changes.size() == 1 ? tr("Delete %1").arg(shortKey(changes.front().key))
                                           : tr("Delete %L1 keys").arg(changes.size());
  return commit(text, std::move(changes));
}

void EditController::recordApplied(const QString& text, std::vector<KeyValueChange> changes) {
  if (!db_ || changes.empty()) return;
  stack_->push(new KeyChangeCommand(db_, text, std::move(changes), true));
}

}  // namespace bb
