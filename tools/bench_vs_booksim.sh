#!/usr/bin/env bash
# Paired speed measurement: `nocsim bench` and BookSim2 on the same workload, on this machine, one
# after the other. Machines of one kind were measured 2.3-2.9x apart in BookSim2's speed, and the
# ratio moves less than the rates but still moves (14.5x at 0.25 where BookSim2 ran at its
# reference speed, 20-21x where it ran 2.5x slower): compare it with the target on a machine whose
# BookSim2 rate is near the reference's. BookSim2 is not part of nocsim: build it outside the checkout
# (e.g. from github.com/booksim/booksim2, `make -C src`) and pass its binary.
#   tools/bench_vs_booksim.sh /path/to/booksim [build-dir]
# Workload: BookSim2's iq router as in ../shared/reference/booksim/README.md (8x8 mesh, uniform,
# dimension order, 2 VCs x 8 flits, 1-flit packets), 120,000 cycles at 0.10 and 0.25 flits per
# node per cycle. Times are CPU seconds (user + system) of each process.
set -euo pipefail
BOOKSIM=${1:?usage: tools/bench_vs_booksim.sh /path/to/booksim [build-dir]}
BUILD=${2:-build}
cd "$(dirname "$0")/.."
# shellcheck source=tools/booksim_config.sh
source tools/booksim_config.sh
[ -x "$BOOKSIM" ] || { echo "bench_vs_booksim: '$BOOKSIM' is not an executable" >&2; exit 2; }
[ -x "$BUILD/tools/nocsim" ] || { echo "bench_vs_booksim: no $BUILD/tools/nocsim (run make build)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cycles=120000
"$BUILD/tools/nocsim" bench --mesh 8 --cycles "$cycles" --csv "$work/nocsim.csv" >/dev/null

printf '%-6s %5s  %16s  %15s  %7s\n' mesh rate "BookSim2 cyc/s" "nocsim cyc/s" ratio
for rate in 0.10 0.25; do
  {
    booksim_router_config mesh 8 2 8
    cat <<EOF
traffic = uniform; packet_size = 1; injection_rate = $rate;
sim_type = latency; warmup_periods = 0; sample_period = $cycles; max_samples = 1; seed = 0;
EOF
  } >"$work/cfg"
  # One sample period of $cycles cycles; BookSim then reports the run as not converged, which
  # does not matter for its speed.
  /usr/bin/time -f '%U %S' -o "$work/time" "$BOOKSIM" "$work/cfg" >"$work/out" 2>&1 || true
  grep -q "Total run time" "$work/out" ||
    { echo "bench_vs_booksim: BookSim2 did not run; its output:" >&2; cat "$work/out" >&2; exit 1; }
  bs=$(awk -v c="$cycles" '{ printf "%.0f", c / ($1 + $2) }' "$work/time")
  ns=$(awk -F, -v r="$rate" 'NR > 1 && $1 == 8 && $2 == r { print $6 }' "$work/nocsim.csv")
  printf '%-6s %5s  %16s  %15s  %6.1fx\n' 8x8 "$rate" "$bs" "$ns" "$(awk -v a="$ns" -v b="$bs" 'BEGIN { print a / b }')"
done
echo "target (issue 15): 40x on both rows"
