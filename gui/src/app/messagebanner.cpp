#include "app/messagebanner.h"

#include <QAction>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

#include "app/theme.h"

namespace bb {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent) {
  setObjectName(QStringLiteral("messageBanner"));
  setFrameShape(QFrame::StyledPanel);
  auto* layout = new QHBoxLayout(this);
  layout->setContentsMargins(10, 6, 6, 6);
  icon_ = new QLabel(this);
  text_ = new QLabel(this);
  text_->setWordWrap(true);
  text_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  buttons_ = new QHBoxLayout;
  close_ = new QPushButton(this);
  close_->setFlat(true);
  close_->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
  close_->setToolTip(tr("Hide this message"));
  close_->setFixedSize(24, 24);
  connect(close_, &QPushButton::clicked, this, &QWidget::hide);
  layout->addWidget(icon_);
  layout->addWidget(text_, 1);
  layout->addLayout(buttons_);
  layout->addWidget(close_);
  hide();
}

void MessageBanner::showMessage(Kind kind, const QString& text, const QList<QAction*>& actions) {
  kind_ = kind;
  text_->setText(text);
  while (QLayoutItem* item = buttons_->takeAt(0)) {
    delete item->widget();
    delete item;
  }
  for (QAction* a : actions) {
    auto* b = new QPushButton(a->text(), this);
    connect(b, &QPushButton::clicked, a, &QAction::trigger);
    buttons_->addWidget(b);
  }
  restyle();
  show();
}

QString MessageBanner::text() const { return text_->text(); }

void MessageBanner::changeEvent(QEvent* event) {
  QFrame::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) restyle();
}

void MessageBanner::restyle() {
  const bool dark = isDark(palette());
  QColor bg, border;
  QStyle::StandardPixmap pix = QStyle::SP_MessageBoxInformation;
  switch (kind_) {
    case Kind::kInfo:
      bg = dark ? QColor(0x1f, 0x36, 0x50) : QColor(0xe3, 0xf0, 0xfd);
      border = dark ? QColor(0x2f, 0x5a, 0x8a) : QColor(0x9c, 0xc5, 0xef);
      break;
    case Kind::kWarning:
      bg = dark ? QColor(0x4a, 0x3b, 0x12) : QColor(0xff, 0xf4, 0xce);
      border = dark ? QColor(0x8a, 0x6d, 0x1c) : QColor(0xe8, 0xc8, 0x5a);
      pix = QStyle::SP_MessageBoxWarning;
      break;
    case Kind::kError:
      bg = dark ? QColor(0x52, 0x20, 0x20) : QColor(0xfd, 0xe7, 0xe7);
      border = dark ? QColor(0x9a, 0x3a, 0x3a) : QColor(0xf0, 0xa0, 0xa0);
      pix = QStyle::SP_MessageBoxCritical;
      break;
  }
  const QString sheet = QStringLiteral(
                            "#messageBanner { background: %1; border: 1px solid %2; "
                            "border-radius: 4px; }")
                            .arg(bg.name(), border.name());
  // A style sheet change is itself a palette change: set it only when it differs.
  if (styleSheet() != sheet) setStyleSheet(sheet);
  icon_->setPixmap(style()->standardIcon(pix).pixmap(20, 20));
}

}  // namespace bb
