#include "app/problemsdialog.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "core/problemsmodel.h"

namespace bb {

ProblemsDialog::ProblemsDialog(const QString& path, const bitcask::RecoveryReport& report,
                               QWidget* parent)
    : QDialog(parent) {
  setWindowTitle(tr("Damaged Records"));
  auto* layout = new QVBoxLayout(this);
  auto* intro = new QLabel(
      tr("These places in the files of %1 could not be read when it was opened. Where a "
         "damaged record's key still reads it is named: the key is listed, and reading its "
         "value reports the damage instead of showing an older one. Everything else is shown. "
         "Nothing was deleted: an incomplete last write is kept under lost+found/ in the "
         "database folder, and a merge saves damaged records there before it removes them. "
         "`bitcask check %1` gives the same report.")
          .arg(path),
      this);
  intro->setWordWrap(true);
  auto* model = new ProblemsModel(this);
  model->setReport(report);
  auto* table = new QTableView(this);
  table->setModel(model);
  table->verticalHeader()->hide();
  table->horizontalHeader()->setStretchLastSection(true);
  table->setSelectionBehavior(QAbstractItemView::SelectRows);
  table->setObjectName(QStringLiteral("problemsTable"));
  table->resizeColumnsToContents();
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addWidget(intro);
  layout->addWidget(table, 1);
  layout->addWidget(buttons);
  resize(720, 360);
}

}  // namespace bb
