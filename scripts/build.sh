#!/usr/bin/env bash
# Configures (Ninja, RelWithDebInfo on first configure) and builds the project. Idempotent: an
# existing build directory is reconfigured (cheap; picks up new subdirectories) and rebuilt
# incrementally.
#
#   scripts/build.sh [BUILD_DIR [CMAKE_ARGS...]]     BUILD_DIR defaults to build/
#
# e.g. scripts/build.sh build-asan -DBITCASK_SANITIZE=ON -DBITCASK_BUILD_GUI=OFF
# Installs missing Debian packages first (scripts/deps.sh) unless BITCASK_DEPS_DONE=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-build}"
if [[ $# -gt 0 ]]; then shift; fi
[[ "$build_dir" == /* ]] || build_dir="$root/$build_dir"

if [[ "${BITCASK_DEPS_DONE:-0}" != 1 ]]; then
  bash "$root/scripts/deps.sh"
fi

first=()
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  first=(-G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi
cmake -S "$root" -B "$build_dir" "${first[@]}" "$@"
cmake --build "$build_dir" -j "$(nproc)"
