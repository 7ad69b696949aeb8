#include "app/valueeditordock.h"

#include <bitcask/bitcask.h>

#include <QAction>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFontMetricsF>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTimer>
#include <QTreeView>
#include <QVBoxLayout>

#include "app/historypanel.h"
#include "app/jsontextedit.h"
#include "app/largevaluepanel.h"
#include "core/editcontroller.h"
#include "core/jsontreemodel.h"
#include "core/valuedocument.h"
#include "core/valueformat.h"
#include "core/valueread.h"

namespace bb {

namespace {
// Larger values are not turned into a tree: it is built on the GUI thread and holds every node.
constexpr std::size_t kMaxTreeBytes = kLargeValueBytes;
// Nor coloured: QSyntaxHighlighter highlights the whole document on the GUI thread.
constexpr qsizetype kMaxHighlightChars = qsizetype(kLargeValueBytes);
}  // namespace

ValueEditorDock::ValueEditorDock(EditController* controller, QWidget* parent)
    : QDockWidget(tr("Value"), parent),
      controller_(controller),
      document_(new ValueDocument(controller, this)),
      treeModel_(new JsonTreeModel(this)) {
  setObjectName(QStringLiteral("valueDock"));
  setFeatures(DockWidgetMovable | DockWidgetFloatable | DockWidgetClosable);
  auto* body = new QWidget(this);
  auto* layout = new QVBoxLayout(body);
  layout->setContentsMargins(6, 4, 6, 6);

  keyLabel_ = new QLabel(body);
  keyLabel_->setObjectName(QStringLiteral("valueKeyLabel"));
  keyLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse);
  keyLabel_->setWordWrap(true);
  QFont bold = keyLabel_->font();
  bold.setBold(true);
  keyLabel_->setFont(bold);
  note_ = new QLabel(body);
  note_->setObjectName(QStringLiteral("valueNote"));
  note_->setWordWrap(true);
  note_->hide();

  tabs_ = new QTabWidget(body);
  tabs_->setDocumentMode(true);
  text_ = new JsonTextEdit(tabs_);
  tree_ = new QTreeView(tabs_);
  tree_->setObjectName(QStringLiteral("jsonTree"));
  tree_->setModel(treeModel_);
  tree_->setUniformRowHeights(true);
  tree_->setAlternatingRowColors(true);
  tree_->header()->setSectionResizeMode(JsonTreeModel::kNameColumn, QHeaderView::Interactive);
  tree_->setColumnWidth(JsonTreeModel::kNameColumn, 160);
  hex_ = new QPlainTextEdit(tabs_);
  hex_->setObjectName(QStringLiteral("hexView"));
  hex_->setReadOnly(true);
  hex_->setLineWrapMode(QPlainTextEdit::NoWrap);
  hex_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  // 16 bytes a row, or 8 when the pane is too narrow for them: no sideways scrolling.
  hex_->viewport()->installEventFilter(this);
  history_ = new HistoryPanel(controller, tabs_);
  tabs_->addTab(text_, tr("Text"));
  tabs_->addTab(tree_, tr("Tree"));
  tabs_->addTab(hex_, tr("Hex"));
  tabs_->addTab(history_, tr("History"));
  panel_ = new LargeValuePanel(body);
  stack_ = new QStackedWidget(body);
  stack_->addWidget(tabs_);
  stack_->addWidget(panel_);

  error_ = new QLabel(body);
  error_->setObjectName(QStringLiteral("valueError"));
  error_->setWordWrap(true);
  error_->setStyleSheet(QStringLiteral("color: #d93025;"));
  error_->hide();

  save_ = new QPushButton(tr("&Save"), body);
  save_->setToolTip(tr("Write the edited value (Ctrl+S)"));
  save_->setEnabled(false);
  revert_ = new QPushButton(tr("Re&vert"), body);
  revert_->setEnabled(false);
  loadAll_ = new QPushButton(tr("Load &All"), body);
  loadAll_->setObjectName(QStringLiteral("partialLoadAllButton"));
  loadAll_->hide();
  saveToFile_ = new QPushButton(tr("Save to F&ile…"), body);
  saveToFile_->setObjectName(QStringLiteral("partialSaveToFileButton"));
  saveToFile_->setToolTip(tr("Write the whole stored value to a file"));
  saveToFile_->hide();
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(loadAll_);
  buttons->addWidget(saveToFile_);
  buttons->addStretch(1);
  buttons->addWidget(revert_);
  buttons->addWidget(save_);

  layout->addWidget(keyLabel_);
  layout->addWidget(note_);
  layout->addWidget(stack_, 1);
  layout->addWidget(error_);
  layout->addLayout(buttons);
  setWidget(body);

  saveAction_ = new QAction(tr("&Save Value"), this);
  saveAction_->setShortcut(QKeySequence::Save);
  saveAction_->setShortcutContext(Qt::WidgetWithChildrenShortcut);
  saveAction_->setEnabled(false);
  addAction(saveAction_);
  connect(saveAction_, &QAction::triggered, this, &ValueEditorDock::save);
  connect(save_, &QPushButton::clicked, this, &ValueEditorDock::save);
  connect(revert_, &QPushButton::clicked, document_, &ValueDocument::revert);
  connect(loadAll_, &QPushButton::clicked, document_, &ValueDocument::loadAll);
  connect(saveToFile_, &QPushButton::clicked, this, &ValueEditorDock::saveToFile);
  connect(panel_, &LargeValuePanel::firstPartRequested, document_, &ValueDocument::loadFirstPart);
  connect(panel_, &LargeValuePanel::loadAllRequested, document_, &ValueDocument::loadAll);
  connect(panel_, &LargeValuePanel::saveToFileRequested, this, &ValueEditorDock::saveToFile);
  connect(panel_, &LargeValuePanel::cancelRequested, this, [this] {
    if (document_->isLoading()) {
      document_->cancelLoading();
    } else if (text_->isBuildingText()) {
      document_->unload();  // read, but its text is still being laid out: drop both
    }
  });
  connect(document_, &ValueDocument::savedToFile, this,
          [this](const QString& path, const QString& error) {
            if (error.isEmpty()) {
              emit statusMessage(tr("Saved the value to %1.").arg(path));
            } else {
              QMessageBox::warning(this, tr("Save to File"),
                                   tr("Could not write %1: %2").arg(path, error));
            }
          });
  connect(text_, &QPlainTextEdit::textChanged, this, [this] {
    if (loading_ || text_->isReplacingText() || text_->isBuildingText()) return;
    // Each check copies and parses the whole text: for a large one, wait for a pause in typing.
    if (text_->document()->characterCount() > kMaxHighlightChars) {
      validateTimer_->start();
    } else {
      document_->setText(text_->toPlainText());
    }
  });
  validateTimer_ = new QTimer(this);
  validateTimer_->setSingleShot(true);
  validateTimer_->setInterval(400);
  connect(validateTimer_, &QTimer::timeout, this,
          [this] { document_->setText(text_->toPlainText()); });
  connect(text_, &JsonTextEdit::textShown, this, [this] {
    text_->setReadOnly(!document_->isEditable());
    const auto state = document_->state();
    if (state != ValueDocument::State::kLoading && state != ValueDocument::State::kChoice &&
        document_->hasKey()) {
      stack_->setCurrentWidget(tabs_);
    }
  });
  connect(tabs_, &QTabWidget::currentChanged, this, [this](int tab) {
    if (!loading_) preferredTab_ = tab;
  });
  connect(document_, &ValueDocument::loaded, this, &ValueEditorDock::onLoaded);
  connect(document_, &ValueDocument::validityChanged, this, &ValueEditorDock::onValidity);
  onLoaded();
}

void ValueEditorDock::showKey(const std::optional<std::string>& key) {
  if (document_->isModified() && document_->hasKey() && key != std::optional(document_->key())) {
    // Unsaved edits are kept only while the key stays selected; say so.
    emit statusMessage(tr("Unsaved changes to %1 were discarded.").arg(shortKey(document_->key())));
  }
  document_->load(key);
  history_->setKey(key);
}

void ValueEditorDock::keysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  if (!document_->hasKey()) return;
  const QByteArray key = QByteArray::fromStdString(document_->key());
  if (put.contains(key) || removed.contains(key)) {
    if (!document_->isModified()) document_->reload();
    history_->invalidate();
  }
}

bool ValueEditorDock::save() {
  if (validateTimer_->isActive()) {  // typed just now: the document must have the latest text
    validateTimer_->stop();
    document_->setText(text_->toPlainText());
  }
  if (!document_->canSave()) return false;
  const QString error = document_->save();
  if (!error.isEmpty()) {
    QMessageBox::warning(this, tr("Save Value"), error);
    return false;
  }
  emit statusMessage(tr("Saved %1.").arg(shortKey(document_->key())));
  return true;
}

void ValueEditorDock::saveToFile() {
  if (!document_->hasKey()) return;
  QString name = QString::fromStdString(document_->key())
                     .replace(QRegularExpression(QStringLiteral("[^\\w.-]+")), QStringLiteral("_"));
  const QString path = QFileDialog::getSaveFileName(
      this, tr("Save Value to File"),
      QDir::homePath() + QLatin1Char('/') + name + QStringLiteral(".json"));
  if (path.isEmpty()) return;
  emit statusMessage(tr("Saving %1 to %2…").arg(formatBytes(document_->valueSize()), path));
  document_->saveToFile(path);
}

void ValueEditorDock::onLoaded() {
  loading_ = true;
  const ValueDocument* d = document_;
  if (!d->hasKey()) {
    keyLabel_->setText(tr("No key selected"));
  } else {
    keyLabel_->setText(displayKey(d->key()));
  }
  const auto state = d->state();
  const bool waiting =
      state == ValueDocument::State::kLoading || state == ValueDocument::State::kChoice;
  if (state == ValueDocument::State::kLoading) panel_->showLoading(d->valueSize());
  if (state == ValueDocument::State::kChoice)
    panel_->showChoice(d->valueSize(), d->loadAllRefusal());
  // No key: a line saying what to do, rather than an empty editor under four tabs.
  if (!d->hasKey()) panel_->showMessage(tr("Select a key to see its value here."));
  stack_->setCurrentWidget(waiting || !d->hasKey() ? static_cast<QWidget*>(panel_) : tabs_);
  const bool large = d->valueSize() > kLargeValueBytes;
  loadAll_->setVisible(d->isPartial() && d->canLoadAll());
  saveToFile_->setVisible(large && !waiting);
  QString note = d->readError().isEmpty() ? d->note() : d->readError();
  note_->setText(note);
  note_->setVisible(!note.isEmpty());
  const bool binary = d->exists() && d->kind() == ValueKind::kBinary;
  // Clear first, so the highlighter is off before a large text arrives.
  validateTimer_->stop();
  text_->setHighlighting(false);
  text_->showText(d->displayText());
  text_->setReadOnly(!d->isEditable() || text_->isBuildingText());
  if (text_->isBuildingText() && d->hasKey()) {
    // The value is read; its text is laid out by a worker: still "Loading…" until it shows.
    panel_->showLoading(d->valueSize());
    stack_->setCurrentWidget(panel_);
  }
  text_->setHighlighting(
      (d->kind() == ValueKind::kJson || d->kind() == ValueKind::kNonStrictJson) &&
      d->displayText().size() <= kMaxHighlightChars);
  hexBytesPerRow_ = 0;  // the new value's dump, fitted to the pane
  fitHexDump();
  // The tree: strict JSON, or the Python extensions parsed as numbers.
  treeModel_->clear();
  if (d->exists() && !d->isPartial() && d->storedBytes().size() <= kMaxTreeBytes &&
      (d->kind() == ValueKind::kJson || d->kind() == ValueKind::kNonStrictJson)) {
    try {
      if (d->kind() == ValueKind::kJson) {
        treeModel_->setJson(nlohmann::ordered_json::parse(d->storedBytes()));
      } else {
        treeModel_->setJson(bitcask::parse_json_text(d->storedBytes()));  // in written order
      }
      tree_->expandToDepth(1);
    } catch (const std::exception&) {
    }
  }
  tabs_->setTabEnabled(kTextTab, !binary);
  tabs_->setTabEnabled(kTreeTab, treeModel_->rowCount() > 0);
  // Binary values force Hex; others return to the view the user chose.
  if (binary) {
    tabs_->setCurrentIndex(kHexTab);
  } else {
    tabs_->setCurrentIndex(tabs_->isTabEnabled(preferredTab_) ? preferredTab_ : int(kTextTab));
  }
  loading_ = false;
  onValidity();
}

void ValueEditorDock::onValidity() {
  const ValueDocument* d = document_;
  const bool modified = d->isModified();
  const JsonCheck& c = d->check();
  // Errors are shown once the user edits (stored non-JSON is explained by the note).
  const bool showError = d->exists() && modified && !c.ok;
  if (showError) {
    error_->setText(tr("Line %1, column %2: %3").arg(c.line).arg(c.column).arg(c.message));
    text_->setErrorPosition(c.line, c.column);
  } else {
    error_->clear();
    text_->setErrorPosition(0, 0);
  }
  error_->setVisible(showError);
  // Save and Revert only where an edit can be made: not under the large-value panel, nor
  // below a partial view, a binary value or a read-only database, where they could never be
  // enabled and would only crowd the buttons that do apply.
  const bool editable = d->isEditable();
  save_->setVisible(editable);
  revert_->setVisible(editable);
  save_->setEnabled(d->canSave());
  saveAction_->setEnabled(d->canSave());
  revert_->setEnabled(modified && d->exists());
}

bool ValueEditorDock::eventFilter(QObject* watched, QEvent* event) {
  if (watched == hex_->viewport() && event->type() == QEvent::Resize) fitHexDump();
  return QDockWidget::eventFilter(watched, event);
}

void ValueEditorDock::fitHexDump() {
  const int available = hex_->viewport()->width() - 2 * int(hex_->document()->documentMargin());
  // Measured as a whole line: a monospace digit's advance is fractional, and 79 of them
  // rounded one by one are pixels short (a row that scrolls sideways).
  const qreal row =
      QFontMetricsF(hex_->font()).horizontalAdvance(QString(hexDumpRowChars(16), QLatin1Char('0')));
  const int perRow = row + 1 <= available ? 16 : 8;
  if (perRow == hexBytesPerRow_) return;
  hexBytesPerRow_ = perRow;
  hex_->setPlainText(document_->hexText(perRow));
}

}  // namespace bb
