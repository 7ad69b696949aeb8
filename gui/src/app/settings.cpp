#include "app/settings.h"

#include <QCoreApplication>
#include <QDir>
#include <QHash>
#include <QMutex>
#include <QSettings>
#include <QThreadPool>
#include <optional>

namespace bb::settings {

namespace {

const QString kRecentKey = QStringLiteral("recentDatabases");

// Writes reach the settings file on a thread of their own. QSettings writes
// its file durably: a lock file written and fdatasync'ed, then the file
// saved and synced. On a busy disk that held the GUI thread for 0.66 s when
// a database had opened and was added to the recent list (perf sched, in
// bench/gui_scale.sh at ten million keys). Reading needs no lock, so reads
// stay where they are, and see the values still on their way first.
class Writer {
 public:
  Writer() {
    pool_.setMaxThreadCount(1);  // one thread: writes land in the order made
    // Before the application object, whose names place the file, is gone.
    qAddPostRoutine([] { instance().flush(); });
  }
  ~Writer() { flush(); }

  static Writer& instance() {
    static Writer writer;
    return writer;
  }

  QVariant value(const QString& key, const QVariant& fallback = {}) {
    {
      QMutexLocker lock(&mu_);
      if (auto it = pending_.find(key); it != pending_.end()) {
        return it->value ? *it->value : fallback;
      }
    }
    return QSettings().value(key, fallback);
  }

  // `value` nullopt: remove the key.
  void set(const QString& key, std::optional<QVariant> value) {
    quint64 seq;
    {
      QMutexLocker lock(&mu_);
      seq = ++seq_;
      pending_[key] = {seq, value};
    }
    // A task with no result to wait for: flush() waits for the pool.
    pool_.start([this, key, value, seq] {
      {
        QSettings settings;
        if (value) {
          settings.setValue(key, *value);
        } else {
          settings.remove(key);
        }
      }  // synced here
      QMutexLocker lock(&mu_);
      if (auto it = pending_.find(key); it != pending_.end() && it->seq == seq) pending_.erase(it);
    });
  }

  void flush() { pool_.waitForDone(); }

 private:
  struct Pending {
    quint64 seq = 0;
    std::optional<QVariant> value;
  };
  QThreadPool pool_;
  QMutex mu_;
  QHash<QString, Pending> pending_;  // guarded by mu_
  quint64 seq_ = 0;                  // guarded by mu_
};

}  // namespace

void flush() { Writer::instance().flush(); }

QStringList recentDatabases() { return Writer::instance().value(kRecentKey).toStringList(); }

void addRecentDatabase(const QString& path) {
  const QString clean = QDir::cleanPath(QDir(path).absolutePath());
  QStringList list = recentDatabases();
  list.removeAll(clean);
  list.prepend(clean);
  while (list.size() > kMaxRecent) list.removeLast();
  Writer::instance().set(kRecentKey, list);
}

void removeRecentDatabase(const QString& path) {
  QStringList list = recentDatabases();
  list.removeAll(path);
  Writer::instance().set(kRecentKey, list);
}

void clearRecentDatabases() { Writer::instance().set(kRecentKey, std::nullopt); }

void setRecentDatabases(const QStringList& paths) {
  Writer::instance().set(kRecentKey, paths.mid(0, kMaxRecent));
}

QByteArray value(const QString& key) { return Writer::instance().value(key).toByteArray(); }

void setValue(const QString& key, const QByteArray& v) { Writer::instance().set(key, v); }

QString text(const QString& key, const QString& fallback) {
  return Writer::instance().value(key, fallback).toString();
}

void setText(const QString& key, const QString& v) { Writer::instance().set(key, v); }

}  // namespace bb::settings
