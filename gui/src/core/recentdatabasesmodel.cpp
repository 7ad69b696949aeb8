#include "core/recentdatabasesmodel.h"

#include <QDir>
#include <QFileInfo>
#include <QFont>

namespace bb {

RecentDatabasesModel::RecentDatabasesModel(QObject* parent) : QAbstractListModel(parent) {}

RecentDatabasesModel::Entry RecentDatabasesModel::entryFor(const QString& path) {
  return Entry{path, !QFileInfo(path).isDir()};
}

void RecentDatabasesModel::setPaths(const QStringList& paths) {
  beginResetModel();
  entries_.clear();
  for (const QString& p : paths) entries_.push_back(entryFor(p));
  endResetModel();
}

QStringList RecentDatabasesModel::paths() const {
  QStringList out;
  for (const Entry& e : entries_) out << e.path;
  return out;
}

QString RecentDatabasesModel::pathAt(int row) const {
  return row >= 0 && row < entries_.size() ? entries_[row].path : QString();
}

bool RecentDatabasesModel::isMissing(int row) const {
  return row >= 0 && row < entries_.size() && entries_[row].missing;
}

void RecentDatabasesModel::refresh() {
  for (int row = 0; row < entries_.size(); ++row) {
    const bool missing = entryFor(entries_[row].path).missing;
    if (missing == entries_[row].missing) continue;
    entries_[row].missing = missing;
    emit dataChanged(index(row), index(row));
  }
}

int RecentDatabasesModel::rowCount(const QModelIndex& parent) const {
  return parent.isValid() ? 0 : int(entries_.size());
}

QVariant RecentDatabasesModel::data(const QModelIndex& index, int role) const {
  if (!index.isValid() || index.row() >= entries_.size()) return {};
  const Entry& e = entries_[index.row()];
  switch (role) {
    case Qt::DisplayRole: {
      const QString name = QFileInfo(e.path).fileName();
      return e.missing ? tr("%1 (missing)").arg(name) : name;
    }
    case kLocationRole:
      // Shown under the name: names such as "db" or "data" repeat across projects.
      return QDir::toNativeSeparators(QFileInfo(e.path).path());
    case Qt::ToolTipRole:
      return e.missing ? tr("%1\nThis folder no longer exists. Remove it from the list, or "
                            "connect the drive it is on.")
                             .arg(QDir::toNativeSeparators(e.path))
                       : QDir::toNativeSeparators(e.path);
    case Qt::FontRole:
      if (e.missing) {
        QFont f;
        f.setItalic(true);
        return f;
      }
      return {};
    case kPathRole:
      return e.path;
    case kMissingRole:
      return e.missing;
    default:
      return {};
  }
}

bool RecentDatabasesModel::removeRows(int row, int count, const QModelIndex& parent) {
  if (parent.isValid() || row < 0 || count <= 0 || row + count > entries_.size()) return false;
  beginRemoveRows({}, row, row + count - 1);
  entries_.remove(row, count);
  endRemoveRows();
  emit pathsChanged(paths());
  return true;
}

}  // namespace bb
