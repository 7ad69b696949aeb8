#include <bitcask/error.h>
#include <bitcask/record.h>

namespace bitcask {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kNoSpace:
      return "no-space";
    case ErrorCode::kPermissionDenied:
      return "permission-denied";
    case ErrorCode::kNotFound:
      return "not-found";
    case ErrorCode::kNotADatabase:
      return "not-a-database";
    case ErrorCode::kUnsupportedVersion:
      return "unsupported-version";
    case ErrorCode::kCorruption:
      return "corruption";
    case ErrorCode::kLocked:
      return "locked";
    case ErrorCode::kReadOnly:
      return "read-only";
    case ErrorCode::kInvalidArgument:
      return "invalid-argument";
    case ErrorCode::kClosed:
      return "closed";
    case ErrorCode::kFailed:
      return "failed";
    case ErrorCode::kCancelled:
      return "cancelled";
  }
  return "unknown";
}

const char* to_string(RecordKind kind) {
  switch (kind) {
    case RecordKind::kPut:
      return "put";
    case RecordKind::kTombstone:
      return "tombstone";
    case RecordKind::kBatchBegin:
      return "batch-begin";
    case RecordKind::kBatchCommit:
      return "batch-commit";
  }
  return "unknown";
}

}  // namespace bitcask
