#!/usr/bin/env bash
# Measures BookSim2 latency/throughput curves beyond the shared reference (other VC counts, packet
# sizes, buffer depths, patterns, a 16x16 mesh, an 8x8 torus, O1TURN routing, a 4x4 cmesh) and
# writes them in the reference's CSV format with a topology column added, for
# tests/noc/booksim_validation_test.cc. BookSim2 is not part of nocsim: build it outside the
# checkout (e.g. from github.com/booksim/booksim2, `make -C src`) and pass its binary.
#   tools/booksim_curves.sh /path/to/booksim OUT.csv
# Every run is configured as the reference's rows were (../shared/reference/booksim/README.md): the
# router of booksim_config.sh, Bernoulli injection with the rate in flits, 3 x 1000 warm-up cycles,
# 1000-cycle samples until stable, seed 0. A run BookSim2 declares unstable is a saturated row: its
# latencies and accepted rate are those of the last sample, as in the reference. Takes a few
# minutes.
set -euo pipefail
# shellcheck source=tools/booksim_config.sh
source "$(dirname "$0")/booksim_config.sh"
[ $# -eq 2 ] || { echo "usage: tools/booksim_curves.sh /path/to/booksim OUT.csv" >&2; exit 2; }
BOOKSIM=$1
OUT=$2
[ -x "$BOOKSIM" ] || { echo "booksim_curves: '$BOOKSIM' is not an executable" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# One curve per line: topology k routing traffic vcs buf packet_size, then its rates
# (flits/node/cycle). Routing: dor (BookSim2's dim_order, nocsim's xy) or xy_yx (O1TURN, nocsim's
# o1turn).
# The 4-flit curves start at 0.05: at 0.01 a run measures only ~1,500 packets, and their mean route
# strays from the mesh's 6.25 routers by up to 3% (BookSim2 6.42, nocsim 6.20), which moves the
# zero-load latency as much (37.2 and 36.1 cycles; less 5 cycles per router crossed, both 5.1). The 2-VC torus curve
# stops at its saturation (0.30): past it, its throughput falls (BookSim2 from 0.256 to 0.210-0.224
# at 0.35-0.50, nocsim to 0.217-0.229), and the two fall apart by up to 7.7%, more than the 5% that
# the test allows on every row.
curves=(
  "mesh 8 dor uniform 4 8 1   0.01 0.10 0.20 0.30 0.35 0.40 0.45 0.50"
  "mesh 8 dor uniform 2 8 4   0.05 0.10 0.15 0.20 0.25 0.30 0.35 0.40"
  "mesh 8 dor uniform 2 4 4   0.05 0.10 0.15 0.20 0.25 0.30 0.35"
  "mesh 8 dor bitcomp 2 8 1   0.01 0.05 0.10 0.15 0.20 0.25 0.30"
  "mesh 8 dor tornado 2 8 1   0.01 0.05 0.10 0.15 0.20 0.25 0.30 0.35"
  "mesh 16 dor uniform 2 8 1  0.01 0.05 0.08 0.10 0.12 0.15 0.18"
  "torus 8 dor uniform 4 8 1  0.01 0.10 0.20 0.30 0.40 0.45 0.50 0.55 0.60"
  "torus 8 dor uniform 2 8 1  0.01 0.10 0.20 0.25 0.30"
  "torus 8 dor transpose 4 8 1  0.01 0.05 0.10 0.15 0.20 0.25"
  "mesh 8 xy_yx uniform 2 8 1  0.01 0.10 0.15 0.20 0.25 0.30 0.35"
  "mesh 8 xy_yx uniform 4 8 1  0.01 0.10 0.20 0.30 0.35 0.40 0.45"
  "mesh 8 xy_yx transpose 2 8 1  0.01 0.05 0.10 0.15 0.20"
  "mesh 8 xy_yx transpose 4 8 1  0.01 0.05 0.10 0.15 0.20 0.25 0.30"
  "cmesh 4 dor uniform 2 8 1  0.01 0.05 0.08 0.10 0.12 0.14 0.16 0.20"
  "cmesh 4 dor uniform 4 8 1  0.01 0.05 0.10 0.15 0.18 0.20 0.25"
  "cmesh 4 dor uniform 2 8 4  0.05 0.08 0.10 0.12 0.14 0.16 0.20"
  "cmesh 4 xy_yx uniform 4 8 1  0.01 0.05 0.10 0.15 0.18 0.20 0.25"
  "cmesh 4 dor transpose 2 8 1  0.01 0.03 0.05 0.06 0.07 0.08 0.10 0.15"
)

tmp="$OUT.tmp.$$"
echo "mesh_k,traffic,routing,num_vcs,vc_buf_size,packet_size,injection_rate_flits,avg_packet_latency,avg_network_latency,avg_flit_latency,accepted_flits_per_node_cycle,avg_hops,saturated,topology" >"$tmp"
for curve in "${curves[@]}"; do
  read -r topology k routing traffic vcs buf size rates <<<"$curve"
  function=$routing
  [ "$routing" = dor ] && function=dim_order
  for rate in $rates; do
    {
      booksim_router_config "$topology" "$k" "$vcs" "$buf" "$function"
      # injection_rate_uses_flits: the rate is in flits, a packet starts with probability
      # rate / packet_size, as in the reference and in nocsim.
      cat <<EOF
traffic = $traffic; packet_size = $size; injection_rate = $rate; injection_rate_uses_flits = 1;
sim_type = latency; warmup_periods = 3; sample_period = 1000; seed = 0;
EOF
    } >"$work/cfg"
    "$BOOKSIM" "$work/cfg" >"$work/out" 2>&1 || true
    awk -v topo="$topology" -v k="$k" -v rt="$routing" -v t="$traffic" -v v="$vcs" -v b="$buf" -v s="$size" -v r="$rate" '
      /^Packet latency average =/ { plat = $5 }
      /^Network latency average =/ { nlat = $5 }
      /^Flit latency average =/ { flat = $5 }
      /^Accepted flit rate average *=/ { sub(/.*= */, ""); acc = $1 }
      /^Hops average =/ { hops = $4 }
      /Overall Traffic Statistics/ { overall = 1 }
      /Simulation unstable/ { unstable = 1 }
      END {
        if (!overall && !unstable) { print "no result" > "/dev/stderr"; exit 1 }
        printf "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%s\n", k, t, rt, v, b, s, r, plat, nlat, flat, acc,
          unstable ? "" : hops, unstable ? 1 : 0, topo
      }' "$work/out" >>"$tmp" ||
      { echo "booksim_curves: BookSim2 gave no result for $curve at $rate; its output:" >&2
        tail -20 "$work/out" >&2; rm -f "$tmp"; exit 1; }
    printf '\rbooksim_curves: %s %s %s %s %s VCs x %s, %s-flit, %s   ' "$topology" "${k}x$k" \
      "$routing" "$traffic" "$vcs" "$buf" "$size" "$rate" >&2
  done
done
echo >&2
mv "$tmp" "$OUT"
echo "wrote $OUT ($(($(wc -l <"$OUT") - 1)) rows)"
