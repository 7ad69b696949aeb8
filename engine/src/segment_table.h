// The segments of an open database, what is known about each one, and the
// keydir that points into them: the Bitcask counterpart of LevelDB's
// VersionSet. It is the one place segments are added, sealed and removed,
// and the one keeper of their record counts and live-byte accounting, which
// the keydir's changes drive (publish, relocate), so stats and merge
// decisions always agree with the keydir.
//
// One mutex, mu(), guards all of it: a keydir change and the accounting it
// implies are one atomic step for readers. Readers
// hold mu() shared for a lookup and copy; the writer, merge and recovery
// hold it exclusively only to publish what they already wrote. The rules are
// annotations that clang's -Wthread-safety checks (the build-tsa CI stage).
#pragma once

#include <absl/base/thread_annotations.h>
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "keydir.h"
#include "mutex.h"
#include "segment.h"

namespace bitcask {

// What a segment holds, kept as records are published and moved.
struct SegmentFigures {
  std::uint64_t records = 0;  // every record, batch markers included
  std::uint64_t tombstones = 0;
  std::uint64_t live_records = 0;  // records the keydir points at
  std::uint64_t live_bytes = 0;    // their bytes
  bool has_hint = false;           // a hint file covers the segment
};

class SegmentTable {
 public:
  SharedMutex& mu() const ABSL_LOCK_RETURNED(mu_) { return mu_; }

  // Read access; changes go through publish() and relocate().
  const KeyDir& keydir() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return keydir_; }
  // Makes room for `n` keys at once (opening knows the count from hints).
  void reserve_keys(std::size_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { keydir_.reserve(n); }

  // ---- Lookups (mu() held, shared is enough) ----
  // Null when the table has no segment `id`.
  Segment* find(std::uint32_t id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  std::shared_ptr<Segment> share(std::uint32_t id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Ascending.
  const std::vector<std::uint32_t>& ids() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return ids_; }
  std::uint32_t newest_id() const ABSL_SHARED_LOCKS_REQUIRED(mu_) {
    return ids_.empty() ? 0 : ids_.back();
  }
  // Every segment in id order: a snapshot that stays readable without the
  // lock (a segment merged away meanwhile keeps its mapping).
  std::vector<std::shared_ptr<Segment>> snapshot() const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // The segment appends go to; null while sealed (read-only, or during the
  // short window in which merge replaces it).
  const std::shared_ptr<Segment>& active() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return active_; }
  const SegmentFigures& figures(std::uint32_t id) const ABSL_SHARED_LOCKS_REQUIRED(mu_);
  // Keydir entries with an expiry: while there are none, counts and scans
  // need not look at expiry times.
  std::uint64_t expiring_keys() const ABSL_SHARED_LOCKS_REQUIRED(mu_) { return expiring_keys_; }

  // ---- Changes (mu() held exclusively) ----
  // Adds a segment with the figures known of it (a merge output's counts).
  void add(std::shared_ptr<Segment> segment, SegmentFigures figures = {})
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Makes `segment` (already added, or null to seal) the active one.
  void set_active(std::shared_ptr<Segment> segment) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void remove(std::uint32_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Forgets every segment and key (close, a read-only open starting over).
  void clear() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void set_has_hint(std::uint32_t id, bool has_hint) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Records counted without a keydir change (batch markers, a hint's count).
  void count_records(std::uint32_t id, std::uint64_t n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  // Points the keydir at a record just appended to, or recovered from,
  // segment loc.segment, and keeps the figures of that segment and of the
  // one the key's previous version is in right. Returns the previous
  // location, if any.
  std::optional<Location> publish(RecordKind kind, std::string_view key, const Location& loc)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Moves the keydir entry of `key` from `from` to its copy `to` unless a
  // write since replaced it; `to.size == 0` removes the key (expired). Returns
  // whether it moved.
  bool relocate(std::string_view key, const Location& from, const Location& to)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

 private:
  struct Entry {
    std::shared_ptr<Segment> segment;
    SegmentFigures figures;
  };
  Entry& entry(std::uint32_t id) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void add_live(const Location& loc) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void drop_live(const Location& loc) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  mutable SharedMutex mu_;
  KeyDir keydir_ ABSL_GUARDED_BY(mu_);
  // By id: ids are sparse (merges reserve ranges) and may be any 32-bit
  // number a file is named with, so no table indexed by id.
  absl::flat_hash_map<std::uint32_t, Entry> entries_ ABSL_GUARDED_BY(mu_);
  std::vector<std::uint32_t> ids_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<Segment> active_ ABSL_GUARDED_BY(mu_);
  std::uint64_t expiring_keys_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace bitcask
