# Read by cpack before it builds the packages (CPACK_PROJECT_CONFIG_FILE, packaging/cpack.cmake).
if(CPACK_GENERATOR STREQUAL "DEB")
  if(CPACK_BITCASK_VERSION_PROBLEM)
    message(FATAL_ERROR "packaging: ${CPACK_BITCASK_VERSION_PROBLEM}")
  endif()
  # The paths (the multiarch library directory, no RPATH) are chosen at configure time.
  if(NOT CPACK_BITCASK_INSTALL_PREFIX STREQUAL "/usr")
    message(FATAL_ERROR "packaging: configure the build with -DCMAKE_INSTALL_PREFIX=/usr for "
      "Debian packages (it has ${CPACK_BITCASK_INSTALL_PREFIX}); scripts/package.sh does")
  endif()
endif()
