// What a large append costs below the engine, on this machine's kernel and
// file system: the floor the write path of 10 KB records stands on
// (engine/src/segment.cpp). `bitcask-bench engine --only pages`.
#pragma once

#include <nlohmann/json.hpp>

namespace bench {

// Per 4 KiB page of a new file: faulting in a preallocated (fallocate)
// extent writable, writing zeros with pwrite in 1 MiB pieces, faulting in
// pages the zeros made; per 10 KB record: a copy into ready pages and a
// CRC-32C (ISA-L, as the engine computes it) of data in cache; and the wait
// for the fdatasync that seals a segment of 256 MiB written at full speed.
nlohmann::json page_floor();

}  // namespace bench
