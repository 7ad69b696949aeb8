// Orders the key table's rows by a column other than the key: value size,
// written time or segment. The rows are the indexes of a KeySnapshot (all
// keys, or a prefix's) or of a filter's match list; the result lists them in
// the new order. Ties keep key order, in both directions.
//
// Runs off the GUI thread (10M keys take seconds). The fields are read by
// walking the index in key order beside the snapshot. With few distinct values
// (sizes, segments) a counting sort needs 6 bytes a row (2-byte value ids and
// the result); otherwise the values are gathered and sorted as packed
// integers. Progress 0..1000; cancel between index pages.
#pragma once

#include <bitcask/db.h>

#include <QPromise>
#include <QString>
#include <Qt>
#include <memory>
#include <string>
#include <vector>

#include "core/database.h"
#include "core/keysnapshot.h"

namespace bb {

enum class SortField { kSize, kTimestamp, kSegment };

using RowOrder = std::shared_ptr<std::vector<quint32>>;
using EntryList = std::shared_ptr<std::vector<bitcask::KeyEntry>>;

struct KeySortResult {
  RowOrder order;  // row -> index in the snapshot or the list
  QString error;   // the engine's message when the index could not be read
};

// Exactly one of `keys` (read beside the index under `prefix`) and `list`
// (whose entries carry the fields) is set.
void sortKeysTask(QPromise<KeySortResult>& promise, DbPtr db,
                  std::shared_ptr<const KeySnapshot> keys, std::string prefix,
                  std::shared_ptr<const std::vector<bitcask::KeyEntry>> list, SortField field,
                  Qt::SortOrder order);

}  // namespace bb
