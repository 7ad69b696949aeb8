#include "app/taskprogressdialog.h"

namespace bb {

TaskProgressDialog::TaskProgressDialog(const QString& label, QFutureWatcherBase* watcher,
                                       QWidget* parent)
    : QProgressDialog(label, tr("Cancel"), 0, 0, parent) {
  setWindowModality(Qt::WindowModal);
  setMinimumDuration(400);
  setAutoClose(false);
  setAutoReset(false);
  setAttribute(Qt::WA_DeleteOnClose);
  connect(watcher, &QFutureWatcherBase::progressRangeChanged, this,
          [this](int min, int max) { setRange(min, max); });
  connect(watcher, &QFutureWatcherBase::progressValueChanged, this, &QProgressDialog::setValue);
  connect(watcher, &QFutureWatcherBase::progressTextChanged, this, [this](const QString& text) {
    if (!text.isEmpty()) setLabelText(text);
  });
  // Closing the dialog emits canceled() too: cancel only a task still running.
  connect(this, &QProgressDialog::canceled, watcher, [watcher] {
    if (!watcher->isFinished()) watcher->cancel();
  });
  connect(watcher, &QFutureWatcherBase::finished, this, &QWidget::close);
}

}  // namespace bb
