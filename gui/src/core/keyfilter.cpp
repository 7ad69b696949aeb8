#include "core/keyfilter.h"

#include <bitcask/error.h>

#include <QCoreApplication>
#include <algorithm>

#include "core/valueformat.h"

namespace bb {

namespace {

QString tr(const char* text) { return QCoreApplication::translate("bb::KeyFilter", text); }

// Keys tested between two looks at the cancel flag when only keys are tested (a value
// search looks after every key). A key of a backtracking pattern costs at most what PCRE2's
// match limit lets it (tens of milliseconds), so a cancel is seen within a few of those.
constexpr quint64 kKeysPerCancelCheck = 16;

}  // namespace

KeyMatcher::KeyMatcher(const KeyFilter& filter) : filter_(filter) {
  bytes_ = filter.text.toStdString();
  folded_ = filter.text.toCaseFolded();
  if (filter.mode == KeyFilter::Mode::kRegex) {
    regex_.setPattern(filter.text);
    regex_.setPatternOptions(filter.caseSensitive ? QRegularExpression::NoPatternOption
                                                  : QRegularExpression::CaseInsensitiveOption);
    if (!regex_.isValid()) {
      error_ = QCoreApplication::translate("bb::KeyMatcher", "%1 (at character %2)")
                   .arg(regex_.errorString())
                   .arg(regex_.patternErrorOffset() + 1);
    } else {
      regex_.optimize();
    }
  }
}

KeyMatcher::Verdict KeyMatcher::test(std::string_view text) const {
  if (filter_.text.isEmpty()) return Verdict::kYes;
  auto verdict = [](bool yes) { return yes ? Verdict::kYes : Verdict::kNo; };
  switch (filter_.mode) {
    case KeyFilter::Mode::kPrefix:
      return verdict(text.starts_with(bytes_));
    case KeyFilter::Mode::kSubstring:
      if (filter_.caseSensitive) return verdict(text.find(bytes_) != std::string_view::npos);
      return verdict(
          QString::fromUtf8(text.data(), qsizetype(text.size())).toCaseFolded().contains(folded_));
    case KeyFilter::Mode::kRegex: {
      if (!isValid()) return Verdict::kNo;
      const QRegularExpressionMatch m =
          regex_.match(QString::fromUtf8(text.data(), qsizetype(text.size())));
      // Qt gives an invalid match when PCRE2 stops with an error (its match limit).
      if (!m.isValid()) return Verdict::kUndecided;
      return verdict(m.hasMatch());
    }
  }
  return Verdict::kNo;
}

std::string prefixSuccessor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return {};
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

void runFilterScan(QPromise<FilterResult>& promise, DbPtr db, KeyFilter filter) {
  runFilterScanCounting(promise, std::move(db), std::move(filter), nullptr);
}

void runFilterScanCounting(QPromise<FilterResult>& promise, DbPtr db, KeyFilter filter,
                           std::shared_ptr<std::atomic<quint64>> counter) {
  FilterResult result;
  result.filter = filter;
  result.matches = std::make_shared<std::vector<bitcask::KeyEntry>>();
  const KeyMatcher matcher(filter);
  promise.setProgressRange(0, 1000);
  if (!matcher.isValid()) {
    promise.addResult(std::move(result));
    return;
  }
  const bool values = filter.searchesValues();
  const quint64 total = std::max<quint64>(1, db->count());
  bitcask::ScanOptions options;
  options.limit = 4096;
  if (filter.mode == KeyFilter::Mode::kPrefix) options.prefix = filter.text.toStdString();
  int lastProgress = -1;
  std::string value;
  std::uint64_t valueSize = 0;
  const QString searched =
      values ? tr("%L1 of %L2 keys and values searched") : tr("%L1 of %L2 keys searched");
  for (;;) {
    if (promise.isCanceled()) return;
    std::vector<bitcask::KeyEntry> page = db->scan(options);
    for (const auto& entry : page) {
      if ((values || result.scanned % kKeysPerCancelCheck == 0) && promise.isCanceled()) return;
      ++result.scanned;
      if (counter) counter->store(result.scanned);
      KeyMatcher::Verdict v = matcher.test(entry.key);
      if (v != KeyMatcher::Verdict::kYes && values) {
        const KeyMatcher::Verdict byKey = v;
        try {
          if (!db->get_prefix(entry.key, kValueSearchBytes, &value, &valueSize)) continue;
        } catch (const bitcask::Error& e) {
          if (e.code() != bitcask::ErrorCode::kCorruption) throw;
          result.unreadable << displayKey(entry.key);
          if (byKey == KeyMatcher::Verdict::kUndecided) ++result.undecided;
          continue;
        }
        ++result.valuesRead;
        if (valueSize > value.size()) ++result.valuesPartial;
        v = matcher.test(value);
        if (v == KeyMatcher::Verdict::kNo && byKey == KeyMatcher::Verdict::kUndecided) v = byKey;
      }
      if (v == KeyMatcher::Verdict::kYes) {
        result.matches->push_back(entry);
      } else if (v == KeyMatcher::Verdict::kUndecided) {
        ++result.undecided;
      }
      if (values || result.scanned % 256 == 0) {
        const int progress = int(std::min<quint64>(1000, result.scanned * 1000 / total));
        if (progress != lastProgress) {
          promise.setProgressValueAndText(progress, searched.arg(result.scanned).arg(total));
          lastProgress = progress;
        }
      }
    }
    if (page.size() < options.limit) break;
    options.start = page.back().key;
    options.exclusive_start = true;
  }
  promise.setProgressValue(1000);
  promise.addResult(std::move(result));
}

}  // namespace bb
