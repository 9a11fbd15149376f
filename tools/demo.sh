#!/usr/bin/env bash
# The README's first command (`make demo`): the main study on the embedded defaults.
#   1. latency vs offered load on the 8x8 BookSim reference mesh, with the reference curve overlaid;
#   2. the codec study: the shipped PD MLP and PD VGG on a 4x4 mesh swept over the built-in codecs, in steady
#      state with weights that do not fit on chip, with latency/energy-vs-accuracy plots and a
#      markdown summary;
#   3. where compression stops paying: local weight buffer size x codec, latency per inference.
# Both are sweeps: rerunning resumes (finished points are skipped); delete results/ to start afresh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build}
NOCSIM="$BUILD/tools/nocsim"
JOBS=${JOBS:-$(nproc)}
# BookSim2's curves: the team's shared copy when it sits beside the checkout, else the one kept here.
REF=../shared/reference/booksim/mesh_curves.csv
[ -f "$REF" ] || REF=configs/reference/booksim/mesh_curves.csv
start=$(date +%s)

echo "== 1/3 NoC: latency vs offered load, 8x8 mesh (BookSim2 reference configuration)"
"$NOCSIM" sweep configs/study/mesh8x8_latency_vs_rate.textproto -j "$JOBS"
"$NOCSIM" plot results/mesh8x8_latency_vs_rate/results.csv \
  --reference "$REF" --reference-where mesh_k=8,traffic=uniform,num_vcs=2,packet_size=1

echo "== 2/3 Accelerator: codec study, PD MLP and PD VGG on a 4x4 mesh (steady state, weights streaming)"
"$NOCSIM" sweep configs/study/codec_sweep.textproto -j "$JOBS"
"$NOCSIM" plot results/codec_sweep/results.csv
echo
cat results/codec_sweep/summary.md

echo
echo "== 3/3 Accelerator: local weight buffer size x codec (steady state)"
"$NOCSIM" sweep configs/study/local_memory_sweep.textproto -j "$JOBS"
"$NOCSIM" plot results/local_memory_sweep/results.csv

echo
echo "demo finished in $(( $(date +%s) - start )) s. Results:"
find results -maxdepth 2 -type f \( -name '*.csv' -o -name '*.png' -o -name '*.md' -o -name '*.jsonl' \) \
  | sort | sed 's/^/  /'
