#include "app/settings.h"

#include <QDir>
#include <QSettings>

namespace bb::settings {

namespace {
const QString kRecentKey = QStringLiteral("recentDatabases");
}

QStringList recentDatabases() { return QSettings().value(kRecentKey).toStringList(); }

void addRecentDatabase(const QString& path) {
  const QString clean = QDir::cleanPath(QDir(path).absolutePath());
  QStringList list = recentDatabases();
  list.removeAll(clean);
  list.prepend(clean);
  while (list.size() > kMaxRecent) list.removeLast();
  QSettings().setValue(kRecentKey, list);
}

void removeRecentDatabase(const QString& path) {
  QStringList list = recentDatabases();
  list.removeAll(path);
  QSettings().setValue(kRecentKey, list);
}

void clearRecentDatabases() { QSettings().remove(kRecentKey); }

void setRecentDatabases(const QStringList& paths) {
  QSettings().setValue(kRecentKey, paths.mid(0, kMaxRecent));
}

QByteArray value(const QString& key) { return QSettings().value(key).toByteArray(); }

void setValue(const QString& key, const QByteArray& v) { QSettings().setValue(key, v); }

QString text(const QString& key, const QString& fallback) {
  return QSettings().value(key, fallback).toString();
}

void setText(const QString& key, const QString& v) { QSettings().setValue(key, v); }

}  // namespace bb::settings
