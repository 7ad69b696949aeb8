// The Segments tab: every segment with its figures (SegmentsModel, sortable),
// the live/dead chart with the merge thresholds (SegmentChart), the records
// of the selected segment (RecordsPanel) and what the last Verify found
// (ProblemsModel). Verify and Merge run in the background (QtConcurrent) with
// progress and Cancel in a non-modal strip, so the window stays usable and
// edits go on while they run. The figures follow the database's changes.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <functional>
#include <optional>

#include "core/taskwatcher.h"
#include "core/verifytask.h"

class QLabel;
class QPushButton;
class QSortFilterProxyModel;
class QSplitter;
class QTabWidget;
class QTableView;
class QToolButton;

namespace bb {

class Database;
class RecordsPanel;
class SegmentChart;
class SegmentsModel;
class TaskStrip;
class ProblemsModel;

class SegmentsPage : public QWidget {
  Q_OBJECT

 public:
  explicit SegmentsPage(QWidget* parent = nullptr);
  ~SegmentsPage() override;

  void setDatabase(Database* db);

  void startVerify();
  // allSegments: every sealed segment; otherwise those the thresholds pick.
  // Damage is never merged away unasked: without a Verify of this database
  // yet, one runs first; when it found damaged records, the user is told
  // what the merge will do with them (confirmDamagedMerge) before it starts.
  void startMerge(bool allSegments);
  // Asks whether to merge a damaged database; `text` says what will happen.
  // A question box by default; tests answer it themselves.
  void setDamagedMergeConfirmation(std::function<bool(const QString& text)> confirm) {
    confirmDamagedMerge_ = std::move(confirm);
  }
  // What a merge will do with the damaged records the last Verify found
  // (empty when it found none).
  QString damagedMergeWarning() const;
  bool isBusy() const;
  // Cancels a running Verify or Merge and waits for it (closing, quitting).
  void cancelTasks();

  void selectSegment(quint32 id);
  // Every record of `key`, in the records panel.
  void showKeyRecords(const std::string& key);
  // Re-reads the figures now.
  void refresh();

  SegmentsModel* segmentsModel() const { return segments_; }
  QSortFilterProxyModel* sortedSegments() const { return sorted_; }
  QTableView* segmentsTable() const { return table_; }
  SegmentChart* chart() const { return chart_; }
  RecordsPanel* recordsPanel() const { return records_; }
  ProblemsModel* verifyModel() const { return problems_; }
  const std::optional<MergeOutcome>& lastMerge() const { return lastMerge_; }
  const std::optional<VerifyOutcome>& lastVerify() const { return lastVerify_; }
  QLabel* resultLabel() const { return result_; }
  QLabel* summaryLabel() const { return summary_; }

 signals:
  void verifyFinished();
  void mergeFinished();
  void showKeyRequested(const QByteArray& key);

 protected:
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;
  void resizeEvent(QResizeEvent* event) override;

 private:
  void onSegmentSelected();
  void onStatsChanged();
  void onVerifyFinished();
  void onMergeFinished();
  void launchMerge(bool allSegments);
  // The records panel never shows a segment that is gone: the first
  // segment's records then.
  void showExistingSegment();
  void updateButtons();
  // Sizes each column to its header and cells, unless the user has resized one.
  void fitColumns();
  // Makes the table as wide as its columns (narrowing the chart down to a readable width when
  // they need it), unless the user has placed the splitter.
  void fitTableToColumns();

  QPointer<Database> db_;
  SegmentsModel* segments_;
  QSortFilterProxyModel* sorted_;
  ProblemsModel* problems_;
  QLabel* summary_;
  QLabel* result_;
  TaskStrip* strip_;
  QPushButton* verifyButton_;
  QToolButton* mergeButton_;
  QPushButton* refreshButton_;
  QTableView* table_;
  SegmentChart* chart_;
  QSplitter* upper_;
  bool userPlacedSplitter_ = false;
  bool userSizedColumns_ = false;
  bool fittingColumns_ = false;
  QTabWidget* bottomTabs_;
  RecordsPanel* records_;
  QTableView* problemsTable_;
  QTimer changeTimer_;
  QTimer pollTimer_;
  TaskWatcher<VerifyOutcome> verifyWatcher_;
  TaskWatcher<MergeOutcome> mergeWatcher_;
  std::optional<MergeOutcome> lastMerge_;
  std::optional<VerifyOutcome> lastVerify_;
  std::optional<bool> mergeAfterVerify_;  // allSegments of the merge waiting for it
  std::function<bool(const QString&)> confirmDamagedMerge_;
  QList<QMetaObject::Connection> connections_;
};

}  // namespace bb
