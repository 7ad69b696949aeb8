#include "app/keyspage.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QStackedWidget>
#include <QStyle>
#include <QVBoxLayout>
#include <QtConcurrent>
#include <algorithm>

#include "app/filterbar.h"
#include "app/keytableview.h"
#include "app/keytreeview.h"
#include "app/matchactions.h"
#include "app/newkeydialog.h"
#include "app/settings.h"
#include "app/timing.h"
#include "core/database.h"
#include "core/editcontroller.h"
#include "core/keytablemodel.h"
#include "core/keytreemodel.h"
#include "core/taskpool.h"
#include "core/valueformat.h"

namespace bb {

KeysPage::KeysPage(EditController* controller, QWidget* parent)
    : QWidget(parent),
      controller_(controller),
      tableModel_(new KeyTableModel(this)),
      treeModel_(new KeyTreeModel(this)) {
  setObjectName(QStringLiteral("keysPage"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(6);
  filterBar_ = new FilterBar(this);
  table_ = new KeyTableView(this);
  table_->setModel(tableModel_);
  tree_ = new KeyTreeView(this);
  treeModel_->setIcons(style()->standardIcon(QStyle::SP_DirIcon),
                       style()->standardIcon(QStyle::SP_FileIcon));
  tree_->setModel(treeModel_);
  viewStack_ = new QStackedWidget(this);
  viewStack_->addWidget(table_);
  viewStack_->addWidget(tree_);
  layout->addWidget(filterBar_);
  layout->addWidget(viewStack_, 1);
  filterBar_->setEnabled(false);

  // Acting on every match of the filter, and on a selection of every row, in the background.
  matchActions_ = new MatchActions(controller_, tableModel_, this);
  matchActions_->setSelectionSource({[this] { return selectedCount(); },
                                     [this] { return isWholeListingSelected(); },
                                     [this] { return selectedKeys(); }});
  connect(matchActions_, &MatchActions::statusMessage, this, &KeysPage::statusMessage);
  connect(matchActions_, &MatchActions::finished, this, &KeysPage::selectionChanged);

  connect(&filterWatcher_, &QFutureWatcher<FilterResult>::finished, this,
          &KeysPage::onFilterFinished);
  connect(&filterWatcher_, &QFutureWatcher<FilterResult>::progressValueChanged, filterBar_,
          &FilterBar::setProgress);
  connect(filterBar_, &FilterBar::filterChanged, this, &KeysPage::applyFilter);
  connect(filterBar_, &FilterBar::cancelRequested, this, &KeysPage::cancelFilter);
  connect(treeModel_, &KeyTreeModel::errorOccurred, this, &KeysPage::errorOccurred);
  connect(tableModel_, &KeyTableModel::errorOccurred, this, &KeysPage::errorOccurred);
  connect(tableModel_, &KeyTableModel::refilterNeeded, this, &KeysPage::refilter);
  // Down from the filter goes on to the results, as in a search field.
  connect(filterBar_, &FilterBar::moveToResults, this, [this] {
    QWidget* view = viewStack_->currentWidget();
    view->setFocus();
    if (auto* v = qobject_cast<QAbstractItemView*>(view);
        v && !v->currentIndex().isValid() && v->model() && v->model()->rowCount() > 0) {
      v->setCurrentIndex(v->model()->index(0, 0));
    }
  });
  connect(tableModel_, &KeyTableModel::countChanged, this, &KeysPage::updateMatchText);
  for (QAbstractItemView* view :
       {static_cast<QAbstractItemView*>(table_), static_cast<QAbstractItemView*>(tree_)}) {
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &KeysPage::noteCurrentKey);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &KeysPage::selectionChanged);
  }
  connect(table_, &QAbstractItemView::doubleClicked, this, &KeysPage::keyActivated);
}

KeysPage::~KeysPage() {
  // QWidget deletes children before QObject drops connections: stop hearing from them first.
  tableModel_->disconnect(this);
  table_->selectionModel()->disconnect(this);
  tree_->selectionModel()->disconnect(this);
  cancelTasks();
}

void KeysPage::cancelTasks() {
  filterWatcher_.cancel();
  filterWatcher_.waitForFinished();
  matchActions_->abandon();
}

void KeysPage::setDatabase(Database* db) {
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  cancelTasks();
  db_ = db;
  current_.reset();
  tableModel_->setDatabase(db);
  treeModel_->setDatabase(db);
  filterBar_->setEnabled(db != nullptr);
  if (db_) {
    connections_ << connect(db_, &Database::keysChanged, this, &KeysPage::onKeysChanged);
    connections_ << connect(db_, &Database::reset, this, &KeysPage::refilter);
    refilter();
    updateViewMode();
    if (tableModel_->rowCount() > 0 && viewStack_->currentWidget() == table_) {
      table_->setCurrentIndex(tableModel_->index(0, 0));
    }
    if (tableModel_->rowCount() > 0) timing::sinceLaunch("first keys shown");
  }
  updateMatchText();
}

void KeysPage::addContextActions(const QList<QAction*>& actions) {
  for (QAction* a : actions) {
    if (!a) {
      a = new QAction(this);
      a->setSeparator(true);
    }
    table_->addAction(a);
    tree_->addAction(a);
  }
}

void KeysPage::focusFilter() {
  filterBar_->lineEdit()->setFocus();
  filterBar_->lineEdit()->selectAll();
}

// ==== Filtering and views ====================================================================

bool KeysPage::isFiltering() const { return filterWatcher_.isBusy(); }

void KeysPage::refilter() { applyFilter(filterBar_->filter()); }

void KeysPage::applyFilter(const KeyFilter& filter) {
  filterWatcher_.cancel();
  filterBar_->setProgress(-1);
  lastScan_.reset();
  if (!db_) return;
  if (!filter.needsScan()) {
    const std::string prefix = filter.text.toStdString();
    const auto previous = currentKey();
    tableModel_->showPrefix(prefix);
    treeModel_->setRootPrefix(prefix);
    updateViewMode();
    if (previous) selectKey(*previous);
    updateMatchText();
    // A model reset moves no current row: the value pane must hear that its key may be gone.
    noteCurrentKey();
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
  filterWatcher_.start(QtConcurrent::run(taskPool(), runFilterScan, db_->handle(), filter));
}

void KeysPage::onFilterFinished() {
  if (!filterWatcher_.acknowledgeFinished()) return;
  filterBar_->setProgress(-1);
  if (filterWatcher_.isCanceled() || filterWatcher_.future().resultCount() == 0 || !db_) return;
  FilterResult result = filterWatcher_.result();
  if (!(result.filter == filterBar_->filter())) return;  // typed on meanwhile
  const auto previous = currentKey();
  tableModel_->showMatches(result.filter, result.matches);
  result.matches.reset();  // the table holds them; lastScan_ keeps the figures
  lastScan_ = std::move(result);
  // The key shown before, when it is still listed; else the first match, or none.
  if (!(previous && selectKey(*previous)) && tableModel_->rowCount() > 0) {
    table_->setCurrentIndex(tableModel_->index(0, 0));
  }
  updateMatchText();
  timing::since("filter over all keys", filterClock_);
  noteCurrentKey();
  emit filterFinished();
}

void KeysPage::cancelFilter() {
  if (!filterWatcher_.isBusy()) return;
  filterWatcher_.cancel();
  filterBar_->setProgress(-1);
  filterBar_->setMatchText(tr("Search stopped"),
                           tr("The search was cancelled; the list shows what it showed before."));
}

void KeysPage::updateMatchText() {
  if (!db_) {
    filterBar_->setMatchText({});
  } else if (tableModel_->isFiltered()) {
    QString text = tr("%L1 of %L2 keys").arg(tableModel_->matchCount()).arg(db_->keyCount());
    QStringList details;
    if (lastScan_ && lastScan_->filter == tableModel_->filter()) {
      const FilterResult& r = *lastScan_;
      if (r.filter.searchesValues()) {
        text = tr("%L1 of %L2 keys (keys and values)")
                   .arg(tableModel_->matchCount())
                   .arg(db_->keyCount());
        details << tr("%L1 values searched.").arg(r.valuesRead);
        if (r.valuesPartial > 0) {
          details << tr("%L1 values longer than %2 were searched in their first %2 only.")
                         .arg(r.valuesPartial)
                         .arg(formatBytes(kValueSearchBytes));
        }
      }
      if (r.undecided > 0) {
        text += QStringLiteral(" · ") + tr("%L1 undecided").arg(r.undecided);
        details << tr("The pattern backtracked too much on %L1 keys or values to decide "
                      "whether they match; they are not listed. A simpler pattern (no nested "
                      "repetition such as (a+)+) decides them.")
                       .arg(r.undecided);
      }
      if (!r.unreadable.isEmpty()) {
        text += QStringLiteral(" · ") + tr("%L1 unreadable").arg(r.unreadable.size());
        details << tr("The values of %L1 keys could not be read (damaged records): %2")
                       .arg(r.unreadable.size())
                       .arg(r.unreadable.mid(0, 20).join(QStringLiteral(", ")));
      }
    }
    filterBar_->setMatchText(text, details.join(QLatin1Char('\n')));
  } else {
    filterBar_->setMatchText(formatKeyCount(db_->keyCount()));
  }
  matchActions_->update();
  emit countsChanged();
}

void KeysPage::setTreeMode(bool tree) {
  treeMode_ = tree;
  updateViewMode();
}

bool KeysPage::isShowingTree() const { return viewStack_->currentWidget() == tree_; }

void KeysPage::updateViewMode() {
  // The tree shows prefix filters; a substring or regex filter lists its matches in the table.
  const bool tree = treeMode_ && !filterBar_->filter().needsScan();
  QWidget* target = tree ? static_cast<QWidget*>(tree_) : table_;
  if (viewStack_->currentWidget() != target) {
    const auto key = currentKey();
    viewStack_->setCurrentWidget(target);
    if (key) selectKey(*key);
  }
  if (treeMode_ && !tree) {
    emit statusMessage(tr("The namespace tree shows prefix filters; these matches are "
                          "listed as a table."),
                       5000);
  }
}

std::optional<std::string> KeysPage::currentKey() const {
  if (viewStack_->currentWidget() == table_) {
    const QModelIndex i = table_->currentIndex();
    if (!i.isValid()) return std::nullopt;
    return tableModel_->keyAt(i.row());
  }
  const QModelIndex i = tree_->currentIndex();
  if (!i.isValid() || i.data(KeyTreeModel::kIsGroupRole).toBool()) return std::nullopt;
  return i.siblingAtColumn(0).data(KeyTreeModel::kKeyBytesRole).toByteArray().toStdString();
}

namespace {

// The table's selected rows as disjoint [first, last] spans in row order. Works on the
// selection's ranges: selectedRows() would make one index per row (10,000,000 of them after
// Ctrl+A). Ranges may overlap (an extended selection made in several steps).
std::vector<std::pair<int, int>> selectedRowSpans(const QItemSelectionModel* selection) {
  std::vector<std::pair<int, int>> spans;
  for (const QItemSelectionRange& r : selection->selection()) {
    if (r.isValid() && r.left() == 0) spans.emplace_back(r.top(), r.bottom());
  }
  std::sort(spans.begin(), spans.end());
  std::vector<std::pair<int, int>> merged;
  for (const auto& s : spans) {
    if (!merged.empty() && s.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, s.second);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

}  // namespace

quint64 KeysPage::selectedCount() const {
  if (viewStack_->currentWidget() == table_) {
    quint64 n = 0;
    for (const auto& [first, last] : selectedRowSpans(table_->selectionModel())) {
      n += quint64(last - first + 1);
    }
    return n;
  }
  // The tree holds the rows it has fetched only: its selection is small.
  quint64 n = 0;
  for (const QModelIndex& i : tree_->selectionModel()->selectedRows()) {
    n += i.data(KeyTreeModel::kIsGroupRole).toBool() ? 0 : 1;
  }
  return n;
}

bool KeysPage::isWholeListingSelected() const {
  if (viewStack_->currentWidget() != table_ || !db_) return false;
  const int rows = tableModel_->rowCount();
  if (rows == 0) return false;
  const auto spans = selectedRowSpans(table_->selectionModel());
  return spans.size() == 1 && spans[0].first == 0 && spans[0].second == rows - 1;
}

std::vector<std::string> KeysPage::selectedKeys() const {
  std::vector<std::string> keys;
  if (viewStack_->currentWidget() == table_) {
    for (const auto& [first, last] : selectedRowSpans(table_->selectionModel())) {
      for (int row = first; row <= last; ++row) keys.push_back(tableModel_->keyAt(row));
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

bool KeysPage::selectKey(const std::string& key) {
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

bool KeysPage::revealKey(const std::string& key) {
  if (!db_) return false;
  if (selectKey(key)) return true;
  // The filter hides it: show every key.
  filterBar_->setFilter(KeyFilter{});
  applyFilter(KeyFilter{});
  return selectKey(key);
}

void KeysPage::onKeysChanged() {
  updateMatchText();
  // The current row may have gone with the change.
  noteCurrentKey();
}

void KeysPage::noteCurrentKey() {
  // The same key selected again (a filter that still lists it) is no change: the value pane
  // keeps what it shows, unsaved edits included.
  const auto key = currentKey();
  if (key == current_) return;
  current_ = key;
  emit currentKeyChanged();
}

// ==== Edits ==================================================================================

void KeysPage::addKey() {
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

void KeysPage::renameKey() {
  if (selectedCount() != 1) return;
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

void KeysPage::duplicateKey() {
  if (selectedCount() != 1) return;
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

void KeysPage::deleteKeys() {
  if (!controller_->canEdit()) return;
  if (isWholeListingSelected()) {
    // Every row (Ctrl+A): found, asked about with the true count, and deleted in the
    // background as one undo step, without gathering the keys here.
    matchActions_->deleteListing();
    return;
  }
  if (matchActions_->refuseSelection(selectedCount(), tr("Delete"))) return;
  const auto keys = selectedKeys();
  if (keys.empty()) return;
  QString question = keys.size() == 1 ? tr("Delete the key %1?").arg(shortKey(keys[0]))
                                      : tr("Delete %L1 selected keys?").arg(keys.size());
  // Say what a selection is out of.
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
  emit statusMessage(formatCountOf(keys.size(), tr("Deleted 1 key."), tr("Deleted %L1 keys.")),
                     5000);
}

void KeysPage::copyKeys() {
  if (isWholeListingSelected()) {
    matchActions_->copyListing();
    return;
  }
  if (matchActions_->refuseSelection(selectedCount(), tr("Copy Keys"))) return;
  QStringList keys;
  for (const auto& k : selectedKeys()) keys << displayKey(k);
  QApplication::clipboard()->setText(keys.join(QLatin1Char('\n')));
}

void KeysPage::setSeparator() {
  bool ok = false;
  const QString sep = QInputDialog::getText(
      this, tr("Namespace Separator"),
      tr("Keys are grouped in the tree at this separator (for example “:” groups "
         "user:1001:name under user ▸ 1001):"),
      QLineEdit::Normal, treeModel_->separator(), &ok);
  if (ok) treeModel_->setSeparator(sep);
}

// ==== Settings ===============================================================================

void KeysPage::restoreSettings() {
  table_->horizontalHeader()->restoreState(settings::value(QStringLiteral("window/tableHeader")));
  // Not "window/treeHeader": that state is of the three columns before the Keys column.
  tree_->header()->restoreState(settings::value(QStringLiteral("window/keyTreeHeader")));
  treeModel_->setSeparator(settings::text(QStringLiteral("view/separator"), QStringLiteral(":")));
  setTreeMode(settings::text(QStringLiteral("view/tree")) == QLatin1String("true"));
}

void KeysPage::saveSettings() const {
  settings::setValue(QStringLiteral("window/tableHeader"), table_->horizontalHeader()->saveState());
  settings::setValue(QStringLiteral("window/keyTreeHeader"), tree_->header()->saveState());
  settings::setText(QStringLiteral("view/separator"), treeModel_->separator());
  settings::setText(QStringLiteral("view/tree"),
                    treeMode_ ? QStringLiteral("true") : QStringLiteral("false"));
}

}  // namespace bb
