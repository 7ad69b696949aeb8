#include "app/benchmarkpage.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "app/benchchartbars.h"
#include "app/benchcharthistogram.h"
#include "app/benchchartpercentiles.h"
#include "app/benchchartthroughput.h"
#include "app/benchmarkform.h"
#include "core/benchresultsmodel.h"
#include "core/benchrunstore.h"
#include "core/database.h"
#include "core/valueformat.h"

namespace bb {

namespace {

QString documentsDir() {
  const QString d = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
  return d.isEmpty() ? QDir::homePath() : d;
}

QString measurementCount(qsizetype n) {
  return formatCountOf(quint64(n), BenchmarkPage::tr("1 measurement"),
                       BenchmarkPage::tr("%L1 measurements"));
}

}  // namespace

BenchmarkPage::BenchmarkPage(QWidget* parent)
    : QWidget(parent),
      results_(new BenchResultsModel(this)),
      runner_(new BenchRunner(results_, this)),
      sorted_(new QSortFilterProxyModel(this)),
      runsDir_(BenchRunStore::defaultDirectory()) {
  setObjectName(QStringLiteral("benchmarkPage"));
  sorted_->setSourceModel(results_);
  sorted_->setSortRole(BenchResultsModel::kSortRole);

  // ---- Left: the workload and Run/Cancel --------------------------------------------------
  form_ = new BenchmarkForm(this);
  runButton_ = new QPushButton(tr("&Run Benchmark"), this);
  runButton_->setObjectName(QStringLiteral("benchRun"));
  runButton_->setDefault(true);
  runButton_->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
  cancelButton_ = new QPushButton(tr("Cancel"), this);
  cancelButton_->setObjectName(QStringLiteral("benchCancel"));
  cancelButton_->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("benchProgress"));
  progress_->setRange(0, 1000);
  progress_->setValue(0);
  progress_->setFormat(QStringLiteral("%p %"));
  progressText_ = new QLabel(this);
  progressText_->setWordWrap(true);
  progressText_->setMinimumHeight(progressText_->fontMetrics().height() * 2);
  progressText_->setAlignment(Qt::AlignLeft | Qt::AlignTop);

  auto* left = new QWidget(this);
  auto* leftLayout = new QVBoxLayout(left);
  leftLayout->setContentsMargins(0, 0, 6, 0);
  auto* heading = new QLabel(tr("<b>Workload</b>"), left);
  leftLayout->addWidget(heading);
  leftLayout->addWidget(form_);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(runButton_, 1);
  buttons->addWidget(cancelButton_);
  leftLayout->addSpacing(6);
  leftLayout->addLayout(buttons);
  leftLayout->addWidget(progress_);
  leftLayout->addWidget(progressText_);
  leftLayout->addStretch(1);
  auto* scroll = new QScrollArea(this);
  scroll->setWidget(left);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  scroll->setMinimumWidth(left->sizeHint().width() + 20);
  scroll->setMaximumWidth(440);

  // ---- Right, top: the charts --------------------------------------------------------------
  configCombo_ = new QComboBox(this);
  configCombo_->setObjectName(QStringLiteral("benchConfig"));
  configCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  opCombo_ = new QComboBox(this);
  opCombo_->setObjectName(QStringLiteral("benchOp"));
  opCombo_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
  opCombo_->setToolTip(tr("The operation the latency charts show"));
  metricCombo_ = new QComboBox(this);
  metricCombo_->setObjectName(QStringLiteral("benchMetric"));
  metricCombo_->addItem(tr("Ops/s"), int(BenchChartBars::Metric::kOpsPerSec));
  metricCombo_->addItem(tr("Mean µs"), int(BenchChartBars::Metric::kMeanUs));
  metricCombo_->addItem(tr("p99 µs"), int(BenchChartBars::Metric::kP99Us));
  metricCombo_->setToolTip(tr("What the bars compare"));
  auto* chartBar = new QHBoxLayout;
  auto* configLabel = new QLabel(tr("&Configuration:"), this);
  configLabel->setBuddy(configCombo_);
  auto* opLabel = new QLabel(tr("&Operation:"), this);
  opLabel->setBuddy(opCombo_);
  auto* metricLabel = new QLabel(tr("Bars sho&w:"), this);
  metricLabel->setBuddy(metricCombo_);
  chartBar->addWidget(configLabel);
  chartBar->addWidget(configCombo_);
  chartBar->addSpacing(12);
  chartBar->addWidget(opLabel);
  chartBar->addWidget(opCombo_);
  chartBar->addSpacing(12);
  chartBar->addWidget(metricLabel);
  chartBar->addWidget(metricCombo_);
  chartBar->addStretch(1);

  histogram_ = new BenchChartHistogram(results_, this);
  percentiles_ = new BenchChartPercentiles(results_, this);
  throughput_ = new BenchChartThroughput(results_, this);
  bars_ = new BenchChartBars(results_, this);
  chartTabs_ = new QTabWidget(this);
  chartTabs_->setObjectName(QStringLiteral("benchChartTabs"));
  chartTabs_->setDocumentMode(true);
  chartTabs_->addTab(bars_, tr("Engines && Operations"));
  chartTabs_->addTab(histogram_, tr("Latency Histogram"));
  chartTabs_->addTab(percentiles_, tr("Percentiles"));
  chartTabs_->addTab(throughput_, tr("Throughput over Time"));

  auto* charts = new QWidget(this);
  auto* chartsLayout = new QVBoxLayout(charts);
  chartsLayout->setContentsMargins(0, 0, 0, 0);
  chartsLayout->addLayout(chartBar);
  chartsLayout->addWidget(chartTabs_, 1);

  // ---- Right, bottom: the results ----------------------------------------------------------
  status_ = new QLabel(this);
  status_->setObjectName(QStringLiteral("benchStatus"));
  status_->setWordWrap(true);
  status_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  saveButton_ = new QPushButton(tr("Save R&un…"), this);
  saveButton_->setObjectName(QStringLiteral("benchSave"));
  saveButton_->setToolTip(tr("Keep this run to compare later runs with it"));
  compareButton_ = new QToolButton(this);
  compareButton_->setObjectName(QStringLiteral("benchCompare"));
  compareButton_->setText(tr("Co&mpare With"));
  compareButton_->setPopupMode(QToolButton::InstantPopup);
  compareButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  compareButton_->setToolTip(tr("Show a saved run's results beside this run's"));
  auto* compareMenu = new QMenu(compareButton_);
  compareButton_->setMenu(compareMenu);
  connect(compareMenu, &QMenu::aboutToShow, this, &BenchmarkPage::fillCompareMenu);
  exportButton_ = new QToolButton(this);
  exportButton_->setObjectName(QStringLiteral("benchExport"));
  exportButton_->setText(tr("E&xport"));
  exportButton_->setPopupMode(QToolButton::InstantPopup);
  exportButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  auto* exportMenu = new QMenu(exportButton_);
  exportMenu->addAction(tr("Results as &CSV…"), this, &BenchmarkPage::exportCsv);
  exportMenu->addAction(tr("Results as &JSON…"), this, &BenchmarkPage::exportJson);
  exportMenu->addAction(tr("Visible Chart as &PNG…"), this, &BenchmarkPage::exportPng);
  exportButton_->setMenu(exportMenu);
  auto* resultsBar = new QHBoxLayout;
  resultsBar->addWidget(new QLabel(tr("<b>Results</b>"), this));
  resultsBar->addWidget(status_, 1);
  resultsBar->addWidget(saveButton_);
  resultsBar->addWidget(compareButton_);
  resultsBar->addWidget(exportButton_);

  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("benchResultsTable"));
  table_->setModel(sorted_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(-1, Qt::AscendingOrder);  // the run's order until a header is clicked
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
  table_->horizontalHeader()->setHighlightSections(false);
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table_->horizontalHeader()->setStretchLastSection(false);
  // Until they tell something (onRowsAdded).
  table_->setColumnHidden(BenchResultsModel::kRunColumn, true);
  table_->setColumnHidden(BenchResultsModel::kOpsColumn, true);
  auto* resultsPane = new QWidget(this);
  auto* resultsLayout = new QVBoxLayout(resultsPane);
  resultsLayout->setContentsMargins(0, 0, 0, 0);
  resultsLayout->addLayout(resultsBar);
  resultsLayout->addWidget(table_, 1);

  auto* rightSplit = new QSplitter(Qt::Vertical, this);
  rightSplit->setObjectName(QStringLiteral("benchSplitter"));
  rightSplit->addWidget(charts);
  rightSplit->addWidget(resultsPane);
  rightSplit->setStretchFactor(0, 3);
  rightSplit->setStretchFactor(1, 2);
  rightSplit->setSizes({520, 300});
  rightSplit->setChildrenCollapsible(false);

  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 0);
  layout->addWidget(scroll);
  layout->addWidget(rightSplit, 1);

  // ---- Wiring -----------------------------------------------------------------------------
  connect(runButton_, &QPushButton::clicked, this, &BenchmarkPage::run);
  connect(cancelButton_, &QPushButton::clicked, this, &BenchmarkPage::cancel);
  connect(saveButton_, &QPushButton::clicked, this, &BenchmarkPage::askSaveRun);
  connect(form_, &BenchmarkForm::changed, this, &BenchmarkPage::updateButtons);
  connect(runner_, &BenchRunner::stateChanged, this, &BenchmarkPage::onStateChanged);
  connect(runner_, &BenchRunner::progressChanged, this, [this](int value, int maximum) {
    progress_->setRange(0, std::max(1, maximum));
    progress_->setValue(value);
  });
  connect(runner_, &BenchRunner::progressTextChanged, progressText_, &QLabel::setText);
  connect(runner_, &BenchRunner::laneFailed, this, &BenchmarkPage::updateStatus);
  connect(results_, &QAbstractItemModel::rowsInserted, this, &BenchmarkPage::onRowsAdded);
  connect(results_, &QAbstractItemModel::rowsRemoved, this, &BenchmarkPage::onRowsAdded);
  connect(results_, &QAbstractItemModel::modelReset, this, &BenchmarkPage::onRowsAdded);
  connect(results_, &BenchResultsModel::slicesChanged, this, [this] {
    // The throughput chart needs a configuration before the first row lands.
    if (configCombo_->count() == 0 && !results_->currentRun().slices.isEmpty()) {
      const BenchSlice& s = results_->currentRun().slices.first();
      throughput_->setSelection(BenchConfig{s.entries, s.valueSize, s.sync}, s.op, s.threads);
    }
  });
  connect(configCombo_, &QComboBox::activated, this, [this] {
    followLive_ = false;
    fillOpCombo();
    applySelection();
  });
  connect(opCombo_, &QComboBox::activated, this, [this] {
    followLive_ = false;
    applySelection();
  });
  connect(metricCombo_, &QComboBox::currentIndexChanged, this, [this] {
    bars_->setMetric(BenchChartBars::Metric(metricCombo_->currentData().toInt()));
  });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &BenchmarkPage::onTableRowSelected);

  updateButtons();
  updateStatus();
}

BenchmarkPage::~BenchmarkPage() {
  runner_->disconnect(this);
  results_->disconnect(this);
  runner_->cancel();
  runner_->waitForFinished();
}

void BenchmarkPage::setDatabase(Database* db) {
  db_ = db;
  form_->setOpenDatabase(db != nullptr, db ? db->keyCount() : 0);
  updateButtons();
}

bool BenchmarkPage::isRunning() const { return runner_->isRunning(); }

bool BenchmarkPage::run() {
  if (isRunning()) return false;
  const QString why = form_->problem();
  if (!why.isEmpty()) {
    status_->setText(why);
    return false;
  }
  const BenchWorkload w = form_->workload();
  const DbPtr open = w.openDatabase && db_ ? db_->handle() : DbPtr();
  if (!runner_->start(w, open)) {
    status_->setText(runner_->lastError());
    return false;
  }
  followLive_ = true;
  progress_->setValue(0);
  progressText_->setText(tr("Preparing keys and values…"));
  updateButtons();
  updateStatus();
  return true;
}

void BenchmarkPage::cancel() {
  if (!isRunning()) return;
  runner_->cancel();
  progressText_->setText(tr("Cancelling…"));
  cancelButton_->setEnabled(false);
}

void BenchmarkPage::onStateChanged(BenchRunner::State state) {
  if (state != BenchRunner::State::kRunning) {
    progressText_->setText(state == BenchRunner::State::kCancelled
                               ? tr("Cancelled. The operation under way was dropped.")
                               : tr("Finished."));
    if (state == BenchRunner::State::kFinished) progress_->setValue(progress_->maximum());
    // The live view followed the last operation; at the end, show the reads
    // (what most look at first) if the user has not picked something else.
    if (followLive_) {
      const int at = opCombo_->findText(QStringLiteral("read_random"));
      if (at >= 0) {
        opCombo_->setCurrentIndex(at);
        applySelection();
      }
    }
  }
  updateButtons();
  updateStatus();
}

void BenchmarkPage::updateButtons() {
  const bool running = isRunning();
  runButton_->setEnabled(!running && form_->problem().isEmpty());
  cancelButton_->setEnabled(running);
  form_->setEnabled(!running);
  const bool rows = !results_->currentRun().measurements.isEmpty();
  saveButton_->setEnabled(!running && rows);
  exportButton_->setEnabled(results_->rowCount() > 0);
}

void BenchmarkPage::updateStatus() {
  const BenchRun& run = results_->currentRun();
  QString text;
  if (run.measurements.isEmpty() && run.state == BenchRun::State::kCancelled) {
    text = tr("%1: cancelled before the first measurement.").arg(run.workload.name.toHtmlEscaped());
  } else if (run.measurements.isEmpty() && run.state != BenchRun::State::kRunning) {
    text = tr("No results yet: choose a workload and press Run.");
  } else if (run.state == BenchRun::State::kRunning) {
    text = tr("%1: running, %2 so far.")
               .arg(run.workload.name.toHtmlEscaped(), measurementCount(run.measurements.size()));
  } else {
    text = tr("%1: %2 in %3%4.")
               .arg(run.workload.name.toHtmlEscaped(), measurementCount(run.measurements.size()),
                    formatDuration(run.seconds))
               .arg(run.state == BenchRun::State::kCancelled ? tr(", cancelled") : QString());
  }
  if (results_->comparison()) {
    text += QLatin1Char(' ') + tr("Compared with <i>%1</i> (hatched bars, dashed lines).")
                                   .arg(results_->comparison()->name.toHtmlEscaped());
  }
  if (!run.errors.isEmpty()) {
    text += QStringLiteral("<br><span style='color:#d9534f'>%1</span>")
                .arg(tr("Failed: %1").arg(run.errors.join(QStringLiteral("; ")).toHtmlEscaped()));
  }
  status_->setText(text);
}

// ==== Chart selection ========================================================================

void BenchmarkPage::onRowsAdded() {
  // The run column tells the current run's rows from a compared run's: without
  // a comparison it would say "current" on every row, in width a narrow
  // window lacks.
  table_->setColumnHidden(BenchResultsModel::kRunColumn, !results_->comparison().has_value());
  // Likewise the operations column, while every row did one operation per entry.
  bool opsAreEntries = true;
  for (int row = 0; row < results_->rowCount(); ++row) {
    const BenchMeasurement& m = results_->measurementAt(row);
    opsAreEntries &= m.ops == m.entries;
  }
  table_->setColumnHidden(BenchResultsModel::kOpsColumn, opsAreEntries);
  fillConfigCombo();
  if (followLive_ && isRunning() && !results_->currentRun().measurements.isEmpty()) {
    // Show what was just measured.
    const BenchMeasurement& m = results_->currentRun().measurements.last();
    const int at = configCombo_->findText(BenchConfig{m.entries, m.valueSize, m.sync}.label());
    if (at >= 0) configCombo_->setCurrentIndex(at);
    fillOpCombo();
    for (int i = 0; i < opCombo_->count(); ++i) {
      const QList<QVariant> d = opCombo_->itemData(i).toList();
      if (d.size() == 2 && d[0].toInt() == int(m.op) && d[1].toInt() == m.threads)
        opCombo_->setCurrentIndex(i);
    }
  } else {
    fillOpCombo();
  }
  applySelection();
  updateButtons();
  updateStatus();
}

void BenchmarkPage::fillConfigCombo() {
  const QString current = configCombo_->currentText();
  const QList<BenchConfig> configs = results_->configs();
  configCombo_->clear();
  for (const BenchConfig& c : configs)
    configCombo_->addItem(c.label(), QVariantList{c.entries, c.valueSize, c.sync});
  const int at = configCombo_->findText(current);
  configCombo_->setCurrentIndex(at >= 0 ? at : 0);
  configCombo_->setEnabled(configCombo_->count() > 1);
}

void BenchmarkPage::fillOpCombo() {
  const QString current = opCombo_->currentText();
  opCombo_->clear();
  const QVariantList c = configCombo_->currentData().toList();
  if (c.size() == 3) {
    const BenchConfig config{c[0].toULongLong(), c[1].toULongLong(), c[2].toBool()};
    for (const auto& [op, threads] : results_->opsOf(config)) {
      opCombo_->addItem(
          benchOpName(op) + (threads > 1 ? tr(" ×%1 threads").arg(threads) : QString()),
          QVariantList{int(op), threads});
    }
  }
  int at = opCombo_->findText(current);
  if (at < 0) {
    // Reads are what most people look at first.
    at = std::max(0, opCombo_->findText(QStringLiteral("read_random")));
  }
  opCombo_->setCurrentIndex(opCombo_->count() ? at : -1);
  opCombo_->setEnabled(opCombo_->count() > 1);
}

void BenchmarkPage::applySelection() {
  const QVariantList c = configCombo_->currentData().toList();
  const QVariantList o = opCombo_->currentData().toList();
  std::optional<BenchConfig> config;
  if (c.size() == 3) config = BenchConfig{c[0].toULongLong(), c[1].toULongLong(), c[2].toBool()};
  const BenchOp op = o.size() == 2 ? BenchOp(o[0].toInt()) : BenchOp::kFillRandom;
  const int threads = o.size() == 2 ? o[1].toInt() : 1;
  for (BenchChart* chart : std::initializer_list<BenchChart*>{histogram_, percentiles_, bars_})
    chart->setSelection(config, op, threads);
  // Throughput: the configuration of the chosen row, else the one running now.
  if (config) {
    throughput_->setSelection(config, op, threads);
  } else if (!results_->currentRun().slices.isEmpty()) {
    const BenchSlice& s = results_->currentRun().slices.last();
    throughput_->setSelection(BenchConfig{s.entries, s.valueSize, s.sync}, s.op, s.threads);
  } else {
    throughput_->setSelection(std::nullopt, op, threads);
  }
}

void BenchmarkPage::onTableRowSelected() {
  const QModelIndex i = sorted_->mapToSource(table_->currentIndex());
  if (!i.isValid()) return;
  followLive_ = false;
  const BenchMeasurement& m = results_->measurementAt(i.row());
  const int at = configCombo_->findText(BenchConfig{m.entries, m.valueSize, m.sync}.label());
  if (at >= 0) configCombo_->setCurrentIndex(at);
  fillOpCombo();
  for (int k = 0; k < opCombo_->count(); ++k) {
    const QVariantList d = opCombo_->itemData(k).toList();
    if (d.size() == 2 && d[0].toInt() == int(m.op) && d[1].toInt() == m.threads)
      opCombo_->setCurrentIndex(k);
  }
  applySelection();
}

BenchChart* BenchmarkPage::visibleChart() const {
  return qobject_cast<BenchChart*>(chartTabs_->currentWidget());
}

// ==== Save, compare, export ==================================================================

void BenchmarkPage::setRunsDirectory(const QString& dir) { runsDir_ = dir; }

QString BenchmarkPage::saveRun(const QString& name) {
  BenchRun run = results_->currentRun();
  run.name = name.trimmed().isEmpty() ? run.workload.name : name.trimmed();
  QString error;
  const auto path = BenchRunStore(runsDir_).save(run, &error);
  if (!path) {
    status_->setText(tr("Could not save the run: %1").arg(error.toHtmlEscaped()));
    return {};
  }
  return *path;
}

void BenchmarkPage::askSaveRun() {
  const BenchRun& run = results_->currentRun();
  if (run.measurements.isEmpty()) return;
  bool ok = false;
  const QString suggested = QStringLiteral("%1, %2").arg(
      run.workload.name, run.started.toString(QStringLiteral("yyyy-MM-dd HH:mm")));
  const QString name = QInputDialog::getText(this, tr("Save Benchmark Run"),
                                             tr("A name to find it by when comparing:"),
                                             QLineEdit::Normal, suggested, &ok);
  if (!ok) return;
  const QString path = saveRun(name);
  if (!path.isEmpty()) {
    status_->setText(tr("Saved as %1.").arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
  }
}

bool BenchmarkPage::compareWith(const QString& path) {
  if (path.isEmpty()) {
    results_->clearComparison();
    updateStatus();
    return true;
  }
  QString error;
  const auto run = BenchRunStore(runsDir_).load(path, &error);
  if (!run) {
    QMessageBox::warning(this, tr("Compare"),
                         tr("Could not read %1: %2").arg(QDir::toNativeSeparators(path), error));
    return false;
  }
  results_->setComparison(*run);
  updateStatus();
  return true;
}

void BenchmarkPage::fillCompareMenu() {
  QMenu* menu = compareButton_->menu();
  menu->clear();
  // clear() leaves submenus alive (they are child widgets): the last Delete menu.
  qDeleteAll(menu->findChildren<QMenu*>(Qt::FindDirectChildrenOnly));
  const QList<BenchRunStore::Entry> runs = BenchRunStore(runsDir_).list();
  if (runs.isEmpty()) {
    menu->addAction(tr("No saved runs yet (Save Run… keeps one)"))->setEnabled(false);
  }
  const QString comparing = results_->comparison() ? results_->comparison()->name : QString();
  for (const BenchRunStore::Entry& e : runs) {
    QAction* a = menu->addAction(tr("%1 — %2").arg(e.name.isEmpty() ? e.workload : e.name,
                                                   measurementCount(e.measurements)));
    a->setToolTip(QDir::toNativeSeparators(e.path));
    a->setCheckable(true);
    a->setChecked(!comparing.isEmpty() && e.name == comparing);
    const QString path = e.path;
    connect(a, &QAction::triggered, this, [this, path] { compareWith(path); });
  }
  menu->addSeparator();
  QAction* none = menu->addAction(tr("&No Comparison"), this, [this] { compareWith({}); });
  none->setEnabled(results_->comparison().has_value());
  QMenu* remove = menu->addMenu(tr("&Delete Saved Run"));
  remove->setObjectName(QStringLiteral("benchDeleteRun"));
  remove->setEnabled(!runs.isEmpty());
  for (const BenchRunStore::Entry& e : runs) {
    const QString name = e.name.isEmpty() ? e.workload : e.name;
    const QString path = e.path;
    remove->addAction(name, this, [this, path, name] { askDeleteSavedRun(path, name); });
  }
}

bool BenchmarkPage::deleteSavedRun(const QString& path) {
  if (!BenchRunStore(runsDir_).remove(path)) {
    status_->setText(
        tr("Could not delete %1.").arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
    return false;
  }
  status_->setText(tr("Deleted %1.").arg(QDir::toNativeSeparators(path).toHtmlEscaped()));
  return true;
}

void BenchmarkPage::askDeleteSavedRun(const QString& path, const QString& name) {
  const auto answer = QMessageBox::question(
      this, tr("Delete Saved Run"),
      tr("Delete the saved run “%1”?\n%2").arg(name, QDir::toNativeSeparators(path)),
      QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
  if (answer == QMessageBox::Yes) deleteSavedRun(path);
}

void BenchmarkPage::exportCsv() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export Results as CSV"), documentsDir() + QStringLiteral("/benchmark.csv"),
      tr("CSV files (*.csv)"));
  if (path.isEmpty()) return;
  QString error;
  if (!results_->saveCsv(path, &error))
    QMessageBox::warning(this, tr("Export"), tr("Could not write %1: %2").arg(path, error));
}

void BenchmarkPage::exportJson() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export Results as JSON"), documentsDir() + QStringLiteral("/benchmark.json"),
      tr("JSON files (*.json)"));
  if (path.isEmpty()) return;
  QString error;
  if (!results_->saveJson(path, &error))
    QMessageBox::warning(this, tr("Export"), tr("Could not write %1: %2").arg(path, error));
}

bool BenchmarkPage::saveChartPng(const QString& path) {
  BenchChart* chart = visibleChart();
  return chart && chart->savePng(path, chart->width(), chart->height());
}

void BenchmarkPage::exportPng() {
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Export Chart as PNG"), documentsDir() + QStringLiteral("/benchmark-chart.png"),
      tr("PNG images (*.png)"));
  if (path.isEmpty()) return;
  if (!saveChartPng(path))
    QMessageBox::warning(this, tr("Export"), tr("Could not write %1.").arg(path));
}

}  // namespace bb
