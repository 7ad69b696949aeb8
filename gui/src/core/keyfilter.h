// The key filter: prefix (answered by the engine's ordered index), substring
// or regular expression (a scan over every key, run off the GUI thread).
#pragma once

#include <bitcask/db.h>

#include <QPromise>
#include <QRegularExpression>
#include <QString>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/database.h"

namespace bb {

struct KeyFilter {
  enum class Mode { kPrefix, kSubstring, kRegex };
  Mode mode = Mode::kPrefix;
  QString text;
  bool caseSensitive = true;  // substring and regex; a prefix is matched exactly

  bool isEmpty() const { return text.isEmpty(); }
  // Whether the filter needs a scan over every key (not a prefix of the index).
  bool needsScan() const { return !isEmpty() && mode != Mode::kPrefix; }
  bool operator==(const KeyFilter&) const = default;
};

// A compiled filter: tests one key.
class KeyMatcher {
 public:
  KeyMatcher() = default;
  explicit KeyMatcher(const KeyFilter& filter);

  bool isValid() const { return error_.isEmpty(); }
  // Why the pattern cannot be used (a regular expression's error, with its offset).
  QString error() const { return error_; }
  bool matches(std::string_view key) const;

 private:
  KeyFilter filter_;
  std::string bytes_;  // text as UTF-8, for prefix and case-sensitive substring
  QString folded_;     // case-folded text, for case-insensitive substring
  QRegularExpression regex_;
  QString error_;
};

struct FilterResult {
  KeyFilter filter;
  std::shared_ptr<std::vector<bitcask::KeyEntry>> matches;  // in key order
  quint64 scanned = 0;
};

// Scans every key of `db` a page at a time and collects the keys `filter`
// matches (keys and their index entries; never values). Reports progress
// 0..1000 through `promise` and stops early when it is cancelled. Meant for
// QtConcurrent::run(runFilterScan, db, filter).
void runFilterScan(QPromise<FilterResult>& promise, DbPtr db, KeyFilter filter);

// The smallest string greater than every string that starts with `prefix`
// (empty when there is none, i.e. prefix is all 0xff bytes).
std::string prefixSuccessor(std::string prefix);

}  // namespace bb
