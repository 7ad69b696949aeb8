// What the window shows when no database is open: the recent databases (most
// recent first, a missing one marked and removable), Open, Open Read-Only and
// New, and the hint that a folder dropped on the window opens it. It only
// asks: the main window opens, and keeps the recent list in the settings.
#pragma once

#include <QWidget>

class QLabel;
class QListView;
class QPushButton;

namespace bb {

class RecentDatabasesModel;

class StartPage : public QWidget {
  Q_OBJECT

 public:
  explicit StartPage(RecentDatabasesModel* recent, QWidget* parent = nullptr);

  QListView* recentView() const { return list_; }
  // Selects the most recent database that exists, so Enter opens it.
  void selectFirstRecent();

 signals:
  void openRequested();
  void openReadOnlyRequested();
  void newRequested();
  void openRecentRequested(const QString& path, bool readOnly);

 protected:
  void showEvent(QShowEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  void updateRecentState();
  void styleDropHint();
  void openSelected(bool readOnly);
  void removeSelected();
  int selectedRow() const;

  RecentDatabasesModel* recent_;
  QListView* list_;
  QLabel* noRecent_;
  QLabel* dropHint_;
  QPushButton* openRecent_;
  QPushButton* openRecentReadOnly_;
  QPushButton* removeRecent_;
};

}  // namespace bb
