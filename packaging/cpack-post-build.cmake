# Run by cpack after it built the packages (CPACK_POST_BUILD_SCRIPTS, packaging/cpack.cmake).
#
# The shared library's package: CPack gives it postinst and postrm scripts that run ldconfig
# themselves; Debian packages instead activate libc-bin's ldconfig trigger (what dh_makeshlibs
# does; lintian: lacks-ldconfig-trigger, maintscript-calls-ldconfig). Rewrite the package with
# a `triggers` control file and without those scripts. The data is not touched.
if(NOT CPACK_GENERATOR STREQUAL "DEB" OR NOT CPACK_BITCASK_LIB_PACKAGE)
  return()
endif()
find_program(_dpkg_deb dpkg-deb REQUIRED)
foreach(_deb IN LISTS CPACK_PACKAGE_FILES)
  get_filename_component(_name "${_deb}" NAME)
  if(NOT _name MATCHES "^${CPACK_BITCASK_LIB_PACKAGE}_.*\\.deb$")
    continue()
  endif()
  set(_tree "${CPACK_PACKAGE_DIRECTORY}/_CPack_Packages/ldconfig-trigger")
  file(REMOVE_RECURSE "${_tree}")
  execute_process(COMMAND ${_dpkg_deb} --raw-extract "${_deb}" "${_tree}"
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "dpkg-deb --raw-extract ${_deb} failed")
  endif()
  file(REMOVE "${_tree}/DEBIAN/postinst" "${_tree}/DEBIAN/postrm")
  file(WRITE "${_tree}/DEBIAN/triggers" "activate-noawait ldconfig\n")
  file(CHMOD "${_tree}/DEBIAN/triggers" FILE_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ
    WORLD_READ)
  execute_process(COMMAND ${_dpkg_deb} --root-owner-group -Zxz --build "${_tree}" "${_deb}"
    RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "dpkg-deb --build ${_deb} failed")
  endif()
  file(REMOVE_RECURSE "${_tree}")
  message(STATUS "${_name}: ldconfig trigger instead of maintainer scripts")
endforeach()
