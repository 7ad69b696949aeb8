// The thread pool the browser's background tasks run in:
// QtConcurrent::run(taskPool(), ...), never the global pool.
//
// Qt paints through QThreadPool::globalInstance(): the raster engine splits a
// large fill among the global pool's threads and waits for them. A task of
// ours that holds a global thread for seconds (opening ten million keys,
// reading every key for the table) therefore held painting up as well: the
// GUI thread waited 0.3-0.7 s in QSemaphore::acquire under
// QRasterPaintEngine::drawLines (perf sched, bench/gui_scale.sh). With the
// tasks in a pool of their own, the global pool is free when Qt needs it.
#pragma once

class QThreadPool;

namespace bb {

QThreadPool* taskPool();

}  // namespace bb
