#include "app/benchmarkform.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

#include "core/valueformat.h"
#include "engines/engine.h"

namespace bb {

namespace {

QWidget* grid(QWidget* parent, const QList<QCheckBox*>& boxes, int columns) {
  auto* w = new QWidget(parent);
  auto* g = new QGridLayout(w);
  g->setContentsMargins(0, 0, 0, 0);
  g->setHorizontalSpacing(12);
  g->setVerticalSpacing(2);
  for (int i = 0; i < boxes.size(); ++i) g->addWidget(boxes[i], i / columns, i % columns);
  return w;
}

}  // namespace

BenchmarkForm::BenchmarkForm(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("benchmarkForm"));
  auto* form = new QFormLayout(this);
  form->setContentsMargins(0, 0, 0, 0);
  form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
  form->setRowWrapPolicy(QFormLayout::DontWrapRows);

  preset_ = new QComboBox(this);
  preset_->setObjectName(QStringLiteral("benchPreset"));
  for (BenchWorkload::Preset p : BenchWorkload::presets()) {
    preset_->addItem(BenchWorkload::presetName(p), int(p));
    preset_->setItemData(preset_->count() - 1, BenchWorkload::presetDetails(p), Qt::ToolTipRole);
  }
  preset_->addItem(BenchWorkload::presetName(BenchWorkload::Preset::kCustom),
                   int(BenchWorkload::Preset::kCustom));
  presetNote_ = new QLabel(this);
  presetNote_->setWordWrap(true);
  presetNote_->setForegroundRole(QPalette::PlaceholderText);
  QFont small = presetNote_->font();
  small.setPointSizeF(small.pointSizeF() * 0.9);
  presetNote_->setFont(small);
  form->addRow(tr("&Preset:"), preset_);
  form->addRow(QString(), presetNote_);

  QList<QCheckBox*> engineBoxes;
  for (const std::string& name : bench::engine_names()) {
    const QString e = QString::fromStdString(name);
    auto* box = new QCheckBox(e, this);
    box->setObjectName(QStringLiteral("benchEngine_") + e);
    box->setToolTip(QString::fromStdString(bench::engine_description(name)));
    engines_[e] = box;
    engineBoxes << box;
  }
  form->addRow(tr("Engines:"), grid(this, engineBoxes, 3));

  QList<QCheckBox*> opBoxes;
  for (BenchOp op : allBenchOps()) {
    auto* box = new QCheckBox(benchOpName(op), this);
    box->setObjectName(QStringLiteral("benchOp_") + benchOpName(op));
    box->setToolTip(benchOpDescription(op));
    ops_[op] = box;
    opBoxes << box;
  }
  form->addRow(tr("Operations:"), grid(this, opBoxes, 2));

  entries_ = new QLineEdit(this);
  entries_->setObjectName(QStringLiteral("benchEntries"));
  entries_->setPlaceholderText(tr("e.g. 10k 100k"));
  entries_->setToolTip(
      tr("Keys in each database; several counts separated by spaces run one "
         "after another. k = ×1,000, M = ×1,000,000."));
  form->addRow(tr("E&ntries:"), entries_);
  valueSizes_ = new QLineEdit(this);
  valueSizes_->setObjectName(QStringLiteral("benchValueSizes"));
  valueSizes_->setPlaceholderText(tr("e.g. 100 1k"));
  valueSizes_->setToolTip(
      tr("Value sizes in bytes (keys are 16 bytes); several sizes run one "
         "after another."));
  form->addRow(tr("Value b&ytes:"), valueSizes_);
  threads_ = new QLineEdit(this);
  threads_->setObjectName(QStringLiteral("benchThreads"));
  threads_->setPlaceholderText(tr("e.g. 1 2 4"));
  threads_->setToolTip(
      tr("read_random runs once per thread count, the keys split between the "
         "threads. Writes run on one thread."));
  form->addRow(tr("Rea&d threads:"), threads_);

  syncNone_ = new QCheckBox(tr("none"), this);
  syncNone_->setObjectName(QStringLiteral("benchSyncNone"));
  syncNone_->setToolTip(
      tr("Every write reaches the operating system before it returns: a "
         "killed process loses nothing."));
  syncAlways_ = new QCheckBox(tr("always"), this);
  syncAlways_->setObjectName(QStringLiteral("benchSyncAlways"));
  syncAlways_->setToolTip(
      tr("Every write is on stable storage before it returns (fdatasync, "
         "0.2–4 ms each on a typical disk): keep the entry count small."));
  auto* sync = new QWidget(this);
  auto* syncLayout = new QHBoxLayout(sync);
  syncLayout->setContentsMargins(0, 0, 0, 0);
  syncLayout->addWidget(syncNone_);
  syncLayout->addWidget(syncAlways_);
  syncLayout->addStretch(1);
  form->addRow(tr("Sync:"), sync);

  batchSize_ = new QSpinBox(this);
  batchSize_->setObjectName(QStringLiteral("benchBatchSize"));
  batchSize_->setRange(1, 100000);
  batchSize_->setSuffix(tr(" pairs"));
  batchSize_->setToolTip(tr("Pairs in each atomic batch of batch_write."));
  form->addRow(tr("Batch si&ze:"), batchSize_);

  openDb_ = new QCheckBox(tr("&Also read the open database (never written)"), this);
  openDb_->setObjectName(QStringLiteral("benchOpenDb"));
  openDb_->setToolTip(
      tr("Adds a lane that runs the chosen read operations on the database "
         "open in the browser, over up to the largest entry count of its keys. "
         "Write operations never touch it: they run on scratch databases."));
  form->addRow(openDb_);

  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("benchSummary"));
  summary_->setWordWrap(true);
  form->addRow(summary_);

  connect(preset_, &QComboBox::activated, this, &BenchmarkForm::onPresetChosen);
  for (QCheckBox* b : engines_) connect(b, &QCheckBox::toggled, this, &BenchmarkForm::onEdited);
  for (QCheckBox* b : ops_) connect(b, &QCheckBox::toggled, this, &BenchmarkForm::onEdited);
  for (QLineEdit* e : {entries_, valueSizes_, threads_})
    connect(e, &QLineEdit::textEdited, this, &BenchmarkForm::onEdited);
  for (QCheckBox* b : {syncNone_, syncAlways_, openDb_})
    connect(b, &QCheckBox::toggled, this, &BenchmarkForm::onEdited);
  connect(batchSize_, &QSpinBox::valueChanged, this, &BenchmarkForm::onEdited);

  setOpenDatabase(false, 0);
  selectPreset(BenchWorkload::Preset::kQuick);
}

void BenchmarkForm::selectPreset(BenchWorkload::Preset preset) {
  preset_->setCurrentIndex(preset_->findData(int(preset)));
  onPresetChosen(preset_->currentIndex());
}

void BenchmarkForm::onPresetChosen(int index) {
  const auto preset = BenchWorkload::Preset(preset_->itemData(index).toInt());
  presetNote_->setText(BenchWorkload::presetDescription(preset));
  if (preset == BenchWorkload::Preset::kCustom) {
    updateSummary();
    emit changed();
    return;
  }
  BenchWorkload w = BenchWorkload::preset(preset);
  w.openDatabase = openDb_->isChecked() && dbOpen_;
  setWorkload(w);
}

void BenchmarkForm::setWorkload(const BenchWorkload& w) {
  filling_ = true;
  for (auto it = engines_.begin(); it != engines_.end(); ++it)
    it.value()->setChecked(w.engines.contains(it.key()));
  for (auto it = ops_.begin(); it != ops_.end(); ++it)
    it.value()->setChecked(w.ops.contains(it.key()));
  entries_->setText(formatCounts(w.entries));
  valueSizes_->setText(formatCounts(w.valueSizes));
  QList<quint64> threads;
  for (int t : w.threads) threads << quint64(t);
  threads_->setText(formatCounts(threads));
  syncNone_->setChecked(w.syncs.contains(false));
  syncAlways_->setChecked(w.syncs.contains(true));
  batchSize_->setValue(w.batchSize);
  openDb_->setChecked(w.openDatabase && dbOpen_);
  // The preset the workload is, if any.
  int match = preset_->findData(int(BenchWorkload::Preset::kCustom));
  for (BenchWorkload::Preset p : BenchWorkload::presets()) {
    BenchWorkload candidate = BenchWorkload::preset(p);
    candidate.openDatabase = w.openDatabase;
    if (candidate == w) match = preset_->findData(int(p));
  }
  preset_->setCurrentIndex(match);
  presetNote_->setText(
      BenchWorkload::presetDescription(BenchWorkload::Preset(preset_->currentData().toInt())));
  filling_ = false;
  updateSummary();
  emit changed();
}

void BenchmarkForm::onEdited() {
  if (filling_) return;
  // Still a preset if the fields say exactly what it does.
  const BenchWorkload w = workload();
  int match = preset_->findData(int(BenchWorkload::Preset::kCustom));
  for (BenchWorkload::Preset p : BenchWorkload::presets()) {
    BenchWorkload candidate = BenchWorkload::preset(p);
    candidate.openDatabase = w.openDatabase;
    if (candidate.engines == w.engines && candidate.ops == w.ops &&
        candidate.entries == w.entries && candidate.valueSizes == w.valueSizes &&
        candidate.threads == w.threads && candidate.syncs == w.syncs &&
        candidate.batchSize == w.batchSize)
      match = preset_->findData(int(p));
  }
  preset_->setCurrentIndex(match);
  presetNote_->setText(
      BenchWorkload::presetDescription(BenchWorkload::Preset(preset_->currentData().toInt())));
  updateSummary();
  emit changed();
}

BenchWorkload BenchmarkForm::workload() const {
  BenchWorkload w;
  w.name = preset_->currentText();
  w.engines.clear();
  for (auto it = engines_.begin(); it != engines_.end(); ++it) {
    if (it.value()->isChecked()) w.engines << it.key();
  }
  // In bitcask-bench's order, whatever the map's.
  QStringList ordered;
  for (const std::string& e : bench::engine_names()) {
    if (w.engines.contains(QString::fromStdString(e))) ordered << QString::fromStdString(e);
  }
  w.engines = ordered;
  w.ops.clear();
  for (BenchOp op : allBenchOps()) {
    if (ops_[op]->isChecked()) w.ops << op;
  }
  w.entries = parseCounts(entries_->text()).value_or(QList<quint64>{});
  w.valueSizes = parseCounts(valueSizes_->text()).value_or(QList<quint64>{});
  w.threads.clear();
  for (quint64 t : parseCounts(threads_->text()).value_or(QList<quint64>{}))
    w.threads << int(std::min<quint64>(t, 1000));
  w.syncs.clear();
  if (syncNone_->isChecked()) w.syncs << false;
  if (syncAlways_->isChecked()) w.syncs << true;
  w.batchSize = batchSize_->value();
  w.openDatabase = openDb_->isChecked() && dbOpen_;
  return w;
}

QString BenchmarkForm::problem() const {
  if (!parseCounts(entries_->text())) return tr("Entries: give counts such as “10k 100k”.");
  if (!parseCounts(valueSizes_->text())) return tr("Value bytes: give sizes such as “100 1k”.");
  if (ops_[BenchOp::kReadRandom]->isChecked() && !parseCounts(threads_->text()))
    return tr("Threads: give thread counts such as “1 2 4”.");
  return workload().validate();
}

void BenchmarkForm::setOpenDatabase(bool open, quint64 keys) {
  dbOpen_ = open;
  dbKeys_ = keys;
  openDb_->setEnabled(open);
  if (!open) openDb_->setChecked(false);
  updateSummary();
}

void BenchmarkForm::updateSummary() {
  batchSize_->setEnabled(ops_[BenchOp::kBatchWrite]->isChecked());
  threads_->setEnabled(ops_[BenchOp::kReadRandom]->isChecked());
  const QString why = problem();
  if (!why.isEmpty()) {
    summary_->setText(
        QStringLiteral("<span style='color:#d9534f'>%1</span>").arg(why.toHtmlEscaped()));
    return;
  }
  const BenchWorkload w = workload();
  const QList<BenchStep> steps = w.steps(w.openDatabase ? dbKeys_ : 0);
  quint64 ops = 0;
  int measured = 0;
  for (const BenchStep& s : steps) {
    ops += s.operations;
    if (!s.load) ++measured;
  }
  summary_->setText(tr("%1, %2 operations in all. Scratch databases in a temporary folder, "
                       "removed afterwards.")
                        .arg(formatCountOf(measured, tr("1 measurement"), tr("%L1 measurements")),
                             formatCount(ops)));
}

}  // namespace bb
