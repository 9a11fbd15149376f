#!/usr/bin/env bash
# Fuzzes every codec decoder (compression/fuzz/) and every input reader: model files and the data
# set (models/fuzz/), traces (noc/traffic/fuzz/), scenarios with --set overrides and sweep files
# (tools/fuzz/). Builds the libFuzzer targets with clang and ASan+UBSan in their own build dir,
# then runs each for a bounded time on top of its checked-in corpus. Exits non-zero if any target
# finds a crash, a sanitizer error, a leak or a timeout.
#
#   tools/fuzz.sh                      # 15 s per target, two targets at a time
#   tools/fuzz.sh --suite              # first the whole test suite in the same build (below)
#   FUZZ_SECONDS=300 tools/fuzz.sh     # a longer local session
#   FUZZ_TARGETS="quant trace" tools/fuzz.sh
#
# CI (.ci/run) runs the fuzzers alone, 5 s each. --suite builds every target of the tree in the
# fuzz build dir and runs the whole CTest suite there before fuzzing: one clang ASan+UBSan build
# serves both, so it is a quicker pre-push check than `make asan` followed by fuzzing. (The
# library carries libFuzzer's coverage instrumentation then; the suite ran 278 s against 217 s in
# `make asan`'s GCC build.)
#
# A target fuzz_<name> built in <folder>/ reads its seeds from <folder>/corpus/<name>/ in the
# source tree. Crash inputs land in $BUILD/artifacts/; to keep one as a regression test, copy it
# into that corpus folder (the tests/<folder>/..._corpus_test.cc files replay every corpus).
set -euo pipefail
cd "$(dirname "$0")/.."
suite=0
if [ "${1:-}" = "--suite" ]; then suite=1; shift; fi
BUILD=${FUZZ_BUILD:-build-fuzz}
SECONDS_PER_TARGET=${FUZZ_SECONDS:-15}
JOBS=${FUZZ_JOBS:-2}
CXX_BIN=${FUZZ_CXX:-clang++}
start=$(date +%s)

if ! command -v "$CXX_BIN" >/dev/null; then
  echo "fuzz: $CXX_BIN not found (install clang)" >&2
  exit 1
fi

mkdir -p "$BUILD"
# -O1 -g1 with asserts on, as `make asan`: line tables are enough for the reports, and it compiles
# in well under the time of -O2 -g on CI's two cores.
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-O1 -g1" \
  -DCMAKE_CXX_COMPILER="$CXX_BIN" \
  -DNOCSIM_FUZZ=ON -DNOCSIM_SANITIZE=ON -DNOCSIM_BENCH=OFF \
  -DCMAKE_CXX_FLAGS="-fsanitize=fuzzer-no-link -Wno-unknown-warning-option" \
  >"$BUILD/fuzz-configure.log" 2>&1 ||
  { cat "$BUILD/fuzz-configure.log"; exit 1; }
# (-Wno-unknown-warning-option: GCC-only diagnostic pragmas must not fail clang's -Werror.)
if [ "$suite" -eq 1 ]; then
  cmake --build "$BUILD" -j "$JOBS"
  echo "fuzz: build of the whole tree took $(($(date +%s) - start)) s"
  make --no-print-directory asan-suite ASAN_BUILD="$BUILD" JOBS="$JOBS"
  echo "fuzz: sanitizer suite done at $(($(date +%s) - start)) s"
else
  # Only the fuzz targets and their dependencies, not the whole tree.
  cmake --build "$BUILD" -j "$JOBS" --target nocsim_fuzzers
  echo "fuzz: build took $(($(date +%s) - start)) s"
fi

# name -> folder (relative to the build dir, the same as in the source tree).
declare -A folder
while IFS= read -r bin; do
  name=$(basename "$bin")
  folder[${name#fuzz_}]=$(dirname "${bin#"$BUILD"/}")
done < <(find "$BUILD" -path "$BUILD/work" -prune -o -type f -name 'fuzz_*' -perm -u+x -print)
targets=${FUZZ_TARGETS:-$(printf '%s\n' "${!folder[@]}" | sort)}
mkdir -p "$BUILD/artifacts" "$BUILD/logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
  local codec=$1
  local dir=${folder[$codec]:?no fuzz target fuzz_$codec}
  local work="$BUILD/work/$codec"
  mkdir -p "$work"
  # New inputs go to the scratch dir first; the checked-in corpus is only read.
  if "$BUILD/$dir/fuzz_$codec" -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
    -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
    -artifact_prefix="$BUILD/artifacts/$codec-" "$work" "$dir/corpus/$codec" \
    >"$BUILD/logs/$codec.log" 2>&1; then
    echo "fuzz: $codec ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' \
      "$BUILD/logs/$codec.log" | grep -o '[0-9]*$') runs)"
  else
    echo "fuzz: $codec FAILED, log $BUILD/logs/$codec.log:" >&2
    grep -E 'ERROR|runtime error|Test unit written|SUMMARY' "$BUILD/logs/$codec.log" | head -20 >&2
    return 1
  fi
}

failed=0
pids=()
names=()
for codec in $targets; do
  while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 0.5; done
  run_one "$codec" &
  pids+=($!)
  names+=("$codec")
done
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || { failed=1; echo "fuzz: ${names[$i]} failed" >&2; }
done
echo "fuzz: total $(($(date +%s) - start)) s"
exit $failed
