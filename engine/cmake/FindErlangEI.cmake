# FindErlangEI: erl_interface's `ei` library, the Erlang external term format
# decoder that ships with Erlang/OTP (Debian: erlang-dev, which installs it as
# /usr/lib/erlang/lib/erl_interface-<vsn>/{include/ei.h,lib/libei.a}).
#
# Result: the imported target ErlangEI::ei, ErlangEI_FOUND, ErlangEI_INCLUDE_DIR,
# ErlangEI_LIBRARY. Set ErlangEI_ROOT (or CMAKE_PREFIX_PATH) to an erl_interface
# directory to choose one.
file(GLOB _erlang_ei_dirs LIST_DIRECTORIES true
  /usr/lib/erlang/lib/erl_interface-*
  /usr/local/lib/erlang/lib/erl_interface-*)
list(SORT _erlang_ei_dirs COMPARE NATURAL ORDER DESCENDING)  # newest first

find_path(ErlangEI_INCLUDE_DIR ei.h HINTS ${_erlang_ei_dirs} PATH_SUFFIXES include)
find_library(ErlangEI_LIBRARY NAMES ei HINTS ${_erlang_ei_dirs} PATH_SUFFIXES lib)

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(ErlangEI REQUIRED_VARS ErlangEI_LIBRARY ErlangEI_INCLUDE_DIR)

if(ErlangEI_FOUND AND NOT TARGET ErlangEI::ei)
  find_package(Threads REQUIRED)  # libei uses pthreads for its locks
  add_library(ErlangEI::ei UNKNOWN IMPORTED)
  set_target_properties(ErlangEI::ei PROPERTIES
    IMPORTED_LOCATION "${ErlangEI_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${ErlangEI_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
mark_as_advanced(ErlangEI_INCLUDE_DIR ErlangEI_LIBRARY)
