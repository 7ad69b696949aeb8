// The Benchmarks tab: the workload form (BenchmarkForm) with Run, Cancel and
// a progress bar; live charts (latency histogram, percentile curve, throughput
// over time, operations by engine) of one configuration and operation at a
// time; the results table (BenchResultsModel, sortable); and Save, Compare
// (a saved run's rows beside the current ones) and Export (CSV, JSON, PNG).
//
// The run itself is BenchRunner's (QtConcurrent): the window stays usable,
// Cancel stops it within a batch of operations. It runs on scratch
// databases; the open database is only read, and only when the form's option
// asks for it.
#pragma once

#include <QPointer>
#include <QWidget>

#include "core/benchrunner.h"

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTabWidget;
class QTableView;
class QToolButton;

namespace bb {

class BenchChart;
class BenchChartBars;
class BenchChartHistogram;
class BenchChartPercentiles;
class BenchChartThroughput;
class BenchResultsModel;
class BenchmarkForm;
class Database;

class BenchmarkPage : public QWidget {
  Q_OBJECT

 public:
  explicit BenchmarkPage(QWidget* parent = nullptr);
  ~BenchmarkPage() override;

  // The database open in the browser (for the read-only lane), or none.
  void setDatabase(Database* db);

  // Runs the form's workload; false (with a message shown) when it cannot.
  bool run();
  void cancel();
  bool isRunning() const;

  // Where saved runs go (tests point it at a temporary directory).
  void setRunsDirectory(const QString& dir);
  QString runsDirectory() const { return runsDir_; }
  // Saves the current run under `name`; returns its file, or empty.
  QString saveRun(const QString& name);
  // Shows a saved run beside the current one (its file), or none ({}).
  bool compareWith(const QString& path);
  // Deletes a saved run's file (a run shown for comparison stays shown).
  bool deleteSavedRun(const QString& path);
  // The visible chart as PNG.
  bool saveChartPng(const QString& path);

  BenchmarkForm* form() const { return form_; }
  BenchRunner* runner() const { return runner_; }
  BenchResultsModel* results() const { return results_; }
  QTableView* table() const { return table_; }
  QPushButton* runButton() const { return runButton_; }
  QPushButton* cancelButton() const { return cancelButton_; }
  QProgressBar* progressBar() const { return progress_; }
  QTabWidget* chartTabs() const { return chartTabs_; }
  BenchChartHistogram* histogramChart() const { return histogram_; }
  BenchChartPercentiles* percentilesChart() const { return percentiles_; }
  BenchChartThroughput* throughputChart() const { return throughput_; }
  BenchChartBars* barsChart() const { return bars_; }
  QComboBox* configCombo() const { return configCombo_; }
  QComboBox* opCombo() const { return opCombo_; }
  QLabel* statusLabel() const { return status_; }

 private:
  void onStateChanged(BenchRunner::State state);
  void onRowsAdded();
  void fillConfigCombo();
  void fillOpCombo();
  void applySelection();
  void onTableRowSelected();
  void updateButtons();
  void updateStatus();
  void fillCompareMenu();
  void exportCsv();
  void exportJson();
  void exportPng();
  void askSaveRun();
  void askDeleteSavedRun(const QString& path, const QString& name);
  BenchChart* visibleChart() const;

  BenchResultsModel* results_;
  BenchRunner* runner_;
  QSortFilterProxyModel* sorted_;
  QPointer<Database> db_;
  QString runsDir_;

  BenchmarkForm* form_;
  QPushButton* runButton_;
  QPushButton* cancelButton_;
  QProgressBar* progress_;
  QLabel* progressText_;
  QLabel* status_;
  QComboBox* configCombo_;
  QComboBox* opCombo_;
  QComboBox* metricCombo_;
  QTabWidget* chartTabs_;
  BenchChartHistogram* histogram_;
  BenchChartPercentiles* percentiles_;
  BenchChartThroughput* throughput_;
  BenchChartBars* bars_;
  QTableView* table_;
  QPushButton* saveButton_;
  QToolButton* compareButton_;
  QToolButton* exportButton_;
  // Follow the newest results while running, until the user picks something.
  bool followLive_ = true;
};

}  // namespace bb
