#!/usr/bin/env bash
# Sets up the machine, builds the project and shows a database:
#
#   scripts/run.sh [DIR]            open DIR (default: the demo database, created when missing)
#   scripts/run.sh --fresh-demo     re-create the demo database, then open it
#
# With the desktop browser built (build/gui/bitcask-browser) and a display, it opens there;
# otherwise the `bitcask` command-line tool prints the database's statistics and first keys.
# The demo database lives in ${XDG_DATA_HOME:-$HOME/.local/share}/bitcask-browser/demo.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

fresh=0
dir=""
for arg in "$@"; do
  case "$arg" in
    --fresh-demo) fresh=1 ;;
    -h | --help)
      sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    -*)
      echo "run.sh: unknown option '$arg' (try --help)" >&2
      exit 2
      ;;
    *)
      [[ -z "$dir" ]] || { echo "run.sh: one DIR only" >&2; exit 2; }
      dir="$arg"
      ;;
  esac
done

bash "$root/scripts/deps.sh"
BITCASK_DEPS_DONE=1 bash "$root/scripts/build.sh" build

tool="$root/build/engine/bitcask"
gui="$root/build/gui/bitcask-browser"
[[ -x "$tool" ]] || { echo "run.sh: $tool was not built" >&2; exit 1; }

# Creates the demo database at $1: a few thousand users, orders, sessions and settings imported
# from JSON lines, then some keys deleted and some overwritten, so that it holds dead records and
# tombstones like a database in use. Built beside $1 and moved into place when complete.
make_demo() {
  local demo="$1" parent tmp
  parent="$(dirname "$demo")"
  mkdir -p "$parent"
  tmp="$(mktemp -d "$parent/.demo-build.XXXXXX")"
  # shellcheck disable=SC2064  # expand $tmp now
  trap "rm -rf '$tmp'" EXIT

  echo "run.sh: creating the demo database in $demo"
  awk -f "$root/scripts/make_demo_jsonl.awk" >"$tmp/demo.jsonl"
  "$tool" import "$tmp/db" --jsonl "$tmp/demo.jsonl"

  local key
  for key in user:00013 user:00042 user:01234 order:000007 order:000100 config:legacy.api_v1 \
    config:legacy.xml_export; do
    "$tool" delete "$tmp/db" "$key" >/dev/null
  done
  "$tool" put "$tmp/db" config:maintenance_mode 'true' >/dev/null
  "$tool" put "$tmp/db" config:app.version '"2.8.0"' >/dev/null
  "$tool" put "$tmp/db" user:00001 '{"id": 1, "name": "Grace Silva", "email": "grace.silva1@example.com", "age": 51, "country": "PT", "plan": "team", "tags": ["vip", "beta"], "active": true, "score": 88.5, "created_at": "2023-06-11T01:16:50Z", "last_login": "2024-05-20T08:00:00Z"}' >/dev/null
  "$tool" put "$tmp/db" order:000002 '{"id": 2, "user": "user:00001", "items": [{"sku": "SKU-1008", "title": "Mechanical keyboard", "qty": 1, "price": 129.0}], "total": 129.0, "currency": "EUR", "status": "refunded", "created_at": "2024-01-05T10:12:00Z", "shipping": {"method": "standard", "tracking": null}}' >/dev/null
  "$tool" put "$tmp/db" "user:00002" '{"id": 2, "name": "Emma Ivanova", "email": "emma.ivanova2@example.com", "active": false, "deactivated_at": "2024-05-01T00:00:00Z"}' >/dev/null

  rm -rf "$demo"
  mv "$tmp/db" "$demo"
  rm -rf "$tmp"
  trap - EXIT
}

if [[ -z "$dir" ]]; then
  dir="${XDG_DATA_HOME:-$HOME/.local/share}/bitcask-browser/demo"
  if [[ $fresh == 1 || ! -d "$dir" ]]; then
    make_demo "$dir"
  else
    echo "run.sh: using the demo database in $dir (--fresh-demo re-creates it)"
  fi
fi

if [[ ! -d "$dir" ]]; then
  echo "run.sh: $dir is not a directory" >&2
  exit 1
fi

if [[ -x "$gui" ]]; then
  if [[ -n "${DISPLAY:-}" || -n "${WAYLAND_DISPLAY:-}" || -n "${QT_QPA_PLATFORM:-}" ]]; then
    echo "run.sh: opening $dir in the browser"
    exec "$gui" "$dir"
  fi
  echo "run.sh: no display (DISPLAY and WAYLAND_DISPLAY unset): showing $dir with the command-line tool"
fi

echo
echo "\$ bitcask stats $dir"
"$tool" stats "$dir"
echo
echo "\$ bitcask keys $dir --limit 20"
"$tool" keys "$dir" --limit 20
