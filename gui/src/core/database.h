// An open database as the browser's models see it: the engine's DB behind a
// shared handle (background tasks keep it alive while they run) and the
// signals that tell every model and view what changed.
#pragma once

#include <bitcask/db.h>

#include <QList>
#include <QObject>
#include <QString>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace bb {

using DbPtr = std::shared_ptr<bitcask::DB>;

class Database : public QObject {
  Q_OBJECT

 public:
  explicit Database(DbPtr db, QObject* parent = nullptr);
  ~Database() override;

  const DbPtr& handle() const { return db_; }
  bitcask::DB& db() const { return *db_; }

  QString path() const;
  // The directory's name, for window titles.
  QString displayName() const;
  bool isReadOnly() const { return db_->read_only(); }
  // Written by another program (pybitcask, Basho bitcask): read in place,
  // read-only, convertible.
  bool isForeignFormat() const { return db_->format() != bitcask::DataFormat::kNative; }
  bool isPythonFormat() const { return db_->format() == bitcask::DataFormat::kPythonBitcask; }
  // "pybitcask (protobuf, 7 files)", "Basho bitcask data directory (…)".
  QString writtenBy() const { return QString::fromStdString(db_->format_description()); }
  // Non-empty when another program may be changing the directory now.
  QString liveWriterWarning() const { return QString::fromStdString(db_->live_writer_warning()); }
  quint64 keyCount() const { return db_->size(); }
  quint64 bytesOnDisk() const;

  // Reads: throw bitcask::Error (kCorruption for a damaged record).
  std::optional<std::string> value(const std::string& key) const { return db_->get(key); }
  bool contains(const std::string& key) const { return db_->contains(key); }
  // The index entry of one key, or nothing when it is absent.
  std::optional<bitcask::KeyEntry> entry(const std::string& key) const;

  // Applies `batch` atomically and tells the models. Throws bitcask::Error.
  void write(const bitcask::WriteBatch& batch);
  // Tells every model to start over (after an import through the handle).
  void notifyReset();
  // Tells the models about keys a background task wrote through the handle.
  void notifyChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);

 signals:
  // Keys written (added or changed) and removed by one change.
  void keysChanged(const QList<QByteArray>& put, const QList<QByteArray>& removed);
  void reset();

 private:
  DbPtr db_;
};

}  // namespace bb
