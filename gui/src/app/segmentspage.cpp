#include "app/segmentspage.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QScopedValueRollback>
#include <QScrollBar>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyle>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>
#include <utility>

#include "app/recordspanel.h"
#include "app/segmentchart.h"
#include "app/sortarrowheader.h"
#include "app/taskstrip.h"
#include "core/database.h"
#include "core/problemsmodel.h"
#include "core/recordsmodel.h"
#include "core/segmentsmodel.h"
#include "core/taskpool.h"
#include "core/valueformat.h"

namespace bb {

namespace {

QTableView* makeTable(QWidget* parent, const QString& name) {
  auto* t = new QTableView(parent);
  t->setObjectName(name);
  t->setSelectionBehavior(QAbstractItemView::SelectRows);
  t->setSelectionMode(QAbstractItemView::SingleSelection);
  t->setAlternatingRowColors(true);
  t->setShowGrid(false);
  t->setWordWrap(false);
  t->verticalHeader()->hide();
  t->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  t->verticalHeader()->setDefaultSectionSize(t->fontMetrics().height() + 6);
  t->horizontalHeader()->setHighlightSections(false);
  t->horizontalHeader()->setStretchLastSection(true);
  return t;
}

QString segmentCount(quint64 n) {
  return formatCountOf(n, SegmentsPage::tr("1 segment"), SegmentsPage::tr("%L1 segments"));
}

}  // namespace

SegmentsPage::SegmentsPage(QWidget* parent)
    : QWidget(parent),
      segments_(new SegmentsModel(this)),
      sorted_(new QSortFilterProxyModel(this)),
      problems_(new ProblemsModel(this)) {
  setObjectName(QStringLiteral("segmentsPage"));
  sorted_->setSourceModel(segments_);
  sorted_->setSortRole(SegmentsModel::kSortRole);

  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  auto* top = new QHBoxLayout;
  summary_ = new QLabel(this);
  summary_->setObjectName(QStringLiteral("segmentsSummary"));
  // Long texts (a verify or merge result, a damaged database's summary) wrap
  // in the width they are given and never widen the window.
  summary_->setWordWrap(true);
  summary_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  strip_ = new TaskStrip(this);
  verifyButton_ = new QPushButton(tr("&Verify"), this);
  verifyButton_->setObjectName(QStringLiteral("verifyButton"));
  verifyButton_->setToolTip(tr("Check every record's checksum and every hint file"));
  mergeButton_ = new QToolButton(this);
  mergeButton_->setObjectName(QStringLiteral("mergeButton"));
  mergeButton_->setText(tr("&Merge"));
  mergeButton_->setToolButtonStyle(Qt::ToolButtonTextOnly);
  mergeButton_->setPopupMode(QToolButton::MenuButtonPopup);
  mergeButton_->setToolTip(tr("Rewrite the sealed segments without their dead bytes"));
  auto* mergeMenu = new QMenu(mergeButton_);
  mergeMenu->addAction(tr("Merge All Sealed Segments"), this, [this] { startMerge(true); });
  mergeMenu->addAction(tr("Merge Segments the Thresholds Pick"), this,
                       [this] { startMerge(false); });
  mergeButton_->setMenu(mergeMenu);
  connect(mergeButton_, &QToolButton::clicked, this, [this] { startMerge(true); });
  refreshButton_ = new QPushButton(tr("Refresh"), this);
  connect(refreshButton_, &QPushButton::clicked, this, &SegmentsPage::refresh);
  connect(verifyButton_, &QPushButton::clicked, this, &SegmentsPage::startVerify);
  top->addWidget(summary_, 1);
  top->addWidget(strip_, 1);
  top->addWidget(verifyButton_);
  top->addWidget(mergeButton_);
  top->addWidget(refreshButton_);

  result_ = new QLabel(this);
  result_->setObjectName(QStringLiteral("segmentsResult"));
  result_->setWordWrap(true);
  result_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  result_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  result_->hide();

  table_ = makeTable(this, QStringLiteral("segmentsTable"));
  // Largest first points down, as in the key table.
  table_->setHorizontalHeader(new SortArrowHeader(Qt::Horizontal, table_));
  table_->horizontalHeader()->setHighlightSections(false);
  table_->setModel(sorted_);
  table_->setSortingEnabled(true);
  table_->sortByColumn(SegmentsModel::kIdColumn, Qt::AscendingOrder);
  table_->horizontalHeader()->setStretchLastSection(false);
  // Sized by fitColumns (the user may resize them): ResizeToContents keeps room for a sort
  // arrow in every column, 11 times the arrow's width, which pushed the table past a 1280-pixel
  // window.
  table_->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
  table_->horizontalHeader()->setTextElideMode(Qt::ElideNone);
  chart_ = new SegmentChart(this);

  records_ = new RecordsPanel(this);
  problemsTable_ = makeTable(this, QStringLiteral("verifyTable"));
  problemsTable_->setModel(problems_);
  // Problem, file and key fit their text; the details take the rest (a fixed
  // width elided "Damaged record" and the segment file's name).
  problemsTable_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  bottomTabs_ = new QTabWidget(this);
  bottomTabs_->setDocumentMode(true);
  bottomTabs_->addTab(records_, tr("Records"));
  bottomTabs_->addTab(problemsTable_, tr("Verify Results"));

  upper_ = new QSplitter(Qt::Horizontal, this);
  upper_->addWidget(table_);
  upper_->addWidget(chart_);
  upper_->setStretchFactor(0, 3);
  upper_->setStretchFactor(1, 2);
  // The columns grow with their contents (a verify adds the checksum column's
  // results): keep them all in view rather than behind a scroll bar.
  connect(table_->horizontalHeader(), &QHeaderView::sectionResized, this,
          &SegmentsPage::fitTableToColumns);
  connect(upper_, &QSplitter::splitterMoved, this, [this] { userPlacedSplitter_ = true; });
  connect(table_->horizontalHeader(), &QHeaderView::sectionResized, this, [this] {
    if (!fittingColumns_) userSizedColumns_ = true;
  });
  connect(sorted_, &QAbstractItemModel::modelReset, this, &SegmentsPage::fitColumns);
  connect(sorted_, &QAbstractItemModel::layoutChanged, this, &SegmentsPage::fitColumns);
  connect(sorted_, &QAbstractItemModel::rowsInserted, this, &SegmentsPage::fitColumns);
  connect(sorted_, &QAbstractItemModel::dataChanged, this, &SegmentsPage::fitColumns);
  connect(table_->horizontalHeader(), &QHeaderView::sortIndicatorChanged, this,
          &SegmentsPage::fitColumns);
  auto* split = new QSplitter(Qt::Vertical, this);
  split->setObjectName(QStringLiteral("segmentsSplitter"));
  split->addWidget(upper_);
  split->addWidget(bottomTabs_);
  split->setStretchFactor(0, 1);
  split->setStretchFactor(1, 1);
  split->setSizes({440, 400});
  upper_->setSizes({560, 440});
  layout->addLayout(top);
  layout->addWidget(result_);
  layout->addWidget(split, 1);

  changeTimer_.setSingleShot(true);
  changeTimer_.setInterval(250);
  connect(&changeTimer_, &QTimer::timeout, this, &SegmentsPage::refresh);
  // Hint files are written and merges may run in the engine's background:
  // re-read the (cheap) figures now and then while the page is shown.
  pollTimer_.setInterval(2000);
  connect(&pollTimer_, &QTimer::timeout, this, &SegmentsPage::refresh);

  connect(segments_, &SegmentsModel::statsChanged, this, &SegmentsPage::onStatsChanged);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &SegmentsPage::onSegmentSelected);
  connect(chart_, &SegmentChart::segmentClicked, this, &SegmentsPage::selectSegment);
  connect(records_, &RecordsPanel::showKeyRequested, this, &SegmentsPage::showKeyRequested);
  connect(problemsTable_, &QAbstractItemView::activated, this, [this](const QModelIndex& i) {
    if (i.data(ProblemsModel::kIsHintRole).toBool()) return;
    const quint32 seg = i.data(ProblemsModel::kSegmentRole).toUInt();
    const quint64 off = i.data(ProblemsModel::kOffsetRole).toULongLong();
    selectSegment(seg);
    bottomTabs_->setCurrentWidget(records_);
    records_->selectOffset(off);
  });
  connect(segments_, &SegmentsModel::errorOccurred, this, [this](const QString& message) {
    result_->setText(tr("The segment figures could not be read: %1").arg(message));
    result_->show();
  });
  connect(records_->model(), &RecordsModel::errorOccurred, this, [this](const QString& message) {
    result_->setText(tr("The records could not be read: %1").arg(message));
    result_->show();
  });
  connect(&verifyWatcher_, &QFutureWatcher<VerifyOutcome>::finished, this,
          &SegmentsPage::onVerifyFinished);
  connect(&mergeWatcher_, &QFutureWatcher<MergeOutcome>::finished, this,
          &SegmentsPage::onMergeFinished);
  updateButtons();
}

SegmentsPage::~SegmentsPage() {
  table_->selectionModel()->disconnect(this);
  verifyWatcher_.disconnect(this);
  mergeWatcher_.disconnect(this);
  cancelTasks();
}

void SegmentsPage::setDatabase(Database* db) {
  if (db == db_ && db) return;
  cancelTasks();
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  db_ = db;
  lastMerge_.reset();
  lastVerify_.reset();
  mergeAfterVerify_.reset();
  result_->hide();
  problems_->clear();
  segments_->setDatabase(db);
  records_->setDatabase(db);
  if (db_ && isVisible() && sorted_->rowCount() > 0) table_->setCurrentIndex(sorted_->index(0, 0));
  if (db_) {
    auto later = [this] { changeTimer_.start(); };
    connections_ << connect(db_, &Database::keysChanged, this, later);
    connections_ << connect(db_, &Database::reset, this, later);
  }
  updateButtons();
}

bool SegmentsPage::isBusy() const { return verifyWatcher_.isBusy() || mergeWatcher_.isBusy(); }

// What the tasks found is about the database being left: it is dropped, never shown.
void SegmentsPage::cancelTasks() {
  verifyWatcher_.abandon();
  mergeWatcher_.abandon();
}

void SegmentsPage::refresh() {
  if (!db_) return;
  segments_->refresh();
  records_->model()->refresh();
  showExistingSegment();
}

void SegmentsPage::showExistingSegment() {
  const RecordsModel* shown = records_->model();
  const bool gone = shown->mode() == RecordsModel::Mode::kSegment &&
                    (shown->segmentGone() || segments_->rowOfSegment(shown->segment()) < 0);
  if (!gone || sorted_->rowCount() == 0) return;
  // The row of a segment merged away went with it; the current index may
  // already be another segment's, which then is shown anew.
  const QModelIndex current = table_->currentIndex();
  table_->setCurrentIndex(current.isValid() ? current : sorted_->index(0, 0));
  onSegmentSelected();
}

void SegmentsPage::fitColumns() {
  if (userSizedColumns_) return;
  QHeaderView* header = table_->horizontalHeader();
  const QFontMetrics fm = header->fontMetrics();
  const int margin = header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
  // The header's text (two lines for two words) or the widest cell, whichever is wider; room
  // for the arrow only in the column the table is sorted by.
  const QScopedValueRollback<bool> fitting(fittingColumns_, true);
  for (int c = 0; c < sorted_->columnCount(); ++c) {
    const QString label = sorted_->headerData(c, Qt::Horizontal).toString();
    int width = fm.size(0, label).width() + 2 * margin + 4;
    if (header->isSortIndicatorShown() && header->sortIndicatorSection() == c)
      width += fm.height() + margin;
    width = std::max(width, static_cast<QAbstractItemView*>(table_)->sizeHintForColumn(c));
    if (header->sectionSize(c) != width) header->resizeSection(c, width);
  }
}

void SegmentsPage::fitTableToColumns() {
  // Below this the chart's legend (three entries in a row) is cut off.
  constexpr int kChartMinimum = 440;
  const QList<int> sizes = upper_->sizes();
  if (userPlacedSplitter_ || sizes.size() != 2) return;
  const int total = sizes[0] + sizes[1];
  const int needed = table_->horizontalHeader()->length() + 2 * table_->frameWidth() +
                     table_->verticalScrollBar()->sizeHint().width();
  // The table as wide as its columns, no wider (empty space beside the last column says
  // nothing): the chart takes the rest. In a window too narrow for both, half each.
  const int width = std::min(needed, std::max(total - kChartMinimum, total / 2));
  if (total <= 0 || width == sizes[0]) return;
  upper_->setSizes({width, total - width});
}

void SegmentsPage::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  // The splitter shares a new width by its stretch factors: give the table
  // what its columns need again.
  fitTableToColumns();
}

void SegmentsPage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  fitColumns();
  fitTableToColumns();
  refresh();
  pollTimer_.start();
  // Start with the first segment's records rather than an empty panel.
  if (!table_->currentIndex().isValid() && sorted_->rowCount() > 0) {
    table_->setCurrentIndex(sorted_->index(0, 0));
  }
}

void SegmentsPage::hideEvent(QHideEvent* event) {
  QWidget::hideEvent(event);
  pollTimer_.stop();
}

void SegmentsPage::selectSegment(quint32 id) {
  const int row = segments_->rowOfSegment(id);
  if (row < 0) return;
  const QModelIndex i = sorted_->mapFromSource(segments_->index(row, 0));
  table_->setCurrentIndex(i);
  table_->scrollTo(i);
}

void SegmentsPage::showKeyRecords(const std::string& key) {
  bottomTabs_->setCurrentWidget(records_);
  records_->showKey(key);
}

void SegmentsPage::onSegmentSelected() {
  const QModelIndex i = table_->currentIndex();
  if (!i.isValid()) return;
  const quint32 id = i.data(SegmentsModel::kSegmentIdRole).toUInt();
  chart_->setSelectedSegment(id);
  bottomTabs_->setCurrentWidget(records_);
  records_->showSegment(id);
}

void SegmentsPage::onStatsChanged() {
  const auto& s = segments_->stats();
  chart_->setStats(s, bitcask::MergeThresholds{});
  if (!db_) {
    summary_->setText(tr("No database"));
    return;
  }
  QString text = tr("<b>%1</b>, %2 on disk: %3 live, %4 dead (%5 % fragmented), %6.")
                     .arg(segmentCount(s.segments), formatBytes(s.total_bytes),
                          formatBytes(s.live_bytes), formatBytes(s.dead_bytes))
                     .arg(s.fragmentation * 100, 0, 'f', 1)
                     .arg(formatCountOf(s.tombstones, tr("1 tombstone"), tr("%L1 tombstones")));
  if (!db_->isReadOnly()) {
    const bitcask::MergeThresholds t;
    text += QLatin1Char(' ') +
            (db_->db().merge_recommended()
                 ? tr("A merge is recommended.")
                 : tr("No merge needed yet: one is recommended from %1 % fragmented or %2 dead.")
                       .arg(t.fragmentation_trigger * 100, 0, 'f', 0)
                       .arg(formatBytes(t.dead_bytes_trigger)));
  }
  summary_->setText(text);
}

void SegmentsPage::updateButtons() {
  const bool open = db_ != nullptr;
  const bool busy = isBusy();
  verifyButton_->setEnabled(open && !busy);
  mergeButton_->setEnabled(open && !busy && !db_->isReadOnly());
  refreshButton_->setEnabled(open);
}

void SegmentsPage::startVerify() {
  if (!db_ || isBusy()) return;
  verifyWatcher_.start(QtConcurrent::run(taskPool(), runVerify, db_->handle()));
  strip_->follow(tr("Verifying every record and hint file…"), &verifyWatcher_);
  updateButtons();
}

void SegmentsPage::onVerifyFinished() {
  if (!verifyWatcher_.acknowledgeFinished()) return;
  updateButtons();
  if (verifyWatcher_.future().resultCount() == 0) {
    result_->setText(tr("Verify was cancelled."));
    result_->show();
    emit verifyFinished();
    return;
  }
  VerifyOutcome out = verifyWatcher_.result();
  verifyWatcher_.release();
  if (out.cancelled) {
    result_->setText(tr("Verify was cancelled."));
  } else if (!out.error.isEmpty()) {
    result_->setText(tr("Verify failed: %1").arg(out.error));
  } else {
    segments_->setVerifyOutcome(out);
    problems_->setOutcome(out);
    if (out.problems.empty()) {
      result_->setText(
          tr("Verified %1 in %2: every record and hint file is sound.")
              .arg(segmentCount(out.verifiedSizes.size()), formatDuration(out.seconds)));
    } else {
      result_->setText(
          tr("<b>Verified %1 in %2: %3</b> (see Verify Results; double-click one to see the "
             "record).")
              .arg(segmentCount(out.verifiedSizes.size()), formatDuration(out.seconds),
                   formatCountOf(out.problems.size(), tr("1 problem found"),
                                 tr("%L1 problems found"))));
      bottomTabs_->setCurrentWidget(problemsTable_);
    }
  }
  lastVerify_ = std::move(out);
  result_->show();
  emit verifyFinished();
  if (const auto all = std::exchange(mergeAfterVerify_, std::nullopt)) {
    if (lastVerify_->ok()) {
      startMerge(*all);
    } else {
      result_->setText(result_->text() + QLatin1Char(' ') + tr("The merge did not start."));
    }
  }
}

QString SegmentsPage::damagedMergeWarning() const {
  if (!lastVerify_ || !lastVerify_->ok()) return {};
  quint64 records = 0, bytes = 0;
  QStringList keys;
  for (const SegmentProblem& p : lastVerify_->problems) {
    if (p.hint) continue;  // a damaged hint is rebuilt, never merged
    ++records;
    bytes += p.problem.length;
    if (p.problem.key && keys.size() < 5) {
      keys << QStringLiteral("\u201c%1\u201d").arg(displayKey(*p.problem.key));
    }
  }
  if (records == 0) return {};
  QString text =
      tr("Verify found %1 (%2) in this database. A merge of the segments holding them saves "
         "their bytes under lost+found/ in the database folder, then removes them from the "
         "segments; a key whose current value is damaged is deleted.")
          .arg(formatCountOf(records, tr("1 damaged record"), tr("%L1 damaged records")),
               formatBytes(bytes));
  if (!keys.isEmpty()) {
    text += QLatin1Char(' ') + tr("Keys read from the damaged records: %1%2.")
                                   .arg(keys.join(QStringLiteral(", ")),
                                        records > quint64(keys.size()) ? tr(", …") : QString());
  }
  return text;
}

void SegmentsPage::startMerge(bool allSegments) {
  if (!db_ || isBusy() || db_->isReadOnly()) return;
  // A hinted segment's damage shows only when its records are read: verify
  // once before the first merge, so the damage can be named first.
  if (!lastVerify_ || !lastVerify_->ok()) {
    mergeAfterVerify_ = allSegments;
    startVerify();
    return;
  }
  const QString warning = damagedMergeWarning();
  if (!warning.isEmpty()) {
    const bool go = confirmDamagedMerge_ ? confirmDamagedMerge_(warning) : [&] {
      QMessageBox box(QMessageBox::Warning, tr("Merge a Damaged Database"),
                      tr("Merge a database with damaged records?"), QMessageBox::Cancel, this);
      box.setInformativeText(warning);
      QPushButton* merge = box.addButton(tr("&Save and Merge"), QMessageBox::AcceptRole);
      box.setDefaultButton(QMessageBox::Cancel);
      box.exec();
      return box.clickedButton() == merge;
    }();
    if (!go) {
      result_->setText(tr("Merge not started: the damaged records stay where they are."));
      result_->show();
      return;
    }
  }
  launchMerge(allSegments);
}

void SegmentsPage::launchMerge(bool allSegments) {
  mergeWatcher_.start(QtConcurrent::run(taskPool(), bb::runMerge, db_->handle(), allSegments));
  strip_->follow(tr("Merging…"), &mergeWatcher_);
  updateButtons();
}

void SegmentsPage::onMergeFinished() {
  if (!mergeWatcher_.acknowledgeFinished()) return;
  updateButtons();
  if (mergeWatcher_.future().resultCount() == 0) {
    result_->setText(tr("Merge was cancelled; the segments it finished are kept."));
    lastMerge_.reset();
  } else {
    lastMerge_ = mergeWatcher_.result();
    result_->setText(lastMerge_->summary());
  }
  mergeWatcher_.release();
  result_->show();
  // Keys moved to new segments: every view of locations starts over, and
  // the damage the merge saved away is no longer in the segments.
  if (lastMerge_ && !lastMerge_->result.damaged.empty()) {
    lastVerify_.reset();
    problems_->clear();
    segments_->clearVerifyOutcome();
  }
  if (db_) db_->notifyReset();
  refresh();
  emit mergeFinished();
}

}  // namespace bb
