#include "segment_table.h"

#include <algorithm>

#include "format.h"

namespace bitcask {

Segment* SegmentTable::find(std::uint32_t id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : it->second.segment.get();
}

std::shared_ptr<Segment> SegmentTable::share(std::uint32_t id) const {
  auto it = entries_.find(id);
  return it == entries_.end() ? nullptr : it->second.segment;
}

std::vector<std::shared_ptr<Segment>> SegmentTable::snapshot() const {
  std::vector<std::shared_ptr<Segment>> out;
  out.reserve(ids_.size());
  for (std::uint32_t id : ids_) out.push_back(entries_.at(id).segment);
  return out;
}

const SegmentFigures& SegmentTable::figures(std::uint32_t id) const {
  return entries_.at(id).figures;
}

SegmentTable::Entry& SegmentTable::entry(std::uint32_t id) { return entries_.at(id); }

void SegmentTable::add(std::shared_ptr<Segment> segment, SegmentFigures figures) {
  const std::uint32_t id = segment->id();
  auto [it, added] = entries_.try_emplace(id);
  it->second = Entry{std::move(segment), figures};
  if (added) ids_.insert(std::upper_bound(ids_.begin(), ids_.end(), id), id);
}

void SegmentTable::set_active(std::shared_ptr<Segment> segment) { active_ = std::move(segment); }

void SegmentTable::remove(std::uint32_t id) {
  if (active_ && active_->id() == id) active_.reset();
  entries_.erase(id);
  auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
  if (it != ids_.end() && *it == id) ids_.erase(it);
}

void SegmentTable::clear() {
  keydir_.clear();
  active_.reset();
  entries_.clear();
  ids_.clear();
  expiring_keys_ = 0;
}

void SegmentTable::set_has_hint(std::uint32_t id, bool has_hint) {
  entry(id).figures.has_hint = has_hint;
}

void SegmentTable::count_records(std::uint32_t id, std::uint64_t n) {
  entry(id).figures.records += n;
}

void SegmentTable::add_live(const Location& loc) {
  SegmentFigures& f = entry(loc.segment).figures;
  ++f.live_records;
  f.live_bytes += loc.size;
  if (loc.flags & format::kFlagExpiry) ++expiring_keys_;
}

void SegmentTable::drop_live(const Location& loc) {
  SegmentFigures& f = entry(loc.segment).figures;
  --f.live_records;
  f.live_bytes -= loc.size;
  if (loc.flags & format::kFlagExpiry) --expiring_keys_;
}

std::optional<Location> SegmentTable::publish(RecordKind kind, std::string_view key,
                                              const Location& loc) {
  SegmentFigures& f = entry(loc.segment).figures;
  ++f.records;
  std::optional<Location> old;
  if (kind == RecordKind::kPut) {
    old = keydir_.put(key, loc);
    add_live(loc);
  } else if (kind == RecordKind::kTombstone) {
    old = keydir_.remove(key);
    ++f.tombstones;
  }
  if (old) drop_live(*old);
  return old;
}

bool SegmentTable::relocate(std::string_view key, const Location& from, const Location& to) {
  std::optional<Location> now = keydir_.find(key);
  if (!now || now->segment != from.segment || now->offset != from.offset) return false;
  if (to.size == 0) {
    keydir_.remove(key);
  } else {
    keydir_.put(key, to);
    add_live(to);
  }
  drop_live(from);
  return true;
}

}  // namespace bitcask
