#include "app/matchactions.h"

#include <bitcask/error.h>

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>
#include <QWidget>
#include <QtConcurrent>

#include "app/taskprogressdialog.h"
#include "core/database.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/taskpool.h"
#include "core/valueformat.h"

namespace bb {

MatchActions::MatchActions(EditController* controller, KeyTableModel* model, QWidget* window)
    : QObject(window),
      controller_(controller),
      model_(model),
      window_(window),
      running_(std::make_shared<MatchSetOutcome>()),
      last_(std::make_shared<MatchSetOutcome>()) {
  deleteAll_ = new QAction(tr("Dele&te All Matches…"), this);
  deleteAll_->setObjectName(QStringLiteral("actionDeleteAllMatches"));
  deleteAll_->setToolTip(
      tr("Delete every key the filter matches, in the background, as one undo step"));
  exportAll_ = new QAction(tr("&Export All Matches…"), this);
  exportAll_->setObjectName(QStringLiteral("actionExportAllMatches"));
  copyAll_ = new QAction(tr("Copy All &Matching Keys"), this);
  copyAll_->setObjectName(QStringLiteral("actionCopyAllMatchingKeys"));
  copyValue_ = new QAction(tr("Copy &Value"), this);
  copyValue_->setObjectName(QStringLiteral("actionCopyValue"));
  copyValue_->setShortcut(QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_C));
  copyValue_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  copyValue_->setToolTip(tr("Copy the selected key's value as text (hex when it is binary)"));
  copyJson_ = new QAction(tr("Copy as &JSON Line"), this);
  copyJson_->setObjectName(QStringLiteral("actionCopyJsonLine"));
  copyJson_->setToolTip(tr("Copy the selected keys as the lines `bitcask export` writes"));
  exportSelected_ = new QAction(tr("Export Se&lected Key…"), this);
  exportSelected_->setObjectName(QStringLiteral("actionExportSelected"));
  connect(copyValue_, &QAction::triggered, this, [this] { copyValue(); });
  connect(copyJson_, &QAction::triggered, this, [this] { copyJsonLines(); });
  connect(exportSelected_, &QAction::triggered, this, [this] { exportSelected(); });
  connect(deleteAll_, &QAction::triggered, this, [this] { deleteAll(); });
  connect(exportAll_, &QAction::triggered, this, [this] { exportAll(); });
  connect(copyAll_, &QAction::triggered, this, &MatchActions::copyAll);

  connect(&findWatcher_, &QFutureWatcher<FilterResult>::finished, this, [this] {
    if (!findWatcher_.acknowledgeFinished()) return;
    auto then = std::exchange(findThen_, {});
    if (findWatcher_.isCanceled() || findWatcher_.future().resultCount() == 0) {
      findWatcher_.release();
      emit statusMessage(tr("Cancelled."), 5000);
      update();
      emit finished();
      return;
    }
    MatchList matches = findWatcher_.result().matches;
    findWatcher_.release();
    update();
    if (then) then(std::move(matches));
  });
  connect(&taskWatcher_, &QFutureWatcher<void>::finished, this, [this] {
    if (!taskWatcher_.acknowledgeFinished()) return;
    taskWatcher_.release();
    auto done = std::exchange(taskDone_, {});
    last_ = std::exchange(running_, std::make_shared<MatchSetOutcome>());
    // The task saw the cancel only between batches, or not at all when it had just ended.
    if (done) done(*last_);
    update();
    emit finished();
  });
  update();
}

MatchActions::~MatchActions() { abandon(); }

bool MatchActions::isBusy() const { return findWatcher_.isBusy() || taskWatcher_.isBusy(); }

void MatchActions::abandon() {
  findWatcher_.abandon();
  findThen_ = {};
  taskWatcher_.abandon();
  taskDone_ = {};
}

void MatchActions::cancel() {
  findWatcher_.cancel();
  taskWatcher_.cancel();
}

void MatchActions::update() {
  const bool on = controller_->database() && model_->isFiltered() && !isBusy();
  const quint64 n = on ? model_->matchCount() : 0;
  deleteAll_->setEnabled(on && n > 0 && controller_->canEdit());
  exportAll_->setEnabled(on && n > 0);
  copyAll_->setEnabled(on && n > 0);
  if (on && n > 0) {
    deleteAll_->setText(
        formatCountOf(n, tr("Dele&te the 1 Match…"), tr("Dele&te All %L1 Matches…")));
    exportAll_->setText(
        formatCountOf(n, tr("&Export the 1 Match…"), tr("&Export All %L1 Matches…")));
    copyAll_->setText(
        formatCountOf(n, tr("Copy the 1 &Matching Key"), tr("Copy All %L1 &Matching Keys")));
  } else {
    deleteAll_->setText(tr("Dele&te All Matches…"));
    exportAll_->setText(tr("&Export All Matches…"));
    copyAll_->setText(tr("Copy All &Matching Keys"));
  }
  const bool open = controller_->database() && !isBusy();
  // A count, not the keys: Ctrl+A on 10,000,000 rows must not gather them here.
  const quint64 selected = open ? selectedCount() : 0;
  copyValue_->setEnabled(selected > 0);
  copyJson_->setEnabled(selected > 0);
  exportSelected_->setEnabled(selected > 0);
  copyValue_->setText(selected > 1 ? tr("Copy %L1 &Values").arg(selected) : tr("Copy &Value"));
  copyJson_->setText(selected > 1 ? tr("Copy %L1 as &JSON Lines").arg(selected)
                                  : tr("Copy as &JSON Line"));
  exportSelected_->setText(selected > 1 ? tr("Export %L1 Se&lected Keys…").arg(selected)
                                        : tr("Export Se&lected Key…"));
}

quint64 MatchActions::selectedCount() const { return selection_.count ? selection_.count() : 0; }

bool MatchActions::wholeListingSelected() const {
  return selection_.wholeListing && selection_.wholeListing();
}

std::vector<std::string> MatchActions::selection() const {
  return selection_.keys ? selection_.keys() : std::vector<std::string>{};
}

bool MatchActions::refuseSelection(quint64 count, const QString& title) {
  if (count <= kMaxSelectedKeys) return false;
  auto* box =
      new QMessageBox(QMessageBox::Information, title,
                      tr("%L1 keys are selected: too many to act on one by one.").arg(count),
                      QMessageBox::Ok, window_);
  box->setObjectName(QStringLiteral("selectionTooLargeBox"));
  box->setInformativeText(
      tr("Select every row (Ctrl+A) to act on all %L1 listed keys in the background, or narrow "
         "the list with a filter and select all of it. Up to %L2 selected keys are handled "
         "directly.")
          .arg(model_->matchCount())
          .arg(kMaxSelectedKeys));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->open();
  emit statusMessage(tr("%L1 keys selected: too many to act on one by one.").arg(count), 8000);
  return true;
}

QString MatchActions::scopeText() const {
  return model_->isFiltered() ? tr("matching %1").arg(filterText()) : tr("in the database");
}

QString MatchActions::filterText() const {
  const KeyFilter& f = model_->filter();
  QString text = QStringLiteral("“%1”").arg(f.text);
  switch (f.mode) {
    case KeyFilter::Mode::kPrefix:
      return tr("the prefix %1").arg(text);
    case KeyFilter::Mode::kSubstring:
      return tr("%1").arg(text);
    case KeyFilter::Mode::kRegex:
      return tr("the pattern %1").arg(text);
  }
  return text;
}

void MatchActions::withMatches(const QString& what, std::function<void(MatchList)> then) {
  Database* db = controller_->database();
  if (!db) return;
  if (model_->isComplete()) {
    // The table already holds every match (a scan's list, or a prefix view scrolled to its end).
    then(model_->sharedEntries());
    return;
  }
  findThen_ = std::move(then);
  findWatcher_.start(QtConcurrent::run(taskPool(), runFilterScan, db->handle(), model_->filter()));
  auto* progress = new TaskProgressDialog(what, &findWatcher_, window_);
  progress->setWindowTitle(tr("Bitcask Browser"));
  update();
}

void MatchActions::run(const QString& label, QFuture<void> future,
                       std::function<void(const MatchSetOutcome&)> done) {
  taskDone_ = std::move(done);
  taskWatcher_.start(std::move(future));
  auto* progress = new TaskProgressDialog(label, &taskWatcher_, window_);
  progress->setObjectName(QStringLiteral("matchTaskProgress"));
  progress->setWindowTitle(tr("Bitcask Browser"));
  update();
}

void MatchActions::deleteAll(bool askFirst) {
  if (!model_->isFiltered()) return;
  deleteMatches(askFirst);
}

void MatchActions::deleteListing(bool askFirst) { deleteMatches(askFirst); }

void MatchActions::deleteMatches(bool askFirst) {
  if (!controller_->canEdit() || isBusy()) return;
  const QString filter = scopeText();
  const bool filtered = model_->isFiltered();
  withMatches(tr("Finding every key %1…").arg(filter), [=, this](MatchList matches) {
    Database* db = controller_->database();
    if (!db) return;
    if (matches->empty()) {
      emit statusMessage(tr("No keys %1.").arg(filter), 5000);
      emit finished();
      return;
    }
    const quint64 n = matches->size();
    const quint64 bytes = valueBytesOf(*matches);
    // Undo holds every deleted value in memory: past kMaxUndoBytes it is not offered.
    const bool keep = bytes <= kMaxUndoBytes;
    if (askFirst) {
      QString text =
          formatCountOf(n, tr("Delete the 1 key %2?"), tr("Delete all %L1 keys %2?")).arg(filter);
      QString info;
      if (!filtered) info = tr("This empties the database.") + QStringLiteral("\n\n");
      info += keep ? tr("Undo (Ctrl+Z) brings them all back in one step; until then it keeps "
                        "their values in memory (%1).")
                         .arg(formatBytes(bytes))
                   : tr("This cannot be undone: their values (%1) are more than the %2 undo "
                        "keeps in memory. Export the matches first to keep a copy.")
                         .arg(formatBytes(bytes), formatBytes(kMaxUndoBytes));
      QMessageBox box(QMessageBox::Warning, tr("Delete All Matches"), text, QMessageBox::Cancel,
                      window_);
      box.setObjectName(QStringLiteral("deleteAllMatchesBox"));
      box.setInformativeText(info);
      QPushButton* yes =
          box.addButton(formatCountOf(n, tr("&Delete 1 Key"), tr("&Delete %L1 Keys")),
                        QMessageBox::DestructiveRole);
      box.setDefaultButton(QMessageBox::Cancel);
      box.exec();
      if (box.clickedButton() != yes) {
        emit finished();
        return;
      }
    }
    run(tr("Deleting %L1 keys %2…").arg(n).arg(filter),
        QtConcurrent::run(taskPool(), deleteMatchesTask, db->handle(), matches, keep, running_,
                          batchGate_),
        [=, this](const MatchSetOutcome& out) {
          Database* db = controller_->database();
          if (!db) return;
          QList<QByteArray> removed;
          removed.reserve(qsizetype(out.deleted.size()));
          for (const auto& c : out.deleted) removed << QByteArray::fromStdString(c.key);
          if (!removed.isEmpty()) db->notifyChanged({}, removed);
          if (keep) {
            // One undo step for the whole set, however many batches wrote it.
            const QString text = tr("Delete %L1 keys %2").arg(out.deleted.size()).arg(filter);
            controller_->recordApplied(text, std::move(last_->deleted));
          } else if (!removed.isEmpty()) {
            // Earlier steps may refer to keys this removed without a way back.
            controller_->undoStack()->clear();
          }
          QString message =
              out.cancelled
                  ? tr("Cancelled: deleted %L1 of %L2 keys; the others are still there.")
                        .arg(out.done)
                        .arg(out.total)
                  : formatCountOf(out.done, tr("Deleted 1 key."), tr("Deleted %L1 keys."));
          if (keep && out.done > 0) message += QLatin1Char(' ') + tr("Undo brings them back.");
          if (out.missing > 0) {
            message += QLatin1Char(' ') + tr("%L1 had been deleted already.").arg(out.missing);
          }
          if (!out.unreadable.isEmpty()) {
            message += QLatin1Char(' ') + tr("%L1 damaged keys were left: their values could not "
                                             "be read to keep for undo.")
                                              .arg(out.unreadable.size());
          }
          if (!out.error.isEmpty()) {
            QMessageBox::warning(window_, tr("Delete All Matches"),
                                 tr("Stopped after deleting %L1 of %L2 keys: %3")
                                     .arg(out.done)
                                     .arg(out.total)
                                     .arg(out.error));
          }
          emit statusMessage(message, out.cancelled ? 0 : 8000);
        });
  });
}

void MatchActions::exportAll(const QString& file) {
  if (!model_->isFiltered()) return;
  exportMatches(file, tr("Export All Matches"));
}

void MatchActions::exportListing(const QString& file) {
  exportMatches(file, tr("Export Selected Keys"));
}

void MatchActions::exportMatches(const QString& chosen, const QString& title) {
  Database* db = controller_->database();
  if (!db || isBusy()) return;
  QString file = chosen;
  if (file.isEmpty()) {
    file = QFileDialog::getSaveFileName(
        window_, title,
        QDir::homePath() + QLatin1Char('/') + db->displayName() + QStringLiteral("-matches.jsonl"),
        tr("JSON lines (*.jsonl)"));
    if (file.isEmpty()) return;
  }
  const QString filter = scopeText();
  withMatches(tr("Finding every key %1…").arg(filter), [=, this](MatchList matches) {
    Database* db = controller_->database();
    if (!db) return;
    run(tr("Exporting %L1 keys to %2…").arg(matches->size()).arg(QFileInfo(file).fileName()),
        QtConcurrent::run(taskPool(), exportMatchesTask, db->handle(), matches, file, running_),
        [=, this](const MatchSetOutcome& out) {
          if (!out.error.isEmpty()) {
            QMessageBox::warning(window_, title, out.error);
            return;
          }
          if (out.cancelled) {
            emit statusMessage(tr("Export cancelled; %1 was not written.").arg(file), 8000);
            return;
          }
          QString message = tr("%1 %2 exported to %3.").arg(formatKeyCount(out.done), filter, file);
          if (!out.unreadable.isEmpty()) {
            message += QLatin1Char(' ') + tr("%L1 damaged keys were left out: %2")
                                              .arg(out.unreadable.size())
                                              .arg(out.unreadable.join(QStringLiteral(", ")));
          }
          emit statusMessage(message, 8000);
        });
  });
}

void MatchActions::copyAll() {
  if (!model_->isFiltered()) return;
  copyMatches();
}

void MatchActions::copyListing() { copyMatches(); }

void MatchActions::copyMatches() {
  Database* db = controller_->database();
  if (!db || isBusy()) return;
  const QString filter = scopeText();
  withMatches(tr("Finding every key %1…").arg(filter), [=, this](MatchList matches) {
    run(tr("Copying %L1 keys…").arg(matches->size()),
        QtConcurrent::run(taskPool(), copyMatchesTask, matches, running_),
        [=, this](const MatchSetOutcome& out) {
          if (out.cancelled) return;
          QApplication::clipboard()->setText(out.text);
          emit statusMessage(formatCountOf(out.done, tr("Copied 1 key."), tr("Copied %L1 keys.")),
                             5000);
        });
  });
}

namespace {

MatchList entriesOf(const std::vector<std::string>& keys) {
  auto list = std::make_shared<std::vector<bitcask::KeyEntry>>();
  list->reserve(keys.size());
  for (const auto& k : keys) {
    bitcask::KeyEntry e;
    e.key = k;
    list->push_back(std::move(e));
  }
  return list;
}

}  // namespace

void MatchActions::copyValue(bool askFirst) { copyValues(CopyForm::kValue, askFirst); }

void MatchActions::copyJsonLines(bool askFirst) { copyValues(CopyForm::kJsonLines, askFirst); }

void MatchActions::copyValues(CopyForm form, bool askFirst) {
  Database* db = controller_->database();
  if (!db || isBusy()) return;
  if (wholeListingSelected()) {
    // Every row: the listing's entries carry their sizes; none is gathered here.
    withMatches(tr("Finding every key %1…").arg(scopeText()), [=, this](MatchList matches) {
      copyValuesOf(matches, valueBytesOf(*matches), form, askFirst);
    });
    return;
  }
  if (refuseSelection(selectedCount(), tr("Copy"))) return;
  const auto keys = selection();
  if (keys.empty()) return;
  // What the index says the values take (as stored): enough to warn before a huge copy.
  quint64 bytes = 0;
  for (const auto& k : keys) {
    try {
      if (auto e = db->entry(k)) bytes += e->value_size;
    } catch (const bitcask::Error&) {
      // The copy itself reports what it cannot read.
    }
  }
  copyValuesOf(entriesOf(keys), bytes, form, askFirst);
}

void MatchActions::copyValuesOf(MatchList keys, quint64 bytes, CopyForm form, bool askFirst) {
  Database* db = controller_->database();
  if (!db || keys->empty()) return;
  if (askFirst && bytes > kClipboardAskBytes) {
    const auto answer = QMessageBox::question(
        window_, tr("Copy"),
        tr("The selected values take %1. Put all of it on the clipboard?").arg(formatBytes(bytes)),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes) {
      emit finished();
      return;
    }
  }
  const quint64 n = keys->size();
  run(formatCountOf(n, tr("Reading the value…"), tr("Reading %L1 values…")),
      QtConcurrent::run(taskPool(), copyValuesTask, db->handle(), std::move(keys), form, running_),
      [=, this](const MatchSetOutcome& out) {
        if (out.cancelled) return;
        if (!out.error.isEmpty()) {
          QMessageBox::warning(window_, tr("Copy"), out.error);
          return;
        }
        if (out.done == 0) {
          emit statusMessage(out.unreadable.isEmpty()
                                 ? tr("Nothing copied: the keys are gone.")
                                 : tr("Nothing copied: the value could not be read (damaged "
                                      "record)."),
                             8000);
          return;
        }
        QApplication::clipboard()->setText(out.text);
        QString message =
            form == CopyForm::kJsonLines
                ? formatCountOf(out.done, tr("Copied 1 JSON line."), tr("Copied %L1 JSON lines."))
                : formatCountOf(out.done, tr("Copied the value."), tr("Copied %L1 values."));
        if (out.binary) message += QLatin1Char(' ') + tr("Binary values went as hex.");
        if (!out.unreadable.isEmpty()) {
          message += QLatin1Char(' ') + tr("%L1 damaged keys were left out: %2")
                                            .arg(out.unreadable.size())
                                            .arg(out.unreadable.join(QStringLiteral(", ")));
        }
        emit statusMessage(message, 8000);
      });
}

void MatchActions::exportSelected(const QString& chosen) {
  Database* db = controller_->database();
  if (!db || isBusy()) return;
  if (wholeListingSelected()) {
    exportListing(chosen);
    return;
  }
  if (refuseSelection(selectedCount(), tr("Export Selected Keys"))) return;
  const auto keys = selection();
  if (keys.empty()) return;
  QString file = chosen;
  if (file.isEmpty()) {
    file = QFileDialog::getSaveFileName(
        window_, tr("Export Selected Keys"),
        QDir::homePath() + QLatin1Char('/') + db->displayName() + QStringLiteral("-selected.jsonl"),
        tr("JSON lines (*.jsonl)"));
    if (file.isEmpty()) return;
  }
  run(tr("Exporting %L1 keys to %2…").arg(keys.size()).arg(QFileInfo(file).fileName()),
      QtConcurrent::run(taskPool(), exportMatchesTask, db->handle(), entriesOf(keys), file,
                        running_),
      [=, this](const MatchSetOutcome& out) {
        if (!out.error.isEmpty()) {
          QMessageBox::warning(window_, tr("Export Selected Keys"), out.error);
          return;
        }
        if (out.cancelled) {
          emit statusMessage(tr("Export cancelled; %1 was not written.").arg(file), 8000);
          return;
        }
        QString message = tr("%1 exported to %2.").arg(formatKeyCount(out.done), file);
        if (!out.unreadable.isEmpty()) {
          message += QLatin1Char(' ') + tr("%L1 damaged keys were left out: %2")
                                            .arg(out.unreadable.size())
                                            .arg(out.unreadable.join(QStringLiteral(", ")));
        }
        emit statusMessage(message, 8000);
      });
}

}  // namespace bb
