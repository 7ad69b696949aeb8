// The value being edited in the value editor, without widgets: which key,
// the stored bytes, how they are best shown, the text being typed and
// whether it may be saved. Saving goes through EditController, so it is
// validated, undoable and refused on read-only databases.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>
#include <optional>
#include <string>

#include "core/database.h"
#include "core/valueformat.h"

namespace bb {

class EditController;

class ValueDocument : public QObject {
  Q_OBJECT

 public:
  explicit ValueDocument(EditController* controller, QObject* parent = nullptr);

  // Loads `key` from the controller's database (nothing: empties the document).
  void load(const std::optional<std::string>& key);
  // Reloads the current key from the database (after an undo, say).
  void reload();

  bool hasKey() const { return key_.has_value(); }
  const std::string& key() const { return *key_; }
  bool exists() const { return stored_.has_value(); }
  // The stored bytes (empty when the key is absent).
  const std::string& storedBytes() const;
  ValueKind kind() const { return kind_; }
  // Text to show in the editor: pretty JSON, the stored text, or empty for binary.
  QString displayText() const { return displayText_; }
  // A note about how the value is shown ("not strict JSON", "binary"), or empty.
  QString note() const { return note_; }
  // An error met reading the value (a damaged record), or empty.
  QString readError() const { return readError_; }

  // The text in the editor changed: validates it.
  void setText(const QString& text);
  QString text() const { return text_; }
  const JsonCheck& check() const { return check_; }
  bool isModified() const { return text_ != displayText_; }
  bool isEditable() const;
  bool canSave() const;
  // Saves the text through the controller. Returns an error message or empty.
  QString save();
  void revert();

 signals:
  void loaded();
  void validityChanged();

 private:
  EditController* controller_;
  std::optional<std::string> key_;
  std::optional<std::string> stored_;
  ValueKind kind_ = ValueKind::kJson;
  QString displayText_;
  QString note_;
  QString readError_;
  QString text_;
  JsonCheck check_;
};

}  // namespace bb
