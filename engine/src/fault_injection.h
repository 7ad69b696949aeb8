// Fault injection for tests: every file operation of the engine asks this
// hook first, so a test can make the Nth write, sync, rename, open, read, ...
// fail with the errno of its choice (EIO, ENOSPC, EACCES) and check that
// the engine reports it, acknowledges nothing it did not write, and reopens
// with everything it did acknowledge.
#pragma once

#include <filesystem>
#include <functional>

namespace bitcask::fault {

enum class Op { kOpen, kWrite, kRead, kSync, kRename, kRemove, kTruncate, kMkdir, kMap };

const char* to_string(Op op);

// Returns 0 to let the operation run, or the errno to fail it with. A failed
// write first writes half of its bytes, as a torn write would.
using Hook = std::function<int(Op op, const std::filesystem::path& path)>;

// Installs `hook` for every thread (an empty hook removes it). Not for
// production use: tests only.
void set_hook(Hook hook);

// Called by the file layer before each operation.
int check(Op op, const std::filesystem::path& path);

}  // namespace bitcask::fault
