#include "core/valuedocument.h"

#include <bitcask/error.h>

#include <QFutureWatcher>
#include <QSaveFile>
#include <QtConcurrent>
#include <algorithm>

#include "core/editcontroller.h"
#include "core/taskpool.h"
#include "core/valueread.h"

namespace bb {

// Values up to this size are read and formatted on the GUI thread at once (a few milliseconds),
// so a click on an ordinary key shows it without a "Loading…" flash.
constexpr quint64 kSyncLoadBytes = 256 << 10;

// The Hex view shows this much of a value (4,096 lines; it says how many bytes it leaves out).
constexpr std::size_t kHexBytes = 64 << 10;

struct ValueDocument::Loaded {
  quint64 generation = 0;
  std::optional<std::string> stored;
  QString readError;
  ValueKind kind = ValueKind::kJson;
  QString displayText;
  QString hexText;
  QString note;
  JsonCheck check;
  quint64 size = 0;        // of the whole value
  qint64 longestLine = 0;  // characters, of the text shown (set when refused for it)
  bool tooLarge = false;   // larger (once read) than the load allows, or a line too long
  bool partial = false;
};

namespace {

const std::string kEmpty;

std::optional<bitcask::KeyEntry> entryOf(const bitcask::DB& db, const std::string& key) {
  bitcask::ScanOptions o;
  o.start = key;
  o.limit = 1;
  auto page = db.scan(o);
  if (page.empty() || page.front().key != key) return std::nullopt;
  return std::move(page.front());
}

// Classifies and formats what was read (any thread).
void describe(ValueDocument::Loaded& v) {
  if (!v.stored) return;
  const std::string& bytes = *v.stored;
  v.kind = classifyValue(bytes);
  v.hexText = hexDump(bytes, kHexBytes);
  if (v.partial) {
    // A cut JSON text is no JSON: no parser pretty-prints it, and it is never saved back.
    // Indented here all the same: compact JSON is one line, which an editor lays out whole.
    bool json = false;
    if (v.kind != ValueKind::kBinary) {
      const auto first = bytes.find_first_not_of(" \t\r\n");
      json = first != std::string::npos && (bytes[first] == '{' || bytes[first] == '[');
      const std::string shown = json ? indentJsonPrefix(bytes) : bytes;
      v.kind = ValueKind::kText;
      v.displayText = QString::fromUtf8(shown.data(), qsizetype(shown.size()));
    }
    v.note = (json ? ValueDocument::tr("Partial view: the first %1 of %2, indented for reading. "
                                       "Read-only: a part is never saved back.")
                   : ValueDocument::tr("Partial view: the first %1 of %2, as stored. Read-only: "
                                       "a part is never saved back."))
                 .arg(formatBytes(bytes.size()), formatBytes(v.size));
    return;
  }
  switch (v.kind) {
    case ValueKind::kJson:
      v.displayText = prettyJson(bytes);
      break;
    case ValueKind::kNonStrictJson:
      v.displayText = QString::fromStdString(bytes);
      v.note = ValueDocument::tr(
          "This value is not strict JSON: it holds NaN or Infinity, as the Python "
          "version writes them. It is shown as stored; to save a change, replace "
          "those numbers (for example with null).");
      break;
    case ValueKind::kText:
      v.displayText = QString::fromStdString(bytes);
      v.note = ValueDocument::tr(
          "This value is text, not JSON. It is shown as stored; a change is saved "
          "only as valid JSON (a text in quotes, for example).");
      break;
    case ValueKind::kBinary:
      v.note = ValueDocument::tr("This value is binary data (not UTF-8 text) and is shown in Hex.");
      break;
  }
  v.check = checkJson(v.displayText);
}

// Reads `key` (or its first part) and formats it. Run by a worker for all but small values.
ValueDocument::Loaded readValue(DbPtr db, std::string key, bool firstPart, bool autoMode,
                                quint64 generation) {
  ValueDocument::Loaded v;
  v.generation = generation;
  try {
    if (firstPart) {
      v.partial = true;
      const auto entry = entryOf(*db, key);
      if (entry) {
        v.size = entry->value_size;
        v.stored = readValuePrefix(*db, *entry, kPartialValueBytes);
        if (!v.stored) {
          // No prefix read for this record: read it whole here, keep only the part.
          auto whole = db->get(key);
          if (whole) {
            v.size = whole->size();
            v.stored = utf8Prefix(std::move(*whole), kPartialValueBytes);
          }
        }
      }
    } else {
      v.stored = db->get(key);
      if (v.stored) v.size = v.stored->size();
      // A compressed value's stored size (what the index gives) can be far below its size.
      if (v.size > (autoMode ? kLargeValueBytes : kMaxLoadAllBytes)) {
        v.tooLarge = true;
        v.stored.reset();
        return v;
      }
    }
  } catch (const bitcask::Error& e) {
    v.stored.reset();
    v.readError = QString::fromStdString(e.what());
  }
  describe(v);
  if (!firstPart && !autoMode && v.stored) {
    qint64 longest = 0;
    for (qsizetype at = 0; at < v.displayText.size();) {
      qsizetype end = v.displayText.indexOf(QLatin1Char('\n'), at);
      if (end < 0) end = v.displayText.size();
      longest = std::max<qint64>(longest, end - at);
      at = end + 1;
    }
    if (longest > kMaxEditorLineChars) {
      ValueDocument::Loaded refused;
      refused.generation = v.generation;
      refused.size = v.size;
      refused.longestLine = longest;
      refused.tooLarge = true;
      v = std::move(refused);
    }
  }
  return v;
}

QString writeValueToFile(DbPtr db, std::string key, QString path) {
  try {
    const auto value = db->get(key);
    if (!value) return ValueDocument::tr("The key no longer exists.");
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return file.errorString();
    if (file.write(value->data(), qint64(value->size())) != qint64(value->size()) ||
        !file.commit()) {
      return file.errorString();
    }
    return {};
  } catch (const bitcask::Error& e) {
    return QString::fromStdString(e.what());
  }
}

}  // namespace

ValueDocument::ValueDocument(EditController* controller, QObject* parent)
    : QObject(parent), controller_(controller) {}

ValueDocument::~ValueDocument() = default;

const std::string& ValueDocument::storedBytes() const { return stored_ ? *stored_ : kEmpty; }

bool ValueDocument::canLoadAll() const { return loadAllRefusal().isEmpty(); }

QString ValueDocument::loadAllRefusal() const {
  if (longestLine_ > 0) {
    return tr("Its text has a line of %L1 characters, too long for the editor.").arg(longestLine_);
  }
  if (size_ > kMaxLoadAllBytes) {
    return tr("It is too large to edit here (more than %1).").arg(formatBytes(kMaxLoadAllBytes));
  }
  return {};
}

void ValueDocument::load(const std::optional<std::string>& key) {
  key_ = key;
  longestLine_ = 0;
  start(Mode::kAuto);
}

void ValueDocument::reload() { start(mode_); }

void ValueDocument::loadAll() {
  if (key_) start(Mode::kAll);
}

void ValueDocument::loadFirstPart() {
  if (key_) start(Mode::kFirstPart);
}

void ValueDocument::cancelLoading() {
  if (state_ != State::kLoading) return;
  ++generation_;  // the worker's result, when it comes, is dropped
  mode_ = Mode::kAuto;
  if (size_ > kLargeValueBytes) {
    state_ = State::kChoice;
  } else {
    state_ = State::kEmpty;
    readError_ = tr("Loading was cancelled.");
  }
  finish();
}

void ValueDocument::unload() {
  if (size_ <= kLargeValueBytes || isModified()) return;
  ++generation_;
  mode_ = Mode::kAuto;
  const quint64 size = size_;
  clearValue();
  size_ = size;
  state_ = State::kChoice;
  finish();
}

void ValueDocument::clearValue() {
  stored_.reset();
  readError_.clear();
  note_.clear();
  displayText_.clear();
  hexText_.clear();
  kind_ = ValueKind::kJson;
  size_ = 0;
}

void ValueDocument::start(Mode mode) {
  ++generation_;
  mode_ = mode;
  clearValue();
  Database* db = controller_->database();
  if (!key_ || !db) {
    state_ = State::kEmpty;
    finish();
    return;
  }
  std::optional<bitcask::KeyEntry> entry;
  try {
    entry = db->entry(*key_);
  } catch (const bitcask::Error& e) {
    readError_ = QString::fromStdString(e.what());
  }
  if (!entry) {
    if (readError_.isEmpty()) readError_ = tr("The key no longer exists.");
    state_ = State::kEmpty;
    finish();
    return;
  }
  size_ = entry->value_size;
  if ((mode == Mode::kAuto && size_ > kLargeValueBytes) || (mode == Mode::kAll && !canLoadAll())) {
    state_ = State::kChoice;
    finish();
    return;
  }
  // A compressed value's stored size says little about its size: read those by a worker.
  if (mode == Mode::kAuto && size_ <= kSyncLoadBytes && !entry->compressed) {
    install(readValue(db->handle(), *key_, false, true, generation_));
    return;
  }
  state_ = State::kLoading;
  finish();
  auto* watcher = new QFutureWatcher<Loaded>(this);
  connect(watcher, &QFutureWatcher<Loaded>::finished, this, [this, watcher] {
    watcher->deleteLater();
    if (watcher->future().resultCount() == 0) return;
    Loaded v = watcher->future().takeResult();
    if (v.generation == generation_) install(std::move(v));
  });
  watcher->setFuture(QtConcurrent::run(taskPool(), readValue, db->handle(), *key_,
                                       mode == Mode::kFirstPart, mode == Mode::kAuto, generation_));
}

void ValueDocument::install(Loaded&& v) {
  if (v.tooLarge) {
    size_ = v.size;
    longestLine_ = v.longestLine;
    mode_ = Mode::kAuto;  // a reload asks again
    state_ = State::kChoice;
    finish();
    return;
  }
  stored_ = std::move(v.stored);
  readError_ = v.readError;
  kind_ = v.kind;
  displayText_ = std::move(v.displayText);
  hexText_ = std::move(v.hexText);
  note_ = v.note;
  if (v.size) size_ = v.size;
  if (!stored_ && readError_.isEmpty()) readError_ = tr("The key no longer exists.");
  state_ = !stored_ ? State::kEmpty : v.partial ? State::kPartial : State::kLoaded;
  text_ = displayText_;
  check_ = std::move(v.check);
  emit loaded();
  emit validityChanged();
}

void ValueDocument::finish() {
  text_ = displayText_;
  check_ = checkJson(text_);
  emit loaded();
  emit validityChanged();
}

QString ValueDocument::hexText(int bytesPerRow) const {
  if (bytesPerRow == 16 || storedBytes().empty()) return hexText_;
  return hexDump(storedBytes(), kHexBytes, bytesPerRow);
}

void ValueDocument::saveToFile(const QString& path) {
  Database* db = controller_->database();
  if (!key_ || !db) return;
  ++savingToFile_;
  auto* watcher = new QFutureWatcher<QString>(this);
  connect(watcher, &QFutureWatcher<QString>::finished, this, [this, watcher, path] {
    watcher->deleteLater();
    --savingToFile_;
    emit savedToFile(path, watcher->future().resultCount() ? watcher->result() : tr("Cancelled."));
  });
  watcher->setFuture(QtConcurrent::run(taskPool(), writeValueToFile, db->handle(), *key_, path));
}

void ValueDocument::setText(const QString& text) {
  if (text == text_) return;
  text_ = text;
  check_ = checkJson(text_);
  emit validityChanged();
}

bool ValueDocument::isEditable() const {
  return key_ && stored_ && state_ == State::kLoaded && controller_->canEdit() &&
         kind_ != ValueKind::kBinary;
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
