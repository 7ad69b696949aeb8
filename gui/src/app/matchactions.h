// "Delete all N matches", "Export all matches" and "Copy all matching keys":
// the Edit actions that act on the whole match set of the current filter,
// not on the rows a view has loaded. Finds the set (the table's list when it
// holds every match, else runFilterScan), asks, and runs the matchset.h tasks
// with a progress dialog and cancel; a delete becomes one undo step.
#pragma once

#include <QObject>
#include <functional>

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
  QString filterText() const;

  EditController* controller_;
  KeyTableModel* model_;
  QWidget* window_;
  QAction* deleteAll_;
  QAction* exportAll_;
  QAction* copyAll_;
  TaskWatcher<FilterResult> findWatcher_;
  std::function<void(MatchList)> findThen_;
  TaskWatcher<void> taskWatcher_;
  std::function<void(const MatchSetOutcome&)> taskDone_;
  OutcomePtr running_;
  OutcomePtr last_;
  BatchGate batchGate_;
};

}  // namespace bb
