// The benchmark panel's workload form: a preset, the engines, the operations,
// entry counts, value sizes, read_random's threads, the sync policies and the
// batch size, and whether to also read the open database. It maps its fields
// to and from a BenchWorkload (the core type the runner takes); picking a
// preset fills the fields, editing a field makes the workload "Custom".
#pragma once

#include <QMap>
#include <QWidget>

#include "core/benchworkload.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace bb {

class BenchmarkForm : public QWidget {
  Q_OBJECT

 public:
  explicit BenchmarkForm(QWidget* parent = nullptr);

  // The workload the fields describe; check problem() first.
  BenchWorkload workload() const;
  void setWorkload(const BenchWorkload& workload);
  void selectPreset(BenchWorkload::Preset preset);
  // Why the fields cannot run (empty: they can).
  QString problem() const;
  // Whether a database is open (the "read the open database" option).
  void setOpenDatabase(bool open, quint64 keys);

  QComboBox* presetCombo() const { return preset_; }

 signals:
  void changed();

 private:
  void onPresetChosen(int index);
  void onEdited();
  void updateSummary();

  QComboBox* preset_;
  QLabel* presetNote_;
  QMap<QString, QCheckBox*> engines_;
  QMap<BenchOp, QCheckBox*> ops_;
  QLineEdit* entries_;
  QLineEdit* valueSizes_;
  QLineEdit* threads_;
  QCheckBox* syncNone_;
  QCheckBox* syncAlways_;
  QSpinBox* batchSize_;
  QCheckBox* openDb_;
  QLabel* summary_;
  bool filling_ = false;
  bool dbOpen_ = false;
  quint64 dbKeys_ = 0;
};

}  // namespace bb
