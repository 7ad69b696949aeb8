# CPack configuration of the Debian packages, included by packaging/CMakeLists.txt.
#
#   bitcask-browser   component Runtime: the desktop application, the `bitcask` and
#                     `bitcask-bench` tools, desktop entry, metainfo, icons, manual pages,
#                     bash completion
#   libbitcask0       component Library: the shared library (libbitcask.so.0), when
#                     BUILD_SHARED_LIBS (the default)
#   libbitcask-dev    component Development: headers, libbitcask.so (or libbitcask.a),
#                     the CMake package and bitcask.pc
#
# Configure with -DCMAKE_INSTALL_PREFIX=/usr (the library then goes to /usr/lib/<multiarch>, where
# the dynamic linker finds it without an RPATH), build, and run `cpack -G DEB` in the build
# directory: scripts/package.sh. Dependencies on system libraries come from dpkg-shlibdeps.

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "bitcask-browser")
set(CPACK_PACKAGE_VENDOR "The Bitcask Browser developers")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${BITCASK_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${PROJECT_HOMEPAGE_URL}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
# Checks at packaging time (packaging/cpack-project.cmake).
set(CPACK_PROJECT_CONFIG_FILE "${CMAKE_CURRENT_LIST_DIR}/cpack-project.cmake")
set(CPACK_BITCASK_VERSION_PROBLEM "${BITCASK_PKG_VERSION_PROBLEM}")
set(CPACK_BITCASK_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${_pkg_components})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${BITCASK_DEB_REVISION}")
set(CPACK_DEBIAN_PACKAGE_SOURCE "bitcask-browser")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BITCASK_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
# Depends: from the ELF files (dpkg-shlibdeps), plus exact-version dependencies between the
# packages (CPACK_COMPONENT_<C>_DEPENDS). dpkg-shlibdeps looks for libbitcask.so.0 in the build
# tree; it has no shlibs information there and leaves it to the latter.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
get_target_property(_pkg_lib_dir bitcask BINARY_DIR)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${_pkg_lib_dir}")
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)

# The first line of each description is the synopsis. CPack would put the project's summary in
# front of every description unless it is its default; each package has its own.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${CMAKE_PROJECT_NAME} built using CMake")
set(_pkg_engine_text
"libbitcask is a log-structured hash table in the Bitcask design of Riak:
every write is appended to a segment file with a CRC-32C, an in-memory index
maps each key to its latest record, and merges compact the segments while
reads and writes go on. It offers atomic batches, ordered scans, key history,
expiry and compression, a JSON API and a byte API, and reads the databases of
the Python bitcask package.")

# bitcask-browser
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "bitcask-browser")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION "database")
# Qt's Wayland platform plugin, for a native window in a Wayland session (else XWayland).
set(CPACK_DEBIAN_RUNTIME_PACKAGE_RECOMMENDS "qt6-wayland")
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION
"desktop browser and tools for Bitcask key-value databases
Bitcask Browser opens Bitcask databases, directories of log-structured
segment files written by libbitcask or by the Python bitcask package. It
shows the keys in order, as a table or a namespace tree, with filters; edits
JSON values with undo; shows the history of a key, and the segment files
with their live and dead bytes and their records; verifies checksums and
merges segments in the background; imports and exports JSON lines.

This package also contains the bitcask command-line tool (put, get, delete,
keys, stats, check, dump, import, export, merge) and bitcask-bench, which
benchmarks the engine against LevelDB, RocksDB, LMDB and SQLite.")

# libbitcask0
set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME "${BITCASK_PKG_LIB_NAME}")
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION "libs")
set(CPACK_COMPONENT_LIBRARY_DESCRIPTION
"Bitcask key-value storage engine - shared library
${_pkg_engine_text}

This package contains the shared library.")
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# An ldconfig trigger instead of CPack's ldconfig maintainer scripts.
set(CPACK_POST_BUILD_SCRIPTS "${CMAKE_CURRENT_LIST_DIR}/cpack-post-build.cmake")
set(CPACK_BITCASK_LIB_PACKAGE "${BITCASK_PKG_LIB_NAME}")

# libbitcask-dev
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME "libbitcask-dev")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION "libdevel")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION
"Bitcask key-value storage engine - development files
${_pkg_engine_text}

This package contains the headers, the CMake package (find_package(Bitcask),
target Bitcask::bitcask) and the pkg-config file (bitcask.pc).")
# The headers include <nlohmann/json.hpp>. A static libbitcask.a brings its private
# dependencies along (the CMake package and `pkg-config --static` name them).
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "nlohmann-json3-dev")
if(_pkg_lib_type STREQUAL "SHARED_LIBRARY")
  set(CPACK_COMPONENT_RUNTIME_DEPENDS Library)
  set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS Library)
else()
  string(APPEND CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
    ", libabsl-dev, libisal-dev, libzstd-dev, liblz4-dev, libxxhash-dev")
endif()

include(CPack)
