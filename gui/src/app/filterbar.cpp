#include "app/filterbar.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QToolButton>

namespace bb {

FilterBar::FilterBar(QWidget* parent) : QWidget(parent) {
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  mode_ = new QComboBox(this);
  mode_->addItem(tr("Prefix"), int(KeyFilter::Mode::kPrefix));
  mode_->addItem(tr("Contains"), int(KeyFilter::Mode::kSubstring));
  mode_->addItem(tr("Regex"), int(KeyFilter::Mode::kRegex));
  mode_->setToolTip(
      tr("How the filter matches keys: by prefix (instant, uses the index), by "
         "substring, or by regular expression (both search every key)"));
  edit_ = new QLineEdit(this);
  edit_->setObjectName(QStringLiteral("filterEdit"));
  edit_->setClearButtonEnabled(true);
  edit_->setPlaceholderText(tr("Filter keys (Ctrl+F)"));
  case_ = new QToolButton(this);
  case_->setText(QStringLiteral("Aa"));
  case_->setCheckable(true);
  case_->setChecked(true);
  case_->setToolTip(tr("Match case (substring and regex filters)"));
  case_->setEnabled(false);
  progress_ = new QProgressBar(this);
  progress_->setRange(0, 1000);
  progress_->setMaximumWidth(120);
  progress_->setTextVisible(false);
  progress_->hide();
  matches_ = new QLabel(this);
  matches_->setObjectName(QStringLiteral("matchLabel"));
  matches_->setMinimumWidth(160);
  matches_->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
  layout->addWidget(mode_);
  layout->addWidget(edit_, 1);
  layout->addWidget(case_);
  layout->addWidget(progress_);
  layout->addWidget(matches_);

  debounce_.setSingleShot(true);
  debounce_.setInterval(250);
  connect(&debounce_, &QTimer::timeout, this, [this] { emit filterChanged(filter()); });
  connect(edit_, &QLineEdit::textChanged, this, &FilterBar::changed);
  edit_->installEventFilter(this);
  connect(mode_, &QComboBox::currentIndexChanged, this, [this] {
    case_->setEnabled(filter().mode != KeyFilter::Mode::kPrefix);
    changed();
  });
  connect(case_, &QToolButton::toggled, this, &FilterBar::changed);
}

KeyFilter FilterBar::filter() const {
  KeyFilter f;
  f.mode = static_cast<KeyFilter::Mode>(mode_->currentData().toInt());
  f.text = edit_->text();
  f.caseSensitive = case_->isChecked();
  return f;
}

void FilterBar::setFilter(const KeyFilter& filter) {
  const QSignalBlocker b1(mode_), b2(edit_), b3(case_);
  mode_->setCurrentIndex(mode_->findData(int(filter.mode)));
  edit_->setText(filter.text);
  case_->setChecked(filter.caseSensitive);
  case_->setEnabled(filter.mode != KeyFilter::Mode::kPrefix);
  debounce_.stop();
  emit filterChanged(this->filter());
}

void FilterBar::changed() {
  setError({});
  debounce_.start();
}

void FilterBar::setMatchText(const QString& text) {
  matches_->setStyleSheet({});
  matches_->setText(text);
}

void FilterBar::setError(const QString& error) {
  if (error.isEmpty()) {
    edit_->setStyleSheet({});
    edit_->setToolTip({});
    return;
  }
  edit_->setStyleSheet(QStringLiteral("QLineEdit { border: 1px solid #d93025; }"));
  edit_->setToolTip(error);
  matches_->setStyleSheet(QStringLiteral("color: #d93025;"));
  matches_->setText(tr("Invalid pattern"));
}

void FilterBar::setProgress(int permille) {
  progress_->setVisible(permille >= 0);
  if (permille >= 0) progress_->setValue(permille);
}

bool FilterBar::eventFilter(QObject* watched, QEvent* event) {
  if (watched == edit_ && event->type() == QEvent::KeyPress) {
    const int key = static_cast<QKeyEvent*>(event)->key();
    if (key == Qt::Key_Escape && !edit_->text().isEmpty()) {
      edit_->clear();
      return true;
    }
    if (key == Qt::Key_Down) {
      emit moveToResults();
      return true;
    }
  }
  return QWidget::eventFilter(watched, event);
}

}  // namespace bb
