// Where the damage is: the problems recovery found when the database was
// opened (ProblemsModel), with what the user can do about them.
#pragma once

#include <bitcask/recovery.h>

#include <QDialog>

namespace bb {

class ProblemsDialog : public QDialog {
  Q_OBJECT

 public:
  ProblemsDialog(const QString& path, const bitcask::RecoveryReport& report,
                 QWidget* parent = nullptr);
};

}  // namespace bb
