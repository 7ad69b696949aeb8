#include "core/taskpool.h"

#include <QThread>
#include <QThreadPool>
#include <algorithm>

namespace bb {

QThreadPool* taskPool() {
  static QThreadPool* pool = [] {
    auto* p = new QThreadPool;  // never deleted: tasks may still end while the program exits
    // Tasks wait on the disk as much as on a core, and one running for seconds (an open)
    // must not keep a short one (a value read) waiting: more threads than cores.
    p->setMaxThreadCount(std::max(4, QThread::idealThreadCount()));
    return p;
  }();
  return pool;
}

}  // namespace bb
