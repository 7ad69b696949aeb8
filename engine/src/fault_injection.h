// Fault injection for tests: every file operation of the engine asks this
// hook first, so a test can make the Nth write, sync, rename, open, read, ...
// fail with the errno of its choice (EIO, ENOSPC, EACCES) and check that
// the engine reports it, acknowledges nothing it did not write, and reopens
// with everything it did acknowledge.
//
// An observer sees each operation after it succeeded, so a test can model
// what a power loss would keep (tests/tst_powerloss.cpp: data written since
// the last sync of a file, and entries created, renamed or removed since the
// last sync of their directory, are dropped).
//
// Neither costs anything beyond one relaxed atomic load per operation when
// no hook or observer is installed.
#pragma once

#include <filesystem>
#include <functional>

namespace bitcask::fault {

enum class Op {
  kOpen,
  kWrite,
  kRead,
  kSync,
  kRename,
  kRemove,
  kTruncate,
  kMkdir,
  kMap,
  kAllocate,
};

const char* to_string(Op op);

// Returns 0 to let the operation run, or the errno to fail it with. A failed
// write first writes half of its bytes, as a torn write would.
using Hook = std::function<int(Op op, const std::filesystem::path& path)>;

// Installs `hook` for every thread (an empty hook removes it). Not for
// production use: tests only.
void set_hook(Hook hook);

// Called by the file layer before each operation.
int check(Op op, const std::filesystem::path& path);

// Called after an operation succeeded:
//   kOpen      path opened (a file, or a directory before it is synced)
//   kWrite     bytes written to path (a write(2), or a copy into the
//              writable mapping of the active segment)
//   kRead      bytes read from path
//   kSync      fsync/fdatasync of path; of a directory when path is one
//   kRename    `from` renamed to path (not yet durable: see kSync)
//   kRemove    path unlinked (only when it existed)
//   kTruncate  path cut to a size
//   kMkdir     directory path created
//   kMap       path mapped
//   kAllocate  blocks allocated, or zeros written past the data, for path,
//              which may have grown (zeros)
// `from` is empty except for kRename. Calls are serialised (one at a time,
// from whichever thread made the operation); an observer must not call into
// the engine.
using Observer = std::function<void(Op op, const std::filesystem::path& path,
                                    const std::filesystem::path& from)>;

// Installs `observer` for every thread (an empty one removes it). Tests only.
void set_observer(Observer observer);

// Called by the file layer after each successful operation.
void observe(Op op, const std::filesystem::path& path);
void observe(Op op, const std::filesystem::path& path, const std::filesystem::path& from);

}  // namespace bitcask::fault
