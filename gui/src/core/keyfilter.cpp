#include "core/keyfilter.h"

#include <QCoreApplication>

namespace bb {

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

bool KeyMatcher::matches(std::string_view key) const {
  if (filter_.text.isEmpty()) return true;
  switch (filter_.mode) {
    case KeyFilter::Mode::kPrefix:
      return key.starts_with(bytes_);
    case KeyFilter::Mode::kSubstring:
      if (filter_.caseSensitive) return key.find(bytes_) != std::string_view::npos;
      return QString::fromUtf8(key.data(), qsizetype(key.size())).toCaseFolded().contains(folded_);
    case KeyFilter::Mode::kRegex:
      if (!isValid()) return false;
      return regex_.match(QString::fromUtf8(key.data(), qsizetype(key.size()))).hasMatch();
  }
  return false;
}

std::string prefixSuccessor(std::string prefix) {
  while (!prefix.empty() && static_cast<unsigned char>(prefix.back()) == 0xff) prefix.pop_back();
  if (prefix.empty()) return {};
  prefix.back() = static_cast<char>(static_cast<unsigned char>(prefix.back()) + 1);
  return prefix;
}

void runFilterScan(QPromise<FilterResult>& promise, DbPtr db, KeyFilter filter) {
  FilterResult result;
  result.filter = filter;
  result.matches = std::make_shared<std::vector<bitcask::KeyEntry>>();
  const KeyMatcher matcher(filter);
  promise.setProgressRange(0, 1000);
  if (!matcher.isValid()) {
    promise.addResult(std::move(result));
    return;
  }
  const quint64 total = std::max<quint64>(1, db->count());
  bitcask::ScanOptions options;
  options.limit = 4096;
  if (filter.mode == KeyFilter::Mode::kPrefix) options.prefix = filter.text.toStdString();
  int lastProgress = -1;
  for (;;) {
    if (promise.isCanceled()) return;
    std::vector<bitcask::KeyEntry> page = db->scan(options);
    for (auto& entry : page) {
      if (matcher.matches(entry.key)) result.matches->push_back(entry);
    }
    result.scanned += page.size();
    const int progress = int(std::min<quint64>(1000, result.scanned * 1000 / total));
    if (progress != lastProgress) {
      promise.setProgressValueAndText(
          progress, QCoreApplication::translate("bb::KeyFilter", "%1 of %2 keys searched")
                        .arg(result.scanned)
                        .arg(total));
      lastProgress = progress;
    }
    if (page.size() < options.limit) break;
    options.start = page.back().key;
    options.exclusive_start = true;
  }
  promise.setProgressValue(1000);
  promise.addResult(std::move(result));
}

}  // namespace bb
