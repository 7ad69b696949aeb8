// What the value editor shows instead of a value it has not loaded: "Loading…"
// with Cancel while a worker reads it, or, for a value over kLargeValueBytes,
// the choice of showing its first part, loading all of it, or saving it to a
// file. Only asks; ValueEditorDock acts on the answer.
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace bb {

class LargeValuePanel : public QWidget {
  Q_OBJECT

 public:
  explicit LargeValuePanel(QWidget* parent = nullptr);

  // A worker is reading a value of `bytes`.
  void showLoading(quint64 bytes);
  // A value of `bytes` waits for the user's choice: "Load all" is offered unless `refusal` says
  // why not.
  void showChoice(quint64 bytes, const QString& refusal);
  // Only `text`, no buttons (no key selected).
  void showMessage(const QString& text);

  QPushButton* firstPartButton() const { return firstPart_; }
  QPushButton* loadAllButton() const { return loadAll_; }
  QPushButton* saveToFileButton() const { return saveToFile_; }
  QPushButton* cancelButton() const { return cancel_; }
  QLabel* messageLabel() const { return message_; }

 signals:
  void firstPartRequested();
  void loadAllRequested();
  void saveToFileRequested();
  void cancelRequested();

 private:
  QLabel* message_;
  QPushButton* firstPart_;
  QPushButton* loadAll_;
  QPushButton* saveToFile_;
  QPushButton* cancel_;
};

}  // namespace bb
