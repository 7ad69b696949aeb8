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
  auto tr = [](const char* text) { return QCoreApplication::translate("bb::Merge", text); };
  if (!error.isEmpty()) return tr("Merge failed: %1").arg(error);
  if (result.inputs == 0) return tr("Nothing to merge: no sealed segment needed it.");
  // The engine's own figures: the inputs actually removed against the
  // outputs written, so a merge that had to keep inputs never claims space
  // it did not free.
  const quint64 removed = result.bytes_removed, written = result.bytes_after;
  const QString change =
      written <= removed
          ? tr("reclaimed %1").arg(formatBytes(removed - written))
          : tr("the database grew by %1, as %2 of the merged segments had to be kept")
                .arg(formatBytes(written - removed))
                .arg(result.inputs - result.inputs_removed);
  QString dead = tr("%1 was dead").arg(formatBytes(deadBefore));
  if (!result.damaged.empty()) {
    dead += tr(", %1 damaged").arg(formatBytes(result.damaged_bytes()));
  }
  QString text = tr("%1 %2 → %3 on disk; %4 (%5). %L6 → %L7 segments, %L8 records copied, "
                    "%L9 dropped, %10.")
                     .arg(cancelled ? tr("Merge cancelled, kept what it finished:") : tr("Merged:"),
                          formatBytes(totalBefore), formatBytes(totalAfter), change, dead)
                     .arg(segmentsBefore)
                     .arg(segmentsAfter)
                     .arg(result.records_copied)
                     .arg(result.records_dropped)
                     .arg(formatDuration(result.seconds));
  if (result.inputs_removed < result.inputs && !cancelled) {
    text += tr(" Kept: %1.")
                .arg(QString::fromStdString(
                    result.notes.empty() ? std::string("merged segments still holding live records")
                                         : result.notes.front()));
  }
  if (!result.damaged.empty()) {
    // The merge removed damaged records from the segments: never silently.
    QStringList keys;
    for (const auto& p : result.damaged) {
      if (p.key && keys.size() < 5)
        keys << QStringLiteral("\u201c%1\u201d").arg(displayKey(*p.key));
    }
    text +=
        formatCountOf(result.damaged.size(),
                      tr(" Damaged, not copied: 1 record; its bytes are saved in %2."),
                      tr(" Damaged, not copied: %L1 records; their bytes are saved in %2."))
            .arg(QString::fromStdString(result.saved_to.size() == 1 ? result.saved_to.front()
                                                                    : std::string("lost+found/")));
    if (result.damaged_keys_removed > 0) {
      text += tr(" %1 whose value was damaged %2 gone: %3.")
                  .arg(formatCountOf(result.damaged_keys_removed, tr("1 key"), tr("%L1 keys")),
                       result.damaged_keys_removed == 1 ? tr("is") : tr("are"),
                       keys.join(QStringLiteral(", ")) +
                           (result.damaged_keys_removed > quint64(keys.size()) ? tr(", …")
                                                                               : QString()));
    }
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
