// A coloured bar above the key table for things the user should know about
// the open database (written by the Python version, damaged records found),
// with buttons for what to do about them.
#pragma once

#include <QFrame>
#include <QList>

class QLabel;
class QHBoxLayout;
class QPushButton;

namespace bb {

class MessageBanner : public QFrame {
  Q_OBJECT

 public:
  enum class Kind { kInfo, kWarning, kError };

  explicit MessageBanner(QWidget* parent = nullptr);

  // Shows `text` with one button per action (the banner hides on close).
  void showMessage(Kind kind, const QString& text, const QList<QAction*>& actions = {});
  QString text() const;

 protected:
  void changeEvent(QEvent* event) override;

 private:
  void restyle();

  Kind kind_ = Kind::kInfo;
  QLabel* icon_;
  QLabel* text_;
  QHBoxLayout* buttons_;
  QPushButton* close_;
};

}  // namespace bb
