#include "app/startpage.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QVBoxLayout>
#include <algorithm>

#include "core/recentdatabasesmodel.h"

namespace bb {

namespace {
// The column of the page: wide enough for a path, narrow enough to read.
constexpr int kMaxColumnWidth = 720;

// A recent database on two lines: its name in bold, the folder it is in below, dimmer.
class RecentDelegate : public QStyledItemDelegate {
 public:
  using QStyledItemDelegate::QStyledItemDelegate;

  QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex&) const override {
    return {200, QFontMetrics(boldOf(option.font)).height() + QFontMetrics(option.font).height() +
                     2 * kPad};
  }

  void paint(QPainter* painter, const QStyleOptionViewItem& option,
             const QModelIndex& index) const override {
    QStyleOptionViewItem opt(option);
    initStyleOption(&opt, index);
    const QString name = opt.text;
    opt.text.clear();
    // Background, selection and focus as the style draws them.
    const QStyle* style = opt.widget ? opt.widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);
    const QRect r = opt.rect.adjusted(kPad + 2, kPad, -kPad, -kPad);
    const QPalette::ColorGroup group =
        opt.state & QStyle::State_Enabled ? QPalette::Normal : QPalette::Disabled;
    const QColor text = opt.palette.color(
        group, opt.state & QStyle::State_Selected ? QPalette::HighlightedText : QPalette::Text);
    QColor dim = text;
    dim.setAlphaF(0.7);
    const QFont bold = boldOf(opt.font);
    const QFontMetrics boldMetrics(bold), metrics(opt.font);
    painter->save();
    painter->setFont(bold);
    painter->setPen(index.data(RecentDatabasesModel::kMissingRole).toBool() ? dim : text);
    painter->drawText(QRect(r.left(), r.top(), r.width(), boldMetrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      boldMetrics.elidedText(name, Qt::ElideRight, r.width()));
    painter->setFont(opt.font);
    painter->setPen(dim);
    const QString where = index.data(RecentDatabasesModel::kLocationRole).toString();
    painter->drawText(QRect(r.left(), r.top() + boldMetrics.height(), r.width(), metrics.height()),
                      Qt::AlignLeft | Qt::AlignVCenter,
                      metrics.elidedText(where, Qt::ElideMiddle, r.width()));
    painter->restore();
  }

 private:
  static constexpr int kPad = 5;
  static QFont boldOf(QFont font) {
    font.setBold(true);
    return font;
  }
};

}  // namespace

StartPage::StartPage(RecentDatabasesModel* recent, QWidget* parent)
    : QWidget(parent), recent_(recent) {
  setObjectName(QStringLiteral("startPage"));

  auto* column = new QWidget(this);
  column->setMaximumWidth(kMaxColumnWidth);
  auto* layout = new QVBoxLayout(column);
  layout->setContentsMargins(0, 0, 0, 0);
  layout->setSpacing(10);

  auto* icon = new QLabel(column);
  icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
  auto* title = new QLabel(tr("Bitcask Browser"), column);
  QFont big = title->font();
  big.setPointSizeF(big.pointSizeF() * 1.6);
  big.setBold(true);
  title->setFont(big);
  auto* subtitle =
      new QLabel(tr("Browse and edit Bitcask databases: this engine's, those of the Python "
                    "pybitcask package, and Basho bitcask's (Riak)."),
                 column);
  subtitle->setWordWrap(true);
  auto* titles = new QVBoxLayout;
  titles->setSpacing(2);
  titles->addWidget(title);
  titles->addWidget(subtitle);
  auto* head = new QHBoxLayout;
  head->setSpacing(14);
  head->addWidget(icon, 0, Qt::AlignTop);
  head->addLayout(titles, 1);
  layout->addLayout(head);
  layout->addSpacing(8);

  auto* open = new QPushButton(tr("&Open Database…"), column);
  open->setObjectName(QStringLiteral("startOpen"));
  open->setToolTip(tr("Open a database folder to browse and edit it (Ctrl+O)"));
  auto* openReadOnly = new QPushButton(tr("Open &Read-Only…"), column);
  openReadOnly->setObjectName(QStringLiteral("startOpenReadOnly"));
  openReadOnly->setToolTip(
      tr("Open a database folder without writing anything into it (Ctrl+Shift+O)"));
  auto* create = new QPushButton(tr("&New Database…"), column);
  create->setObjectName(QStringLiteral("startNew"));
  create->setToolTip(tr("Create a database in a new, empty folder (Ctrl+Shift+N)"));
  connect(open, &QPushButton::clicked, this, &StartPage::openRequested);
  connect(openReadOnly, &QPushButton::clicked, this, &StartPage::openReadOnlyRequested);
  connect(create, &QPushButton::clicked, this, &StartPage::newRequested);
  auto* actions = new QHBoxLayout;
  actions->addWidget(open);
  actions->addWidget(openReadOnly);
  actions->addWidget(create);
  actions->addStretch(1);
  layout->addLayout(actions);
  auto* modes = new QLabel(
      tr("<b>Open</b> saves your edits, and the engine keeps an index (a hint file) beside each "
         "data file so that the next open is fast. <b>Open Read-Only</b> never writes into the "
         "folder, and works beside a program that is writing it. Folders written by pybitcask "
         "or Basho bitcask always open read-only."),
      column);
  modes->setObjectName(QStringLiteral("startModes"));
  modes->setWordWrap(true);
  layout->addWidget(modes);
  layout->addSpacing(8);

  auto* recentTitle = new QLabel(tr("<b>Recent databases</b>"), column);
  layout->addWidget(recentTitle);
  list_ = new QListView(column);
  list_->setObjectName(QStringLiteral("recentList"));
  list_->setModel(recent_);
  list_->setItemDelegate(new RecentDelegate(list_));
  list_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  list_->setSelectionMode(QAbstractItemView::SingleSelection);
  list_->setUniformItemSizes(true);
  list_->setSpacing(2);
  recentTitle->setBuddy(list_);
  noRecent_ = new QLabel(tr("No databases opened yet."), column);
  noRecent_->setObjectName(QStringLiteral("noRecent"));
  layout->addWidget(list_, 1);
  layout->addWidget(noRecent_);

  openRecent_ = new QPushButton(tr("Open"), column);
  openRecent_->setObjectName(QStringLiteral("recentOpen"));
  openRecentReadOnly_ = new QPushButton(tr("Open Read-Only"), column);
  openRecentReadOnly_->setObjectName(QStringLiteral("recentOpenReadOnly"));
  removeRecent_ = new QPushButton(tr("Remove from List"), column);
  removeRecent_->setObjectName(QStringLiteral("recentRemove"));
  auto* recentButtons = new QHBoxLayout;
  recentButtons->addWidget(openRecent_);
  recentButtons->addWidget(openRecentReadOnly_);
  recentButtons->addStretch(1);
  recentButtons->addWidget(removeRecent_);
  layout->addLayout(recentButtons);
  layout->addSpacing(8);

  auto* drop = new QLabel(tr("Drop a database folder on this window to open it."), column);
  drop->setObjectName(QStringLiteral("dropHint"));
  drop->setAlignment(Qt::AlignCenter);
  drop->setWordWrap(true);
  drop->setMinimumHeight(64);
  dropHint_ = drop;
  styleDropHint();
  layout->addWidget(drop);

  // The column centred, with room around it on a wide window.
  // The column centred, with room around it on a large window; a little above the middle.
  auto* row = new QHBoxLayout;
  row->addStretch(1);
  row->addWidget(column, 100);
  row->addStretch(1);
  auto* outer = new QVBoxLayout(this);
  outer->setContentsMargins(24, 24, 24, 24);
  outer->addStretch(2);
  outer->addLayout(row);
  outer->addStretch(3);

  connect(list_, &QListView::activated, this, [this] { openSelected(false); });
  connect(openRecent_, &QPushButton::clicked, this, [this] { openSelected(false); });
  connect(openRecentReadOnly_, &QPushButton::clicked, this, [this] { openSelected(true); });
  connect(removeRecent_, &QPushButton::clicked, this, &StartPage::removeSelected);
  connect(recent_, &QAbstractItemModel::modelReset, this, &StartPage::updateRecentState);
  connect(recent_, &QAbstractItemModel::rowsRemoved, this, &StartPage::updateRecentState);
  connect(recent_, &QAbstractItemModel::dataChanged, this, &StartPage::updateRecentState);
  connect(list_->selectionModel(), &QItemSelectionModel::selectionChanged, this,
          &StartPage::updateRecentState);
  updateRecentState();
}

void StartPage::changeEvent(QEvent* event) {
  QWidget::changeEvent(event);
  if (event->type() == QEvent::PaletteChange) styleDropHint();
}

void StartPage::styleDropHint() {
  // The dashed outline in the colour of disabled text: visible on a light and a dark window
  // (palette(mid) nearly vanishes on the dark one). Set again when the theme changes.
  const QColor line = palette().color(QPalette::Disabled, QPalette::WindowText);
  dropHint_->setStyleSheet(
      QStringLiteral(
          "QLabel#dropHint { border: 2px dashed %1; border-radius: 8px; padding: 12px; }")
          .arg(line.name()));
}

void StartPage::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  // A drive may have come back, or a folder been removed, since the list was read.
  recent_->refresh();
  // Enter opens the selected recent database.
  if (recent_->rowCount() > 0) list_->setFocus();
}

void StartPage::selectFirstRecent() {
  for (int row = 0; row < recent_->rowCount(); ++row) {
    if (recent_->isMissing(row)) continue;
    list_->setCurrentIndex(recent_->index(row));
    return;
  }
}

int StartPage::selectedRow() const {
  const QModelIndexList rows = list_->selectionModel()->selectedRows();
  return rows.isEmpty() ? -1 : rows.first().row();
}

void StartPage::updateRecentState() {
  const bool any = recent_->rowCount() > 0;
  // As tall as its rows (up to a settings' list of them), not a tall empty box; shorter when
  // the window is.
  const int rows = std::max(1, recent_->rowCount());
  const int rowHeight =
      (any ? list_->sizeHintForRow(0) : list_->fontMetrics().height() * 2) + 2 * list_->spacing();
  list_->setMaximumHeight(rows * rowHeight + 2 * list_->frameWidth() + list_->spacing());
  list_->setMinimumHeight(std::min(rows, 2) * rowHeight + 2 * list_->frameWidth());
  list_->setVisible(any);
  noRecent_->setVisible(!any);
  const int row = selectedRow();
  const bool openable = row >= 0 && !recent_->isMissing(row);
  openRecent_->setVisible(any);
  openRecentReadOnly_->setVisible(any);
  removeRecent_->setVisible(any);
  openRecent_->setEnabled(openable);
  openRecentReadOnly_->setEnabled(openable);
  removeRecent_->setEnabled(row >= 0);
}

void StartPage::openSelected(bool readOnly) {
  const int row = selectedRow();
  if (row < 0) return;
  // A missing folder is not opened: opening would only fail, and drop it from the list.
  if (recent_->isMissing(row)) return;
  emit openRecentRequested(recent_->pathAt(row), readOnly);
}

void StartPage::removeSelected() {
  const int row = selectedRow();
  if (row >= 0) recent_->removeRow(row);
}

}  // namespace bb
