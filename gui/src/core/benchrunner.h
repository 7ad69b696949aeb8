// Runs a BenchWorkload in the background (QtConcurrent::run): each lane of its
// plan (BenchWorkload::steps) is a bench::Lane (bench/lane.h), the same
// measured operations bitcask-bench's peers suite runs, in a scratch
// QTemporaryDir that is removed afterwards.
//
// The task reports through its QPromise what the lanes' hooks tell: progress
// over the plan's operations, a BenchEvent per completed measurement and per
// throughput slice (~every 50 ms of a lane), and one per failed lane. Cancel
// stops the lane within a batch of 256 operations (or 1024 pairs of a scan);
// the operation under way is dropped, never reported as complete.
//
// The database open in the browser is only ever read (its own lane, when the
// workload asks for it): reads are safe beside the browser's own work and
// work on read-only and Python-format databases alike.
//
// BenchRunner follows the task for the page: it feeds the events to a
// BenchResultsModel as they arrive and tells its state.
#pragma once

#include <QFutureWatcher>
#include <QObject>
#include <QPromise>
#include <QString>

#include "core/benchresult.h"
#include "core/benchworkload.h"
#include "core/database.h"

namespace bb {

class BenchResultsModel;

// The task. `openDb`: the database open in the browser (read only, and only
// when workload.openDatabase); `scratchRoot`: where the scratch directory goes
// (empty: the system's temporary directory).
void runBenchmark(QPromise<BenchEvent>& promise, const BenchWorkload& workload, DbPtr openDb,
                  const QString& scratchRoot);

class BenchRunner : public QObject {
  Q_OBJECT

 public:
  enum class State { kIdle, kRunning, kFinished, kCancelled };
  Q_ENUM(State)

  explicit BenchRunner(BenchResultsModel* results, QObject* parent = nullptr);
  ~BenchRunner() override;

  // Starts `workload` (the results model begins a new current run). False,
  // with lastError(), when one is running or the workload is not valid.
  bool start(const BenchWorkload& workload, DbPtr openDb = {});
  void cancel();
  void waitForFinished();
  bool isRunning() const;
  State state() const { return state_; }

  // Empty: QDir::tempPath().
  void setScratchRoot(const QString& path) { scratchRoot_ = path; }
  QString scratchRoot() const { return scratchRoot_; }

  int progressValue() const;
  int progressMaximum() const;
  QString progressText() const;
  QString lastError() const { return lastError_; }
  BenchResultsModel* results() const { return results_; }

 signals:
  void stateChanged(bb::BenchRunner::State state);
  void progressChanged(int value, int maximum);
  void progressTextChanged(const QString& text);
  // A lane failed (the run goes on).
  void laneFailed(const QString& message);
  void finished();

 private:
  void onResultsReady(int begin, int end);
  void onFinished();
  void setState(State state);

  BenchResultsModel* results_;
  QFutureWatcher<BenchEvent> watcher_;
  State state_ = State::kIdle;
  QString scratchRoot_;
  QString lastError_;
};

}  // namespace bb
