#include "core/linediff.h"

#include <algorithm>

namespace bb {

std::vector<DiffLine> diffLines(const QStringList& before, const QStringList& after) {
  std::vector<DiffLine> out;
  qsizetype head = 0;
  while (head < before.size() && head < after.size() && before[head] == after[head]) ++head;
  qsizetype tail = 0;
  while (tail < before.size() - head && tail < after.size() - head &&
         before[before.size() - 1 - tail] == after[after.size() - 1 - tail]) {
    ++tail;
  }
  for (qsizetype i = 0; i < head; ++i) out.push_back({DiffLine::Op::kSame, before[i]});
  const qsizetype n = before.size() - head - tail;
  const qsizetype m = after.size() - head - tail;
  if (n * m > 4'000'000) {
    for (qsizetype i = 0; i < n; ++i) out.push_back({DiffLine::Op::kRemoved, before[head + i]});
    for (qsizetype j = 0; j < m; ++j) out.push_back({DiffLine::Op::kAdded, after[head + j]});
  } else {
    // lcs[i][j]: LCS length of before[head+i..] and after[head+j..].
    std::vector<int> lcs(std::size_t((n + 1) * (m + 1)), 0);
    auto at = [&](qsizetype i, qsizetype j) -> int& { return lcs[std::size_t(i * (m + 1) + j)]; };
    for (qsizetype i = n - 1; i >= 0; --i) {
      for (qsizetype j = m - 1; j >= 0; --j) {
        at(i, j) = before[head + i] == after[head + j] ? at(i + 1, j + 1) + 1
                                                       : std::max(at(i + 1, j), at(i, j + 1));
      }
    }
    qsizetype i = 0, j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && before[head + i] == after[head + j]) {
        out.push_back({DiffLine::Op::kSame, before[head + i]});
        ++i;
        ++j;
      } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
        out.push_back({DiffLine::Op::kRemoved, before[head + i]});
        ++i;
      } else {
        out.push_back({DiffLine::Op::kAdded, after[head + j]});
        ++j;
      }
    }
  }
  for (qsizetype k = before.size() - tail; k < before.size(); ++k) {
    out.push_back({DiffLine::Op::kSame, before[k]});
  }
  return out;
}

}  // namespace bb
