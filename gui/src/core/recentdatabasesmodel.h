// The recently opened databases, most recent first, as a list model for the
// start page. Each row says whether its folder still exists: a database on
// a removable or deleted path stays listed (marked missing) until the user
// removes it, so a drive plugged in later brings it back. Persisting the
// list is the caller's: the model tells every change through pathsChanged.
#pragma once

#include <QAbstractListModel>
#include <QStringList>
#include <QVector>

namespace bb {

class RecentDatabasesModel : public QAbstractListModel {
  Q_OBJECT

 public:
  enum Role {
    kPathRole = Qt::UserRole + 1,  // the absolute path (QString)
    kMissingRole,                  // the folder no longer exists (bool)
    kLocationRole,                 // the folder it is in, for display (QString)
  };

  explicit RecentDatabasesModel(QObject* parent = nullptr);

  // Replaces the list (most recent first) and checks which folders exist.
  void setPaths(const QStringList& paths);
  QStringList paths() const;
  QString pathAt(int row) const;
  bool isMissing(int row) const;
  // Checks again which folders exist (after the window regains focus, say).
  void refresh();

  int rowCount(const QModelIndex& parent = {}) const override;
  QVariant data(const QModelIndex& index, int role) const override;
  bool removeRows(int row, int count, const QModelIndex& parent = {}) override;

 signals:
  // The list changed through the model (a row removed): the new list.
  void pathsChanged(const QStringList& paths);

 private:
  struct Entry {
    QString path;
    bool missing = false;
  };
  static Entry entryFor(const QString& path);

  QVector<Entry> entries_;
};

}  // namespace bb
