#include "app/largevaluepanel.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include "core/valueformat.h"
#include "core/valueread.h"

namespace bb {

LargeValuePanel::LargeValuePanel(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("largeValuePanel"));
  message_ = new QLabel(this);
  message_->setObjectName(QStringLiteral("largeValueMessage"));
  message_->setWordWrap(true);
  message_->setAlignment(Qt::AlignCenter);
  firstPart_ = new QPushButton(
      tr("Show the &First %1 (read-only)").arg(formatBytes(kPartialValueBytes)), this);
  firstPart_->setObjectName(QStringLiteral("showFirstPartButton"));
  loadAll_ = new QPushButton(tr("&Load All"), this);
  loadAll_->setObjectName(QStringLiteral("loadAllButton"));
  saveToFile_ = new QPushButton(tr("Save to F&ile…"), this);
  saveToFile_->setObjectName(QStringLiteral("saveValueToFileButton"));
  cancel_ = new QPushButton(tr("Cancel"), this);
  cancel_->setObjectName(QStringLiteral("cancelLoadingButton"));

  auto* layout = new QVBoxLayout(this);
  layout->addStretch(1);
  layout->addWidget(message_);
  layout->addSpacing(8);
  for (QPushButton* b : {firstPart_, loadAll_, saveToFile_, cancel_}) {
    layout->addWidget(b, 0, Qt::AlignHCenter);
  }
  layout->addStretch(2);

  connect(firstPart_, &QPushButton::clicked, this, &LargeValuePanel::firstPartRequested);
  connect(loadAll_, &QPushButton::clicked, this, &LargeValuePanel::loadAllRequested);
  connect(saveToFile_, &QPushButton::clicked, this, &LargeValuePanel::saveToFileRequested);
  connect(cancel_, &QPushButton::clicked, this, &LargeValuePanel::cancelRequested);
}

void LargeValuePanel::showLoading(quint64 bytes) {
  message_->setText(tr("Loading %1…").arg(formatBytes(bytes)));
  firstPart_->hide();
  loadAll_->hide();
  saveToFile_->hide();
  cancel_->show();
}

void LargeValuePanel::showChoice(quint64 bytes, const QString& refusal) {
  const bool canLoadAll = refusal.isEmpty();
  QString text = tr("This value is %1: larger than the %2 the editor opens without asking.")
                     .arg(formatBytes(bytes), formatBytes(kLargeValueBytes));
  if (!canLoadAll) {
    text += QLatin1Char(' ') + refusal + QLatin1Char(' ') +
            tr("Show its first part, or save it to a file and open it with another tool.");
  }
  message_->setText(text);
  firstPart_->show();
  loadAll_->setVisible(canLoadAll);
  loadAll_->setText(tr("&Load All %1").arg(formatBytes(bytes)));
  saveToFile_->show();
  cancel_->hide();
}

void LargeValuePanel::showMessage(const QString& text) {
  message_->setText(text);
  for (QPushButton* b : {firstPart_, loadAll_, saveToFile_, cancel_}) b->hide();
}

}  // namespace bb
