// Help › About: the version of Bitcask Browser and of the libraries it uses.
#pragma once

#include <QDialog>

namespace bb {

class AboutDialog : public QDialog {
  Q_OBJECT

 public:
  explicit AboutDialog(QWidget* parent = nullptr);
  // The text shown, for tests and for copying.
  static QString versionText();
};

}  // namespace bb
