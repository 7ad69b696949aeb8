#!/usr/bin/env bash
# Sets up the machine and runs every test:
#   1. installs missing Debian packages (scripts/deps.sh)
#   2. builds build/ and runs its CTest suites (QT_QPA_PLATFORM=offscreen)
#   3. builds the engine in build-tsa/ with clang's thread-safety analysis (-Wthread-safety
#      -Werror=thread-safety: a broken lock annotation fails the build; engine and CLI only)
#   4. builds build-asan/ with AddressSanitizer + UndefinedBehaviorSanitizer (no GUI, no bench)
#      and runs its CTest suites
#   5. builds build-tsan/ with ThreadSanitizer and runs the engine's concurrency suites
#   6. builds build-fuzz/ (clang, libFuzzer + ASan + UBSan) and runs each fuzzer briefly
#      (BITCASK_FUZZ_SECONDS each, default 20) from the seed corpora in tests/fuzz/corpus
#   7. builds the Debian packages in build-pkg/ and checks them (scripts/package.sh: lintian,
#      the desktop and AppStream validators, tests/package/install_test.sh)
# Prints a summary and exits non-zero when any step fails. Every step runs even after a failure
# of an earlier one, except those that need what failed.
#
#   scripts/test.sh [--no-tsa] [--no-asan] [--no-tsan] [--no-fuzz] [--no-package]
# BITCASK_TEST_JOBS sets how many tests run at once (default: the number of cores).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

tsa=1
asan=1
tsan=1
fuzz=1
package=1
for arg in "$@"; do
  case "$arg" in
    --no-tsa) tsa=0 ;;
    --no-asan) asan=0 ;;
    --no-tsan) tsan=0 ;;
    --no-fuzz) fuzz=0 ;;
    --no-package) package=0 ;;
    -h | --help)
      sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "test.sh: unknown argument '$arg' (try --help)" >&2
      exit 2
      ;;
  esac
done

jobs="${BITCASK_TEST_JOBS:-$(nproc)}"
export QT_QPA_PLATFORM=offscreen

if [[ -t 1 ]]; then
  bold=$'\033[1m' red=$'\033[1;31m' green=$'\033[1;32m' plain=$'\033[0m'
else
  bold='' red='' green='' plain=''
fi

names=()
states=()
times=()
failed=0

# stage NAME COMMAND...: runs COMMAND, records PASS/FAIL and its duration. Returns its status.
stage() {
  local name="$1"
  shift
  local start=$SECONDS status=0
  printf '\n%s==== %s ====%s\n' "$bold" "$name" "$plain"
  "$@" || status=$?
  names+=("$name")
  times+=($((SECONDS - start)))
  if [[ $status -eq 0 ]]; then
    states+=(PASS)
  else
    states+=(FAIL)
    failed=$((failed + 1))
    printf '%s==== %s FAILED (exit %d)%s\n' "$red" "$name" "$status" "$plain"
  fi
  return "$status"
}

skip() {
  names+=("$1")
  states+=(SKIP)
  times+=(0)
}

summary() {
  printf '\n==================== test.sh summary ====================\n'
  local i
  for i in "${!names[@]}"; do
    printf '  %-4s  %-44s %5ss\n' "${states[$i]}" "${names[$i]}" "${times[$i]}"
  done
  if [[ $failed -eq 0 ]]; then
    printf '  result: %sALL PASSED%s\n' "$green" "$plain"
  else
    printf '  result: %sFAILED%s (%d step(s) failed)\n' "$red" "$plain" "$failed"
  fi
}
trap summary EXIT

run_ctest() {
  ctest --test-dir "$1" --output-on-failure --no-tests=error --parallel "$jobs"
}

run_ctest_sanitized() {
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest "$1"
}

# The suites where threads meet: readers and writers, group commit, merge under writes.
run_ctest_tsan() {
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
    ctest --test-dir "$1" --output-on-failure --no-tests=error --parallel "$jobs" \
    -R '^tst_(stress|db|merge|batch|keydir|faults|writeahead|append)$'
}

# Each fuzzer from its seed corpus; new inputs go to a scratch directory.
run_fuzzers() {
  local seconds="${BITCASK_FUZZ_SECONDS:-20}" name work status=0
  for name in segment open python ops hint layout_pybitcask layout_basho; do
    work="$(mktemp -d)"
    echo "fuzz_$name: ${seconds}s"
    (cd "$work" && "$root/build-fuzz/tests/fuzz/fuzz_$name" -max_total_time="$seconds" \
      -print_final_stats=1 "$work" "$root/tests/fuzz/corpus/$name" 2>&1 |
      grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Test unit written') || status=1
    if ls "$work"/crash-* "$work"/leak-* "$work"/oom-* "$work"/timeout-* >/dev/null 2>&1; then
      echo "fuzz_$name found a failing input: $(ls "$work"/crash-* "$work"/leak-* "$work"/oom-* "$work"/timeout-* 2>/dev/null)"
      status=1
    fi
  done
  return "$status"
}

if ! stage "deps (scripts/deps.sh)" bash scripts/deps.sh; then
  exit 1
fi
export BITCASK_DEPS_DONE=1

if stage "build: build/" bash scripts/build.sh build; then
  stage "ctest: build/" run_ctest build || true
else
  skip "ctest: build/"
fi

# The engine's lock annotations (ABSL_GUARDED_BY, ABSL_EXCLUSIVE_LOCKS_REQUIRED, ...) checked
# by clang at compile time; the stage is the build itself. No tests, GUI or bench: the flags
# apply to the engine's sources only (BITCASK_THREAD_SAFETY_ANALYSIS, engine/CMakeLists.txt).
if [[ $tsa == 1 ]]; then
  stage "build: build-tsa/ (clang -Wthread-safety)" env CXX=clang++ bash scripts/build.sh \
    build-tsa -DBITCASK_THREAD_SAFETY_ANALYSIS=ON -DBITCASK_BUILD_GUI=OFF \
    -DBITCASK_BUILD_TESTS=OFF -DBITCASK_BUILD_BENCH=OFF || true
else
  skip "build: build-tsa/ (--no-tsa)"
fi

if [[ $asan == 1 ]]; then
  if stage "build: build-asan/ (ASan+UBSan)" bash scripts/build.sh build-asan \
    -DBITCASK_SANITIZE=ON -DBITCASK_BUILD_GUI=OFF -DBITCASK_BUILD_BENCH=OFF; then
    stage "ctest: build-asan/ (ASan+UBSan)" run_ctest_sanitized build-asan || true
  else
    skip "ctest: build-asan/ (ASan+UBSan)"
  fi
else
  skip "build + ctest: build-asan/ (--no-asan)"
fi

if [[ $tsan == 1 ]]; then
  if stage "build: build-tsan/ (TSan)" bash scripts/build.sh build-tsan \
    -DBITCASK_SANITIZE_THREAD=ON -DBITCASK_BUILD_GUI=OFF -DBITCASK_BUILD_BENCH=OFF; then
    stage "ctest: build-tsan/ (TSan, concurrency suites)" run_ctest_tsan build-tsan || true
  else
    skip "ctest: build-tsan/ (TSan)"
  fi
else
  skip "build + ctest: build-tsan/ (--no-tsan)"
fi

if [[ $fuzz == 1 ]]; then
  if stage "build: build-fuzz/ (libFuzzer)" env CXX=clang++ bash scripts/build.sh build-fuzz \
    -DBITCASK_FUZZ=ON -DBITCASK_BUILD_GUI=OFF -DBITCASK_BUILD_TESTS=OFF \
    -DBITCASK_BUILD_BENCH=OFF -DBUILD_SHARED_LIBS=OFF; then
    stage "fuzz: each harness briefly" run_fuzzers || true
  else
    skip "fuzz: each harness briefly"
  fi
else
  skip "build + fuzz: build-fuzz/ (--no-fuzz)"
fi

if [[ $package == 1 ]]; then
  stage "package: build-pkg/ (Debian packages, install test)" bash scripts/package.sh || true
else
  skip "package: build-pkg/ (--no-package)"
fi

[[ $failed -eq 0 ]]
