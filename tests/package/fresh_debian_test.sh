#!/usr/bin/env bash
# Manual check, not run by CI: installs the packages into a fresh Debian 12 with apt-get and
# starts the application from its desktop entry there.
#
#   sudo tests/package/fresh_debian_test.sh PACKAGE.deb...
#
# Needs root and a Debian mirror (BITCASK_DEBIAN_MIRROR, default http://deb.debian.org/debian);
# downloads about 200 MB. Creates a minimal Debian 12 (debootstrap --variant=minbase bookworm)
# in a temporary directory, removed afterwards (BITCASK_CHROOT=DIR: there, kept), then in it:
#   apt-get install ./PACKAGE.deb...      dependencies from the mirror, as a user would do it
#   bitcask, bitcask-bench, bitcask-browser --version (no display); a database put and read
#   the desktop entry's Exec line under Xvfb (xvfb, xauth, x11-utils installed for the test):
#   the window must appear with the entry's StartupWMClass; a screenshot of the screen is
#   written to $BITCASK_FRESH_SHOT (default: fresh-debian.xwd in the current directory)
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 PACKAGE.deb..." >&2
  exit 2
fi
[[ $(id -u) -eq 0 ]] || { echo "fresh_debian_test: run as root (debootstrap, chroot)" >&2; exit 2; }
mirror="${BITCASK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
shot="${BITCASK_FRESH_SHOT:-$PWD/fresh-debian.xwd}"
debs=()
for deb in "$@"; do
  debs+=("$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")")
done

if ! command -v debootstrap >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends debootstrap
fi

if [[ -n "${BITCASK_CHROOT:-}" ]]; then
  chroot_dir="$BITCASK_CHROOT"
  keep=1
else
  chroot_dir="$(mktemp -d "${TMPDIR:-/tmp}/bitcask-fresh-debian.XXXXXX")"
  chmod 755 "$chroot_dir"  # the system's root directory: apt's and man-db's users enter it
  keep=0
fi
cleanup() {
  umount "$chroot_dir/dev/pts" 2>/dev/null || true
  umount "$chroot_dir/proc" 2>/dev/null || true
  [[ $keep == 1 ]] || rm -rf --one-file-system "$chroot_dir"
}
trap cleanup EXIT

echo "== debootstrap --variant=minbase bookworm $chroot_dir"
debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" >"$chroot_dir.debootstrap.log" 2>&1 ||
  { tail -20 "$chroot_dir.debootstrap.log"; exit 1; }
rm -f "$chroot_dir.debootstrap.log"
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
mount -t proc proc "$chroot_dir/proc"
mkdir -p "$chroot_dir/dev/pts"
mount -t devpts -o newinstance,ptmxmode=0666 devpts "$chroot_dir/dev/pts"
mkdir -p "$chroot_dir/tmp/debs"
cp "${debs[@]}" "$chroot_dir/tmp/debs/"

in_chroot() {
  chroot "$chroot_dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
}

echo "== apt-get install ./*.deb"
in_chroot apt-get update -q >/dev/null
in_chroot sh -c 'apt-get install -y -q ./tmp/debs/*.deb' | tee "$chroot_dir/tmp/install.log" |
  grep -E '^(Need to get|[0-9]+ upgraded|Setting up (bitcask-browser|libbitcask)|Processing triggers for libc-bin)'

echo "== the installed programs"
in_chroot sh -ec '
  for tool in bitcask bitcask-bench bitcask-browser; do "$tool" --version; done
  ldconfig -p | grep -q "libbitcask.so.0 " && echo "ldconfig knows libbitcask.so.0"
  bitcask put /tmp/db user:1 "{\"name\":\"Ada\"}" && bitcask get /tmp/db user:1
'

echo "== the desktop entry under Xvfb"
in_chroot apt-get install -y -q --no-install-recommends xvfb xauth x11-utils x11-apps >/dev/null
cat >"$chroot_dir/tmp/launch.sh" <<'EOF'
set -eu
desktop=$(ls /usr/share/applications/*.desktop)
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | head -1)
wm_class=$(sed -n 's/^StartupWMClass=//p' "$desktop" | head -1)
echo "$desktop: Exec=$exec_line"
# shellcheck disable=SC2086  # the Exec line's words, field codes removed
set -- $(echo "$exec_line" | sed 's/ %[fFuUdDnNickvm]//g')
"$@" /tmp/db &
pid=$!
win=""
for _ in $(seq 100); do
  win=$(xwininfo -root -tree | awk '/Bitcask Browser/ && /\("/ {print $1; exit}')
  [ -n "$win" ] && break
  sleep 0.1
done
[ -n "$win" ] || { echo "no window"; exit 1; }
sleep 2
kill -0 "$pid" || { echo "the browser exited"; exit 1; }
xwininfo -id "$win" | grep -E 'xwininfo|Width|Height'
xprop -id "$win" WM_CLASS | tee /tmp/wmclass
grep -q "\"$wm_class\"" /tmp/wmclass || { echo "WM_CLASS is not $wm_class"; exit 1; }
xwd -root -silent >/tmp/shot.xwd
kill "$pid"
EOF
in_chroot xvfb-run -a -s "-screen 0 1280x800x24" sh /tmp/launch.sh
cp "$chroot_dir/tmp/shot.xwd" "$shot"
echo "fresh_debian_test: OK (screenshot of the screen: $shot)"
