#include "app/valueeditordock.h"

#include <bitcask/bitcask.h>

#include <QAction>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include "app/historypanel.h"
#include "app/jsontextedit.h"
#include "core/editcontroller.h"
#include "core/jsontreemodel.h"
#include "core/valuedocument.h"

namespace bb {

namespace {
// Larger values are not turned into a tree (it would hold every node in memory).
constexpr std::size_t kMaxTreeBytes = 8 << 20;
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
  history_ = new HistoryPanel(controller, tabs_);
  tabs_->addTab(text_, tr("Text"));
  tabs_->addTab(tree_, tr("Tree"));
  tabs_->addTab(hex_, tr("Hex"));
  tabs_->addTab(history_, tr("History"));

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
  auto* buttons = new QHBoxLayout;
  buttons->addStretch(1);
  buttons->addWidget(revert_);
  buttons->addWidget(save_);

  layout->addWidget(keyLabel_);
  layout->addWidget(note_);
  layout->addWidget(tabs_, 1);
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
  connect(text_, &QPlainTextEdit::textChanged, this, [this] {
    if (!loading_) document_->setText(text_->toPlainText());
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
  if (!document_->canSave()) return false;
  const QString error = document_->save();
  if (!error.isEmpty()) {
    QMessageBox::warning(this, tr("Save Value"), error);
    return false;
  }
  emit statusMessage(tr("Saved %1.").arg(shortKey(document_->key())));
  return true;
}

void ValueEditorDock::onLoaded() {
  loading_ = true;
  const ValueDocument* d = document_;
  if (!d->hasKey()) {
    keyLabel_->setText(tr("No key selected"));
  } else {
    keyLabel_->setText(displayKey(d->key()));
  }
  QString note = d->readError().isEmpty() ? d->note() : d->readError();
  note_->setText(note);
  note_->setVisible(!note.isEmpty());
  const bool binary = d->exists() && d->kind() == ValueKind::kBinary;
  text_->setPlainText(d->displayText());
  text_->setReadOnly(!d->isEditable());
  text_->setHighlighting(d->kind() == ValueKind::kJson || d->kind() == ValueKind::kNonStrictJson);
  hex_->setPlainText(d->exists() ? hexDump(d->storedBytes()) : QString());
  // The tree: strict JSON, or the Python extensions parsed as numbers.
  treeModel_->clear();
  if (d->exists() && d->storedBytes().size() <= kMaxTreeBytes &&
      (d->kind() == ValueKind::kJson || d->kind() == ValueKind::kNonStrictJson)) {
    try {
      if (d->kind() == ValueKind::kJson) {
        treeModel_->setJson(nlohmann::ordered_json::parse(d->storedBytes()));
      } else {
        const nlohmann::json j = bitcask::parse_json_text(d->storedBytes());
        treeModel_->setJson(nlohmann::ordered_json(j));
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
  save_->setEnabled(d->canSave());
  saveAction_->setEnabled(d->canSave());
  revert_->setEnabled(modified && d->exists());
  if (d->hasKey() && !controller_->canEdit()) {
    save_->setToolTip(tr("The database is open read-only"));
  } else {
    save_->setToolTip(tr("Write the edited value (Ctrl+S)"));
  }
}

}  // namespace bb
