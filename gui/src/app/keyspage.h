// The Keys tab: the filter bar above the key table or the namespace tree,
// the filter task (a scan over every key, run in the background with
// progress and cancel), the actions on every match (MatchActions) and the
// edits of the selected keys (through EditController). The value editor
// beside it follows currentKeyChanged; the window composes it with the
// other pages and puts its actions in the menus.
#pragma once

#include <QElapsedTimer>
#include <QPointer>
#include <QWidget>
#include <optional>
#include <string>
#include <vector>

#include "core/keyfilter.h"
#include "core/taskwatcher.h"

class QAction;
class QStackedWidget;

namespace bb {

class Database;
class EditController;
class FilterBar;
class KeyTableModel;
class KeyTableView;
class KeyTreeModel;
class KeyTreeView;
class MatchActions;

class KeysPage : public QWidget {
  Q_OBJECT

 public:
  explicit KeysPage(EditController* controller, QWidget* parent = nullptr);
  ~KeysPage() override;

  void setDatabase(Database* db);

  KeyTableModel* tableModel() const { return tableModel_; }
  KeyTreeModel* treeModel() const { return treeModel_; }
  KeyTableView* tableView() const { return table_; }
  KeyTreeView* treeView() const { return tree_; }
  FilterBar* filterBar() const { return filterBar_; }
  MatchActions* matchActions() const { return matchActions_; }

  // The namespace tree instead of the table (prefix filters only: a scan's
  // matches are listed in the table).
  void setTreeMode(bool tree);
  bool treeMode() const { return treeMode_; }
  bool isShowingTree() const;
  // Actions offered in the views' context menu (nullptr: a separator).
  void addContextActions(const QList<QAction*>& actions);

  bool isFiltering() const;
  // Runs `filter` now (no debounce); a scan finishes in the background.
  void applyFilter(const KeyFilter& filter);
  // Re-runs the current filter (the keys changed under it).
  void refilter();
  // Stops a running search (the filter bar's Cancel).
  void cancelFilter();
  // The figures of the last search whose matches are listed (values read, undecided, ...).
  const std::optional<FilterResult>& lastScan() const { return lastScan_; }
  // Ctrl+F: into the filter's text.
  void focusFilter();

  // Selects `key` in the visible view (waiting for the key listing when it is still read).
  bool selectKey(const std::string& key);
  // Selects `key`, clearing the filter when it hides the key; false when it is not a live key.
  bool revealKey(const std::string& key);
  std::optional<std::string> currentKey() const;
  // The selected keys, sorted. Gathers them one by one: callers first look at
  // isWholeListingSelected() and selectedCount() (Ctrl+A selects up to millions of rows).
  std::vector<std::string> selectedKeys() const;
  // How many keys are selected, without gathering them.
  quint64 selectedCount() const;
  // Whether every row of the table's listing is selected (Ctrl+A): the selected-key actions
  // then act on the listing through MatchActions, in the background.
  bool isWholeListingSelected() const;

  // Edits of the selected keys, asking what they need to know.
  void addKey();
  void renameKey();
  void duplicateKey();
  void deleteKeys();
  void copyKeys();
  void setSeparator();

  void restoreSettings();
  void saveSettings() const;
  // Stops the background tasks before the database closes.
  void cancelTasks();

 signals:
  // The key the value editor should show changed (current row, filter, edits).
  void currentKeyChanged();
  void selectionChanged();
  // A row was activated (double click): the value editor wants the focus.
  void keyActivated();
  // The match count or the key count changed.
  void countsChanged();
  void filterFinished();
  void statusMessage(const QString& text, int timeoutMs);
  // A model could not read the keys (the engine's message).
  void errorOccurred(const QString& message);

 private:
  void onFilterFinished();
  void updateMatchText();
  void updateViewMode();
  void onKeysChanged();
  // Emits currentKeyChanged when the current key differs from the one last told.
  void noteCurrentKey();

  EditController* controller_;
  QPointer<Database> db_;
  KeyTableModel* tableModel_;
  KeyTreeModel* treeModel_;
  FilterBar* filterBar_;
  QStackedWidget* viewStack_;
  KeyTableView* table_;
  KeyTreeView* tree_;
  MatchActions* matchActions_;
  bool treeMode_ = false;
  TaskWatcher<FilterResult> filterWatcher_;
  std::optional<std::string> current_;    // the key currentKeyChanged last told of
  std::optional<FilterResult> lastScan_;  // without its matches (the table has them)
  QElapsedTimer filterClock_;             // for timing::since
  QList<QMetaObject::Connection> connections_;
};

}  // namespace bb
