#include "app/mainwindow.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QStyle>
#include <QTabWidget>
#include <QTimer>
#include <QToolBar>
#include <QUndoView>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "app/aboutdialog.h"
#include "app/benchmarkpage.h"
#include "app/filterbar.h"
#include "app/historypanel.h"
#include "app/jsontextedit.h"
#include "app/keyspage.h"
#include "app/keytableview.h"
#include "app/matchactions.h"
#include "app/messagebanner.h"
#include "app/openingpage.h"
#include "app/problemsdialog.h"
#include "app/screenfit.h"
#include "app/segmentspage.h"
#include "app/settings.h"
#include "app/startpage.h"
#include "app/taskprogressdialog.h"
#include "app/theme.h"
#include "app/valueeditordock.h"
#include "core/database.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/keytreemodel.h"
#include "core/recentdatabasesmodel.h"
#include "core/taskpool.h"
#include "core/valuedocument.h"
#include "core/valueformat.h"

namespace bb {

namespace {

// Keys the opening page lists: a few screens, read in about 0.1 s at 10M keys.
constexpr std::size_t kPreviewKeys = 1000;

std::optional<QString> localDirectoryOf(const QMimeData* mime) {
  if (!mime->hasUrls()) return std::nullopt;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) return url.toLocalFile();
  }
  return std::nullopt;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), controller_(new EditController(this)) {
  setObjectName(QStringLiteral("mainWindow"));
  setAcceptDrops(true);
  setDockOptions(AnimatedDocks | AllowTabbedDocks);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(8, 6, 4, 4);
  layout->setSpacing(6);
  banner_ = new MessageBanner(central);
  keysPage_ = new KeysPage(controller_, central);
  segmentsPage_ = new SegmentsPage(central);
  tabs_ = new QTabWidget(central);
  tabs_->setObjectName(QStringLiteral("mainTabs"));
  tabs_->setDocumentMode(true);
  tabs_->addTab(keysPage_, tr("&Keys"));
  tabs_->addTab(segmentsPage_, tr("&Segments"));
  benchmarkPage_ = new BenchmarkPage(central);
  tabs_->addTab(benchmarkPage_, tr("&Benchmarks"));
  layout->addWidget(banner_);
  layout->addWidget(tabs_, 1);
  workspace_ = central;
  recentModel_ = new RecentDatabasesModel(this);
  startPage_ = new StartPage(recentModel_, this);
  centralStack_ = new QStackedWidget(this);
  openingPage_ = new OpeningPage(this);
  centralStack_->addWidget(startPage_);
  centralStack_->addWidget(openingPage_);
  centralStack_->addWidget(workspace_);
  setCentralWidget(centralStack_);

  valueDock_ = new ValueEditorDock(controller_, this);
  addDockWidget(Qt::RightDockWidgetArea, valueDock_);
  undoView_ = new QUndoView(controller_->undoStack());
  undoView_->setEmptyLabel(tr("<opened>"));
  undoDock_ = new QDockWidget(tr("Changes"), this);
  undoDock_->setObjectName(QStringLiteral("changesDock"));
  undoDock_->setWidget(undoView_);
  addDockWidget(Qt::RightDockWidgetArea, undoDock_);
  undoDock_->hide();

  createActions();
  createMenus();
  createStatusBar();

  connect(&openWatcher_, &QFutureWatcher<OpenOutcome>::finished, this, &MainWindow::onOpenFinished);
  connect(&peekWatcher_, &QFutureWatcher<std::optional<bitcask::KeyPeek>>::finished, this, [this] {
    if (!peekWatcher_.acknowledgeFinished()) return;
    if (peekWatcher_.future().resultCount() > 0 && openingOnPage_ && openWatcher_.isBusy() &&
        !openWatcher_.isCanceled()) {
      if (const auto& peek = peekWatcher_.result()) openingPage_->showPreview(*peek);
    }
    peekWatcher_.release();
  });
  connect(openingPage_, &OpeningPage::cancelRequested, this, [this] {
    // The engine's open cannot stop half-way: it ends in the background and is dropped
    // (onOpenFinished); the window goes back at once.
    openWatcher_.cancel();
    statusBar()->showMessage(tr("Opening was cancelled."), 5000);
    updateCentralPage();
  });
  connect(&transferWatcher_, &QFutureWatcher<TransferOutcome>::finished, this, [this] {
    if (!transferWatcher_.acknowledgeFinished()) return;
    auto done = std::move(transferDone_);
    transferDone_ = {};
    TransferOutcome out;
    if (transferWatcher_.future().resultCount() > 0) {
      out = transferWatcher_.result();
    } else {
      out.cancelled = true;
      out.message = tr("Cancelled.");
    }
    if (done) done(out);
    updateActions();
  });
  connect(tabs_, &QTabWidget::currentChanged, this, [this] {
    fitTabsToCurrentPage();
    updateValueDockVisibility();
  });
  fitTabsToCurrentPage();
  connect(startPage_, &StartPage::openRequested, openAct_, &QAction::trigger);
  connect(startPage_, &StartPage::openReadOnlyRequested, openReadOnlyAct_, &QAction::trigger);
  connect(startPage_, &StartPage::newRequested, newAct_, &QAction::trigger);
  connect(startPage_, &StartPage::openRecentRequested, this,
          [this](const QString& path, bool readOnly) {
            openDatabase(path, readOnly ? OpenMode::kOpenReadOnly : OpenMode::kOpen);
          });
  connect(recentModel_, &RecentDatabasesModel::pathsChanged, this,
          [](const QStringList& paths) { settings::setRecentDatabases(paths); });
  connect(keysPage_, &KeysPage::currentKeyChanged, this, &MainWindow::onCurrentKeyChanged);
  connect(keysPage_, &KeysPage::selectionChanged, this, &MainWindow::updateActions);
  connect(keysPage_, &KeysPage::countsChanged, this, &MainWindow::updateStatus);
  connect(keysPage_, &KeysPage::filterFinished, this, &MainWindow::filterFinished);
  connect(keysPage_, &KeysPage::statusMessage, this,
          [this](const QString& m, int timeout) { statusBar()->showMessage(m, timeout); });
  connect(keysPage_, &KeysPage::errorOccurred, this, [this](const QString& message) {
    banner_->showMessage(MessageBanner::Kind::kError, message.toHtmlEscaped());
  });
  connect(keysPage_, &KeysPage::keyActivated, this, [this] {
    valueDock_->show();
    valueDock_->textEdit()->setFocus();
  });
  connect(controller_->undoStack(), &QUndoStack::indexChanged, this, &MainWindow::updateActions);
  connect(controller_, &EditController::errorOccurred, this,
          [this](const QString& message) { QMessageBox::warning(this, tr("Undo"), message); });
  connect(segmentsPage_, &SegmentsPage::showKeyRequested, this, &MainWindow::showKeyFromRecord);
  connect(segmentsPage_, &SegmentsPage::verifyFinished, this, &MainWindow::updateActions);
  connect(segmentsPage_, &SegmentsPage::mergeFinished, this, [this] {
    updateActions();
    updateStatus();
  });
  connect(valueDock_, &ValueEditorDock::statusMessage, this,
          [this](const QString& m) { statusBar()->showMessage(m, 5000); });

  restoreSettings();
  reloadRecentDatabases();
  startPage_->selectFirstRecent();
  updateCentralPage();
  updateActions();
  updateTitle();
  updateStatus();
}

MainWindow::~MainWindow() {
  // QWidget deletes children before QObject drops connections: stop hearing from them first.
  controller_->undoStack()->disconnect(this);
  controller_->disconnect(this);
  if (db_) db_->disconnect(this);
  keysPage_->disconnect(this);
  keysPage_->cancelTasks();
  segmentsPage_->disconnect(this);
  segmentsPage_->cancelTasks();
  openWatcher_.waitForFinished();
  peekWatcher_.waitForFinished();
  transferWatcher_.cancel();
  transferWatcher_.waitForFinished();
}

QAction* MainWindow::action(const QString& objectName) const {
  return findChild<QAction*>(objectName);
}

KeyTableModel* MainWindow::tableModel() const { return keysPage_->tableModel(); }
KeyTreeModel* MainWindow::treeModel() const { return keysPage_->treeModel(); }
KeyTableView* MainWindow::tableView() const { return keysPage_->tableView(); }
FilterBar* MainWindow::filterBar() const { return keysPage_->filterBar(); }
MatchActions* MainWindow::matchActions() const { return keysPage_->matchActions(); }
bool MainWindow::isFiltering() const { return keysPage_->isFiltering(); }
bool MainWindow::selectKey(const std::string& key) { return keysPage_->selectKey(key); }
std::optional<std::string> MainWindow::currentKey() const { return keysPage_->currentKey(); }
std::vector<std::string> MainWindow::selectedKeys() const { return keysPage_->selectedKeys(); }

// ==== Actions and menus ======================================================================

void MainWindow::createActions() {
  auto make = [this](const QString& name, const QString& text, const QKeySequence& shortcut,
                     auto slot) {
    auto* a = new QAction(text, this);
    a->setObjectName(name);
    if (!shortcut.isEmpty()) a->setShortcut(shortcut);
    connect(a, &QAction::triggered, this, slot);
    return a;
  };
  newAct_ = make(QStringLiteral("actionNew"), tr("&New Database…"),
                 QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), &MainWindow::newDatabase);
  openAct_ = make(QStringLiteral("actionOpen"), tr("&Open Database…"), QKeySequence::Open,
                  [this] { openDialog(OpenMode::kOpen); });
  openAct_->setIcon(style()->standardIcon(QStyle::SP_DialogOpenButton));
  openReadOnlyAct_ = make(QStringLiteral("actionOpenReadOnly"), tr("Open &Read-Only…"),
                          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                          [this] { openDialog(OpenMode::kOpenReadOnly); });
  reopenWritableAct_ =
      make(QStringLiteral("actionReopenWritable"), tr("Open for E&diting"), QKeySequence(), [this] {
        if (db_ && db_->isReadOnly() && !db_->isForeignFormat()) {
          openDatabase(db_->path(), OpenMode::kOpen);
        }
      });
  closeAct_ = make(QStringLiteral("actionClose"), tr("&Close Database"), QKeySequence::Close,
                   &MainWindow::closeDatabase);
  importAct_ = make(QStringLiteral("actionImport"), tr("&Import JSON Lines…"),
                    QKeySequence(Qt::CTRL | Qt::Key_I), &MainWindow::importJsonl);
  exportAct_ = make(QStringLiteral("actionExport"), tr("&Export JSON Lines…"),
                    QKeySequence(Qt::CTRL | Qt::Key_E), &MainWindow::exportJsonl);
  convertAct_ = make(QStringLiteral("actionConvert"), tr("Con&vert to Native Format…"),
                     QKeySequence(), &MainWindow::convertForeign);
  quitAct_ = make(QStringLiteral("actionQuit"), tr("&Quit"), QKeySequence::Quit, &QWidget::close);
  quitAct_->setMenuRole(QAction::QuitRole);

  undoAct_ = controller_->undoStack()->createUndoAction(this, tr("&Undo"));
  undoAct_->setObjectName(QStringLiteral("actionUndo"));
  undoAct_->setShortcuts({QKeySequence::Undo});
  redoAct_ = controller_->undoStack()->createRedoAction(this, tr("&Redo"));
  redoAct_->setObjectName(QStringLiteral("actionRedo"));
  redoAct_->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence::Redo});

  addAct_ = make(QStringLiteral("actionAddKey"), tr("&Add Key…"), QKeySequence::New,
                 [this] { keysPage_->addKey(); });
  renameAct_ = make(QStringLiteral("actionRenameKey"), tr("Re&name Key…"), QKeySequence(Qt::Key_F2),
                    [this] { keysPage_->renameKey(); });
  duplicateAct_ = make(QStringLiteral("actionDuplicateKey"), tr("Du&plicate Key…"),
                       QKeySequence(Qt::CTRL | Qt::Key_D), [this] { keysPage_->duplicateKey(); });
  deleteAct_ = make(QStringLiteral("actionDeleteKeys"), tr("&Delete Keys"), QKeySequence::Delete,
                    [this] { keysPage_->deleteKeys(); });
  // Delete acts on the key views only (added to them below), so it never steals the editor's
  // Delete key.
  deleteAct_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  copyKeyAct_ =
      make(QStringLiteral("actionCopyKey"), tr("&Copy Key"),
           QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), [this] { keysPage_->copyKeys(); });
  findAct_ = make(QStringLiteral("actionFind"), tr("&Filter Keys"), QKeySequence::Find,
                  [this] { keysPage_->focusFilter(); });

  treeAct_ = make(QStringLiteral("actionTreeView"), tr("&Namespace Tree"),
                  QKeySequence(Qt::CTRL | Qt::Key_T),
                  [this] { keysPage_->setTreeMode(treeAct_->isChecked()); });
  treeAct_->setCheckable(true);
  separatorAct_ = make(QStringLiteral("actionSeparator"), tr("Namespace Se&parator…"),
                       QKeySequence(), [this] { keysPage_->setSeparator(); });
  refreshAct_ = make(QStringLiteral("actionRefresh"), tr("&Reload"), QKeySequence::Refresh, [this] {
    if (db_) db_->notifyReset();
  });
  problemsAct_ = make(QStringLiteral("actionProblems"), tr("Show &Damaged Records…"),
                      QKeySequence(), &MainWindow::showProblems);
  keysAct_ = make(QStringLiteral("actionKeys"), tr("&Keys"), QKeySequence(Qt::CTRL | Qt::Key_1),
                  &MainWindow::showKeys);
  segmentsAct_ = make(QStringLiteral("actionSegments"), tr("&Segments"),
                      QKeySequence(Qt::CTRL | Qt::Key_2), &MainWindow::showSegments);
  benchmarksAct_ =
      make(QStringLiteral("actionBenchmarks"), tr("&Benchmarks"),
           QKeySequence(Qt::CTRL | Qt::Key_3), [this] { tabs_->setCurrentWidget(benchmarkPage_); });
  verifyAct_ = make(QStringLiteral("actionVerify"), tr("&Verify Database"), QKeySequence(), [this] {
    showSegments();
    segmentsPage_->startVerify();
    updateActions();
  });
  mergeAct_ =
      make(QStringLiteral("actionMerge"), tr("&Merge Sealed Segments"), QKeySequence(), [this] {
        showSegments();
        segmentsPage_->startMerge(true);
        updateActions();
      });
  keyRecordsAct_ =
      make(QStringLiteral("actionKeyRecords"), tr("Show Rec&ords on Disk"),
           QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), &MainWindow::showRecordsOfCurrentKey);
  aboutAct_ = make(QStringLiteral("actionAbout"), tr("&About Bitcask Browser"), QKeySequence(),
                   &MainWindow::about);
  aboutAct_->setMenuRole(QAction::AboutRole);

  themeGroup_ = new QActionGroup(this);
  const Theme current =
      themeFromString(settings::text(QStringLiteral("theme"), QStringLiteral("system")));
  for (Theme t : {Theme::kSystem, Theme::kLight, Theme::kDark}) {
    const QString label = t == Theme::kSystem  ? tr("Follow &System")
                          : t == Theme::kLight ? tr("&Light")
                                               : tr("&Dark");
    QAction* a = themeGroup_->addAction(label);
    a->setCheckable(true);
    a->setChecked(t == current);
    connect(a, &QAction::triggered, this, [t] {
      settings::setText(QStringLiteral("theme"), themeToString(t));
      applyTheme(t);
    });
  }

  // The key views' context menu: what reads first, what changes next, Delete last of all
  // (apart from the match-set actions), never where a stray right-click lands on it.
  // The match-set actions act on every match of the filter, in the background.
  MatchActions* matches = keysPage_->matchActions();
  keysPage_->addContextActions({copyKeyAct_, matches->copyValueAction(), matches->copyJsonAction(),
                                keyRecordsAct_, nullptr, addAct_, renameAct_, duplicateAct_,
                                nullptr, deleteAct_, nullptr, matches->exportSelectedAction(),
                                nullptr, matches->copyAllAction(), matches->exportAllAction(),
                                matches->deleteAllAction()});
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(newAct_);
  file->addAction(openAct_);
  file->addAction(openReadOnlyAct_);
  file->addAction(reopenWritableAct_);
  recentMenu_ = file->addMenu(tr("Open Recen&t"));
  connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
  file->addAction(closeAct_);
  file->addSeparator();
  file->addAction(importAct_);
  file->addAction(exportAct_);
  file->addAction(convertAct_);
  file->addSeparator();
  file->addAction(quitAct_);

  QMenu* edit = menuBar()->addMenu(tr("&Edit"));
  edit->addAction(undoAct_);
  edit->addAction(redoAct_);
  undoMenu_ = edit->addMenu(tr("Undo &History"));
  connect(undoMenu_, &QMenu::aboutToShow, this, &MainWindow::fillUndoMenu);
  edit->addSeparator();
  edit->addAction(addAct_);
  edit->addAction(renameAct_);
  edit->addAction(duplicateAct_);
  edit->addAction(deleteAct_);
  edit->addSeparator();
  edit->addAction(matchActions()->copyAllAction());
  edit->addAction(matchActions()->exportAllAction());
  edit->addAction(matchActions()->exportSelectedAction());
  edit->addAction(matchActions()->deleteAllAction());
  edit->addSeparator();
  edit->addAction(valueDock_->saveAction());
  edit->addAction(copyKeyAct_);
  edit->addAction(matchActions()->copyValueAction());
  edit->addAction(matchActions()->copyJsonAction());
  edit->addAction(findAct_);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(treeAct_);
  view->addAction(separatorAct_);
  view->addAction(keysPage_->tableView()->largestValuesAction());
  view->addSeparator();
  QAction* valueToggle = valueDock_->toggleViewAction();
  valueToggle->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_J));
  view->addAction(valueToggle);
  view->addAction(undoDock_->toggleViewAction());
  view->addSeparator();
  QMenu* theme = view->addMenu(tr("&Theme"));
  theme->addActions(themeGroup_->actions());
  view->addSeparator();
  view->addAction(refreshAct_);
  view->addAction(problemsAct_);

  view->addSeparator();
  view->addAction(keysAct_);
  view->addAction(segmentsAct_);
  view->addAction(benchmarksAct_);
  view->addAction(keyRecordsAct_);

  QMenu* tools = menuBar()->addMenu(tr("&Tools"));
  tools->addAction(verifyAct_);
  tools->addAction(mergeAct_);

  QMenu* help = menuBar()->addMenu(tr("&Help"));
  help->addAction(aboutAct_);
  QAction* aboutQt = help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
  aboutQt->setMenuRole(QAction::AboutQtRole);
}

void MainWindow::createStatusBar() {
  keysLabel_ = new QLabel(this);
  matchesLabel_ = new QLabel(this);
  sizeLabel_ = new QLabel(this);
  modeLabel_ = new QLabel(this);
  keysLabel_->setObjectName(QStringLiteral("statusKeys"));
  matchesLabel_->setObjectName(QStringLiteral("statusMatches"));
  sizeLabel_->setObjectName(QStringLiteral("statusSize"));
  modeLabel_->setObjectName(QStringLiteral("statusMode"));
  for (QLabel* l : {keysLabel_, matchesLabel_, sizeLabel_, modeLabel_}) {
    l->setContentsMargins(8, 0, 8, 0);
    statusBar()->addPermanentWidget(l);
  }
}

void MainWindow::fillRecentMenu() {
  recentMenu_->clear();
  const QStringList recent = settings::recentDatabases();
  int n = 0;
  for (const QString& path : recent) {
    ++n;
    QString label = QDir::toNativeSeparators(path);
    label.replace(QLatin1Char('&'), QStringLiteral("&&"));
    QAction* a =
        recentMenu_->addAction(n < 10 ? QStringLiteral("&%1 %2").arg(n).arg(label) : label);
    connect(a, &QAction::triggered, this, [this, path] { openDatabase(path, OpenMode::kOpen); });
  }
  if (recent.isEmpty()) recentMenu_->addAction(tr("No recent databases"))->setEnabled(false);
  recentMenu_->addSeparator();
  QAction* clear = recentMenu_->addAction(tr("&Clear List"), this, [this] {
    settings::clearRecentDatabases();
    reloadRecentDatabases();
  });
  clear->setEnabled(!recent.isEmpty());
}

void MainWindow::fillUndoMenu() {
  undoMenu_->clear();
  QUndoStack* stack = controller_->undoStack();
  if (stack->index() == 0) {
    undoMenu_->addAction(tr("Nothing to undo"))->setEnabled(false);
  }
  // Newest first: choosing an entry undoes it and everything after it.
  for (int i = stack->index() - 1, shown = 0; i >= 0 && shown < 20; --i, ++shown) {
    QAction* a = undoMenu_->addAction(tr("Undo %1").arg(stack->text(i)));
    connect(a, &QAction::triggered, stack, [stack, i] { stack->setIndex(i); });
  }
  undoMenu_->addSeparator();
  undoMenu_->addAction(undoDock_->toggleViewAction());
}

// ==== Settings ===============================================================================

void MainWindow::restoreSettings() {
  const QByteArray geometry = settings::value(QStringLiteral("window/geometry"));
  if (geometry.isEmpty() || !restoreGeometry(geometry)) {
    const QRect screen =
        this->screen() ? this->screen()->availableGeometry() : QRect(0, 0, 1280, 800);
    resize(std::min(1280, screen.width() * 9 / 10), std::min(800, screen.height() * 9 / 10));
    // Docks take their size once laid out and shown: give the value editor ~40% then (it is
    // hidden on the start page; see updateValueDockVisibility).
    valueDockNeedsWidth_ = true;
  }
  // A size saved on a larger screen (or grown by a bug) never overflows this one.
  fitToScreen(this);
  restoreState(settings::value(QStringLiteral("window/state")));
  valueDock_->historyPanel()->splitter()->restoreState(
      settings::value(QStringLiteral("window/historySplitter")));
  keysPage_->restoreSettings();
  treeAct_->setChecked(keysPage_->treeMode());
  if (settings::text(QStringLiteral("view/tab")) == QLatin1String("segments")) showSegments();
}

void MainWindow::saveSettings() {
  // The next start opens on Keys or Segments: with the value editor as the
  // user left it on Keys.
  if (valueDockAutoHidden_) valueDock_->show();
  settings::setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings::setValue(QStringLiteral("window/state"), saveState());
  settings::setValue(QStringLiteral("window/historySplitter"),
                     valueDock_->historyPanel()->splitter()->saveState());
  keysPage_->saveSettings();
  settings::setText(QStringLiteral("view/tab"), tabs_->currentWidget() == segmentsPage_
                                                    ? QStringLiteral("segments")
                                                    : QStringLiteral("keys"));
}

void MainWindow::closeEvent(QCloseEvent* event) {
  if (valueDock_->document()->isModified() && valueDock_->document()->canSave()) {
    const auto answer =
        QMessageBox::question(this, tr("Unsaved Value"),
                              tr("The value of %1 was changed. Save it before closing?")
                                  .arg(shortKey(valueDock_->document()->key())),
                              QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !valueDock_->save())) {
      event->ignore();
      return;
    }
  }
  saveSettings();
  closeDatabase();
  event->accept();
}

// ==== Opening ================================================================================

bool MainWindow::isOpening() const { return openWatcher_.isBusy(); }

void MainWindow::openDatabase(const QString& path, OpenMode mode) {
  if (openWatcher_.isBusy() || path.isEmpty()) return;
  const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
  openingPath_ = clean;
  statusBar()->showMessage(tr("Opening %1…").arg(QDir::toNativeSeparators(clean)));
  openWatcher_.start(
      QtConcurrent::run(taskPool(), [clean, mode] { return bb::openDatabase(clean, mode); }));
  // With no database open, the window shows the open on a page of its own, with the first
  // keys as soon as the hint files give them (seconds before the open ends at millions of
  // keys). With one open, a modal dialog keeps it from being used meanwhile.
  openingOnPage_ = !db_;
  if (openingOnPage_) {
    openingPage_->start(clean);
    updateCentralPage();
    if (mode != OpenMode::kCreate && !peekWatcher_.isBusy()) {
      peekWatcher_.start(QtConcurrent::run(taskPool(), [clean] {
        return bitcask::peek_first_keys(clean.toStdString(), kPreviewKeys);
      }));
    }
    return;
  }
  auto* progress =
      new TaskProgressDialog(tr("Opening %1…\nReading every record to rebuild the index.")
                                 .arg(QDir::toNativeSeparators(clean)),
                             &openWatcher_, this);
  progress->setWindowTitle(tr("Opening Database"));
}

void MainWindow::onOpenFinished() {
  if (!openWatcher_.acknowledgeFinished()) return;
  const std::optional<std::string> previewKey =
      openingOnPage_ ? openingPage_->selectedKey() : std::nullopt;
  openingOnPage_ = false;
  if (openWatcher_.isCanceled() || openWatcher_.future().resultCount() == 0) {
    openWatcher_.release();
    updateCentralPage();
    statusBar()->showMessage(tr("Opening was cancelled."), 5000);
    return;
  }
  statusBar()->clearMessage();
  const OpenOutcome outcome = openWatcher_.result();
  // The future keeps a reference to the database until it is reset.
  openWatcher_.release();
  lastOpen_ = outcome;
  if (!outcome.ok()) {
    updateCentralPage();
    showOpenError(outcome);
    emit openFailed(outcome);
    return;
  }
  installDatabase(outcome);
  if (previewKey) keysPage_->selectKey(*previewKey);
  emit databaseOpened();
}

void MainWindow::showOpenError(const OpenOutcome& outcome) {
  auto* box = new QMessageBox(QMessageBox::Warning, outcome.title, outcome.message,
                              QMessageBox::NoButton, this);
  box->setObjectName(QStringLiteral("openErrorBox"));
  box->setAttribute(Qt::WA_DeleteOnClose);
  box->setWindowModality(Qt::WindowModal);
  if (!outcome.detail.isEmpty()) box->setDetailedText(outcome.detail);
  QPushButton* readOnly = nullptr;
  const bool offerReadOnly =
      outcome.mode != OpenMode::kOpenReadOnly &&
      (outcome.error == OpenError::kLocked || outcome.error == OpenError::kPermissionDenied ||
       outcome.error == OpenError::kCorruption);
  if (offerReadOnly) readOnly = box->addButton(tr("Open &Read-Only"), QMessageBox::AcceptRole);
  box->addButton(offerReadOnly ? QMessageBox::Cancel : QMessageBox::Ok);
  if (outcome.error == OpenError::kNotFound || outcome.error == OpenError::kNotADatabase) {
    settings::removeRecentDatabase(outcome.path);
    reloadRecentDatabases();
  }
  const QString path = outcome.path;
  connect(box, &QMessageBox::buttonClicked, this, [this, box, readOnly, path](QAbstractButton* b) {
    if (readOnly && b == static_cast<QAbstractButton*>(readOnly)) {
      QMetaObject::invokeMethod(
          this, [this, path] { openDatabase(path, OpenMode::kOpenReadOnly); },
          Qt::QueuedConnection);
    }
    box->close();
  });
  box->open();
}

void MainWindow::installDatabase(const OpenOutcome& outcome) {
  closeDatabase();
  db_ = new Database(outcome.db, this);
  controller_->setDatabase(db_);
  keysPage_->setDatabase(db_);
  segmentsPage_->setDatabase(db_);
  benchmarkPage_->setDatabase(db_);
  connect(db_, &Database::keysChanged, this, &MainWindow::onKeysChanged);
  connect(db_, &Database::reset, this, [this] {
    valueDock_->document()->reload();
    valueDock_->historyPanel()->invalidate();
    updateStatus();
  });
  settings::addRecentDatabase(outcome.path);
  reloadRecentDatabases();
  updateCentralPage();
  showBanners();
  updateActions();
  updateTitle();
  updateStatus();
  QString message = tr("Opened %1: %2.").arg(db_->displayName(), formatKeyCount(db_->keyCount()));
  statusBar()->showMessage(message, 5000);
}

void MainWindow::showBanners() {
  banner_->hide();
  if (!db_) return;
  QString summary = recoverySummary(db_->db().recovery_report());
  if (!summary.isEmpty()) summary[0] = summary[0].toUpper();
  if (db_->isForeignFormat()) {
    QString text = tr("<b>Written by %1.</b> It is open read-only, in place: nothing is "
                      "written into it. Convert it to a native database to edit it (the "
                      "original stays untouched).")
                       .arg(db_->writtenBy().toHtmlEscaped());
    if (const QString live = db_->liveWriterWarning(); !live.isEmpty()) {
      text += QStringLiteral("<br><b>%1</b>").arg(live.toHtmlEscaped());
    }
    if (!summary.isEmpty()) text += QStringLiteral("<br>") + summary.toHtmlEscaped();
    QList<QAction*> actions{convertAct_};
    if (!summary.isEmpty()) actions << problemsAct_;
    banner_->showMessage(MessageBanner::Kind::kInfo, text, actions);
  } else if (db_->isReadOnly()) {
    // Said where the user looks, not only in the title: edits are off, and why.
    QString text =
        tr("<b>Open read-only.</b> Nothing is written into this folder; editing is off.");
    if (!summary.isEmpty()) text += QStringLiteral("<br>") + summary.toHtmlEscaped();
    QList<QAction*> actions{reopenWritableAct_};
    if (!summary.isEmpty()) actions << problemsAct_;
    banner_->showMessage(
        summary.isEmpty() ? MessageBanner::Kind::kInfo : MessageBanner::Kind::kWarning, text,
        actions);
  } else if (!summary.isEmpty()) {
    banner_->showMessage(MessageBanner::Kind::kWarning,
                         tr("<b>Damage found while opening.</b> %1").arg(summary.toHtmlEscaped()),
                         {problemsAct_});
  }
}

void MainWindow::closeDatabase() {
  if (!db_) return;
  keysPage_->setDatabase(nullptr);
  valueDock_->showKey(std::nullopt);
  segmentsPage_->setDatabase(nullptr);
  benchmarkPage_->setDatabase(nullptr);
  controller_->setDatabase(nullptr);
  Database* old = db_;
  db_ = nullptr;
  delete old;  // the engine closes once background tasks let go of it
  banner_->hide();
  startPage_->selectFirstRecent();
  updateCentralPage();
  updateActions();
  updateTitle();
  updateStatus();
}

void MainWindow::updateCentralPage() {
  QWidget* page = startPage_;
  if (db_) {
    page = workspace_;
  } else if (openingOnPage_ && openWatcher_.isBusy() && !openWatcher_.isCanceled()) {
    page = openingPage_;
  }
  centralStack_->setCurrentWidget(page);
  updateValueDockVisibility();
}

void MainWindow::updateValueDockVisibility() {
  const bool keys = db_ && centralStack_->currentWidget() == workspace_ &&
                    tabs_->currentWidget() != segmentsPage_ &&
                    tabs_->currentWidget() != benchmarkPage_;
  // isHidden, not isVisible: before the window is first shown, nothing is visible yet.
  if (!keys && !valueDock_->isHidden() && !valueDock_->isFloating()) {
    valueDockAutoHidden_ = true;
    valueDock_->hide();
  } else if (keys && valueDockAutoHidden_) {
    valueDockAutoHidden_ = false;
    valueDock_->show();
  }
  if (keys && valueDockNeedsWidth_ && valueDock_->isVisible()) {
    valueDockNeedsWidth_ = false;
    QTimer::singleShot(0, this, [this] {
      layout()->activate();  // the dock just shown takes part in the layout first
      resizeDocks({valueDock_}, {std::min(560, width() * 2 / 5)}, Qt::Horizontal);
    });
  }
}

void MainWindow::fitTabsToCurrentPage() {
  // A tab widget is as wide as its widest page at least: the Benchmarks page's charts and form
  // would keep the Keys tab and the value editor beside it from fitting a 1280-pixel screen.
  // Pages not shown ask for nothing.
  for (int i = 0; i < tabs_->count(); ++i) {
    const auto policy = i == tabs_->currentIndex() ? QSizePolicy::Preferred : QSizePolicy::Ignored;
    tabs_->widget(i)->setSizePolicy(policy, policy);
  }
}

void MainWindow::reloadRecentDatabases() { recentModel_->setPaths(settings::recentDatabases()); }

// ==== Keys ===================================================================================

void MainWindow::onCurrentKeyChanged() {
  valueDock_->showKey(currentKey());
  updateActions();
}

void MainWindow::onKeysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  valueDock_->keysChanged(put, removed);
  // The current row may have been removed: show what is current now.
  const auto key = currentKey();
  if (!valueDock_->document()->hasKey() || !key || *key != valueDock_->document()->key()) {
    valueDock_->showKey(key);
  }
  updateActions();
}

// ==== State ==================================================================================

void MainWindow::updateActions() {
  const bool open = db_ != nullptr;
  const bool writable = controller_->canEdit();
  const bool busy = transferWatcher_.isBusy();
  // A count: Ctrl+A selects every row, which must not be gathered on each selection change.
  const quint64 selected = open ? keysPage_->selectedCount() : 0;
  const bool one = selected == 1;
  closeAct_->setEnabled(open);
  reopenWritableAct_->setEnabled(open && db_->isReadOnly() && !db_->isForeignFormat() && !busy);
  importAct_->setEnabled(writable && !busy);
  exportAct_->setEnabled(open && !busy);
  convertAct_->setEnabled(open && db_->isForeignFormat() && !busy);
  addAct_->setEnabled(writable);
  renameAct_->setEnabled(writable && one);
  duplicateAct_->setEnabled(writable && one);
  deleteAct_->setEnabled(writable && selected > 0);
  copyKeyAct_->setEnabled(selected > 0);
  findAct_->setEnabled(open);
  refreshAct_->setEnabled(open);
  problemsAct_->setEnabled(open && !db_->db().recovery_report().clean());
  const bool segBusy = segmentsPage_->isBusy();
  verifyAct_->setEnabled(open && !segBusy);
  mergeAct_->setEnabled(open && !db_->isReadOnly() && !segBusy);
  segmentsAct_->setEnabled(open);
  keyRecordsAct_->setEnabled(one);
  deleteAct_->setText(selected > 1 ? tr("&Delete %L1 Keys").arg(selected) : tr("&Delete Key"));
  matchActions()->update();
}

void MainWindow::updateTitle() {
  if (!db_) {
    setWindowTitle(tr("Bitcask Browser"));
    setWindowFilePath({});
    return;
  }
  QString title = tr("%1 — Bitcask Browser").arg(db_->displayName());
  if (db_->isReadOnly()) title = tr("%1 [read-only] — Bitcask Browser").arg(db_->displayName());
  setWindowTitle(title);
}

void MainWindow::updateStatus() {
  if (!db_) {
    keysLabel_->setText(tr("No database"));
    matchesLabel_->hide();
    sizeLabel_->hide();
    modeLabel_->hide();
    return;
  }
  keysLabel_->setText(formatKeyCount(db_->keyCount()));
  matchesLabel_->setVisible(tableModel()->isFiltered());
  matchesLabel_->setText(
      formatCountOf(tableModel()->matchCount(), tr("1 match"), tr("%L1 matches")));
  sizeLabel_->setText(tr("%1 on disk").arg(formatBytes(db_->bytesOnDisk())));
  sizeLabel_->show();
  modeLabel_->setText(
      db_->isForeignFormat()
          ? tr("%1 · read-only").arg(db_->isPythonFormat() ? tr("pybitcask") : tr("Basho bitcask"))
      : db_->isReadOnly() ? tr("Read-only")
                          : tr("Read-write"));
  modeLabel_->setToolTip(
      db_->isReadOnly()
          ? tr("Nothing is written into this folder: no edits, no index (hint) files, no lock.")
          : tr("Edits are saved. The engine also keeps an index (a hint file) beside each data "
               "file, so that the next open is fast, and a lock file while it is open. Use "
               "File › Open Read-Only to leave the folder untouched."));
  modeLabel_->show();
}

// ==== File ===================================================================================

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
  if (localDirectoryOf(event->mimeData())) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
  if (auto dir = localDirectoryOf(event->mimeData())) {
    event->acceptProposedAction();
    openDatabase(*dir, OpenMode::kOpen);
  }
}

void MainWindow::newDatabase() {
  const QString path =
      QFileDialog::getSaveFileName(this, tr("New Database — choose a name for its folder"),
                                   QDir::homePath() + QStringLiteral("/new-database"), QString(),
                                   nullptr, QFileDialog::ShowDirsOnly);
  if (!path.isEmpty()) openDatabase(path, OpenMode::kCreate);
}

void MainWindow::openDialog(OpenMode mode) {
  const QStringList recent = settings::recentDatabases();
  const QString start = recent.isEmpty() ? QDir::homePath() : QFileInfo(recent.first()).path();
  const QString path = QFileDialog::getExistingDirectory(
      this, mode == OpenMode::kOpenReadOnly ? tr("Open Database Read-Only") : tr("Open Database"),
      start);
  if (!path.isEmpty()) openDatabase(path, mode);
}

void MainWindow::runTransfer(const QString& label, QFuture<TransferOutcome> future,
                             std::function<void(const TransferOutcome&)> done) {
  transferDone_ = std::move(done);
  transferWatcher_.start(future);
  auto* progress = new TaskProgressDialog(label, &transferWatcher_, this);
  progress->setWindowTitle(tr("Bitcask Browser"));
  updateActions();
}

void MainWindow::importJsonl() {
  if (!db_ || !controller_->canEdit()) return;
  const QString file =
      QFileDialog::getOpenFileName(this, tr("Import JSON Lines"), QDir::homePath(),
                                   tr("JSON lines (*.jsonl *.ndjson *.json);;All files (*)"));
  if (file.isEmpty()) return;
  runTransfer(tr("Importing %1…").arg(QFileInfo(file).fileName()),
              QtConcurrent::run(taskPool(), importJsonlTask, db_->handle(), file),
              [this](const TransferOutcome& out) {
                // Imports are not undoable: they can be far larger than memory.
                controller_->undoStack()->clear();
                if (db_) db_->notifyReset();
                if (out.ok) {
                  QMessageBox::information(this, tr("Import"), out.message);
                } else if (!out.cancelled) {
                  QMessageBox::warning(this, tr("Import"), out.message);
                } else {
                  statusBar()->showMessage(tr("Import cancelled; keys read before stay."), 5000);
                }
              });
}

void MainWindow::exportJsonl() {
  if (!db_) return;
  const QString file = QFileDialog::getSaveFileName(
      this, tr("Export JSON Lines"),
      QDir::homePath() + QLatin1Char('/') + db_->displayName() + QStringLiteral(".jsonl"),
      tr("JSON lines (*.jsonl)"));
  if (file.isEmpty()) return;
  runTransfer(tr("Exporting to %1…").arg(QFileInfo(file).fileName()),
              QtConcurrent::run(taskPool(), exportJsonlTask, db_->handle(), file),
              [this](const TransferOutcome& out) {
                if (out.ok && out.skipped.isEmpty()) {
                  statusBar()->showMessage(out.message, 8000);
                } else if (out.ok) {
                  QMessageBox box(QMessageBox::Warning, tr("Export"), out.message, QMessageBox::Ok,
                                  this);
                  box.setDetailedText(out.skipped.join(QLatin1Char('\n')));
                  box.exec();
                } else if (!out.cancelled) {
                  QMessageBox::warning(this, tr("Export"), out.message);
                }
              });
}

void MainWindow::convertForeign() {
  if (!db_ || !db_->isForeignFormat()) return;
  const QString source = db_->path();
  const QString target = QFileDialog::getSaveFileName(
      this, tr("Convert — choose a new folder for the native database"),
      source + QStringLiteral("-native"), QString(), nullptr, QFileDialog::ShowDirsOnly);
  if (target.isEmpty()) return;
  runTransfer(tr("Converting %1…").arg(QFileInfo(source).fileName()),
              QtConcurrent::run(taskPool(), convertForeignTask, source, target),
              [this, target](const TransferOutcome& out) {
                if (!out.ok) {
                  if (!out.cancelled) QMessageBox::warning(this, tr("Convert"), out.message);
                  return;
                }
                const auto answer = QMessageBox::question(
                    this, tr("Converted"),
                    tr("%1\n\nOpen the converted database now?").arg(out.message));
                if (answer == QMessageBox::Yes) openDatabase(target, OpenMode::kOpen);
              });
}

void MainWindow::showProblems() {
  if (!db_) return;
  ProblemsDialog dialog(db_->path(), db_->db().recovery_report(), this);
  dialog.exec();
}

void MainWindow::showSegments() { tabs_->setCurrentWidget(segmentsPage_); }

void MainWindow::showKeys() { tabs_->setCurrentIndex(0); }

void MainWindow::showKeyFromRecord(const QByteArray& key) {
  if (!db_) return;
  const std::string k = key.toStdString();
  showKeys();
  if (!keysPage_->revealKey(k)) {
    statusBar()->showMessage(tr("%1 is not a live key (deleted or expired).").arg(shortKey(k)),
                             5000);
  }
}

void MainWindow::showRecordsOfCurrentKey() {
  const auto key = currentKey();
  if (!key) return;
  showSegments();
  segmentsPage_->showKeyRecords(*key);
}

void MainWindow::about() {
  AboutDialog dialog(this);
  dialog.exec();
}

}  // namespace bb
