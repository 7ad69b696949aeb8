// The records of the selected segment (or of one key) as a paged table
// (RecordsModel), the filters (tombstones, shadowed, corrupt, key), and the
// raw bytes of the current record (RecordHexView). From a record the user can
// jump to its key in the key table, to every record of that key, or to the
// live version that shadows it.
#pragma once

#include <QPointer>
#include <QTimer>
#include <QWidget>
#include <string>

class QAction;
class QCheckBox;
class QLabel;
class QLineEdit;
class QSplitter;
class QTableView;

namespace bb {

class Database;
class RecordHexView;
class RecordsModel;

class RecordsPanel : public QWidget {
  Q_OBJECT

 public:
  explicit RecordsPanel(QWidget* parent = nullptr);

  void setDatabase(Database* db);
  void showSegment(quint32 segment);
  void showKey(const std::string& key);
  // Selects the record at `offset` of the shown segment (filters cleared when
  // they hide it). Returns whether it was found.
  bool selectOffset(quint64 offset);

  RecordsModel* model() const { return model_; }
  QTableView* table() const { return table_; }
  RecordHexView* hexView() const { return hex_; }
  QCheckBox* tombstonesBox() const { return tombstones_; }
  QCheckBox* shadowedBox() const { return shadowed_; }
  QCheckBox* corruptBox() const { return corrupt_; }
  QLineEdit* keyEdit() const { return keyEdit_; }
  QSplitter* splitter() const { return split_; }
  // The width the table wants: every column, the Key column (which takes what the others
  // leave) 16 characters wide.
  int tableWidthWanted() const;

 signals:
  // "Show in Key Table" on a record.
  void showKeyRequested(const QByteArray& key);

 protected:
  void resizeEvent(QResizeEvent* event) override;
  void showEvent(QShowEvent* event) override;

 private:
  // Gives the table its columns and the hex view the rest (as much as a 16-byte line needs),
  // until the user moves the splitter.
  void fitSplitter();
  void applyFilter();
  void updateCaption();
  void onCurrentChanged();
  void goToLiveVersion();

  QPointer<Database> db_;
  RecordsModel* model_;
  QLabel* caption_;
  QLabel* progress_;
  QCheckBox* tombstones_;
  QCheckBox* shadowed_;
  QCheckBox* corrupt_;
  QLineEdit* keyEdit_;
  QTableView* table_;
  RecordHexView* hex_;
  QSplitter* split_;
  int keyWidth_ = 0;  // what the Key column (which takes the rest) would like
  bool userPlacedSplitter_ = false;
  QAction* showKeyAct_;
  QAction* keyRecordsAct_;
  QAction* liveAct_;
  QAction* backAct_;
  QTimer debounce_;
  quint32 lastSegment_ = 0;
};

}  // namespace bb
