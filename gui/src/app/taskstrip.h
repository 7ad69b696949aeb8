// A one-line progress strip for a background task that must not block the
// window (Verify, Merge): what it is doing, a progress bar and Cancel. Unlike
// TaskProgressDialog it is not modal, so reads and edits go on meanwhile.
#pragma once

#include <QFutureWatcherBase>
#include <QPointer>
#include <QWidget>

class QLabel;
class QProgressBar;
class QToolButton;

namespace bb {

class TaskStrip : public QWidget {
  Q_OBJECT

 public:
  explicit TaskStrip(QWidget* parent = nullptr);

  // Shows `label` and follows `watcher` (not owned) until it finishes.
  void follow(const QString& label, QFutureWatcherBase* watcher);
  QToolButton* cancelButton() const { return cancel_; }

 private:
  QLabel* label_;
  QProgressBar* bar_;
  QToolButton* cancel_;
  QPointer<QFutureWatcherBase> watcher_;
  QList<QMetaObject::Connection> connections_;
};

}  // namespace bb
