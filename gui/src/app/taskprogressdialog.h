// A progress dialog for a background task (QFuture): shows its progress
// (0..1000, or busy when it reports none), and Cancel cancels the future.
#pragma once

#include <QFutureWatcherBase>
#include <QProgressDialog>

namespace bb {

class TaskProgressDialog : public QProgressDialog {
  Q_OBJECT

 public:
  // Follows `watcher` (not owned); closes itself when the task finishes.
  TaskProgressDialog(const QString& label, QFutureWatcherBase* watcher, QWidget* parent);
};

}  // namespace bb
