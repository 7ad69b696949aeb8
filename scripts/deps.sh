#!/usr/bin/env bash
# Installs the Debian packages the project needs to build, test and run, and only those
# missing. Works as root, or through sudo otherwise. Debian 12 (bookworm).
#
#   scripts/deps.sh            install what is missing
#   scripts/deps.sh --check    only report what is missing (exit 1 when something is)
#   scripts/deps.sh --list     print the package list
#
# When sourced, it defines the functions below and installs nothing. BITCASK_SKIP_DEPS=1 makes
# bitcask_deps_main do nothing (for machines prepared by other means).

BITCASK_DEB_PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # the desktop browser (Qt 6 Widgets, Concurrent, Test, PrintSupport; QCustomPlot)
  qt6-base-dev qt6-base-dev-tools libqt6concurrent6 libgl-dev libqcustomplot-dev
  # the engine
  nlohmann-json3-dev libabsl-dev libisal-dev libcli11-dev libzstd-dev liblz4-dev libxxhash-dev
  libprotobuf-dev protobuf-compiler python3-protobuf erlang-dev erlang-bitcask
  # clang: the fuzzers (libFuzzer) and the thread-safety analysis build (scripts/test.sh)
  clang libclang-rt-14-dev
  # peers for side-by-side benchmarks
  libleveldb-dev librocksdb-dev liblmdb-dev libsqlite3-dev
  # headless GUI tests and screenshots
  xvfb xauth imagemagick xdotool
  # Debian packages (scripts/package.sh): checks of the packages, the install test's X tools
  dpkg-dev lintian desktop-file-utils appstream x11-utils
)

# Prints the packages of BITCASK_DEB_PACKAGES that are not installed, one a line.
bitcask_deps_missing() {
  local pkg
  for pkg in "${BITCASK_DEB_PACKAGES[@]}"; do
    if ! dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed$'; then
      printf '%s\n' "$pkg"
    fi
  done
}

bitcask_deps_main() {
  local mode="${1:-install}"
  case "$mode" in
    install | --install) ;;
    --check) mode=check ;;
    --list)
      printf '%s\n' "${BITCASK_DEB_PACKAGES[@]}"
      return 0
      ;;
    -h | --help)
      sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      return 0
      ;;
    *)
      echo "deps.sh: unknown argument '$mode' (try --help)" >&2
      return 2
      ;;
  esac

  if [[ "${BITCASK_SKIP_DEPS:-0}" == 1 ]]; then
    echo "deps: skipped (BITCASK_SKIP_DEPS=1)"
    return 0
  fi
  if ! command -v dpkg >/dev/null 2>&1; then
    echo "deps: dpkg not found: this script knows Debian only. Install the equivalents of:" >&2
    printf '  %s\n' "${BITCASK_DEB_PACKAGES[@]}" >&2
    [[ "$mode" == check ]] && return 1
    return 0
  fi

  local missing=()
  mapfile -t missing < <(bitcask_deps_missing)
  if [[ ${#missing[@]} -eq 0 ]]; then
    echo "deps: all ${#BITCASK_DEB_PACKAGES[@]} packages installed"
    return 0
  fi
  echo "deps: missing ${#missing[@]} package(s): ${missing[*]}"
  if [[ "$mode" == check ]]; then
    return 1
  fi

  local sudo=()
  if [[ $(id -u) -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1; then
      sudo=(sudo)
    else
      echo "deps: not root and sudo is not installed; as root run:" >&2
      echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
      return 1
    fi
  fi
  "${sudo[@]}" apt-get update
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"

  mapfile -t missing < <(bitcask_deps_missing)
  if [[ ${#missing[@]} -ne 0 ]]; then
    echo "deps: still missing after apt-get install: ${missing[*]}" >&2
    return 1
  fi
  echo "deps: installed; all ${#BITCASK_DEB_PACKAGES[@]} packages present"
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  bitcask_deps_main "$@"
fi
