#!/usr/bin/env bash
# Builds the Debian packages and checks them, in one command:
#   1. installs missing Debian packages (scripts/deps.sh) unless BITCASK_DEPS_DONE=1
#   2. configures build-pkg/ (Release, prefix /usr, Debian's hardening flags from
#      dpkg-buildflags, no test suites) and builds it
#   3. cpack -G DEB: build-pkg/packages/{bitcask-browser,libbitcask0,libbitcask-dev}_*.deb
#   4. lintian (fails on errors), desktop-file-validate and appstreamcli validate (fail on
#      anything but pedantic notes) on the files inside the packages
#   5. tests/package/install_test.sh: installs the packages into a scratch root and checks them
#
#   scripts/package.sh [--no-test] [BUILD_DIR]       BUILD_DIR defaults to build-pkg/
#
# The reports of lintian and the validators are kept in BUILD_DIR/packages/checks/.
# Install the result with: sudo apt-get install ./build-pkg/packages/*.deb
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

run_test=1
build_dir=""
for arg in "$@"; do
  case "$arg" in
    --no-test) run_test=0 ;;
    -h | --help)
      sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "package.sh: unknown option '$arg' (try --help)" >&2
      exit 2
      ;;
    *) build_dir="$arg" ;;
  esac
done
build_dir="${build_dir:-build-pkg}"
[[ "$build_dir" == /* ]] || build_dir="$root/$build_dir"
pkg_dir="$build_dir/packages"
checks="$pkg_dir/checks"

say() { printf '\n== package.sh: %s\n' "$*"; }

if [[ "${BITCASK_DEPS_DONE:-0}" != 1 ]]; then
  bash "$root/scripts/deps.sh"
fi

# ---- 2. configure and build -----------------------------------------------------------------
# Debian's default compiler and linker flags with all hardening (fortify, stack protector,
# relro, bind-now), without -g: the packages are stripped.
say "configure and build $build_dir"
flags="$(DEB_BUILD_MAINT_OPTIONS=hardening=+all DEB_CXXFLAGS_MAINT_STRIP=-g \
  dpkg-buildflags --export=sh)"
eval "$flags"
first=()
[[ -f "$build_dir/CMakeCache.txt" ]] || first=(-G Ninja)
cmake -S "$root" -B "$build_dir" "${first[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX=/usr \
  -DBITCASK_BUILD_TESTS=OFF \
  -DBITCASK_BUILD_GUI=ON \
  -DBITCASK_BUILD_BENCH=ON \
  -DCMAKE_CXX_FLAGS="$CPPFLAGS $CXXFLAGS" \
  -DCMAKE_EXE_LINKER_FLAGS="$LDFLAGS" \
  -DCMAKE_SHARED_LINKER_FLAGS="$LDFLAGS"
cmake --build "$build_dir" -j "$(nproc)"

# ---- 3. packages ----------------------------------------------------------------------------
say "cpack -G DEB"
rm -rf "$pkg_dir"
(cd "$build_dir" && cpack -G DEB --config CPackConfig.cmake)
mapfile -t debs < <(find "$pkg_dir" -maxdepth 1 -name '*.deb' | sort)
[[ ${#debs[@]} -gt 0 ]] || { echo "package.sh: cpack made no .deb" >&2; exit 1; }
for deb in "${debs[@]}"; do
  echo
  dpkg-deb --info "$deb" | sed -n '/Package:/,$p'
done

# ---- 4. lintian and the validators ----------------------------------------------------------
mkdir -p "$checks"
status=0
say "lintian"
# --fail-on error: warnings are reported (and explained in packaging/README.md), not fatal.
lintian_args=(--fail-on error --display-info --display-experimental --tag-display-limit 0)
if lintian "${lintian_args[@]}" "${debs[@]}" >"$checks/lintian.txt" 2>&1; then
  echo "lintian: no errors"
else
  echo "lintian: FAILED" >&2
  status=1
fi
cat "$checks/lintian.txt"

say "desktop-file-validate and appstreamcli validate (files of the bitcask-browser package)"
app_deb="$(printf '%s\n' "${debs[@]}" | grep '/bitcask-browser_' || true)"
if [[ -n "$app_deb" ]]; then
  content="$checks/bitcask-browser-content"
  rm -rf "$content"
  dpkg-deb -x "$app_deb" "$content"
  for desktop in "$content"/usr/share/applications/*.desktop; do
    echo "\$ desktop-file-validate ${desktop#"$content"}"
    if desktop-file-validate "$desktop" >"$checks/desktop-file-validate.txt" 2>&1 &&
      [[ ! -s "$checks/desktop-file-validate.txt" ]]; then
      echo "desktop-file-validate: no errors, no warnings"
    else
      cat "$checks/desktop-file-validate.txt"
      echo "desktop-file-validate: FAILED" >&2
      status=1
    fi
  done
  for metainfo in "$content"/usr/share/metainfo/*.metainfo.xml; do
    # --no-net: offline (the screenshot URLs are not fetched). Pedantic notes are allowed.
    echo "\$ appstreamcli validate --no-net --pedantic ${metainfo#"$content"}"
    if appstreamcli validate --no-net --pedantic --no-color "$metainfo" \
      >"$checks/appstreamcli.txt" 2>&1; then
      cat "$checks/appstreamcli.txt"
      if grep -Eq '^[EWI]:' "$checks/appstreamcli.txt"; then
        echo "appstreamcli: FAILED (errors, warnings or infos)" >&2
        status=1
      fi
    else
      cat "$checks/appstreamcli.txt"
      echo "appstreamcli: FAILED" >&2
      status=1
    fi
  done
  rm -rf "$content"
fi
[[ $status -eq 0 ]] || { echo "package.sh: the checks of the packages failed" >&2; exit 1; }

# ---- 5. install test ------------------------------------------------------------------------
if [[ $run_test == 1 ]]; then
  say "install test (tests/package/install_test.sh)"
  bash "$root/tests/package/install_test.sh" "${debs[@]}"
fi

say "done"
printf '  %s\n' "${debs[@]}"
echo "Install with: sudo apt-get install $(printf '%s ' "${debs[@]/#$root\//./}")"
