#include "app/taskstrip.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace bb {

TaskStrip::TaskStrip(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  label_ = new QLabel(this);
  label_->setObjectName(QStringLiteral("taskLabel"));
  // Progress texts name segments and sizes: they never widen the window.
  label_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  bar_ = new QProgressBar(this);
  bar_->setRange(0, 1000);
  bar_->setTextVisible(true);
  bar_->setFormat(QStringLiteral("%p %"));
  bar_->setMaximumWidth(260);
  cancel_ = new QToolButton(this);
  cancel_->setText(tr("Cancel"));
  cancel_->setObjectName(QStringLiteral("taskCancel"));
  layout->addWidget(label_, 1);
  layout->addWidget(bar_);
  layout->addWidget(cancel_);
  connect(cancel_, &QToolButton::clicked, this, [this] {
    if (watcher_ && !watcher_->isFinished()) {
      watcher_->cancel();
      label_->setText(tr("Cancelling…"));
      cancel_->setEnabled(false);
    }
  });
  hide();
}

void TaskStrip::follow(const QString& label, QFutureWatcherBase* watcher) {
  for (const auto& c : connections_) disconnect(c);
  connections_.clear();
  watcher_ = watcher;
  label_->setText(label);
  bar_->setRange(0, 1000);
  bar_->setValue(0);
  cancel_->setEnabled(true);
  connections_ << connect(watcher, &QFutureWatcherBase::progressRangeChanged, bar_,
                          &QProgressBar::setRange);
  connections_ << connect(watcher, &QFutureWatcherBase::progressValueChanged, bar_,
                          &QProgressBar::setValue);
  connections_ << connect(watcher, &QFutureWatcherBase::progressTextChanged, this,
                          [this](const QString& text) {
                            if (!text.isEmpty() && cancel_->isEnabled()) label_->setText(text);
                          });
  connections_ << connect(watcher, &QFutureWatcherBase::finished, this, &QWidget::hide);
  show();
}

}  // namespace bb
