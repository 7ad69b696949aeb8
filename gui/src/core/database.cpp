#include "core/database.h"

#include <QFileInfo>

namespace bb {

Database::Database(DbPtr db, QObject* parent) : QObject(parent), db_(std::move(db)) {}

Database::~Database() = default;

QString Database::path() const { return QString::fromStdString(db_->path().string()); }

QString Database::displayName() const {
  const QString name = QFileInfo(path()).fileName();
  return name.isEmpty() ? path() : name;
}

quint64 Database::bytesOnDisk() const { return db_->stats().total_bytes; }

std::optional<bitcask::KeyEntry> Database::entry(const std::string& key) const {
  bitcask::ScanOptions o;
  o.start = key;
  o.limit = 1;
  auto page = db_->scan(o);
  if (page.empty() || page.front().key != key) return std::nullopt;
  return std::move(page.front());
}

void Database::write(const bitcask::WriteBatch& batch) {
  db_->write(batch);
  QList<QByteArray> put, removed;
  for (const auto& op : batch.ops()) {
    const QByteArray key(op.key.data(), qsizetype(op.key.size()));
    if (op.kind == bitcask::RecordKind::kTombstone) {
      put.removeAll(key);
      removed.append(key);
    } else {
      removed.removeAll(key);
      put.append(key);
    }
  }
  emit keysChanged(put, removed);
}

void Database::notifyReset() { emit reset(); }

void Database::notifyChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed) {
  emit keysChanged(put, removed);
}

}  // namespace bb
