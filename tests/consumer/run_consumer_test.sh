#!/usr/bin/env bash
# Installs a build of the project into a scratch prefix and builds programs against it the two
# ways users do: CMake find_package(Bitcask) and pkg-config. Run by CTest as `consumer_build`.
#
#   tests/consumer/run_consumer_test.sh BUILD_DIR WORK_DIR
#
# BUILD_DIR  a configured and built tree of this project
# WORK_DIR   scratch directory (wiped first; kept afterwards for inspection)
# Environment (all optional): CMAKE, PKG_CONFIG, CXX, CMAKE_GENERATOR, CONSUMER_BUILD_TYPE,
#   CONSUMER_CXXFLAGS and CONSUMER_LDFLAGS (e.g. the sanitizer flags of a sanitized build).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 BUILD_DIR WORK_DIR" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="$(cd "$1" && pwd)"
work="$2"
cmake="${CMAKE:-cmake}"
pkg_config="${PKG_CONFIG:-pkg-config}"
cxx="${CXX:-c++}"
cxxflags="${CONSUMER_CXXFLAGS:-}"
ldflags="${CONSUMER_LDFLAGS:-}"
build_type="${CONSUMER_BUILD_TYPE:-RelWithDebInfo}"

rm -rf "$work"
mkdir -p "$work"
work="$(cd "$work" && pwd)"
prefix="$work/prefix"
logs="$work/logs"
mkdir -p "$logs"

fail() {
  echo "consumer_build: FAILED: $*" >&2
  exit 1
}

# step NAME COMMAND...: runs COMMAND with its output in $logs/NAME.log; shows the log on failure.
step() {
  local name="$1"
  shift
  echo "== $name: $*"
  if ! "$@" >"$logs/$name.log" 2>&1; then
    echo "---- output of '$name' ($logs/$name.log) ----" >&2
    cat "$logs/$name.log" >&2
    echo "----" >&2
    fail "step '$name' failed: $*"
  fi
}

# run_checked NAME COMMAND...: like step, and the output must contain a line starting with OK.
run_checked() {
  local name="$1"
  step "$@"
  cat "$logs/$name.log"
  grep -q '^OK' "$logs/$name.log" || fail "'$name' did not print OK"
}

# ---- 1. install ----------------------------------------------------------------------------
step install "$cmake" --install "$build_dir" --prefix "$prefix"

pc_file="$(find "$prefix" -path '*/pkgconfig/bitcask.pc' -print -quit)"
[[ -n "$pc_file" ]] || fail "no pkgconfig/bitcask.pc installed under $prefix"
libdir="$(dirname "$(dirname "$pc_file")")"
for f in \
  "$prefix/include/bitcask/bitcask.h" \
  "$prefix/include/bitcask/db.h" \
  "$prefix/include/bitcask/version.h" \
  "$libdir/cmake/Bitcask/BitcaskConfig.cmake" \
  "$libdir/cmake/Bitcask/BitcaskConfigVersion.cmake" \
  "$libdir/cmake/Bitcask/BitcaskTargets.cmake" \
  "$prefix/bin/bitcask"; do
  [[ -e "$f" ]] || fail "not installed: ${f#"$prefix"/}"
done
[[ ! -e "$prefix/include/bitcask/version.h.in" ]] || fail "version.h.in should not be installed"
if [[ -e "$libdir/libbitcask.so" ]]; then
  shared=1
elif [[ -e "$libdir/libbitcask.a" ]]; then
  shared=0
else
  fail "neither libbitcask.so nor libbitcask.a in ${libdir}"
fi
kind=static
[[ $shared == 0 ]] || kind=shared
echo "   installed into $prefix (libdir ${libdir#"$prefix"/}, $kind)"

# ---- 1b. a shared libbitcask exports its public API and nothing else of the engine ---------
# It is built with hidden visibility; the installed headers mark the API BITCASK_EXPORT
# (bitcask/export.h). Every exported symbol of namespace bitcask must belong to a class, struct
# or function they mark. Symbols of other namespaces are listed, not judged: template
# instantiations of namespace std keep libstdc++'s default visibility.
if [[ $shared == 1 ]]; then
  api_names="$(sed -nE \
    -e 's/.*(class|struct) BITCASK_EXPORT ([A-Za-z_][A-Za-z0-9_]*).*/\2/p' \
    -e 's/^BITCASK_EXPORT [^(]*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)\(.*/\1/p' \
    "$prefix"/include/bitcask/*.h | sort -u)"
  [[ -n "$api_names" ]] || fail "no BITCASK_EXPORT declaration in the installed headers"
  nm -DC --defined-only "$libdir/libbitcask.so" | sed -E 's/^[0-9a-f]+ [A-Za-z] //' \
    >"$logs/exports.txt" || fail "nm -DC $libdir/libbitcask.so failed"
  unexpected=()
  others=0
  api=0
  while IFS= read -r sym; do
    name="$(sed -E 's/^(typeinfo name for |typeinfo for |vtable for |VTT for )//' <<<"$sym")"
    if [[ "$name" != bitcask::* ]]; then
      others=$((others + 1))
      continue
    fi
    ident="$(sed -E 's/^bitcask::([A-Za-z_][A-Za-z0-9_]*).*/\1/' <<<"$name")"
    if grep -qxF -- "$ident" <<<"$api_names"; then
      api=$((api + 1))
    else
      unexpected+=("$sym")
    fi
  done <"$logs/exports.txt"
  grep -q '^bitcask::DB::open(' "$logs/exports.txt" || fail "libbitcask.so does not export DB::open"
  if [[ ${#unexpected[@]} -gt 0 ]]; then
    printf '   not part of the API: %s\n' "${unexpected[@]}" >&2
    fail "libbitcask.so exports ${#unexpected[@]} symbol(s) of namespace bitcask that the" \
      "installed headers do not mark BITCASK_EXPORT (list: $logs/exports.txt)"
  fi
  echo "   libbitcask.so exports $api API symbol(s), $others of other namespaces" \
    "(std template instantiations; $logs/exports.txt), no internals"
fi

export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

# ---- 2. CMake: find_package(Bitcask CONFIG REQUIRED) ---------------------------------------
step cmake-configure "$cmake" -S "$here" -B "$work/cmake-build" \
  -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  -DCMAKE_BUILD_TYPE="$build_type" \
  -DCMAKE_CXX_COMPILER="$cxx" \
  -DCMAKE_CXX_FLAGS="$cxxflags" \
  -DCMAKE_EXE_LINKER_FLAGS="$ldflags"
found_dir="$(sed -n 's/^Bitcask_DIR:PATH=//p' "$work/cmake-build/CMakeCache.txt")"
[[ "$found_dir" == "$libdir/cmake/Bitcask" ]] ||
  fail "find_package found Bitcask in '$found_dir', not in the scratch prefix"
step cmake-build "$cmake" --build "$work/cmake-build"
run_checked cmake-run "$work/cmake-build/app"

# ---- 3. pkg-config --cflags --libs bitcask --------------------------------------------------
export PKG_CONFIG_PATH="$libdir/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
pc_prefix="$("$pkg_config" --variable=prefix bitcask)" || fail "pkg-config cannot read bitcask.pc"
[[ "$pc_prefix" == "$prefix" ]] || fail "bitcask.pc says prefix=$pc_prefix, expected $prefix"
pc_args=(--cflags --libs)
[[ $shared == 1 ]] || pc_args+=(--static)
pc_flags="$("$pkg_config" "${pc_args[@]}" bitcask)" || fail "pkg-config ${pc_args[*]} bitcask failed"
echo "   pkg-config ${pc_args[*]} bitcask: $pc_flags"
# shellcheck disable=SC2086  # the flags are meant to be split into words
step pkgconfig-build "$cxx" -std=c++20 $cxxflags "$here/main.cpp" -o "$work/app-pkgconfig" \
  $pc_flags $ldflags
run_checked pkgconfig-run "$work/app-pkgconfig"

# ---- 4. the installed tool runs without LD_LIBRARY_PATH (RPATH) -----------------------------
tool_env=(env -u LD_LIBRARY_PATH)
if grep -Eqi '^CMAKE_SKIP_(INSTALL_)?RPATH:BOOL=(ON|TRUE|YES|1)$' "$build_dir/CMakeCache.txt"; then
  echo "   installed without RPATH (CMAKE_SKIP_INSTALL_RPATH): the tool runs with LD_LIBRARY_PATH"
  tool_env=(env)
elif [[ $shared == 1 ]]; then
  resolved="$(env -u LD_LIBRARY_PATH ldd "$prefix/bin/bitcask" | awk '/libbitcask/ {print $3}')"
  [[ -n "$resolved" && "$(realpath -m "$resolved")" == "$(realpath "$libdir")/"* ]] ||
    fail "installed bin/bitcask resolves libbitcask to '${resolved:-nothing}', not $libdir"
fi
tool=("${tool_env[@]}" "$prefix/bin/bitcask")
step tool-put "${tool[@]}" put "$work/tool-db" greeting '{"hello":"world"}'
step tool-get "${tool[@]}" get "$work/tool-db" greeting
grep -q 'world' "$logs/tool-get.log" || fail "bitcask get did not print the value put"

echo "consumer_build: OK (find_package and pkg-config consumers built and ran against $prefix)"
