// The Edit actions on sets of keys. "Delete all N matches", "Export all
// matches" and "Copy all matching keys" act on the whole match set of the
// current filter: they find the set (the table's list when it holds every
// match, else runFilterScan off the GUI thread), ask, and run the matchset.h
// tasks with a progress dialog and cancel; a delete becomes one undo step.
// "Copy Value", "Copy as JSON Lines" and "Export Selected Keys" run the same
// tasks over the keys selected in the view. A selection of every row of the
// listing (Ctrl+A: up to millions of keys) is never gathered row by row on
// the GUI thread: it takes the match-set path (the *Listing functions). A
// partial selection of more than kMaxSelectedKeys rows is refused with a
// message saying how to act on that many keys.
#pragma once

#include <QObject>
#include <functional>
#include <string>
#include <vector>

#include "core/keyfilter.h"
#include "core/matchset.h"
#include "core/taskwatcher.h"

class QAction;
class QWidget;

namespace bb {

class EditController;
class KeyTableModel;

class MatchActions : public QObject {
  Q_OBJECT

 public:
  MatchActions(EditController* controller, KeyTableModel* model, QWidget* window);
  ~MatchActions() override;

  QAction* deleteAllAction() const { return deleteAll_; }
  QAction* exportAllAction() const { return exportAll_; }
  QAction* copyAllAction() const { return copyAll_; }
  QAction* copyValueAction() const { return copyValue_; }
  QAction* copyJsonAction() const { return copyJson_; }
  QAction* exportSelectedAction() const { return exportSelected_; }

  // Where the selection actions learn what is selected in the view.
  struct SelectionSource {
    std::function<quint64()> count;                  // rows (keys) selected
    std::function<bool()> wholeListing;              // every row of the listing is selected
    std::function<std::vector<std::string>()> keys;  // the selected keys, sorted
  };
  void setSelectionSource(SelectionSource source) { selection_ = std::move(source); }
  // Selections of more rows than this, short of the whole listing, are not gathered on the
  // GUI thread (10,000,000 keys would take seconds and gigabytes there).
  static constexpr quint64 kMaxSelectedKeys = 100'000;
  // Whether a selection of `count` rows (not the whole listing) is too large to act on; shows
  // the user why (a window-modal box named "selectionTooLargeBox") when it is.
  bool refuseSelection(quint64 count, const QString& title);

  // Enables the actions and puts the match count in their texts.
  void update();
  bool isBusy() const;
  // Stops a task before the database closes (its result no longer applies).
  void abandon();
  // Cancels the running find or task, as the progress dialog's Cancel does.
  void cancel();
  // The delete, export or copy task's watcher (for its progress).
  QFutureWatcherBase* taskWatcher() { return &taskWatcher_; }

  // The actions; tests pass `askFirst` false (no question) and a `file` (no file dialog).
  void deleteAll(bool askFirst = true);
  void exportAll(const QString& file = {});
  void copyAll();
  // The same over every key the table lists (the filter's matches, a prefix's keys, or every
  // key when nothing filters): what the selected-key actions do when every row is selected.
  void deleteListing(bool askFirst = true);
  void exportListing(const QString& file = {});
  void copyListing();
  // The selected keys' values (one key: its value), or their `bitcask export` lines; past
  // kClipboardAskBytes of values the user is asked first (unless `askFirst` is false).
  void copyValue(bool askFirst = true);
  void copyJsonLines(bool askFirst = true);
  void exportSelected(const QString& file = {});
  // Tests: asked after each batch of a delete (BatchGate).
  void setBatchGate(BatchGate gate) { batchGate_ = std::move(gate); }
  // The last delete's, export's or copy's outcome (after `finished`).
  const MatchSetOutcome& lastOutcome() const { return *last_; }

 signals:
  void statusMessage(const QString& text, int timeoutMs);
  // A task ended (delete, export, copy), cancelled or not.
  void finished();

 private:
  void withMatches(const QString& what, std::function<void(MatchList)> then);
  void run(const QString& label, QFuture<void> future,
           std::function<void(const MatchSetOutcome&)> done);
  void deleteMatches(bool askFirst);
  void exportMatches(const QString& file, const QString& title);
  void copyMatches();
  QString filterText() const;
  quint64 selectedCount() const;
  bool wholeListingSelected() const;
  std::vector<std::string> selection() const;
  void copyValues(CopyForm form, bool askFirst);
  void copyValuesOf(MatchList keys, quint64 bytes, CopyForm form, bool askFirst);
  QString scopeText() const;

  EditController* controller_;
  KeyTableModel* model_;
  QWidget* window_;
  QAction* deleteAll_;
  QAction* exportAll_;
  QAction* copyAll_;
  QAction* copyValue_;
  QAction* copyJson_;
  QAction* exportSelected_;
  SelectionSource selection_;
  TaskWatcher<FilterResult> findWatcher_;
  std::function<void(MatchList)> findThen_;
  TaskWatcher<void> taskWatcher_;
  std::function<void(const MatchSetOutcome&)> taskDone_;
  OutcomePtr running_;
  OutcomePtr last_;
  BatchGate batchGate_;
};

}  // namespace bb
