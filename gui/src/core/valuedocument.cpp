#include "core/valuedocument.h"

#include <bitcask/error.h>

#include "core/editcontroller.h"

namespace bb {

namespace {
const std::string kEmpty;
}

ValueDocument::ValueDocument(EditController* controller, QObject* parent)
    : QObject(parent), controller_(controller) {}

const std::string& ValueDocument::storedBytes() const { return stored_ ? *stored_ : kEmpty; }

void ValueDocument::load(const std::optional<std::string>& key) {
  key_ = key;
  stored_.reset();
  readError_.clear();
  note_.clear();
  displayText_.clear();
  kind_ = ValueKind::kJson;
  Database* db = controller_->database();
  if (key_ && db) {
    try {
      stored_ = db->value(*key_);
    } catch (const bitcask::Error& e) {
      readError_ = QString::fromStdString(e.what());
    }
  }
  if (stored_) {
    kind_ = classifyValue(*stored_);
    switch (kind_) {
      case ValueKind::kJson:
        displayText_ = prettyJson(*stored_);
        break;
      case ValueKind::kNonStrictJson:
        displayText_ = QString::fromStdString(*stored_);
        note_ =
            tr("This value is not strict JSON: it holds NaN or Infinity, as the Python "
               "version writes them. It is shown as stored; to save a change, replace "
               "those numbers (for example with null).");
        break;
      case ValueKind::kText:
        displayText_ = QString::fromStdString(*stored_);
        note_ =
            tr("This value is text, not JSON. It is shown as stored; a change is saved "
               "only as valid JSON (a text in quotes, for example).");
        break;
      case ValueKind::kBinary:
        note_ = tr("This value is binary data (not UTF-8 text) and is shown in Hex.");
        break;
    }
  } else if (key_ && readError_.isEmpty()) {
    readError_ = tr("The key no longer exists.");
  }
  text_ = displayText_;
  check_ = checkJson(text_);
  emit loaded();
  emit validityChanged();
}

void ValueDocument::reload() { load(key_); }

void ValueDocument::setText(const QString& text) {
  if (text == text_) return;
  text_ = text;
  check_ = checkJson(text_);
  emit validityChanged();
}

bool ValueDocument::isEditable() const {
  return key_ && stored_ && controller_->canEdit() && kind_ != ValueKind::kBinary;
}

bool ValueDocument::canSave() const { return isEditable() && isModified() && check_.ok; }

QString ValueDocument::save() {
  if (!isEditable()) return tr("This value cannot be edited.");
  if (!check_.ok) {
    return tr("Line %1, column %2: %3").arg(check_.line).arg(check_.column).arg(check_.message);
  }
  const EditResult r = controller_->setValue(*key_, text_);
  if (!r) return r.error;
  reload();
  return {};
}

void ValueDocument::revert() {
  text_ = displayText_;
  check_ = checkJson(text_);
  emit loaded();
  emit validityChanged();
}

}  // namespace bb
