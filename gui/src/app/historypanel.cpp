#include "app/historypanel.h"

#include <bitcask/error.h>

#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTextBlock>
#include <QVBoxLayout>
#include <QtConcurrent>

#include "app/theme.h"
#include "core/editcontroller.h"
#include "core/historymodel.h"
#include "core/linediff.h"
#include "core/taskpool.h"
#include "core/valueformat.h"

namespace bb {

namespace {

QString valueAsText(const std::string& bytes) {
  switch (classifyValue(bytes)) {
    case ValueKind::kJson:
      return prettyJson(bytes);
    case ValueKind::kBinary:
      return hexDump(bytes, 64 * 1024);
    default:
      return QString::fromStdString(bytes);
  }
}

}  // namespace

HistoryPanel::HistoryPanel(EditController* controller, QWidget* parent)
    : QWidget(parent), controller_(controller), model_(new HistoryModel(this)) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 4, 0, 0);
  status_ = new QLabel(this);
  status_->setWordWrap(true);
  table_ = new QTableView(this);
  table_->setObjectName(QStringLiteral("historyTable"));
  table_->setModel(model_);
  table_->setSelectionBehavior(QAbstractItemView::SelectRows);
  table_->setSelectionMode(QAbstractItemView::SingleSelection);
  table_->verticalHeader()->hide();
  table_->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 6);
  table_->horizontalHeader()->setStretchLastSection(true);
  table_->setShowGrid(false);
  table_->setAlternatingRowColors(true);
  diff_ = new QPlainTextEdit(this);
  diff_->setObjectName(QStringLiteral("historyDiff"));
  diff_->setReadOnly(true);
  diff_->setLineWrapMode(QPlainTextEdit::NoWrap);
  diff_->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
  diff_->setPlaceholderText(tr("Choose a version to compare it with the current value."));
  splitter_ = new QSplitter(Qt::Vertical, this);
  splitter_->setObjectName(QStringLiteral("historySplitter"));
  splitter_->addWidget(table_);
  splitter_->addWidget(diff_);
  splitter_->setStretchFactor(1, 2);
  restore_ = new QPushButton(tr("&Restore This Version"), this);
  restore_->setEnabled(false);
  restore_->setToolTip(tr("Write the chosen version back as the current value (undoable)"));
  auto* buttons = new QHBoxLayout;
  buttons->addStretch();
  buttons->addWidget(restore_);
  layout->addWidget(status_);
  layout->addWidget(splitter_, 1);
  layout->addLayout(buttons);

  connect(table_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
          &HistoryPanel::onCurrentChanged);
  connect(restore_, &QPushButton::clicked, this, &HistoryPanel::restore);
  connect(&watcher_, &QFutureWatcher<std::vector<KeyVersion>>::finished, this,
          &HistoryPanel::onVersionsFound);
  connect(&watcher_, &QFutureWatcher<std::vector<KeyVersion>>::progressValueChanged, this,
          [this](int v) { status_->setText(tr("Searching the data files… %1%").arg(v / 10)); });
}

HistoryPanel::~HistoryPanel() {
  watcher_.cancel();
  watcher_.waitForFinished();
}

void HistoryPanel::setKey(const std::optional<std::string>& key) {
  if (key == key_ && !stale_) return;
  key_ = key;
  stale_ = true;
  model_->clear();
  diff_->clear();
  restore_->setEnabled(false);
  if (isVisible()) load();
}

void HistoryPanel::invalidate() {
  stale_ = true;
  if (isVisible()) load();
}

void HistoryPanel::showEvent(QShowEvent* event) {
  QWidget::showEvent(event);
  if (stale_) load();
}

void HistoryPanel::waitForSearch() {
  watcher_.waitForFinished();
  QCoreApplication::processEvents();
}

void HistoryPanel::load() {
  stale_ = false;
  watcher_.cancel();
  Database* db = controller_->database();
  if (!key_ || !db) {
    model_->clear();
    status_->setText(tr("Select a key to see its history."));
    source_.reset();
    return;
  }
  source_ = std::shared_ptr<KeyHistorySource>(makeHistorySource(db->handle()));
  status_->setText(tr("Searching the data files…"));
  auto source = source_;
  const std::string key = *key_;
  watcher_.setFuture(
      QtConcurrent::run(taskPool(), [source, key](QPromise<std::vector<KeyVersion>>& promise) {
        promise.setProgressRange(0, 1000);
        auto versions = source->versions(key, [&promise](std::uint64_t done, std::uint64_t total) {
          promise.setProgressValue(int(std::min<std::uint64_t>(1000, done * 1000 / total)));
          return !promise.isCanceled();
        });
        if (!promise.isCanceled()) promise.addResult(std::move(versions));
      }));
}

void HistoryPanel::onVersionsFound() {
  if (watcher_.isCanceled() || watcher_.future().resultCount() == 0) return;
  auto versions = watcher_.result();
  const std::size_t count = versions.size();
  model_->setVersions(std::move(versions));
  int damaged = 0;
  for (int r = 0; r < model_->rowCount(); ++r) damaged += model_->version(r).checksumOk ? 0 : 1;
  if (count == 0) {
    status_->setText(tr("No versions of this key are on disk."));
  } else if (damaged > 0) {
    status_->setText(
        tr("%1 on disk, %2 damaged: it fails its checksum, so its value cannot be shown. Verify "
           "in the Segments tab lists the damage; a merge saves its bytes under lost+found/ and "
           "removes it.")
            .arg(count == 1 ? tr("1 version") : tr("%1 versions").arg(count))
            .arg(damaged == 1 ? tr("1 is") : tr("%1 are").arg(damaged)));
  } else {
    status_->setText((count == 1 ? tr("1 version on disk.")
                                 : tr("%1 versions on disk, newest first.").arg(count)) +
                     QLatin1Char(' ') + tr("Older versions stay until the data files are merged."));
  }
  table_->resizeColumnsToContents();
  // Preselect the newest older version, the usual thing to compare with.
  const int live = model_->liveRow();
  int row = live >= 0 && model_->rowCount() > live + 1 ? live + 1 : 0;
  if (model_->rowCount() > 0) table_->selectRow(row);
}

void HistoryPanel::onCurrentChanged() {
  diff_->clear();
  restore_->setEnabled(false);
  const QModelIndex current = table_->currentIndex();
  Database* db = controller_->database();
  if (!current.isValid() || !source_ || !key_ || !db) return;
  const KeyVersion& v = model_->version(current.row());
  std::string old;
  std::optional<std::string> now;
  try {
    if (!v.tombstone) old = source_->value(v);
    now = db->value(*key_);
  } catch (const std::exception& e) {
    diff_->setPlainText(tr("This version cannot be read: %1").arg(QString::fromUtf8(e.what())));
    return;
  }
  const QStringList before =
      v.tombstone ? QStringList() : valueAsText(old).split(QLatin1Char('\n'));
  const QStringList after = now ? valueAsText(*now).split(QLatin1Char('\n')) : QStringList();
  const bool dark = isDark(palette());
  QString html = QStringLiteral("<pre style=\"margin:0\">");
  const auto lines = diffLines(before, after);
  int changes = 0;
  for (const DiffLine& l : lines) {
    QString color, sign = QStringLiteral("  ");
    if (l.op == DiffLine::Op::kRemoved) {
      color = dark ? QStringLiteral("#5a2626") : QStringLiteral("#fde2e2");
      sign = QStringLiteral("- ");
      ++changes;
    } else if (l.op == DiffLine::Op::kAdded) {
      color = dark ? QStringLiteral("#1f4a2a") : QStringLiteral("#dcf5e0");
      sign = QStringLiteral("+ ");
      ++changes;
    }
    const QString text = (sign + l.text).toHtmlEscaped();
    html += color.isEmpty()
                ? text
                : QStringLiteral("<span style=\"background:%1\">%2</span>").arg(color, text);
    html += QLatin1Char('\n');
  }
  html += QStringLiteral("</pre>");
  QString header;
  if (v.live) {
    header = tr("This is the current value.");
  } else if (v.tombstone) {
    header = tr("The key was deleted here. Lines marked + were added since.");
  } else if (changes == 0) {
    header = tr("Same as the current value.");
  } else {
    header = tr("− this version   + current value");
  }
  diff_->document()->setHtml(QStringLiteral("<p><i>%1</i></p>").arg(header.toHtmlEscaped()) + html);
  restore_->setEnabled(!v.live && !v.tombstone && controller_->canEdit() && changes > 0);
}

void HistoryPanel::restore() {
  const QModelIndex current = table_->currentIndex();
  if (!current.isValid() || !source_ || !key_) return;
  const KeyVersion& v = model_->version(current.row());
  try {
    const std::string value = source_->value(v);
    const EditResult r = controller_->restoreValue(
        *key_, value,
        tr("Restore %1 to its version of %2").arg(shortKey(*key_), formatTimestamp(v.timestampUs)));
    if (!r) QMessageBox::warning(this, tr("Restore"), r.error);
  } catch (const std::exception& e) {
    QMessageBox::warning(this, tr("Restore"), QString::fromUtf8(e.what()));
  }
}

}  // namespace bb
