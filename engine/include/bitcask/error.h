// Errors raised by the engine. Every failure is a bitcask::Error whose message
// says what failed and where (the file or directory, and an offset where one
// applies), so a user can act on it without reading the source.
#pragma once

#include <bitcask/export.h>

#include <stdexcept>
#include <string>

namespace bitcask {

enum class ErrorCode {
  kIo,                  // a system call failed (the message carries errno's text)
  kNoSpace,             // the disk is full, or the file may grow no further (ENOSPC, EDQUOT, EFBIG)
  kPermissionDenied,    // EACCES / EPERM / EROFS
  kNotFound,            // the directory does not exist and creation was not asked
  kNotADatabase,        // the path is a file, or a directory of unrelated files
  kUnsupportedVersion,  // written by a newer format version
  kCorruption,          // a record failed its checksum or is malformed
  kLocked,              // another writer holds the directory
  kReadOnly,            // a write on a database opened read-only
  kInvalidArgument,     // a key or value over the limits, an empty key, ...
  kClosed,              // the database was closed
  kFailed,              // an earlier write or sync failed; the database refuses
                        // further writes until it is reopened
  kCancelled,           // a long operation was cancelled by its caller
};

// Short, stable name of a code ("corruption", "locked", ...), for logs and
// machine-readable output.
BITCASK_EXPORT const char* to_string(ErrorCode code);

class BITCASK_EXPORT Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}

  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

}  // namespace bitcask
