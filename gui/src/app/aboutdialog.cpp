#include "app/aboutdialog.h"

#include <bitcask/version.h>
#include <qcustomplot.h>

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <nlohmann/json.hpp>

namespace bb {

QString AboutDialog::versionText() {
  return tr("Bitcask Browser %1 (on-disk format %2)\n"
            "Qt %3 (built with %4)\n"
            "nlohmann_json %5.%6.%7\n"
            "QCustomPlot %8")
      .arg(QString::fromLatin1(bitcask::kVersion))
      .arg(bitcask::kFormatVersion)
      .arg(QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR))
      .arg(NLOHMANN_JSON_VERSION_MAJOR)
      .arg(NLOHMANN_JSON_VERSION_MINOR)
      .arg(NLOHMANN_JSON_VERSION_PATCH)
      .arg(QStringLiteral(QCUSTOMPLOT_VERSION_STR));
}

AboutDialog::AboutDialog(QWidget* parent) : QDialog(parent) {
  setWindowTitle(tr("About Bitcask Browser"));
  auto* layout = new QVBoxLayout(this);
  auto* top = new QHBoxLayout;
  auto* icon = new QLabel(this);
  icon->setPixmap(QApplication::windowIcon().pixmap(64, 64));
  icon->setAlignment(Qt::AlignTop);
  auto* text = new QLabel(this);
  text->setObjectName(QStringLiteral("aboutText"));
  text->setTextFormat(Qt::RichText);
  text->setTextInteractionFlags(Qt::TextBrowserInteraction);
  text->setOpenExternalLinks(true);
  QString versions = versionText().toHtmlEscaped();
  versions.replace(QLatin1Char('\n'), QStringLiteral("<br>"));
  text->setText(
      tr("<h2>Bitcask Browser %1</h2>"
         "<p>Browse and edit Bitcask key-value databases: an ordered key table, a JSON value "
         "editor with undo, key history, and import and export as JSON lines.</p>"
         "<p style=\"color:gray\">%2</p>"
         "<p><a href=\"%3\">%3</a></p>")
          .arg(QString::fromLatin1(bitcask::kVersion), versions,
               QStringLiteral("https://github.com/bitcask-browser/bitcask-browser")));
  text->setWordWrap(true);
  top->addWidget(icon);
  top->addWidget(text, 1);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  layout->addLayout(top);
  layout->addWidget(buttons);
  setMinimumWidth(440);
}

}  // namespace bb
