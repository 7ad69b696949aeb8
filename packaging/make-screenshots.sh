#!/usr/bin/env bash
# Takes the AppStream screenshots in resources/screenshots/ from the real application, under Xvfb:
#
#   packaging/make-screenshots.sh [BUILD_DIR]      BUILD_DIR defaults to build-pkg/
#
# Needs a built tree (the `bitcask` tool and the browser), xvfb-run, xdotool and ImageMagick.
# Runs the browser on a fresh demo database (scripts/make_demo_jsonl.awk) with its settings in a
# scratch directory, selects a key, and captures the main window (1280x800): keys.png (the key
# table and a JSON value as a tree) and segments.png (the segments inspector).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ "${1:-}" == --inner ]]; then
  inner=1
else
  inner=0
  build="${1:-$root/build-pkg}"
fi
out="$root/resources/screenshots"
for cmd in xvfb-run xdotool import convert; do
  command -v "$cmd" >/dev/null || { echo "make-screenshots: $cmd is needed" >&2; exit 1; }
done

if [[ $inner == 0 ]]; then
  tool="$build/engine/bitcask"
  gui="$build/gui/bitcask-browser"
  [[ -x "$tool" && -x "$gui" ]] || { echo "make-screenshots: build $build first" >&2; exit 1; }
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  awk -f "$root/scripts/make_demo_jsonl.awk" >"$work/demo.jsonl"
  # Small segments, and a third of the keys written twice: dead bytes for the segments view.
  "$tool" import "$work/demo" --jsonl "$work/demo.jsonl" --max-segment-size 262144 >/dev/null
  head -n 1600 "$work/demo.jsonl" >"$work/again.jsonl"
  "$tool" import "$work/demo" --jsonl "$work/again.jsonl" --max-segment-size 262144 >/dev/null
  for key in user:00013 user:00042 order:000007 config:legacy.api_v1; do
    "$tool" delete "$work/demo" "$key" >/dev/null
  done
  "$tool" put "$work/demo" user:00001 '{"id": 1, "name": "Grace Silva", "email": "grace.silva1@example.com", "age": 51, "country": "PT", "plan": "team", "tags": ["vip", "beta"], "active": true, "score": 88.5, "created_at": "2023-06-11T01:16:50Z", "last_login": "2024-05-20T08:00:00Z"}' >/dev/null
  mkdir -p "$out"
  XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work" BITCASK_BROWSER_THEME=light \
    xvfb-run -a -s "-screen 0 1600x1000x24" \
    bash "${BASH_SOURCE[0]}" --inner "$gui" "$work/demo" "$out"
  echo "make-screenshots: wrote $(ls "$out"/*.png | tr '\n' ' ')"
  exit 0
fi

# --inner GUI DB OUT: runs inside the X server.
gui="$2" db="$3" out="$4"
"$gui" "$db" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT
win=""
for _ in $(seq 50); do
  win="$(xdotool search --name ' — Bitcask Browser$' 2>/dev/null | head -1)" && [[ -n "$win" ]] && break
  sleep 0.2
done
[[ -n "$win" ]] || { echo "make-screenshots: the window did not appear" >&2; exit 1; }
sleep 2
xdotool windowfocus --sync "$win" 2>/dev/null || true
shot() { import -window "$win" -strip "png:$out/$1.png"; }

# Keys: filter on "user:0000", select user:00001 and show its value as a tree.
xdotool key ctrl+f
xdotool type --delay 40 "user:0000"
sleep 1
xdotool mousemove --window "$win" 100 108 click 1
sleep 0.5
xdotool mousemove --window "$win" 847 75 click 1
sleep 1
shot keys

# Segments inspector.
xdotool key ctrl+2
sleep 2
shot segments
