#include "app/newkeydialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/jsontextedit.h"
#include "core/valueformat.h"

namespace bb {

NewKeyDialog::NewKeyDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("Add Key"));
  auto* layout = new QVBoxLayout(this);
  auto* form = new QFormLayout;
  key_ = new QLineEdit(this);
  key_->setPlaceholderText(tr("for example user:1001"));
  value_ = new JsonTextEdit(this);
  value_->setPlainText(QStringLiteral("{\n  \n}"));
  form->addRow(tr("&Key:"), key_);
  form->addRow(tr("&Value (JSON):"), value_);
  error_ = new QLabel(this);
  error_->setStyleSheet(QStringLiteral("color: #d93025;"));
  error_->setWordWrap(true);
  buttons_ = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons_->button(QDialogButtonBox::Ok)->setText(tr("Add"));
  layout->addLayout(form, 1);
  layout->addWidget(error_);
  layout->addWidget(buttons_);
  connect(buttons_, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons_, &QDialogButtonBox::rejected, this, &QDialog::reject);
  connect(key_, &QLineEdit::textChanged, this, &NewKeyDialog::validate);
  connect(value_, &QPlainTextEdit::textChanged, this, &NewKeyDialog::validate);
  resize(520, 380);
  validate();
}

void NewKeyDialog::setKey(const QString& key) { key_->setText(key); }

std::string NewKeyDialog::key() const { return key_->text().toStdString(); }

QString NewKeyDialog::valueText() const { return value_->toPlainText(); }

void NewKeyDialog::validate() {
  const JsonCheck c = checkJson(value_->toPlainText());
  QString error;
  if (!c.ok) {
    error = tr("Value: line %1, column %2: %3").arg(c.line).arg(c.column).arg(c.message);
    value_->setErrorPosition(c.line, c.column);
  } else {
    value_->setErrorPosition(0, 0);
  }
  if (key_->text().isEmpty()) error = error.isEmpty() ? tr("Enter a key.") : error;
  error_->setText(error);
  buttons_->button(QDialogButtonBox::Ok)->setEnabled(c.ok && !key_->text().isEmpty());
}

}  // namespace bb
