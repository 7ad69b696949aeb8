#pragma once

#include <QFuture>
#include <QFutureWatcher>
#include <utility>

namespace bb {

// A QFutureWatcher that knows whether the end of the task it started has been handled.
//
// QFutureWatcher::isRunning() turns false the moment the worker returns, while its `finished`
// signal still waits in the GUI thread's event queue: a page asking "am I busy?" in between
// would enable its buttons and accept a second task whose future replaces the first before its
// result is read. And dropping a finished future (setFuture with an empty one, so it stops
// holding what the result references) reports `finished` a second time. So a task counts as
// busy from start() until its `finished` handler calls acknowledgeFinished(), which says yes
// exactly once per start().
template <typename T>
class TaskWatcher : public QFutureWatcher<T> {
 public:
  using QFutureWatcher<T>::QFutureWatcher;

  void start(QFuture<T> future) {
    busy_ = true;
    this->setFuture(std::move(future));
  }

  bool isBusy() const { return busy_; }

  // The first thing a `finished` handler calls: false means this `finished` is not the end of
  // a task this watcher started, and the handler returns.
  bool acknowledgeFinished() { return std::exchange(busy_, false); }

  // Stops holding the finished future (and whatever its result references).
  void release() { this->setFuture(QFuture<T>()); }

  // Cancels the task, waits for it, and drops its end unhandled: for a result that no longer
  // applies, such as one about a database that is being closed.
  void abandon() {
    this->cancel();
    this->waitForFinished();
    busy_ = false;
    release();
  }

 private:
  bool busy_ = false;
};

}  // namespace bb
