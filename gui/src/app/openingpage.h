// What the window shows while a database opens (when none is open yet): the
// path, a busy bar with Cancel, and, as soon as they are read from the hint
// files, the first keys in key order (KeyPreviewModel). The open builds the
// index of every key, which takes seconds at millions of keys; the first
// keys take a fraction of a second (bitcask::peek_first_keys). The window
// starts both; this page only shows them and asks.
#pragma once

#include <bitcask/peek.h>

#include <QWidget>
#include <optional>
#include <string>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace bb {

class KeyPreviewModel;

class OpeningPage : public QWidget {
  Q_OBJECT

 public:
  explicit OpeningPage(QWidget* parent = nullptr);

  // A new open of `path`: no keys yet.
  void start(const QString& path);
  // The first keys, as peeked.
  void showPreview(const bitcask::KeyPeek& peek);

  KeyPreviewModel* previewModel() const { return model_; }
  QTableView* previewView() const { return view_; }
  // The key the user selected in the preview: the key table selects it once it is ready.
  std::optional<std::string> selectedKey() const;

 signals:
  void cancelRequested();

 private:
  QLabel* title_;
  QLabel* caption_;
  QProgressBar* busy_;
  QPushButton* cancel_;
  QTableView* view_;
  KeyPreviewModel* model_;
};

}  // namespace bb
