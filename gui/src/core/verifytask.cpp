#include "core/verifytask.h"

#include <bitcask/error.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <charconv>

#include "core/valueformat.h"

namespace bb {

namespace {

// "0000000012.hint" → 12.
std::optional<quint32> idFromFileName(const std::string& file) {
  quint32 id = 0;
  const auto dot = file.find('.');
  if (dot == std::string::npos || dot == 0) return std::nullopt;
  const auto [end, ec] = std::from_chars(file.data(), file.data() + dot, id);
  if (ec != std::errc() || end != file.data() + dot) return std::nullopt;
  return id;
}

bool endsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

SegmentProblem segmentProblemOf(const bitcask::Problem& problem) {
  SegmentProblem sp;
  sp.problem = problem;
  sp.hint = endsWith(problem.file, ".hint");
  sp.segment = idFromFileName(problem.file).value_or(0);
  return sp;
}

void runVerify(QPromise<VerifyOutcome>& promise, DbPtr db) {
  VerifyOutcome out;
  QElapsedTimer timer;
  timer.start();
  promise.setProgressRange(0, 1000);
  promise.setProgressValueAndText(
      0, QCoreApplication::translate("bb::Verify", "Verifying every record and hint file…"));
  std::map<std::string, quint32> idOfFile;
  for (const auto& s : db->stats().segment_stats) {
    idOfFile[s.file] = s.id;
    out.verifiedSizes[s.id] = s.size;
  }
  try {
    const auto problems = db->verify([&](std::uint64_t done, std::uint64_t total) {
      if (total > 0) promise.setProgressValue(int(done * 1000 / total));
      return !promise.isCanceled();
    });
    for (const auto& p : problems) {
      SegmentProblem sp = segmentProblemOf(p);
      if (auto it = idOfFile.find(p.file); it != idOfFile.end()) sp.segment = it->second;
      out.problems.push_back(std::move(sp));
    }
  } catch (const bitcask::Error& e) {
    if (e.code() == bitcask::ErrorCode::kCancelled || promise.isCanceled()) {
      out.cancelled = true;
    } else {
      out.error = QString::fromStdString(e.what());
    }
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(e.what());
  }
  out.seconds = double(timer.nsecsElapsed()) / 1e9;
  promise.addResult(std::move(out));
}

QString MergeOutcome::summary() const {
  if (!error.isEmpty()) {
    return QCoreApplication::translate("bb::Merge", "Merge failed: %1").arg(error);
  }
  if (result.inputs == 0) {
    return QCoreApplication::translate("bb::Merge",
                                       "Nothing to merge: no sealed segment needed it.");
  }
  QString text =
      QCoreApplication::translate(
          "bb::Merge",
          "%1 %2 → %3 (merged segments %4 → %5); reclaimed %6 of %7 dead. %L8 → %L9 segments, "
          "%L10 records copied, %L11 dropped, %12.")
          .arg(cancelled ? QCoreApplication::translate("bb::Merge",
                                                       "Merge cancelled, kept what "
                                                       "it finished:")
                         : QCoreApplication::translate("bb::Merge", "Merged:"),
               formatBytes(totalBefore), formatBytes(totalAfter), formatBytes(result.bytes_before),
               formatBytes(result.bytes_after), formatBytes(result.bytes_reclaimed()),
               formatBytes(deadBefore))
          .arg(segmentsBefore)
          .arg(segmentsAfter)
          .arg(result.records_copied)
          .arg(result.records_dropped)
          .arg(formatDuration(result.seconds));
  if (!result.damaged.empty()) {
    // The merge removed damaged records from the segments: never silently.
    text +=
        QCoreApplication::translate("bb::Merge",
                                    " Damaged, not copied: %1; their bytes are saved in %2.")
            .arg(formatCountOf(result.damaged.size(), "1 record", "%L1 records"),
                 QString::fromStdString(result.saved_to.size() == 1 ? result.saved_to.front()
                                                                    : std::string("lost+found/")));
  }
  return text;
}

void runMerge(QPromise<MergeOutcome>& promise, DbPtr db, bool allSegments) {
  MergeOutcome out;
  promise.setProgressRange(0, 1000);
  try {
    const bitcask::Stats before = db->stats();
    out.totalBefore = before.total_bytes;
    out.deadBefore = before.dead_bytes;
    out.segmentsBefore = before.segments;
    bitcask::MergeOptions options;
    options.all_segments = allSegments;
    options.progress = [&](const bitcask::MergeProgress& p) {
      if (p.bytes_total > 0) {
        promise.setProgressValueAndText(
            int(p.bytes_read * 1000 / p.bytes_total),
            QCoreApplication::translate("bb::Merge", "Merging segment %L1 of %L2 (%3 of %4)…")
                .arg(std::min(p.segments_done + 1, p.segments_total))
                .arg(p.segments_total)
                .arg(formatBytes(p.bytes_read), formatBytes(p.bytes_total)));
      }
      return !promise.isCanceled();
    };
    out.result = db->merge(options);
    out.cancelled = out.result.cancelled;
    const bitcask::Stats after = db->stats();
    out.totalAfter = after.total_bytes;
    out.deadAfter = after.dead_bytes;
    out.segmentsAfter = after.segments;
  } catch (const std::exception& e) {
    out.error = QString::fromStdString(e.what());
  }
  promise.addResult(std::move(out));
}

}  // namespace bb
