#!/usr/bin/env bash
# The browser's scale targets, measured: builds a database of N keys of JSON
# documents (default 10,000,000, with one 100 MB value) unless it is there,
# opens it in the browser (offscreen) and prints the figures:
#   first keys on screen, jump to the last row, sort by size, memory, and the
#   longest GUI-thread stall while the 100 MB value opens.
#
#   bench/gui_scale.sh [BUILD_DIR] [N] [DB_DIR]
#   e.g. bench/gui_scale.sh build 1000000 /tmp/scale-1m
#
# Targets (issue #15): first keys < 1 s, jump to last < 100 ms, sort by size
# < 5 s, peak memory < 1.2 GB, no frozen frame opening the 100 MB value.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-build}"
[[ "$build" == /* ]] || build="$root/$build"
n="${2:-10000000}"
db="${3:-${TMPDIR:-/tmp}/bitcask-gui-scale-$n}"
probe="$build/bench/gui_scale_probe"

if [[ ! -x "$probe" ]]; then
  cmake --build "$build" --target gui_scale_probe
fi

if [[ ! -d "$db" ]]; then
  echo "building $db: $n keys of JSON documents + a 100 MB value"
  start=$(date +%s)
  "$probe" build "$db" "$n"
  echo "built in $(($(date +%s) - start)) s: $(du -sh "$db" | cut -f1), $(ls "$db"/*.hint 2>/dev/null | wc -l) hint files"
fi

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# Settings of its own (no saved window or sort order), offscreen unless a display is given.
export XDG_CONFIG_HOME="$(mktemp -d)"
trap 'rm -rf "$XDG_CONFIG_HOME"' EXIT
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
"$probe" measure "$db"
