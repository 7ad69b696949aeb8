// A line diff (longest common subsequence) for the history tab.
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

namespace bb {

struct DiffLine {
  enum class Op { kSame, kRemoved, kAdded };
  Op op;
  QString text;
};

// Lines of `before` and `after`, each marked kept, removed or added. Large
// inputs fall back to trimming the common head and tail and replacing the
// middle, to bound the work.
std::vector<DiffLine> diffLines(const QStringList& before, const QStringList& after);

}  // namespace bb
