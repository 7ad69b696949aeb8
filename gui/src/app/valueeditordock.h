// The value editor beside the key table. Views of one value:
//   Text     pretty-printed JSON with syntax colours, validated as you type
//            (the error marked at its line and column; Save stays disabled)
//   Tree     the JSON as a collapsible tree (JsonTreeModel)
//   Hex      the raw bytes (the only view of values that are not UTF-8)
//   History  older versions of the key on disk (HistoryPanel)
// The state lives in ValueDocument; this dock only shows it. While a value
// loads, or when it is too large to load without asking, LargeValuePanel
// stands in for the views.
#pragma once

#include <QDockWidget>
#include <optional>
#include <string>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTabWidget;
class QTimer;
class QTreeView;

namespace bb {

class EditController;
class HistoryPanel;
class JsonTextEdit;
class JsonTreeModel;
class LargeValuePanel;
class ValueDocument;

class ValueEditorDock : public QDockWidget {
  Q_OBJECT

 public:
  enum Tab { kTextTab, kTreeTab, kHexTab, kHistoryTab };

  explicit ValueEditorDock(EditController* controller, QWidget* parent = nullptr);

  // Shows `key` (nothing: empty).
  void showKey(const std::optional<std::string>& key);
  // The database changed these keys: reload if the shown one is among them.
  void keysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);

  ValueDocument* document() const { return document_; }
  JsonTextEdit* textEdit() const { return text_; }
  // Save and Revert show only while the value shown can be edited.
  QPushButton* saveButton() const { return save_; }
  QPushButton* revertButton() const { return revert_; }
  QLabel* errorLabel() const { return error_; }
  QTabWidget* tabs() const { return tabs_; }
  HistoryPanel* historyPanel() const { return history_; }
  QAction* saveAction() const { return saveAction_; }
  LargeValuePanel* largeValuePanel() const { return panel_; }
  QPushButton* loadAllButton() const { return loadAll_; }
  QPushButton* saveToFileButton() const { return saveToFile_; }

  // Saves the edited text (Ctrl+S). Returns whether it was saved.
  bool save();
  // Asks for a file and writes the whole value there (off the GUI thread).
  void saveToFile();

 signals:
  void statusMessage(const QString& message);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;

 private:
  void onLoaded();
  void onValidity();
  // Shows the hex dump with as many bytes a row (16 or 8) as the pane's width holds.
  void fitHexDump();

  EditController* controller_;
  ValueDocument* document_;
  JsonTreeModel* treeModel_;
  QLabel* keyLabel_;
  QLabel* note_;
  QLabel* error_;
  QStackedWidget* stack_;  // tabs_, or panel_ while a value is loading or too large
  LargeValuePanel* panel_;
  QTabWidget* tabs_;
  JsonTextEdit* text_;
  QTreeView* tree_;
  QPlainTextEdit* hex_;
  HistoryPanel* history_;
  QPushButton* save_;
  QPushButton* revert_;
  QPushButton* loadAll_;     // of a partial value
  QPushButton* saveToFile_;  // of a large value
  QAction* saveAction_;
  QTimer* validateTimer_;  // validation of a large text, after a pause in typing
  bool loading_ = false;
  int preferredTab_ = kTextTab;  // the view the user chose last
  int hexBytesPerRow_ = 0;       // of the dump shown; 0: none yet
};

}  // namespace bb
