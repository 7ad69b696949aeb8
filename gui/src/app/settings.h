// What the browser remembers between runs (QSettings): recent databases,
// window and splitter state, view choices.
#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace bb::settings {

inline constexpr int kMaxRecent = 10;

// Values are written in the background (a settings write syncs the file to disk); reads see
// them at once. flush() waits until every write made so far is in the file (the application
// flushes when it quits).
void flush();

QStringList recentDatabases();
// Puts `path` first in the recent list.
void addRecentDatabase(const QString& path);
void removeRecentDatabase(const QString& path);
void clearRecentDatabases();
// Replaces the list (most recent first), as the start page edited it.
void setRecentDatabases(const QStringList& paths);

QByteArray value(const QString& key);
void setValue(const QString& key, const QByteArray& value);
QString text(const QString& key, const QString& fallback = {});
void setText(const QString& key, const QString& value);

}  // namespace bb::settings
