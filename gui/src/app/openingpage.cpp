#include "app/openingpage.h"

#include <QDir>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

#include "core/keypreviewmodel.h"
#include "core/valueformat.h"

namespace bb {

OpeningPage::OpeningPage(QWidget* parent)
    : QWidget(parent),
      title_(new QLabel(this)),
      caption_(new QLabel(this)),
      busy_(new QProgressBar(this)),
      cancel_(new QPushButton(tr("&Cancel"), this)),
      view_(new QTableView(this)),
      model_(new KeyPreviewModel(this)) {
  setObjectName(QStringLiteral("openingPage"));
  QFont big = title_->font();
  big.setPointSizeF(big.pointSizeF() * 1.3);
  big.setBold(true);
  title_->setFont(big);
  title_->setTextFormat(Qt::PlainText);
  title_->setWordWrap(true);
  caption_->setWordWrap(true);
  caption_->setTextFormat(Qt::PlainText);
  busy_->setRange(0, 0);  // the open reports no progress: busy
  busy_->setTextVisible(false);
  busy_->setMaximumWidth(360);

  view_->setObjectName(QStringLiteral("keyPreviewView"));
  view_->setModel(model_);
  view_->setSelectionBehavior(QAbstractItemView::SelectRows);
  view_->setSelectionMode(QAbstractItemView::SingleSelection);
  view_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view_->setAlternatingRowColors(true);
  view_->setWordWrap(false);
  view_->setTextElideMode(Qt::ElideMiddle);
  view_->verticalHeader()->hide();
  view_->verticalHeader()->setDefaultSectionSize(view_->fontMetrics().height() + 6);
  view_->horizontalHeader()->setSectionResizeMode(KeyPreviewModel::kKeyColumn,
                                                  QHeaderView::Stretch);
  view_->horizontalHeader()->setHighlightSections(false);
  view_->hide();

  auto* bar = new QHBoxLayout;
  bar->addWidget(busy_, 1);
  bar->addWidget(cancel_);
  bar->addStretch(1);
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(16, 16, 16, 16);
  layout->addWidget(title_);
  layout->addLayout(bar);
  layout->addWidget(caption_);
  layout->addWidget(view_, 1);
  layout->addStretch(0);
  connect(cancel_, &QPushButton::clicked, this, &OpeningPage::cancelRequested);
}

void OpeningPage::start(const QString& path) {
  model_->clear();
  view_->hide();
  title_->setText(tr("Opening %1…").arg(QDir::toNativeSeparators(path)));
  caption_->setText(
      tr("Reading every record's place into memory, so that keys and values can be found at "
         "once."));
  cancel_->setEnabled(true);
}

void OpeningPage::showPreview(const bitcask::KeyPeek& peek) {
  model_->setKeys(peek.keys);
  if (peek.keys.empty()) return;
  caption_->setText(
      tr("The first %1 in key order, read from the hint files. Filtering, values, editing and "
         "the other tabs are ready when every key is read (the hint files list up to %2).")
          .arg(formatKeyCount(peek.keys.size()), formatKeyCount(peek.listed_entries)));
  for (int c : {KeyPreviewModel::kSizeColumn, KeyPreviewModel::kTimestampColumn,
                KeyPreviewModel::kSegmentColumn}) {
    view_->resizeColumnToContents(c);
  }
  view_->show();
}

std::optional<std::string> OpeningPage::selectedKey() const {
  const QModelIndex current = view_->currentIndex();
  if (!current.isValid() || !view_->selectionModel()->isSelected(current)) return std::nullopt;
  return model_->keyAt(current.row()).key;
}

}  // namespace bb
