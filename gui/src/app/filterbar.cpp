#include "app/filterbar.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>

#include "core/valueformat.h"

namespace bb {

namespace {

QToolButton* makeToggle(QWidget* parent, const QString& name, const QString& text) {
  auto* b = new QToolButton(parent);
  b->setObjectName(name);
  b->setText(text);
  b->setCheckable(true);
  b->setAutoRaise(false);
  b->setFocusPolicy(Qt::TabFocus);
  return b;
}

}  // namespace

FilterBar::FilterBar(QWidget* parent) : QWidget(parent) {
  setObjectName(QStringLiteral("filterBar"));
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  mode_ = new QComboBox(this);
  mode_->setObjectName(QStringLiteral("filterMode"));
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
  case_ = makeToggle(this, QStringLiteral("filterCaseToggle"), QStringLiteral("Aa"));
  case_->setAccessibleName(tr("Match case"));
  values_ = makeToggle(this, QStringLiteral("filterValuesToggle"), tr("Values"));
  values_->setAccessibleName(tr("Search values too"));
  cancel_ = new QToolButton(this);
  cancel_->setObjectName(QStringLiteral("filterCancel"));
  cancel_->setIcon(style()->standardIcon(QStyle::SP_DialogCancelButton));
  cancel_->setToolTip(tr("Stop this search"));
  cancel_->setAutoRaise(true);
  cancel_->hide();
  progress_ = new QProgressBar(this);
  progress_->setObjectName(QStringLiteral("filterProgress"));
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
  layout->addWidget(values_);
  layout->addWidget(progress_);
  layout->addWidget(cancel_);
  layout->addWidget(matches_);

  debounce_.setSingleShot(true);
  debounce_.setInterval(250);
  connect(&debounce_, &QTimer::timeout, this, [this] { emit filterChanged(filter()); });
  connect(edit_, &QLineEdit::textChanged, this, &FilterBar::changed);
  edit_->installEventFilter(this);
  connect(mode_, &QComboBox::currentIndexChanged, this, [this] {
    updateToggles();
    changed();
  });
  connect(case_, &QToolButton::toggled, this, [this] {
    updateToggles();
    changed();
  });
  connect(values_, &QToolButton::toggled, this, [this] {
    updateToggles();
    changed();
  });
  connect(cancel_, &QToolButton::clicked, this, &FilterBar::cancelRequested);
  updateToggles();
  restyle();
}

KeyFilter FilterBar::filter() const {
  KeyFilter f;
  f.mode = static_cast<KeyFilter::Mode>(mode_->currentData().toInt());
  f.text = edit_->text();
  f.caseSensitive = case_->isChecked();
  f.searchValues = values_->isChecked();
  return f;
}

void FilterBar::setFilter(const KeyFilter& filter) {
  {
    const QSignalBlocker b1(mode_), b2(edit_), b3(case_), b4(values_);
    mode_->setCurrentIndex(mode_->findData(int(filter.mode)));
    edit_->setText(filter.text);
    case_->setChecked(filter.caseSensitive);
    values_->setChecked(filter.searchValues);
  }
  updateToggles();
  debounce_.stop();
  emit filterChanged(this->filter());
}

void FilterBar::updateToggles() {
  const bool scan = filter().mode != KeyFilter::Mode::kPrefix;
  case_->setEnabled(scan);
  values_->setEnabled(scan);
  // The tooltip says the state in words too, for whoever cannot tell the colours apart.
  case_->setToolTip(
      !scan ? tr("Match case: a prefix is always matched exactly")
      : case_->isChecked()
          ? tr("Match case: on — “User” does not find “user” (click for case-insensitive)")
          : tr("Match case: off — “user” also finds “User” and “USER” (click to match case)"));
  values_->setToolTip(
      !scan ? tr("Search values: for Contains and Regex filters")
      : values_->isChecked()
          ? tr("Search values: on — a key matches when its key or its value does (the first "
               "%1 of each value; runs in the background)")
                .arg(formatBytes(kValueSearchBytes))
          : tr("Search values: off — only keys are searched (click to search inside values "
               "too)"));
}

void FilterBar::changed() {
  setError({});
  debounce_.start();
}

void FilterBar::setMatchText(const QString& text, const QString& details) {
  matches_->setStyleSheet({});
  matches_->setText(text);
  matches_->setToolTip(details);
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
  matches_->setToolTip(error);
}

void FilterBar::setProgress(int permille) {
  progress_->setVisible(permille >= 0);
  cancel_->setVisible(permille >= 0);
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

void FilterBar::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) restyle();
}

void FilterBar::restyle() {
  // From the bar's palette, set on the toggles themselves: a style sheet on the bar would fix
  // its palette, and a theme change would no longer reach it.
  const QPalette p = palette();
  // Unchecked: an outlined button; checked: filled with the selection colour, bold. A
  // checked toggle must not look like a hovered or pressed one in either palette.
  const QString sheet =
      QStringLiteral(
          "QToolButton { border: 1px solid %1; border-radius: 3px; padding: 2px 6px;"
          " background: %2; color: %3; }"
          "QToolButton:checked { background: %4; color: %5; border-color: %4; font-weight: bold; }"
          "QToolButton:disabled { color: %6; border-color: %6; }")
          .arg(p.color(QPalette::Mid).name(), p.color(QPalette::Base).name(),
               p.color(QPalette::Text).name(), p.color(QPalette::Highlight).name(),
               p.color(QPalette::HighlightedText).name(),
               p.color(QPalette::Disabled, QPalette::Text).name());
  for (QToolButton* toggle : {case_, values_}) {
    if (toggle->styleSheet() != sheet) toggle->setStyleSheet(sheet);
  }
}

}  // namespace bb
