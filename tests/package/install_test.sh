#!/usr/bin/env bash
# Install test of the Debian packages (run by scripts/package.sh). Unprivileged, and changes
# nothing on the machine: the packages are unpacked into a scratch root with dpkg-deb -x, and
# what is installed runs from there (LD_LIBRARY_PATH points at the scratch root's library
# directory). Checks:
#   - apt-get can install the packages here (apt-get install --simulate: the dependencies that
#     dpkg-shlibdeps computed exist in Debian 12), and the packages depend on each other with
#     the exact version
#   - the files are where the desktop expects them: the desktop entry, the AppStream metainfo,
#     the hicolor icons (SVG and PNGs of the sizes their directories say), the manual pages,
#     the bash completion, the library in the multiarch directory, copyright and changelog
#   - the desktop entry's Icon, Exec and TryExec resolve to installed files; the metainfo's id
#     and launchable name the installed files; its screenshots are in resources/screenshots
#   - one version everywhere: each tool's --version (which, like --help, needs no display), the
#     packages, the metainfo's release, the manual pages
#   - no RPATH in the installed programs and library
#   - the installed `bitcask` writes and reads a database
#   - a program builds against the installed libbitcask-dev, with find_package(Bitcask) and with
#     pkg-config (tests/consumer), and runs
#   - the installed browser runs offscreen on a database (still running after 5 seconds), and
#     the Exec line of the desktop entry starts it under Xvfb with a window whose WM_CLASS is
#     the entry's StartupWMClass
#
#   tests/package/install_test.sh PACKAGE.deb...
# BITCASK_PKG_TEST_KEEP=1 keeps the scratch directory.
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 PACKAGE.deb..." >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
debs=()
for deb in "$@"; do
  debs+=("$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")")
done

work="$(mktemp -d "${TMPDIR:-/tmp}/bitcask-pkg-test.XXXXXX")"
if [[ "${BITCASK_PKG_TEST_KEEP:-0}" != 1 ]]; then
  trap 'rm -rf "$work"' EXIT
fi
root="$work/root"
logs="$work/logs"
mkdir -p "$root" "$logs"

checks=0
fail() {
  echo "install_test: FAILED: $*" >&2
  exit 1
}
ok() {
  checks=$((checks + 1))
  echo "  ok  $*"
}
# run NAME COMMAND...: output in $logs/NAME.log, shown when the command fails.
run() {
  local name="$1"
  shift
  if ! "$@" >"$logs/$name.log" 2>&1; then
    cat "$logs/$name.log" >&2
    fail "$name: $*"
  fi
}
# png_size FILE: "WIDTHxHEIGHT" from the PNG header.
png_size() {
  local w h
  [[ "$(od -An -tx1 -j1 -N3 "$1" | tr -d ' \n')" == 504e47 ]] || return 1
  w=$(od -An -tu1 -j16 -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
  h=$(od -An -tu1 -j20 -N4 "$1" | awk '{print $1*16777216 + $2*65536 + $3*256 + $4}')
  echo "${w}x${h}"
}
# desktop_key FILE KEY: the value of KEY in the [Desktop Entry] group.
desktop_key() {
  awk -v key="$2" '
    /^\[/ { group = $0 }
    group == "[Desktop Entry]" && index($0, key "=") == 1 { print substr($0, length(key) + 2); exit }
  ' "$1"
}

# ---- the packages ---------------------------------------------------------------------------
echo "== packages"
declare -A deb_of
for deb in "${debs[@]}"; do
  name="$(dpkg-deb -f "$deb" Package)"
  deb_of[$name]="$deb"
  echo "  $name $(dpkg-deb -f "$deb" Version): $(basename "$deb")"
done
for name in bitcask-browser libbitcask-dev; do
  [[ -n "${deb_of[$name]:-}" ]] || fail "no $name package among $*"
done
deb_version="$(dpkg-deb -f "${deb_of[bitcask-browser]}" Version)"
version="${deb_version%-*}"
lib_pkg=""
for name in "${!deb_of[@]}"; do
  [[ "$name" =~ ^libbitcask[0-9]+$ ]] && lib_pkg="$name"
  [[ "$(dpkg-deb -f "${deb_of[$name]}" Version)" == "$deb_version" ]] ||
    fail "$name has version $(dpkg-deb -f "${deb_of[$name]}" Version), bitcask-browser $deb_version"
  for field in Maintainer Description Section Priority Homepage; do
    [[ -n "$(dpkg-deb -f "${deb_of[$name]}" "$field")" ]] || fail "$name has no $field field"
  done
done
ok "the packages have one version, $deb_version, and their control fields"

app_depends="$(dpkg-deb -f "${deb_of[bitcask-browser]}" Depends)"
dev_depends="$(dpkg-deb -f "${deb_of[libbitcask-dev]}" Depends)"
for dep in libc6 libqt6widgets6 libqt6core6; do
  [[ ", $app_depends," == *", $dep ("* ]] || fail "bitcask-browser does not depend on $dep: $app_depends"
done
[[ "$dev_depends" == *nlohmann-json3-dev* ]] || fail "libbitcask-dev does not depend on nlohmann-json3-dev"
if [[ -n "$lib_pkg" ]]; then
  [[ "$app_depends" == *"$lib_pkg (= $deb_version)"* ]] ||
    fail "bitcask-browser does not depend on $lib_pkg (= $deb_version): $app_depends"
  [[ "$dev_depends" == *"$lib_pkg (= $deb_version)"* ]] ||
    fail "libbitcask-dev does not depend on $lib_pkg (= $deb_version): $dev_depends"
  ok "bitcask-browser and libbitcask-dev depend on $lib_pkg (= $deb_version); shlibdeps: libc6, Qt"
fi

if command -v apt-get >/dev/null; then
  run apt-simulate apt-get install --simulate --no-install-recommends "${debs[@]}"
  grep -Eq "^Inst bitcask-browser " "$logs/apt-simulate.log" ||
    { cat "$logs/apt-simulate.log"; fail "apt-get --simulate does not install bitcask-browser"; }
  ok "apt-get install --simulate resolves the dependencies on this system"
fi

# ---- unpack into the scratch root -----------------------------------------------------------
echo "== unpack into $root"
for deb in "${debs[@]}"; do
  dpkg-deb -x "$deb" "$root"
done
multiarch="$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)"
libdir="$root/usr/lib/$multiarch"
usr="$root/usr"

# ---- files where the desktop expects them ---------------------------------------------------
echo "== files"
shopt -s nullglob
desktops=("$usr"/share/applications/*.desktop)
[[ ${#desktops[@]} -eq 1 ]] || fail "expected one desktop entry in /usr/share/applications"
desktop="${desktops[0]}"
app_id="$(basename "$desktop" .desktop)"
[[ "$app_id" =~ ^[a-z]+(\.[A-Za-z0-9_]+){2,}$ ]] || fail "desktop entry $app_id is not a reverse-DNS id"
metainfo="$usr/share/metainfo/$app_id.metainfo.xml"
[[ -f "$metainfo" ]] || fail "no /usr/share/metainfo/$app_id.metainfo.xml"
ok "desktop entry and metainfo: /usr/share/{applications,metainfo}/$app_id.*"

icon="$(desktop_key "$desktop" Icon)"
[[ "$icon" == "$app_id" ]] || fail "the desktop entry's Icon is '$icon', not $app_id"
hicolor="$usr/share/icons/hicolor"
[[ -f "$hicolor/scalable/apps/$icon.svg" ]] || fail "no hicolor/scalable/apps/$icon.svg"
grep -q '<svg' "$hicolor/scalable/apps/$icon.svg" || fail "$icon.svg is not an SVG"
for size in 16 24 32 48 64 128 256; do
  png="$hicolor/${size}x${size}/apps/$icon.png"
  [[ -f "$png" ]] || fail "no hicolor/${size}x${size}/apps/$icon.png"
  [[ "$(png_size "$png")" == "${size}x${size}" ]] ||
    fail "hicolor/${size}x${size}/apps/$icon.png is $(png_size "$png" || echo 'not a PNG')"
  # The window icon is built from the same files (gui/resources/bitcask-browser.qrc).
  cmp -s "$png" "$repo/resources/icons/bitcask-browser-$size.png" ||
    fail "hicolor ${size}x${size} icon differs from resources/icons/bitcask-browser-$size.png"
done
ok "icon $icon: scalable SVG and PNGs 16..256 of their sizes, the window icon's files"

for tool in bitcask bitcask-bench bitcask-browser; do
  [[ -x "$usr/bin/$tool" ]] || fail "no /usr/bin/$tool"
  page="$usr/share/man/man1/$tool.1.gz"
  [[ -f "$page" ]] || fail "no manual page /usr/share/man/man1/$tool.1.gz"
  gzip -t "$page" || fail "$tool.1.gz is not gzip"
  zcat "$page" | grep -q "^\.TH .*\"Bitcask Browser $version\"" ||
    fail "$tool.1 does not carry version $version"
  if command -v man >/dev/null; then
    LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$page" \
      >/dev/null 2>"$logs/man-$tool.log" || fail "man cannot format $tool.1"
    [[ ! -s "$logs/man-$tool.log" ]] || { cat "$logs/man-$tool.log"; fail "groff warnings in $tool.1"; }
  fi
done
ok "/usr/bin/{bitcask,bitcask-bench,bitcask-browser} and their manual pages (no groff warnings)"

completion="$usr/share/bash-completion/completions/bitcask"
[[ -f "$completion" ]] || fail "no bash completion /usr/share/bash-completion/completions/bitcask"
bash -n "$completion" || fail "the bash completion has syntax errors"
ok "bash completion for bitcask"

if [[ -n "$lib_pkg" ]]; then
  soname="$(readelf -d "$libdir/libbitcask.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')"
  [[ "$soname" == "libbitcask.so.${lib_pkg#libbitcask}" ]] || fail "SONAME $soname, package $lib_pkg"
  [[ -L "$libdir/libbitcask.so" && -f "$libdir/$soname" ]] || fail "libbitcask.so links missing"
  ok "/usr/lib/$multiarch/$soname ($lib_pkg), libbitcask.so link (libbitcask-dev)"
fi
for f in bitcask/bitcask.h bitcask/db.h bitcask/version.h; do
  [[ -f "$usr/include/$f" ]] || fail "no /usr/include/$f"
done
for f in cmake/Bitcask/BitcaskConfig.cmake cmake/Bitcask/BitcaskConfigVersion.cmake \
  cmake/Bitcask/BitcaskTargets.cmake pkgconfig/bitcask.pc; do
  [[ -f "$libdir/$f" ]] || fail "no /usr/lib/$multiarch/$f"
done
ok "headers, CMake package and bitcask.pc of libbitcask-dev"

for name in "${!deb_of[@]}"; do
  [[ -f "$usr/share/doc/$name/copyright" ]] || fail "no /usr/share/doc/$name/copyright"
  zcat "$usr/share/doc/$name/changelog.Debian.gz" | head -1 | grep -qF "($deb_version)" ||
    fail "/usr/share/doc/$name/changelog.Debian.gz has no entry for $deb_version"
done
ok "copyright and changelog.Debian.gz ($deb_version) of each package"

elf_files=("$usr"/bin/* "$libdir"/libbitcask.so.*.*)
for f in "${elf_files[@]}"; do
  [[ -f "$f" && ! -L "$f" ]] || continue
  if readelf -d "$f" | grep -Eq '\((RPATH|RUNPATH)\)'; then
    fail "${f#"$root"} has an RPATH: $(readelf -d "$f" | grep -E 'RPATH|RUNPATH')"
  fi
done
ok "no RPATH or RUNPATH in the installed programs and library"

# ---- the desktop entry and the metainfo point at what is installed ---------------------------
exec_line="$(desktop_key "$desktop" Exec)"
try_exec="$(desktop_key "$desktop" TryExec)"
exec_prog="${exec_line%% *}"
for prog in "$exec_prog" "$try_exec"; do
  [[ -z "$prog" || -x "$usr/bin/$prog" ]] || fail "the desktop entry runs '$prog', not in /usr/bin"
done
grep -qF "<id>$app_id</id>" "$metainfo" || fail "the metainfo's <id> is not $app_id"
grep -qF "<launchable type=\"desktop-id\">$app_id.desktop</launchable>" "$metainfo" ||
  fail "the metainfo does not launch $app_id.desktop"
grep -qF "<binary>$exec_prog</binary>" "$metainfo" || fail "the metainfo does not provide $exec_prog"
grep -qF "<release version=\"$version\"" "$metainfo" || fail "the metainfo has no release $version"
mapfile -t shots < <(sed -n 's|.*<image[^>]*>\(https://[^<]*\)</image>.*|\1|p' "$metainfo")
[[ ${#shots[@]} -gt 0 ]] || fail "the metainfo has no https screenshot"
for url in "${shots[@]}"; do
  file="$repo/resources/screenshots/$(basename "$url")"
  [[ -f "$file" ]] || fail "screenshot $url: no $file in the repository"
  size="$(png_size "$file")" || fail "$file is not a PNG"
  grep -F "$url" "$metainfo" | grep -q "width=\"${size%x*}\" height=\"${size#*x}\"" ||
    fail "the metainfo gives another size than $size for $(basename "$url")"
done
ok "Exec=$exec_line, TryExec=$try_exec installed; metainfo id, launchable, binary, release $version, ${#shots[@]} screenshots"

# ---- the installed programs -----------------------------------------------------------------
echo "== the installed programs (LD_LIBRARY_PATH=${libdir#"$root"} in the scratch root)"
export LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data" XDG_CACHE_HOME="$work/cache"
export XDG_RUNTIME_DIR="$work/runtime"
mkdir -p "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
if [[ -n "$lib_pkg" ]]; then
  resolved="$(ldd "$usr/bin/bitcask" | awk '/libbitcask/ {print $3}')"
  [[ "$(realpath "$resolved")" == "$(realpath "$libdir")/"* ]] ||
    fail "bitcask loads libbitcask from '$resolved', not from the scratch root"
fi
# Without a display: --version and --help print text, on a console too.
no_display=(env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM)
for tool in bitcask bitcask-bench bitcask-browser; do
  out="$("${no_display[@]}" "$usr/bin/$tool" --version 2>"$logs/version-$tool.log")" ||
    { cat "$logs/version-$tool.log" >&2; fail "$tool --version failed"; }
  [[ "$out" == "$tool $version" ]] || fail "$tool --version says '$out', expected '$tool $version'"
  run "help-$tool" "${no_display[@]}" "$usr/bin/$tool" --help
  echo "  \$ $tool --version: $out"
done
ok "every tool's --version is $version; --version and --help need no display"

db="$work/db"
bitcask=("$usr/bin/bitcask")
run put1 "${bitcask[@]}" put "$db" user:1 '{"name":"Ada","tags":["admin"]}'
run put2 "${bitcask[@]}" put "$db" user:2 '{"name":"Grace"}'
run put3 "${bitcask[@]}" put "$db" config:theme '"dark"'
run delete "${bitcask[@]}" delete "$db" user:2
run get "${bitcask[@]}" get "$db" user:1
[[ "$(cat "$logs/get.log")" == '{"name":"Ada","tags":["admin"]}' ]] || fail "bitcask get: $(cat "$logs/get.log")"
run keys "${bitcask[@]}" keys "$db"
[[ "$(tr '\n' ' ' <"$logs/keys.log")" == "config:theme user:1 " ]] || fail "bitcask keys: $(cat "$logs/keys.log")"
run check "${bitcask[@]}" check "$db"
run stats "${bitcask[@]}" stats "$db" --json
grep -q '"keys": *2' "$logs/stats.log" || fail "bitcask stats --json: $(cat "$logs/stats.log")"
ok "the installed bitcask writes, reads, lists and checks a database"

# ---- a program built against libbitcask-dev -------------------------------------------------
echo "== a program against the installed libbitcask-dev (tests/consumer)"
run cmake-configure cmake -S "$repo/tests/consumer" -B "$work/consumer-cmake" \
  -DCMAKE_PREFIX_PATH="$usr" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_BUILD_TYPE=Release
found="$(sed -n 's/^Bitcask_DIR:PATH=//p' "$work/consumer-cmake/CMakeCache.txt")"
[[ "$found" == "$libdir/cmake/Bitcask" ]] || fail "find_package(Bitcask) found '$found'"
run cmake-build cmake --build "$work/consumer-cmake"
run cmake-run "$work/consumer-cmake/app"
grep -q '^OK' "$logs/cmake-run.log" || fail "the CMake consumer did not print OK"
ok "find_package(Bitcask) in the scratch root: builds and runs"

export PKG_CONFIG_PATH="$libdir/pkgconfig"
pc_flags="$(pkg-config --define-variable=prefix="$usr" --cflags --libs bitcask)" ||
  fail "pkg-config --cflags --libs bitcask"
[[ "$pc_flags" == *"-I$usr/include"* && "$pc_flags" == *"-L$libdir"* ]] ||
  fail "pkg-config bitcask gives '$pc_flags'"
# shellcheck disable=SC2086  # flags are words
run pkgconfig-build c++ -std=c++20 "$repo/tests/consumer/main.cpp" -o "$work/app-pkgconfig" $pc_flags
run pkgconfig-run "$work/app-pkgconfig"
grep -q '^OK' "$logs/pkgconfig-run.log" || fail "the pkg-config consumer did not print OK"
ok "pkg-config bitcask ($pc_flags): builds and runs"

# ---- the browser ----------------------------------------------------------------------------
echo "== the installed browser"
# expect_running NAME SECONDS COMMAND...: the command must still be running after SECONDS.
expect_running() {
  local name="$1" seconds="$2" status=0
  shift 2
  timeout "$seconds" "$@" >"$logs/$name.log" 2>&1 || status=$?
  if [[ $status -ne 124 ]]; then
    cat "$logs/$name.log" >&2
    fail "$name exited with status $status within ${seconds}s: $*"
  fi
}
expect_running browser-offscreen 5 env QT_QPA_PLATFORM=offscreen "$usr/bin/bitcask-browser" "$db"
ok "bitcask-browser DB runs offscreen (still running after 5 s)"

# The Exec line, field codes removed (Desktop Entry Specification), as a launcher runs it: with
# the scratch root's /usr/bin first in PATH and its /usr/share in XDG_DATA_DIRS.
read -r -a exec_words <<<"$exec_line"
argv=()
for w in "${exec_words[@]}"; do
  [[ "$w" =~ ^%[fFuUdDnNickvm]$ ]] || argv+=("$w")
done
launch_env=(env PATH="$usr/bin:$PATH" XDG_DATA_DIRS="$usr/share:/usr/local/share:/usr/share")
wm_class="$(desktop_key "$desktop" StartupWMClass)"
if command -v xvfb-run >/dev/null && command -v xprop >/dev/null && command -v xwininfo >/dev/null; then
  cat >"$work/launch.sh" <<'EOF'
#!/usr/bin/env bash
# Inside Xvfb: starts the desktop entry's command, waits for its window, prints its WM_CLASS.
"$@" &
pid=$!
for _ in $(seq 100); do
  win="$(xwininfo -root -tree | awk '/Bitcask Browser/ && /\("/ {print $1; exit}')"
  [[ -n "$win" ]] && break
  kill -0 "$pid" 2>/dev/null || { echo "the browser exited"; exit 1; }
  sleep 0.1
done
[[ -n "$win" ]] || { echo "no window after 10 s"; kill "$pid"; exit 1; }
sleep 1
kill -0 "$pid" 2>/dev/null || { echo "the browser exited"; exit 1; }
echo "window $win"
xprop -id "$win" WM_CLASS
kill "$pid"
wait "$pid" 2>/dev/null || true
EOF
  run desktop-exec xvfb-run -a -s "-screen 0 1280x800x24" \
    "${launch_env[@]}" QT_QPA_PLATFORM=xcb bash "$work/launch.sh" "${argv[@]}"
  grep -q "WM_CLASS(STRING) = .*\"$wm_class\"" "$logs/desktop-exec.log" ||
    { cat "$logs/desktop-exec.log"; fail "the window's WM_CLASS is not the entry's StartupWMClass $wm_class"; }
  ok "Exec=$exec_line starts the browser under Xvfb: a window, WM_CLASS \"$wm_class\""
else
  expect_running desktop-exec 5 "${launch_env[@]}" QT_QPA_PLATFORM=offscreen "${argv[@]}"
  ok "Exec=$exec_line starts the browser (offscreen; Xvfb, xprop or xwininfo missing)"
fi

echo "install_test: OK ($checks checks; packages of $version installed into a scratch root)"
