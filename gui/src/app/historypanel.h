// The History tab: older versions of the selected key still on disk, a diff
// of the chosen version against the current value, and Restore (an undoable
// edit). The versions are found off the GUI thread, through a
// KeyHistorySource (core/keyhistory.h), cancelled when the key changes.
#pragma once

#include <QFutureWatcher>
#include <QPointer>
#include <QWidget>
#include <memory>
#include <optional>
#include <string>

#include "core/keyhistory.h"

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QSplitter;
class QTableView;

namespace bb {

class Database;
class EditController;
class HistoryModel;

class HistoryPanel : public QWidget {
  Q_OBJECT

 public:
  explicit HistoryPanel(EditController* controller, QWidget* parent = nullptr);
  ~HistoryPanel() override;

  // The key to show (nothing: empty). Loads only while the tab is visible.
  void setKey(const std::optional<std::string>& key);
  // Forgets the versions (the database changed).
  void invalidate();
  HistoryModel* model() const { return model_; }
  QSplitter* splitter() const { return splitter_; }
  // Waits for a running search (tests).
  void waitForSearch();

 protected:
  void showEvent(QShowEvent* event) override;

 private:
  void load();
  void onVersionsFound();
  void onCurrentChanged();
  void restore();

  EditController* controller_;
  HistoryModel* model_;
  QTableView* table_;
  QPlainTextEdit* diff_;
  QPushButton* restore_;
  QLabel* status_;
  QSplitter* splitter_;
  std::optional<std::string> key_;
  bool stale_ = true;
  std::shared_ptr<KeyHistorySource> source_;
  QFutureWatcher<std::vector<KeyVersion>> watcher_;
};

}  // namespace bb
