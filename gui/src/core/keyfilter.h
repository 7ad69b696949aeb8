// The key filter: prefix (answered by the engine's ordered index), substring
// or regular expression (a scan over every key, run off the GUI thread), and
// optionally inside values too (the scan then reads each value's first
// kValueSearchBytes).
#pragma once

#include <bitcask/db.h>

#include <QPromise>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <atomic>
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
  // Substring and regex; a prefix is matched exactly. Off by default: people search for
  // "user" and mean User too.
  bool caseSensitive = false;
  // Substring and regex: a key matches when its key or its value does.
  bool searchValues = false;

  bool isEmpty() const { return text.isEmpty(); }
  // Whether the filter needs a scan over every key (not a prefix of the index).
  bool needsScan() const { return !isEmpty() && mode != Mode::kPrefix; }
  // Whether the scan reads values.
  bool searchesValues() const { return searchValues && needsScan(); }
  bool operator==(const KeyFilter&) const = default;
};

// How much of each value a value search reads: a value longer than this is
// searched in its first kValueSearchBytes only (and counted as such), so a
// 256 MiB value costs no more memory than this.
inline constexpr std::size_t kValueSearchBytes = 1 << 20;

// A compiled filter: tests one key (or one value).
class KeyMatcher {
 public:
  enum class Verdict {
    kNo,
    kYes,
    // The regular expression gave up on this text: it backtracked past PCRE2's match limit
    // (a pattern such as (a+)+$ on a long run of a's). Neither a match nor a miss.
    kUndecided,
  };

  KeyMatcher() = default;
  explicit KeyMatcher(const KeyFilter& filter);

  bool isValid() const { return error_.isEmpty(); }
  // Why the pattern cannot be used (a regular expression's error, with its offset).
  QString error() const { return error_; }
  bool matches(std::string_view key) const { return test(key) == Verdict::kYes; }
  // The filter's text against `text` (a key, or a value's bytes), as a substring or pattern.
  Verdict test(std::string_view text) const;

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
  quint64 valuesRead = 0;     // values searched (keys that did not match by name)
  quint64 valuesPartial = 0;  // of those, longer than kValueSearchBytes: searched in part
  quint64 undecided = 0;      // keys or values the pattern gave up on (Verdict::kUndecided)
  QStringList unreadable;     // keys whose value could not be read (a damaged record)
};

// Scans every key of `db` a page at a time and collects the keys `filter`
// matches (their index entries; values are read one at a time and not kept).
// Reports progress 0..1000 through `promise` and stops within a key when it
// is cancelled. Meant for QtConcurrent::run(runFilterScan, db, filter).
void runFilterScan(QPromise<FilterResult>& promise, DbPtr db, KeyFilter filter);
// As runFilterScan, counting the keys tested in `scanned` as it goes (tests: how far a
// cancelled scan went).
void runFilterScanCounting(QPromise<FilterResult>& promise, DbPtr db, KeyFilter filter,
                           std::shared_ptr<std::atomic<quint64>> scanned);

// The smallest string greater than every string that starts with `prefix`
// (empty when there is none, i.e. prefix is all 0xff bytes).
std::string prefixSuccessor(std::string prefix);

}  // namespace bb
