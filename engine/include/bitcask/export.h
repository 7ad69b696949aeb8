// BITCASK_EXPORT marks the public API: the classes and functions of the
// headers in include/bitcask/ that programs call. libbitcask is compiled with
// hidden visibility (engine/CMakeLists.txt), so a shared libbitcask exports
// these and nothing else: its internals (engine/src) stay private, cannot be
// called or interposed by programs, and do not grow the dynamic symbol table.
// Modelled on LevelDB's LEVELDB_EXPORT (include/leveldb/export.h).
//
// The build of libbitcask defines BITCASK_SHARED_LIBRARY (when it builds the
// shared library) and BITCASK_COMPILE_LIBRARY. For a static library, and for
// programs including these headers, the macro is empty: a program's own
// default visibility applies, and a shared library that links a static
// libbitcask does not re-export its API. ELF (GCC, Clang) only: the project
// builds on Linux.
#pragma once

#if !defined(BITCASK_EXPORT)
#if defined(BITCASK_SHARED_LIBRARY) && defined(BITCASK_COMPILE_LIBRARY)
#define BITCASK_EXPORT __attribute__((visibility("default")))
#else
#define BITCASK_EXPORT
#endif
#endif
