// Add Key: a key and its JSON value, validated as typed; OK only when both
// are acceptable.
#pragma once

#include <QDialog>
#include <string>

class QDialogButtonBox;
class QLabel;
class QLineEdit;

namespace bb {

class JsonTextEdit;

class NewKeyDialog : public QDialog {
  Q_OBJECT

 public:
  explicit NewKeyDialog(QWidget* parent = nullptr);

  void setKey(const QString& key);
  std::string key() const;
  QString valueText() const;

 private:
  void validate();

  QLineEdit* key_;
  JsonTextEdit* value_;
  QLabel* error_;
  QDialogButtonBox* buttons_;
};

}  // namespace bb
