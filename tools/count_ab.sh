#!/usr/bin/env bash
# Instructions and mispredicted branches of two nocsim binaries on the NoC bench workload, counted
# by valgrind's cachegrind (its branch simulator; machines of this kind have no hardware counters).
# Unlike timings, which spread by up to 10% between runs of one binary here, the counts repeat to
# within 0.001% whatever else the machine does (wall-clock output differs), so one run tells a 0.1%
# change apart.
#   tools/count_ab.sh OLD_NOCSIM NEW_NOCSIM [RATE ...]
# defaults: rates 0.10 and 0.25. Workload: configs/traffic/mesh8x8_uniform.textproto (8x8 mesh,
# uniform, XY, 2 VCs x 8 flits, 1-flit packets) for 8,000 cycles (3,000 warm-up + 5,000); the
# counts cover the whole process, start-up (~30 M instructions) included. A few seconds per binary
# and rate (cachegrind without its cache simulation).
set -euo pipefail
usage="usage: tools/count_ab.sh OLD_NOCSIM NEW_NOCSIM [RATE ...]"
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
for bin in "$1" "$2"; do
  [ -x "$bin" ] || { echo "count_ab: '$bin' is not an executable" >&2; exit 2; }
done
command -v valgrind >/dev/null || { echo "count_ab: valgrind not found (apt-get install valgrind)" >&2; exit 2; }
old=$(realpath "$1")
new=$(realpath "$2")
shift 2
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(0.10 0.25)
for r in "${rates[@]}"; do
  [[ "$r" =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || { echo "count_ab: rate '$r' is not in [0, 1]" >&2; exit 2; }
done
cd "$(dirname "$0")/.."
scenario=$(realpath configs/traffic/mesh8x8_uniform.textproto)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "instructions mispredicts" of one run: count BIN RATE
count() {
  local out="$work/cg.out"
  # Results go to the scratch dir; cachegrind's summary line gives the totals.
  (cd "$work" && valgrind --tool=cachegrind --cache-sim=no --branch-sim=yes \
    --cachegrind-out-file="$out" "$1" traffic "$scenario" --set traffic.injection_rate="$2" \
    --set sim.fixed_cycles=5000 --set sim.warmup_periods=3 >/dev/null 2>&1) ||
    { echo "count_ab: $1 failed at rate $2" >&2; exit 1; }
  # events: Ir Bc Bcm Bi Bim; mispredicts are conditional plus indirect.
  awk '/^summary:/ { print $2, $4 + $6 }' "$out"
}

printf '%5s  %14s %14s %7s  %12s %12s %7s\n' rate "old instr" "new instr" change "old mispred" \
  "new mispred" change
for r in "${rates[@]}"; do
  read -r oi om <<<"$(count "$old" "$r")"
  read -r ni nm <<<"$(count "$new" "$r")"
  printf '%5s  %14d %14d %+6.2f%%  %12d %12d %+6.2f%%\n' "$r" "$oi" "$ni" \
    "$(awk -v a="$oi" -v b="$ni" 'BEGIN { print (b / a - 1) * 100 }')" "$om" "$nm" \
    "$(awk -v a="$om" -v b="$nm" 'BEGIN { print (b / a - 1) * 100 }')"
done
