// peek_first_keys: a k-way merge of the segments' sorted key lists (see
// bitcask/peek.h for what it promises).
//
// 1. List the directory as DB::open does (classify_directory): native
//    segments only; anything else is not ours to peek at.
// 2. For each segment, oldest first: check its header, then take its hint
//    (checked whole by hint::Reader, as the open does) as one sorted source.
//    Bytes the hint does not cover (no hint, or records appended after it)
//    are read from a private copy, as a read-only open reads the newest
//    segment, and become a second, newer source: their records
//    sorted by key, the last record of a key winning.
// 3. Merge the sources' heads in key order. Among the heads with the same
//    key, the newest source's entry is the key's latest record: listed when
//    it is a put that has not expired, skipped when it is a tombstone.
// Any doubt (an unreadable file, a hint that does not check, a damaged
// record, a file that vanished because a merge replaced it) ends the peek
// with nothing: the open is then the only answer, and it says why.
#include <bitcask/peek.h>
#include <fcntl.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <queue>

#include "directory.h"
#include "file_util.h"
#include "format.h"
#include "hint.h"
#include "segment.h"
#include "segment_reader.h"

namespace bitcask {

namespace {

// What a source says of the key at its head.
struct Head {
  std::string key;
  bool live = false;  // a put that has not expired
  std::uint32_t value_size = 0;
  std::uint64_t timestamp_us = 0;
};

bool is_live(RecordKind kind, std::uint64_t expiry_us, std::uint64_t now_us) {
  return kind == RecordKind::kPut && (expiry_us == 0 || expiry_us > now_us);
}

class Source {
 public:
  // Newer sources win a key: a later segment, or a segment's scanned
  // records over its hint.
  Source(std::uint32_t segment, bool scanned)
      : segment_(segment), rank_(2ull * segment + scanned) {}
  virtual ~Source() = default;
  // Moves to the next key; false at the end.
  virtual bool next() = 0;
  const Head& head() const { return head_; }
  std::uint32_t segment() const { return segment_; }
  std::uint64_t rank() const { return rank_; }

 protected:
  Head head_;

 private:
  std::uint32_t segment_;
  std::uint64_t rank_;
};

class HintSource final : public Source {
 public:
  HintSource(std::unique_ptr<hint::Reader> reader, std::uint32_t segment, std::uint64_t now_us)
      : Source(segment, false),
        reader_(std::move(reader)),
        cursor_(reader_->entries()),
        now_us_(now_us) {}
  bool next() override {
    hint::Entry e;
    if (!cursor_.next(&e)) return false;
    head_.key.assign(e.key);
    head_.live = is_live(e.kind, e.expiry_us, now_us_);
    const std::uint32_t header =
        format::kRecordHeaderSize + ((e.loc.flags & format::kFlagExpiry) ? 8u : 0u);
    head_.value_size = e.loc.size - header - static_cast<std::uint32_t>(e.key.size());
    head_.timestamp_us = e.loc.timestamp_us;
    return true;
  }

 private:
  std::unique_ptr<hint::Reader> reader_;
  hint::Cursor cursor_;
  std::uint64_t now_us_;
};

class ScannedSource final : public Source {
 public:
  ScannedSource(std::map<std::string, Head> heads, std::uint32_t segment)
      : Source(segment, true), heads_(std::move(heads)), it_(heads_.begin()) {}
  bool next() override {
    if (it_ == heads_.end()) return false;
    head_ = std::move(it_->second);
    ++it_;
    return true;
  }

 private:
  std::map<std::string, Head> heads_;
  std::map<std::string, Head>::iterator it_;
};

// The records of `seg` from `start` on, sorted by key, the last of a key
// winning; nothing when a record is damaged (zeros running to the end of
// the newest segment are its preallocated tail, not damage).
std::optional<std::map<std::string, Head>> scan_records(const Segment& seg, std::uint64_t start,
                                                        bool is_last, std::uint64_t now_us) {
  std::map<std::string, Head> heads;
  CommittedReader reader(seg, start);
  RawRecord rec;
  while (reader.next(&rec)) {
    if (!rec.ok) {
      const bool zero_tail = is_last && rec.runs_to_end &&
                             std::all_of(seg.data() + rec.offset, seg.data() + seg.size(),
                                         [](char c) { return c == 0; });
      if (zero_tail) break;
      return std::nullopt;
    }
    Head& head = heads[std::string(rec.key)];
    head.live = is_live(rec.kind, rec.expiry_us, now_us);
    head.value_size = rec.value_size;
    head.timestamp_us = rec.timestamp_us;
  }
  for (auto& [key, head] : heads) head.key = key;
  return heads;
}

struct Later {
  // The priority queue's top is the smallest key, and among equal keys the
  // newest source.
  bool operator()(const Source* a, const Source* b) const {
    if (const int c = a->head().key.compare(b->head().key); c != 0) return c > 0;
    return a->rank() < b->rank();
  }
};

std::optional<KeyPeek> peek(const fs::path& dir, std::size_t limit, std::uint64_t max_scan_bytes) {
  std::vector<std::uint32_t> segment_ids;
  if (classify_directory(dir, &segment_ids) != DirKind::kNative) return std::nullopt;
  // A marker of another version: the open refuses it, so nothing is shown (this throws).
  if (fs::exists(dir / format::kMarkerFile)) check_marker(dir);
  const std::uint64_t now_us = format::now_us();
  KeyPeek out;
  std::vector<std::unique_ptr<Source>> sources;
  std::uint64_t scanned = 0;
  for (std::size_t i = 0; i < segment_ids.size(); ++i) {
    const std::uint32_t id = segment_ids[i];
    const fs::path path = dir / format::segment_file_name(id);
    std::uint64_t size;
    {
      File f = open_regular_file(path, O_RDONLY);
      size = file_size(f, path);
      if (size < format::kSegmentHeaderSize) return std::nullopt;
      std::array<char, format::kSegmentHeaderSize> header;
      pread_exact(f, path, header.data(), header.size(), 0);
      if (!format::check_segment_header(header.data(), id).empty()) return std::nullopt;
    }
    std::uint64_t covered = format::kSegmentHeaderSize;
    auto reader = std::make_unique<hint::Reader>();
    if (reader->open(dir / hint::file_name(id), id, size)) {
      covered = reader->covered();
      out.listed_entries += reader->entry_count();
      sources.push_back(std::make_unique<HintSource>(std::move(reader), id, now_us));
    }
    if (covered < size) {
      // Read from a copy (a writer may cut or grow the file meanwhile), but for the pages the
      // hint covers (Mapping::copy_of).
      scanned += size - covered;
      if (scanned > max_scan_bytes) return std::nullopt;
      auto seg =
          Segment::open(path, id, SegmentFormat::kNative, Segment::Mode::kSnapshot, 0, covered);
      auto heads = scan_records(*seg, covered, i + 1 == segment_ids.size(), now_us);
      if (!heads) return std::nullopt;
      out.listed_entries += heads->size();
      sources.push_back(std::make_unique<ScannedSource>(std::move(*heads), id));
    }
  }

  std::priority_queue<Source*, std::vector<Source*>, Later> queue;
  for (const auto& s : sources) {
    if (s->next()) queue.push(s.get());
  }
  while (!queue.empty() && out.keys.size() < limit) {
    Source* newest = queue.top();
    queue.pop();
    const Head& head = newest->head();
    if (head.live) {
      out.keys.push_back({head.key, head.value_size, head.timestamp_us, newest->segment()});
    }
    // Older entries of the same key are superseded.
    while (!queue.empty() && queue.top()->head().key == head.key) {
      Source* older = queue.top();
      queue.pop();
      if (older->next()) queue.push(older);
    }
    if (newest->next()) queue.push(newest);
  }
  return out;
}

}  // namespace

std::optional<KeyPeek> peek_first_keys(const std::filesystem::path& dir, std::size_t limit,
                                       std::uint64_t max_scan_bytes) {
  try {
    return peek(dir, limit, max_scan_bytes);
  } catch (const std::exception&) {
    // A file that vanished (a merge replaced it), a symbolic link, an I/O
    // error: the open reports what it meets.
    return std::nullopt;
  }
}

}  // namespace bitcask
