// Verify and Merge as background tasks (run with QtConcurrent::run): they
// report progress 0..1000 through their QPromise, stop when it is cancelled,
// and keep the database alive through its shared handle while they run.
//
//   Verify  DB::verify(progress): every record's checksum and every hint
//           file, each problem with the segment it is in.
//   Merge   DB::merge(): the sealed segments rewritten, with the figures
//           before and after (reads and writes go on meanwhile).
#pragma once

#include <bitcask/merge.h>
#include <bitcask/recovery.h>

#include <QPromise>
#include <QString>
#include <map>
#include <vector>

#include "core/database.h"

namespace bb {

// One problem Verify found, with the segment it belongs to.
struct SegmentProblem {
  quint32 segment = 0;
  bool hint = false;  // in the segment's hint file, not in its records
  bitcask::Problem problem;
};

// `problem` with the segment its file's name says ("0000000012.hint" → 12,
// in the hint; 0 when the name says none, as for the Python format's files).
SegmentProblem segmentProblemOf(const bitcask::Problem& problem);

struct VerifyOutcome {
  bool cancelled = false;
  QString error;  // Verify itself failed
  double seconds = 0;
  std::vector<SegmentProblem> problems;
  // The segments checked and their sizes then (the active one grows on).
  std::map<quint32, quint64> verifiedSizes;
  bool ok() const { return !cancelled && error.isEmpty(); }
};

void runVerify(QPromise<VerifyOutcome>& promise, DbPtr db);

struct MergeOutcome {
  bool cancelled = false;
  QString error;
  bitcask::MergeResult result;
  // The whole database before and after.
  quint64 totalBefore = 0, totalAfter = 0;
  quint64 deadBefore = 0, deadAfter = 0;
  quint64 segmentsBefore = 0, segmentsAfter = 0;
  bool ok() const { return error.isEmpty(); }
  // One line for the user: space before and after, and what was reclaimed.
  QString summary() const;
};

// all_segments: every sealed segment; otherwise only those the thresholds pick.
void runMerge(QPromise<MergeOutcome>& promise, DbPtr db, bool allSegments);

}  // namespace bb
