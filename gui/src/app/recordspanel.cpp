#include "app/recordspanel.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

#include "app/recordhexview.h"
#include "core/database.h"
#include "core/editcontroller.h"
#include "core/recordlayout.h"
#include "core/recordsmodel.h"
#include "core/valueformat.h"

namespace bb {

RecordsPanel::RecordsPanel(QWidget* parent) : QWidget(parent), model_(new RecordsModel(this)) {
  setObjectName(QStringLiteral("recordsPanel"));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 0);
  auto* filters = new QHBoxLayout;
  caption_ = new QLabel(this);
  caption_->setObjectName(QStringLiteral("recordsCaption"));
  // A long key or error message wraps here; it never widens the window.
  caption_->setWordWrap(true);
  caption_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
  tombstones_ = new QCheckBox(tr("Tombstones"), this);
  shadowed_ = new QCheckBox(tr("Shadowed"), this);
  corrupt_ = new QCheckBox(tr("Corrupt"), this);
  tombstones_->setToolTip(tr("Only deletion records"));
  shadowed_->setToolTip(tr("Only records that are not the live version of their key"));
  corrupt_->setToolTip(tr("Only records that fail their checksum"));
  keyEdit_ = new QLineEdit(this);
  keyEdit_->setPlaceholderText(tr("Key contains…"));
  keyEdit_->setClearButtonEnabled(true);
  keyEdit_->setMaximumWidth(260);
  progress_ = new QLabel(this);
  filters->addWidget(caption_, 1);
  filters->addWidget(progress_);
  filters->addWidget(tombstones_);
  filters->addWidget(shadowed_);
  filters->addWidget(corrupt_);
  filters->addWidget(keyEdit_);

  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("recordsTable"));
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->setAlternatingRowColors(true);
  table_->setShowGrid(false);
  table_->setWordWrap(false);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
  table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  // The Key column takes what the others leave (a long key elides; its tooltip has it all), so
  // the table never scrolls sideways, with the segment column (one key's records) or without.
  table_->horizontalHeader()->setStretchLastSection(false);
  table_->horizontalHeader()->setHighlightSections(false);
  table_->setContextMenuPolicy(Qt::ActionsContextMenu);
  const QFontMetrics fm = fontMetrics();
  table_->setColumnWidth(RecordsModel::kSegmentColumn, fm.horizontalAdvance(tr("Segment")) + 20);
  table_->setColumnWidth(RecordsModel::kOffsetColumn,
                         fm.horizontalAdvance(QStringLiteral("3,000,000,000")) + 16);
  table_->setColumnWidth(RecordsModel::kKindColumn,
                         fm.horizontalAdvance(QStringLiteral("batch commit")) + 16);
  keyWidth_ = fm.horizontalAdvance(QLatin1Char('M')) * 16;
  table_->horizontalHeader()->setSectionResizeMode(RecordsModel::kKeyColumn, QHeaderView::Stretch);
  table_->setColumnWidth(RecordsModel::kValueSizeColumn,
                         fm.horizontalAdvance(tr("Value bytes")) + 20);
  table_->setColumnWidth(RecordsModel::kTimestampColumn,
                         fm.horizontalAdvance(QStringLiteral("2000-00-00 00:00:00")) + 16);
  table_->setColumnWidth(RecordsModel::kChecksumColumn, fm.horizontalAdvance(tr("Checksum")) + 20);

  // "shadowed by SEGMENT @ OFFSET".
  table_->setColumnWidth(
      RecordsModel::kStatusColumn,
      fm.horizontalAdvance(tr("shadowed by %1 @ %L2").arg(99).arg(99'999'999)) + 16);

  hex_ = new RecordHexView(this);
  split_ = new QSplitter(Qt::Horizontal, this);
  split_->setObjectName(QStringLiteral("recordsSplitter"));
  split_->addWidget(table_);
  split_->addWidget(hex_);
  split_->setStretchFactor(0, 3);
  split_->setStretchFactor(1, 2);
  split_->setChildrenCollapsible(false);
  connect(split_, &QSplitter::splitterMoved, this, [this] { userPlacedSplitter_ = true; });
  layout->addLayout(filters);
  layout->addWidget(split_, 1);

  showKeyAct_ = new QAction(tr("Show Key in Key Table"), this);
  showKeyAct_->setObjectName(QStringLiteral("actionRecordShowKey"));
  keyRecordsAct_ = new QAction(tr("Show All Records of This Key"), this);
  keyRecordsAct_->setObjectName(QStringLiteral("actionRecordKeyRecords"));
  liveAct_ = new QAction(tr("Go to the Live Version"), this);
  liveAct_->setObjectName(QStringLiteral("actionRecordLive"));
  backAct_ = new QAction(tr("Back to the Segment"), this);
  backAct_->setObjectName(QStringLiteral("actionRecordBack"));
  table_->addActions({showKeyAct_, keyRecordsAct_, liveAct_, backAct_});
  connect(showKeyAct_, &QAction::triggered, this, [this] {
    const QModelIndex i = table_->currentIndex();
    if (i.isValid()) emit showKeyRequested(i.data(RecordsModel::kKeyBytesRole).toByteArray());
  });
  connect(keyRecordsAct_, &QAction::triggered, this, [this] {
    const QModelIndex i = table_->currentIndex();
    if (i.isValid()) showKey(i.data(RecordsModel::kKeyBytesRole).toByteArray().toStdString());
  });
  connect(liveAct_, &QAction::triggered, this, &RecordsPanel::goToLiveVersion);
  connect(backAct_, &QAction::triggered, this, [this] { showSegment(lastSegment_); });
  connect(table_, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& i) {
    if (i.data(RecordsModel::kStateRole).toInt() == int(RecordsModel::State::kShadowed)) {
      goToLiveVersion();
    } else if (!i.data(RecordsModel::kKeyBytesRole).toByteArray().isEmpty()) {
      emit showKeyRequested(i.data(RecordsModel::kKeyBytesRole).toByteArray());
    }
  });

  debounce_.setSingleShot(true);
  debounce_.setInterval(300);
  connect(&debounce_, &QTimer::timeout, this, &RecordsPanel::applyFilter);
  for (QCheckBox* box : {tombstones_, shadowed_, corrupt_}) {
    connect(box, &QCheckBox::toggled, this, &RecordsPanel::applyFilter);
  }
  connect(keyEdit_, &QLineEdit::textChanged, &debounce_, qOverload<>(&QTimer::start));
  connect(model_, &RecordsModel::scanProgress, this, &RecordsPanel::updateCaption);
  connect(model_, &QAbstractItemModel::rowsInserted, this, &RecordsPanel::updateCaption);
  connect(model_, &QAbstractItemModel::modelReset, this, [this] {
    // The segment column tells something only when one key's records span segments.
    table_->setColumnHidden(RecordsModel::kSegmentColumn,
                            model_->mode() != RecordsModel::Mode::kKey);
    fitSplitter();  // a column more or less
    updateCaption();
    // Show the first record's bytes rather than an empty hex view.
    if (model_->rowCount() > 0) {
      table_->setCurrentIndex(model_->index(0, RecordsModel::kOffsetColumn));
    }
    onCurrentChanged();
  });
  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &RecordsPanel::onCurrentChanged);
  updateCaption();
  onCurrentChanged();
}

int RecordsPanel::tableWidthWanted() const {
  int width = 2 * table_->frameWidth() + table_->verticalScrollBar()->sizeHint().width();
  for (int c = 0; c < model_->columnCount(); ++c) {
    if (table_->isColumnHidden(c)) continue;
    width += c == RecordsModel::kKeyColumn ? keyWidth_ : table_->columnWidth(c);
  }
  return width;
}

void RecordsPanel::fitSplitter() {
  const QList<int> sizes = split_->sizes();
  if (userPlacedSplitter_ || sizes.size() != 2) return;
  const int total = sizes[0] + sizes[1];
  if (total <= 0) return;
  // Every column of the table first; the hex view the rest: 16 bytes a line when that leaves
  // room, else 8 (RecordHexView picks by its width).
  const int table = tableWidthWanted();
  const int wide = hex_->dumpWidthFor(16), narrow = hex_->dumpWidthFor(8);
  int hex = total - table;
  // Short of room for both, the dump keeps its 8 bytes a line (a cut line says nothing) and
  // the table's Key column gives way; in a pane too narrow even for that, a third.
  if (hex < narrow) hex = narrow <= total / 2 ? narrow : total / 3;
  hex = std::min(hex, std::max(wide, total / 2));
  split_->setSizes({total - hex, hex});
}

void RecordsPanel::resizeEvent(QResizeEvent* event) {
  QWidget::resizeEvent(event);
  fitSplitter();
}

void RecordsPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  fitSplitter();
}

void RecordsPanel::setDatabase(Database* db) {
  db_ = db;
  model_->setDatabase(db);
  hex_->clear();
}

void RecordsPanel::showSegment(quint32 segment) {
  lastSegment_ = segment;
  model_->showSegment(segment);
}

void RecordsPanel::showKey(const std::string& key) { model_->showKey(key); }

bool RecordsPanel::selectOffset(quint64 offset) {
  int row = model_->ensureLoaded(offset);
  if (row < 0 && !model_->filter().isEmpty()) {
    // The filters hide it: show everything.
    const QSignalBlocker b1(tombstones_), b2(shadowed_), b3(corrupt_), b4(keyEdit_);
    tombstones_->setChecked(false);
    shadowed_->setChecked(false);
    corrupt_->setChecked(false);
    keyEdit_->clear();
    applyFilter();
    row = model_->ensureLoaded(offset);
  }
  if (row < 0) return false;
  const QModelIndex i = model_->index(row, RecordsModel::kOffsetColumn);
  table_->setCurrentIndex(i);
  table_->scrollTo(i, QAbstractItemView::PositionAtCenter);
  return true;
}

void RecordsPanel::applyFilter() {
  RecordsModel::Filter f;
  f.tombstonesOnly = tombstones_->isChecked();
  f.shadowedOnly = shadowed_->isChecked();
  f.corruptOnly = corrupt_->isChecked();
  f.keyContains = keyEdit_->text().toUtf8();
  model_->setFilter(f);
}

void RecordsPanel::goToLiveVersion() {
  const QModelIndex i = table_->currentIndex();
  if (!i.isValid() ||
      i.data(RecordsModel::kStateRole).toInt() != int(RecordsModel::State::kShadowed)) {
    return;
  }
  const quint32 seg = i.data(RecordsModel::kLiveSegmentRole).toUInt();
  const quint64 off = i.data(RecordsModel::kLiveOffsetRole).toULongLong();
  if (model_->mode() != RecordsModel::Mode::kSegment || model_->segment() != seg) showSegment(seg);
  selectOffset(off);
}

void RecordsPanel::updateCaption() {
  QString text;
  switch (model_->mode()) {
    case RecordsModel::Mode::kNone:
      text = tr("Select a segment to see its records.");
      break;
    case RecordsModel::Mode::kSegment:
      text = tr("Segment %1: %2 shown%3")
                 .arg(model_->segment())
                 .arg(formatCountOf(model_->rowCount(), tr("1 record"), tr("%L1 records")),
                      model_->isComplete() ? QString() : tr(", more as you scroll"));
      break;
    case RecordsModel::Mode::kKey:
      text = tr("Every record of %1 still on disk: %L2")
                 .arg(shortKey(model_->key()))
                 .arg(model_->rowCount());
      break;
  }
  if (!model_->error().isEmpty()) text = model_->error();
  caption_->setText(text);
  caption_->setToolTip(text);
  const bool scanning = model_->mode() == RecordsModel::Mode::kSegment && !model_->isComplete() &&
                        !model_->filter().isEmpty() && model_->segmentSize() > 0;
  progress_->setVisible(scanning);
  if (scanning) {
    progress_->setText(tr("searched %1 %")
                           .arg(int(100 * std::min(model_->scannedTo(), model_->segmentSize()) /
                                    model_->segmentSize())));
  }
  backAct_->setVisible(model_->mode() == RecordsModel::Mode::kKey && lastSegment_ != 0);
}

void RecordsPanel::onCurrentChanged() {
  const QModelIndex i = table_->currentIndex();
  const bool has = i.isValid();
  const bool hasKey = has && !i.data(RecordsModel::kKeyBytesRole).toByteArray().isEmpty();
  showKeyAct_->setEnabled(hasKey);
  keyRecordsAct_->setEnabled(hasKey);
  liveAct_->setEnabled(has && i.data(RecordsModel::kStateRole).toInt() ==
                                  int(RecordsModel::State::kShadowed));
  if (!has || !db_) {
    hex_->clear();
    return;
  }
  hex_->showRecord(loadRawRecord(*db_, i.data(RecordsModel::kSegmentRole).toUInt(),
                                 i.data(RecordsModel::kOffsetRole).toULongLong(),
                                 i.data(RecordsModel::kRecordSizeRole).toUInt()));
}

}  // namespace bb
