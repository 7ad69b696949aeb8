#include "app/mainwindow.h"

#include <QAbstractButton>
#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
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
#include "app/keytableview.h"
#include "app/keytreeview.h"
#include "app/matchactions.h"
#include "app/messagebanner.h"
#include "app/newkeydialog.h"
#include "app/problemsdialog.h"
#include "app/screenfit.h"
#include "app/segmentspage.h"
#include "app/settings.h"
#include "app/taskprogressdialog.h"
#include "app/theme.h"
#include "app/timing.h"
#include "app/valueeditordock.h"
#include "core/database.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/keytreemodel.h"
#include "core/valuedocument.h"
#include "core/valueformat.h"

namespace bb {

namespace {

std::optional<QString> localDirectoryOf(const QMimeData* mime) {
  if (!mime->hasUrls()) return std::nullopt;
  for (const QUrl& url : mime->urls()) {
    if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isDir()) return url.toLocalFile();
  }
  return std::nullopt;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      controller_(new EditController(this)),
      tableModel_(new KeyTableModel(this)),
      treeModel_(new KeyTreeModel(this)) {
  setObjectName(QStringLiteral("mainWindow"));
  setAcceptDrops(true);
  setDockOptions(AnimatedDocks | AllowTabbedDocks);

  auto* central = new QWidget(this);
  auto* layout = new QVBoxLayout(central);
  layout->setContentsMargins(8, 6, 4, 4);
  layout->setSpacing(6);
  banner_ = new MessageBanner(central);
  filterBar_ = new FilterBar(central);
  table_ = new KeyTableView(central);
  table_->setModel(tableModel_);
  tree_ = new KeyTreeView(central);
  treeModel_->setIcons(style()->standardIcon(QStyle::SP_DirIcon),
                       style()->standardIcon(QStyle::SP_FileIcon));
  tree_->setModel(treeModel_);
  viewStack_ = new QStackedWidget(central);
  viewStack_->addWidget(table_);
  viewStack_->addWidget(tree_);
  auto* keysPage = new QWidget(central);
  auto* keysLayout = new QVBoxLayout(keysPage);
  keysLayout->setContentsMargins(0, 0, 0, 0);
  keysLayout->setSpacing(6);
  filterBar_->setParent(keysPage);
  viewStack_->setParent(keysPage);
  keysLayout->addWidget(filterBar_);
  keysLayout->addWidget(viewStack_, 1);
  segmentsPage_ = new SegmentsPage(central);
  tabs_ = new QTabWidget(central);
  tabs_->setObjectName(QStringLiteral("mainTabs"));
  tabs_->setDocumentMode(true);
  tabs_->addTab(keysPage, tr("&Keys"));
  tabs_->addTab(segmentsPage_, tr("&Segments"));
  benchmarkPage_ = new BenchmarkPage(central);
  tabs_->addTab(benchmarkPage_, tr("&Benchmarks"));
  layout->addWidget(banner_);
  layout->addWidget(tabs_, 1);
  setCentralWidget(central);

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
  connect(&filterWatcher_, &QFutureWatcher<FilterResult>::finished, this,
          &MainWindow::onFilterFinished);
  connect(&filterWatcher_, &QFutureWatcher<FilterResult>::progressValueChanged, filterBar_,
          &FilterBar::setProgress);
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
    const bool benchmarks = tabs_->currentWidget() == benchmarkPage_;
    if (benchmarks && valueDock_->isVisible() && !valueDock_->isFloating()) {
      valueDockHiddenForBenchmarks_ = true;
      valueDock_->hide();
    } else if (!benchmarks && valueDockHiddenForBenchmarks_) {
      valueDockHiddenForBenchmarks_ = false;
      valueDock_->show();
    }
  });
  connect(filterBar_, &FilterBar::filterChanged, this, &MainWindow::applyFilter);
  // Down from the filter goes on to the results, as in a search field.
  connect(filterBar_, &FilterBar::moveToResults, this, [this] {
    QWidget* view = viewStack_->currentWidget();
    view->setFocus();
    if (auto* v = qobject_cast<QAbstractItemView*>(view);
        v && !v->currentIndex().isValid() && v->model() && v->model()->rowCount() > 0) {
      v->setCurrentIndex(v->model()->index(0, 0));
    }
  });
  connect(tableModel_, &KeyTableModel::countChanged, this, &MainWindow::updateMatchText);
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &MainWindow::onCurrentKeyChanged);
  connect(table_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::updateActions);
  connect(tree_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &MainWindow::onCurrentKeyChanged);
  connect(tree_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &MainWindow::updateActions);
  connect(table_, &QAbstractItemView::doubleClicked, this, [this] {
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
  updateActions();
  updateTitle();
  updateStatus();
}

MainWindow::~MainWindow() {
  // QWidget deletes children before QObject drops connections: stop hearing from them first.
  controller_->undoStack()->disconnect(this);
  controller_->disconnect(this);
  tableModel_->disconnect(this);
  table_->selectionModel()->disconnect(this);
  tree_->selectionModel()->disconnect(this);
  if (db_) db_->disconnect(this);
  segmentsPage_->disconnect(this);
  segmentsPage_->cancelTasks();
  filterWatcher_.cancel();
  filterWatcher_.waitForFinished();
  openWatcher_.waitForFinished();
  transferWatcher_.cancel();
  transferWatcher_.waitForFinished();
}

QAction* MainWindow::action(const QString& objectName) const {
  return findChild<QAction*>(objectName);
}

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

  addAct_ =
      make(QStringLiteral("actionAddKey"), tr("&Add Key…"), QKeySequence::New, &MainWindow::addKey);
  renameAct_ = make(QStringLiteral("actionRenameKey"), tr("Re&name Key…"), QKeySequence(Qt::Key_F2),
                    &MainWindow::renameKey);
  duplicateAct_ = make(QStringLiteral("actionDuplicateKey"), tr("D&uplicate Key…"),
                       QKeySequence(Qt::CTRL | Qt::Key_D), &MainWindow::duplicateKey);
  deleteAct_ = make(QStringLiteral("actionDeleteKeys"), tr("&Delete Keys"), QKeySequence::Delete,
                    &MainWindow::deleteKeys);
  // Delete acts on the key views only (added to them below), so it never steals the editor's
  // Delete key.
  deleteAct_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  copyKeyAct_ = make(QStringLiteral("actionCopyKey"), tr("&Copy Key"),
                     QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), [this] {
                       QStringList keys;
                       for (const auto& k : selectedKeys()) keys << displayKey(k);
                       QApplication::clipboard()->setText(keys.join(QLatin1Char('\n')));
                     });
  findAct_ = make(QStringLiteral("actionFind"), tr("&Filter Keys"), QKeySequence::Find, [this] {
    filterBar_->lineEdit()->setFocus();
    filterBar_->lineEdit()->selectAll();
  });

  treeAct_ = make(QStringLiteral("actionTreeView"), tr("&Namespace Tree"),
                  QKeySequence(Qt::CTRL | Qt::Key_T), &MainWindow::updateViewMode);
  treeAct_->setCheckable(true);
  separatorAct_ = make(QStringLiteral("actionSeparator"), tr("Namespace &Separator…"),
                       QKeySequence(), &MainWindow::setSeparator);
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
      make(QStringLiteral("actionKeyRecords"), tr("Show &Records on Disk"),
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
  auto separator = [this] {
    auto* s = new QAction(this);
    s->setSeparator(true);
    return s;
  };
  for (QAction* a : {copyKeyAct_, keyRecordsAct_, separator(), addAct_, renameAct_, duplicateAct_,
                     separator(), deleteAct_}) {
    table_->addAction(a);
    tree_->addAction(a);
  }

  // Acting on every match of the filter, not only the loaded rows a selection can hold.
  matchActions_ = new MatchActions(controller_, tableModel_, this);
  for (QAction* a : {separator(), matchActions_->copyAllAction(), matchActions_->exportAllAction(),
                     matchActions_->deleteAllAction()}) {
    table_->addAction(a);
    tree_->addAction(a);
  }
  connect(matchActions_, &MatchActions::statusMessage, this,
          [this](const QString& m, int timeout) { statusBar()->showMessage(m, timeout); });
  connect(matchActions_, &MatchActions::finished, this, &MainWindow::updateActions);
}

void MainWindow::createMenus() {
  QMenu* file = menuBar()->addMenu(tr("&File"));
  file->addAction(newAct_);
  file->addAction(openAct_);
  file->addAction(openReadOnlyAct_);
  recentMenu_ = file->addMenu(tr("Open &Recent"));
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
  edit->addAction(matchActions_->copyAllAction());
  edit->addAction(matchActions_->exportAllAction());
  edit->addAction(matchActions_->deleteAllAction());
  edit->addSeparator();
  edit->addAction(valueDock_->saveAction());
  edit->addAction(copyKeyAct_);
  edit->addAction(findAct_);

  QMenu* view = menuBar()->addMenu(tr("&View"));
  view->addAction(treeAct_);
  view->addAction(separatorAct_);
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
  QAction* clear =
      recentMenu_->addAction(tr("&Clear List"), [] { settings::clearRecentDatabases(); });
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
    // Docks take their size once laid out: give the value editor ~40% then.
    QTimer::singleShot(0, this, [this] {
      resizeDocks({valueDock_}, {std::min(560, width() * 2 / 5)}, Qt::Horizontal);
    });
  }
  // A size saved on a larger screen (or grown by a bug) never overflows this one.
  fitToScreen(this);
  restoreState(settings::value(QStringLiteral("window/state")));
  table_->horizontalHeader()->restoreState(settings::value(QStringLiteral("window/tableHeader")));
  tree_->header()->restoreState(settings::value(QStringLiteral("window/treeHeader")));
  valueDock_->historyPanel()->splitter()->restoreState(
      settings::value(QStringLiteral("window/historySplitter")));
  treeModel_->setSeparator(settings::text(QStringLiteral("view/separator"), QStringLiteral(":")));
  treeAct_->setChecked(settings::text(QStringLiteral("view/tree")) == QLatin1String("true"));
  if (settings::text(QStringLiteral("view/tab")) == QLatin1String("segments")) showSegments();
  updateViewMode();
}

void MainWindow::saveSettings() {
  // The next start opens on Keys or Segments: with the value editor as the
  // user left it there.
  if (valueDockHiddenForBenchmarks_) valueDock_->show();
  settings::setValue(QStringLiteral("window/geometry"), saveGeometry());
  settings::setValue(QStringLiteral("window/state"), saveState());
  settings::setValue(QStringLiteral("window/tableHeader"), table_->horizontalHeader()->saveState());
  settings::setValue(QStringLiteral("window/treeHeader"), tree_->header()->saveState());
  settings::setValue(QStringLiteral("window/historySplitter"),
                     valueDock_->historyPanel()->splitter()->saveState());
  settings::setText(QStringLiteral("view/separator"), treeModel_->separator());
  settings::setText(QStringLiteral("view/tree"),
                    treeAct_->isChecked() ? QStringLiteral("true") : QStringLiteral("false"));
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
  openWatcher_.start(QtConcurrent::run([clean, mode] { return bb::openDatabase(clean, mode); }));
  auto* progress =
      new TaskProgressDialog(tr("Opening %1…\nReading every record to rebuild the index.")
                                 .arg(QDir::toNativeSeparators(clean)),
                             &openWatcher_, this);
  progress->setWindowTitle(tr("Opening Database"));
}

void MainWindow::onOpenFinished() {
  if (!openWatcher_.acknowledgeFinished()) return;
  statusBar()->clearMessage();
  if (openWatcher_.isCanceled() || openWatcher_.future().resultCount() == 0) {
    statusBar()->showMessage(tr("Opening was cancelled."), 5000);
    return;
  }
  const OpenOutcome outcome = openWatcher_.result();
  // The future keeps a reference to the database until it is reset.
  openWatcher_.release();
  lastOpen_ = outcome;
  if (!outcome.ok()) {
    showOpenError(outcome);
    emit openFailed(outcome);
    return;
  }
  installDatabase(outcome);
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
  tableModel_->setDatabase(db_);
  treeModel_->setDatabase(db_);
  segmentsPage_->setDatabase(db_);
  benchmarkPage_->setDatabase(db_);
  connect(db_, &Database::keysChanged, this, &MainWindow::onKeysChanged);
  connect(db_, &Database::reset, this, [this] {
    valueDock_->document()->reload();
    valueDock_->historyPanel()->invalidate();
    applyFilter(filterBar_->filter());
    updateStatus();
  });
  settings::addRecentDatabase(outcome.path);
  showBanners();
  applyFilter(filterBar_->filter());
  updateViewMode();
  updateActions();
  updateTitle();
  updateStatus();
  if (tableModel_->rowCount() > 0 && viewStack_->currentWidget() == table_) {
    table_->setCurrentIndex(tableModel_->index(0, 0));
  }
  if (tableModel_->rowCount() > 0) timing::sinceLaunch("first keys shown");
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
  } else if (!summary.isEmpty()) {
    banner_->showMessage(MessageBanner::Kind::kWarning,
                         tr("<b>Damage found while opening.</b> %1").arg(summary.toHtmlEscaped()),
                         {problemsAct_});
  }
}

void MainWindow::closeDatabase() {
  if (!db_) return;
  filterWatcher_.cancel();
  filterWatcher_.waitForFinished();
  matchActions_->abandon();
  valueDock_->showKey(std::nullopt);
  segmentsPage_->setDatabase(nullptr);
  benchmarkPage_->setDatabase(nullptr);
  tableModel_->setDatabase(nullptr);
  treeModel_->setDatabase(nullptr);
  controller_->setDatabase(nullptr);
  Database* old = db_;
  db_ = nullptr;
  delete old;  // the engine closes once background tasks let go of it
  banner_->hide();
  updateActions();
  updateTitle();
  updateStatus();
  updateMatchText();
}

// ==== Filtering and views ====================================================================

bool MainWindow::isFiltering() const { return filterWatcher_.isBusy(); }

void MainWindow::applyFilter(const KeyFilter& filter) {
  filterWatcher_.cancel();
  filterBar_->setProgress(-1);
  if (!db_) return;
  if (!filter.needsScan()) {
    const std::string prefix = filter.text.toStdString();
    tableModel_->showPrefix(prefix);
    treeModel_->setRootPrefix(prefix);
    updateViewMode();
    updateMatchText();
    emit filterFinished();
    return;
  }
  const KeyMatcher matcher(filter);
  if (!matcher.isValid()) {
    filterBar_->setError(matcher.error());
    emit filterFinished();
    return;
  }
  updateViewMode();
  filterBar_->setProgress(0);
  filterBar_->setMatchText(tr("Searching…"));
  filterClock_.start();
  filterWatcher_.start(QtConcurrent::run(runFilterScan, db_->handle(), filter));
}

void MainWindow::onFilterFinished() {
  if (!filterWatcher_.acknowledgeFinished()) return;
  filterBar_->setProgress(-1);
  if (filterWatcher_.isCanceled() || filterWatcher_.future().resultCount() == 0 || !db_) return;
  FilterResult result = filterWatcher_.result();
  if (!(result.filter == filterBar_->filter())) return;  // typed on meanwhile
  tableModel_->showMatches(result.filter, result.matches);
  if (tableModel_->rowCount() > 0) table_->setCurrentIndex(tableModel_->index(0, 0));
  updateMatchText();
  timing::since("filter over all keys", filterClock_);
  emit filterFinished();
}

void MainWindow::updateMatchText() {
  if (!db_) {
    filterBar_->setMatchText({});
    updateStatus();
    return;
  }
  const quint64 total = db_->keyCount();
  if (tableModel_->isFiltered()) {
    filterBar_->setMatchText(tr("%L1 of %L2 keys").arg(tableModel_->matchCount()).arg(total));
  } else {
    filterBar_->setMatchText(formatKeyCount(total));
  }
  matchActions_->update();
  updateStatus();
}

void MainWindow::updateViewMode() {
  // The tree shows prefix filters; a substring or regex filter lists its matches in the table.
  const bool tree = treeAct_->isChecked() && !filterBar_->filter().needsScan();
  QWidget* target = tree ? static_cast<QWidget*>(tree_) : table_;
  if (viewStack_->currentWidget() != target) {
    const auto key = currentKey();
    viewStack_->setCurrentWidget(target);
    if (key) selectKey(*key);
  }
  if (treeAct_->isChecked() && !tree) {
    statusBar()->showMessage(tr("The namespace tree shows prefix filters; these matches are "
                                "listed as a table."),
                             5000);
  }
}

std::optional<std::string> MainWindow::currentKey() const {
  if (viewStack_->currentWidget() == table_) {
    const QModelIndex i = table_->currentIndex();
    if (!i.isValid()) return std::nullopt;
    return tableModel_->keyAt(i.row());
  }
  const QModelIndex i = tree_->currentIndex();
  if (!i.isValid() || i.data(KeyTreeModel::kIsGroupRole).toBool()) return std::nullopt;
  return i.siblingAtColumn(0).data(KeyTreeModel::kKeyBytesRole).toByteArray().toStdString();
}

std::vector<std::string> MainWindow::selectedKeys() const {
  std::vector<std::string> keys;
  if (viewStack_->currentWidget() == table_) {
    for (const QModelIndex& i : table_->selectionModel()->selectedRows()) {
      keys.push_back(tableModel_->keyAt(i.row()));
    }
  } else {
    for (const QModelIndex& i : tree_->selectionModel()->selectedRows()) {
      if (!i.data(KeyTreeModel::kIsGroupRole).toBool()) {
        keys.push_back(i.data(KeyTreeModel::kKeyBytesRole).toByteArray().toStdString());
      }
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool MainWindow::selectKey(const std::string& key) {
  if (viewStack_->currentWidget() == table_) {
    const int row = tableModel_->ensureLoaded(key);
    if (row < 0) return false;
    const QModelIndex i = tableModel_->index(row, 0);
    table_->setCurrentIndex(i);
    table_->selectionModel()->select(
        i, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    table_->scrollTo(i);
    return true;
  }
  const QModelIndex i = treeModel_->indexOfKey(key);
  if (!i.isValid()) return false;
  for (QModelIndex p = i.parent(); p.isValid(); p = p.parent()) tree_->expand(p);
  tree_->setCurrentIndex(i);
  tree_->scrollTo(i);
  return true;
}

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
  updateMatchText();
  updateActions();
}

// ==== State ==================================================================================

void MainWindow::updateActions() {
  const bool open = db_ != nullptr;
  const bool writable = controller_->canEdit();
  const bool busy = transferWatcher_.isBusy();
  const auto keys = open ? selectedKeys() : std::vector<std::string>{};
  const bool one = keys.size() == 1;
  closeAct_->setEnabled(open);
  importAct_->setEnabled(writable && !busy);
  exportAct_->setEnabled(open && !busy);
  convertAct_->setEnabled(open && db_->isForeignFormat() && !busy);
  addAct_->setEnabled(writable);
  renameAct_->setEnabled(writable && one);
  duplicateAct_->setEnabled(writable && one);
  deleteAct_->setEnabled(writable && !keys.empty());
  copyKeyAct_->setEnabled(!keys.empty());
  findAct_->setEnabled(open);
  refreshAct_->setEnabled(open);
  problemsAct_->setEnabled(open && !db_->db().recovery_report().clean());
  const bool segBusy = segmentsPage_->isBusy();
  verifyAct_->setEnabled(open && !segBusy);
  mergeAct_->setEnabled(open && !db_->isReadOnly() && !segBusy);
  segmentsAct_->setEnabled(open);
  keyRecordsAct_->setEnabled(one);
  filterBar_->setEnabled(open);
  deleteAct_->setText(keys.size() > 1 ? tr("&Delete %n Keys", nullptr, int(keys.size()))
                                      : tr("&Delete Key"));
  matchActions_->update();
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
  matchesLabel_->setVisible(tableModel_->isFiltered());
  matchesLabel_->setText(
      formatCountOf(tableModel_->matchCount(), tr("1 match"), tr("%L1 matches")));
  sizeLabel_->setText(tr("%1 on disk").arg(formatBytes(db_->bytesOnDisk())));
  sizeLabel_->show();
  modeLabel_->setText(
      db_->isForeignFormat()
          ? tr("%1 · read-only").arg(db_->isPythonFormat() ? tr("pybitcask") : tr("Basho bitcask"))
      : db_->isReadOnly() ? tr("Read-only")
                          : tr("Read-write"));
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
              QtConcurrent::run(importJsonlTask, db_->handle(), file),
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
  runTransfer(
      tr("Exporting to %1…").arg(QFileInfo(file).fileName()),
      QtConcurrent::run(exportJsonlTask, db_->handle(), file), [this](const TransferOutcome& out) {
        if (out.ok && out.skipped.isEmpty()) {
          statusBar()->showMessage(out.message, 8000);
        } else if (out.ok) {
          QMessageBox box(QMessageBox::Warning, tr("Export"), out.message, QMessageBox::Ok, this);
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
              QtConcurrent::run(convertForeignTask, source, target),
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

// ==== Edit ===================================================================================

void MainWindow::addKey() {
  if (!controller_->canEdit()) return;
  NewKeyDialog dialog(this);
  // Start from the namespace the user is in.
  QString prefix =
      filterBar_->filter().mode == KeyFilter::Mode::kPrefix ? filterBar_->filter().text : QString();
  if (viewStack_->currentWidget() == tree_) {
    const QModelIndex i = tree_->currentIndex();
    if (i.isValid() && i.data(KeyTreeModel::kIsGroupRole).toBool()) {
      prefix =
          QString::fromUtf8(i.siblingAtColumn(0).data(KeyTreeModel::kPrefixRole).toByteArray());
    }
  }
  dialog.setKey(prefix);
  while (dialog.exec() == QDialog::Accepted) {
    const EditResult r = controller_->addKey(dialog.key(), dialog.valueText());
    if (r) {
      selectKey(dialog.key());
      return;
    }
    QMessageBox::warning(this, tr("Add Key"), r.error);
  }
}

void MainWindow::renameKey() {
  const auto keys = selectedKeys();
  if (keys.size() != 1) return;
  bool ok = false;
  const QString to = QInputDialog::getText(this, tr("Rename Key"), tr("New name:"),
                                           QLineEdit::Normal, QString::fromStdString(keys[0]), &ok);
  if (!ok || to.isEmpty()) return;
  const EditResult r = controller_->renameKey(keys[0], to.toStdString());
  if (!r) {
    QMessageBox::warning(this, tr("Rename Key"), r.error);
  } else {
    selectKey(to.toStdString());
  }
}

void MainWindow::duplicateKey() {
  const auto keys = selectedKeys();
  if (keys.size() != 1) return;
  bool ok = false;
  const QString to =
      QInputDialog::getText(this, tr("Duplicate Key"), tr("Name of the copy:"), QLineEdit::Normal,
                            QString::fromStdString(keys[0]) + QStringLiteral("-copy"), &ok);
  if (!ok || to.isEmpty()) return;
  const EditResult r = controller_->duplicateKey(keys[0], to.toStdString());
  if (!r) {
    QMessageBox::warning(this, tr("Duplicate Key"), r.error);
  } else {
    selectKey(to.toStdString());
  }
}

void MainWindow::deleteKeys() {
  const auto keys = selectedKeys();
  if (keys.empty() || !controller_->canEdit()) return;
  QString question = keys.size() == 1 ? tr("Delete the key %1?").arg(shortKey(keys[0]))
                                      : tr("Delete %L1 selected keys?").arg(keys.size());
  // Say what a selection is out of: Ctrl+A selects only the rows loaded so far.
  const quint64 shown = tableModel_->matchCount();
  QString more;
  if (keys.size() > 1 && shown > keys.size()) {
    question = tableModel_->isFiltered()
                   ? tr("Delete %L1 selected keys (of %L2 matches)?").arg(keys.size()).arg(shown)
                   : tr("Delete %L1 selected keys (of %L2 keys)?").arg(keys.size()).arg(shown);
    if (tableModel_->isFiltered()) {
      more = tr("To delete every match, use Edit › Delete All %L1 Matches.").arg(shown) +
             QStringLiteral("\n\n");
    }
  }
  const auto answer = QMessageBox::question(
      this, tr("Delete"),
      question + QStringLiteral("\n\n") + more + tr("You can undo this with Ctrl+Z."),
      QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
  if (answer != QMessageBox::Yes) return;
  const int row = table_->currentIndex().row();
  const EditResult r = controller_->deleteKeys(keys);
  if (!r) {
    QMessageBox::warning(this, tr("Delete"), r.error);
    return;
  }
  if (viewStack_->currentWidget() == table_ && tableModel_->rowCount() > 0) {
    table_->setCurrentIndex(tableModel_->index(std::min(row, tableModel_->rowCount() - 1), 0));
  }
  statusBar()->showMessage(
      formatCountOf(keys.size(), tr("Deleted 1 key."), tr("Deleted %L1 keys.")), 5000);
}

void MainWindow::setSeparator() {
  bool ok = false;
  const QString sep = QInputDialog::getText(
      this, tr("Namespace Separator"),
      tr("Keys are grouped in the tree at this separator (for example “:” groups "
         "user:1001:name under user ▸ 1001):"),
      QLineEdit::Normal, treeModel_->separator(), &ok);
  if (ok) treeModel_->setSeparator(sep);
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
  if (selectKey(k)) return;
  // The filter hides it: show every key.
  filterBar_->setFilter(KeyFilter{});
  applyFilter(KeyFilter{});
  if (!selectKey(k)) {
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
