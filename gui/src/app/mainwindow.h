// The main window: menus and shortcuts, the pages in tabs (KeysPage,
// SegmentsPage, BenchmarkPage), the value editor docked beside them, banners
// for what the user should know about the open database, and the status bar.
// It composes the pages and wires them to the menus; the work is done by the
// pages, the models, EditController, and background tasks (open, import,
// export).
#pragma once

#include <bitcask/peek.h>

#include <QMainWindow>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/opener.h"
#include "core/taskwatcher.h"
#include "core/transfer.h"

class QAction;
class QActionGroup;
class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;
class QUndoView;

namespace bb {

class BenchmarkPage;
class Database;
class EditController;
class FilterBar;
class KeysPage;
class KeyTableModel;
class MatchActions;
class KeyTableView;
class KeyTreeModel;
class MessageBanner;
class OpeningPage;
class RecentDatabasesModel;
class SegmentsPage;
class StartPage;
class ValueEditorDock;

class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QWidget* parent = nullptr);
  ~MainWindow() override;

  // Opens `path` in the background: the window stays responsive, a progress
  // dialog appears when it takes long. Errors are shown in the window.
  void openDatabase(const QString& path, OpenMode mode = OpenMode::kOpen);
  void closeDatabase();
  bool isOpening() const;

  // For tests and scripting.
  Database* database() const { return db_; }
  EditController* editController() const { return controller_; }
  KeysPage* keysPage() const { return keysPage_; }
  KeyTableModel* tableModel() const;
  KeyTreeModel* treeModel() const;
  KeyTableView* tableView() const;
  FilterBar* filterBar() const;
  ValueEditorDock* valueEditor() const { return valueDock_; }
  MatchActions* matchActions() const;
  MessageBanner* banner() const { return banner_; }
  SegmentsPage* segmentsPage() const { return segmentsPage_; }
  BenchmarkPage* benchmarkPage() const { return benchmarkPage_; }
  QTabWidget* tabs() const { return tabs_; }
  // Shown instead of the tabs while no database is open.
  StartPage* startPage() const { return startPage_; }
  OpeningPage* openingPage() const { return openingPage_; }
  RecentDatabasesModel* recentDatabases() const { return recentModel_; }
  // The Segments tab, or the Keys tab.
  void showSegments();
  void showKeys();
  const OpenOutcome& lastOpenOutcome() const { return lastOpen_; }
  bool isFiltering() const;
  QAction* action(const QString& objectName) const;
  // The Keys page's: selects `key` in the visible view (waiting for the key listing when it is
  // still read).
  bool selectKey(const std::string& key);
  std::optional<std::string> currentKey() const;
  std::vector<std::string> selectedKeys() const;

 signals:
  void databaseOpened();
  void openFailed(const bb::OpenOutcome& outcome);
  void filterFinished();

 protected:
  void closeEvent(QCloseEvent* event) override;
  void dragEnterEvent(QDragEnterEvent* event) override;
  void dropEvent(QDropEvent* event) override;

 private:
  void createActions();
  void createMenus();
  void createStatusBar();
  void restoreSettings();
  void saveSettings();

  void onOpenFinished();
  void installDatabase(const OpenOutcome& outcome);
  void showOpenError(const OpenOutcome& outcome);
  void showBanners();
  // The start page without a database, the tabs with one.
  void updateCentralPage();
  // The value editor shows on the Keys tab only (see valueDockAutoHidden_).
  void updateValueDockVisibility();
  void reloadRecentDatabases();
  // Only the current tab's page sets the tabs' minimum size.
  void fitTabsToCurrentPage();

  void onCurrentKeyChanged();
  void onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);

  void updateActions();
  void updateTitle();
  void updateStatus();
  void fillRecentMenu();
  void fillUndoMenu();

  // File
  void newDatabase();
  void openDialog(OpenMode mode);
  void importJsonl();
  void exportJsonl();
  void convertForeign();
  void runTransfer(const QString& label, QFuture<TransferOutcome> future,
                   std::function<void(const TransferOutcome&)> done);
  void about();
  void showProblems();
  // Keys ⇄ records.
  void showKeyFromRecord(const QByteArray& key);
  void showRecordsOfCurrentKey();

  Database* db_ = nullptr;
  EditController* controller_;
  MessageBanner* banner_;
  QTabWidget* tabs_;
  KeysPage* keysPage_;
  SegmentsPage* segmentsPage_;
  BenchmarkPage* benchmarkPage_;
  ValueEditorDock* valueDock_;
  // The value editor is about the current key: the start page, the Segments
  // and the Benchmarks tab have none, and want the width. Hidden there when
  // it was shown, back on the Keys tab.
  bool valueDockAutoHidden_ = false;
  // No saved layout: the value editor gets its first width once it shows.
  bool valueDockNeedsWidth_ = false;
  QStackedWidget* centralStack_;
  QWidget* workspace_;
  StartPage* startPage_;
  OpeningPage* openingPage_;
  RecentDatabasesModel* recentModel_;
  QDockWidget* undoDock_;
  QUndoView* undoView_;
  QLabel* keysLabel_;
  QLabel* matchesLabel_;
  QLabel* sizeLabel_;
  QLabel* modeLabel_;

  QMenu* recentMenu_ = nullptr;
  QMenu* undoMenu_ = nullptr;
  QAction* newAct_;
  QAction* openAct_;
  QAction* openReadOnlyAct_;
  QAction* reopenWritableAct_;
  QAction* closeAct_;
  QAction* importAct_;
  QAction* exportAct_;
  QAction* convertAct_;
  QAction* quitAct_;
  QAction* undoAct_;
  QAction* redoAct_;
  QAction* addAct_;
  QAction* renameAct_;
  QAction* duplicateAct_;
  QAction* deleteAct_;
  QAction* findAct_;
  QAction* copyKeyAct_;
  QAction* treeAct_;
  QAction* separatorAct_;
  QAction* refreshAct_;
  QAction* problemsAct_;
  QAction* segmentsAct_;
  QAction* benchmarksAct_;
  QAction* keysAct_;
  QAction* verifyAct_;
  QAction* mergeAct_;
  QAction* keyRecordsAct_;
  QAction* aboutAct_;
  QActionGroup* themeGroup_;

  TaskWatcher<OpenOutcome> openWatcher_;
  // The first keys, read from the hint files while the open runs (OpeningPage).
  TaskWatcher<std::optional<bitcask::KeyPeek>> peekWatcher_;
  // The open shows OpeningPage (no database was open) rather than a progress dialog.
  bool openingOnPage_ = false;
  TaskWatcher<TransferOutcome> transferWatcher_;
  std::function<void(const TransferOutcome&)> transferDone_;
  OpenOutcome lastOpen_;
  QString openingPath_;
};

}  // namespace bb
