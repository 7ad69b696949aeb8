// The value being edited in the value editor, without widgets: which key,
// the stored bytes, how they are best shown, the text being typed and
// whether it may be saved. Saving goes through EditController, so it is
// validated, undoable and refused on read-only databases.
//
// Loading never holds the GUI thread for long: small values are read at once;
// larger ones are read, classified and pretty-printed by a worker (state
// kLoading) whose result is dropped when another key is asked for meanwhile.
// Values over kLargeValueBytes are not read at all until the user chooses
// (state kChoice): the first kPartialValueBytes (kPartial: read-only, never
// saved back), all of it (up to kMaxLoadAllBytes, no line over kMaxEditorLineChars), or a
// copy in a file.
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
  enum class State {
    kEmpty,    // no key, or it is absent or unreadable (see readError)
    kLoading,  // a worker is reading it
    kChoice,   // larger than kLargeValueBytes: waiting for the user to choose
    kLoaded,   // all of it
    kPartial,  // its first kPartialValueBytes, read-only
  };

  explicit ValueDocument(EditController* controller, QObject* parent = nullptr);
  ~ValueDocument() override;

  // Loads `key` from the controller's database (nothing: empties the document).
  void load(const std::optional<std::string>& key);
  // Reloads the current key from the database (after an undo, say), the way it was shown.
  void reload();
  // For a large value (kChoice or kPartial): reads all of it, or its first part.
  void loadAll();
  void loadFirstPart();
  // Stops a load in progress; a large value returns to kChoice.
  void cancelLoading();
  // Drops a loaded or partial large value (its text not yet on screen, say): back to kChoice.
  void unload();
  // Writes the whole stored value to `path` off the GUI thread; savedToFile tells the end.
  void saveToFile(const QString& path);
  bool isSavingToFile() const { return savingToFile_ > 0; }

  State state() const { return state_; }
  bool isLoading() const { return state_ == State::kLoading; }
  bool isPartial() const { return state_ == State::kPartial; }
  // The value's size as the index gives it (stored size), once a key is loaded.
  quint64 valueSize() const { return size_; }
  // Whether "Load all" is offered for this value, and why not when it is not.
  bool canLoadAll() const;
  QString loadAllRefusal() const;

  bool hasKey() const { return key_.has_value(); }
  const std::string& key() const { return *key_; }
  bool exists() const { return stored_.has_value(); }
  // The stored bytes (empty when the key is absent; the first part when partial).
  const std::string& storedBytes() const;
  ValueKind kind() const { return kind_; }
  // Text to show in the editor: pretty JSON, the stored text, or empty for binary.
  QString displayText() const { return displayText_; }
  // The bytes as a hex dump (bounded).
  QString hexText() const { return hexText_; }
  // The same dump with `bytesPerRow` bytes a row (hexText() has 16), for a narrow pane. Built
  // here, on the calling thread: it covers the same bounded first part of the value.
  QString hexText(int bytesPerRow) const;
  // A note about how the value is shown ("not strict JSON", "binary", "partial"), or empty.
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

  // What a worker makes of a value (public for the worker function).
  struct Loaded;

 signals:
  // The state or the shown value changed.
  void loaded();
  void validityChanged();
  // A saveToFile ended: `error` is empty on success.
  void savedToFile(const QString& path, const QString& error);

 private:
  enum class Mode { kAuto, kAll, kFirstPart };
  void start(Mode mode);
  void install(Loaded&& value);
  void clearValue();
  void finish();

  EditController* controller_;
  std::optional<std::string> key_;
  std::optional<std::string> stored_;
  State state_ = State::kEmpty;
  Mode mode_ = Mode::kAuto;
  quint64 size_ = 0;
  qint64 longestLine_ = 0;  // of a text refused for a line too long to edit, else 0
  quint64 generation_ = 0;  // of the load in progress; results of older ones are dropped
  int savingToFile_ = 0;
  ValueKind kind_ = ValueKind::kJson;
  QString displayText_;
  QString hexText_;
  QString note_;
  QString readError_;
  QString text_;
  JsonCheck check_;
};

}  // namespace bb
