#!/usr/bin/env bash
# Whether a change made the NoC engine faster: `nocsim bench` of two builds, alternated for ROUNDS
# rounds, and per case the median and best cycles/s (CPU) of each and the median ratio. On the
# shared machines of this project runs of one binary spread by up to 10%, and they drift in phases
# of minutes; alternating many short runs is what resolves a few per cent (31 rounds told +/-2%
# apart, 9 did not).
#   tools/bench_ab.sh OLD_BUILD NEW_BUILD [ROUNDS [MESH [CYCLES]]]
# defaults: 31 rounds, the 8x8 cases, 40,000 measured cycles per case.
set -euo pipefail
usage="usage: tools/bench_ab.sh OLD_BUILD NEW_BUILD [ROUNDS [MESH [CYCLES]]] (MESH: 8, 16 or 32)"
if [ $# -lt 2 ] || [ $# -gt 5 ]; then
  echo "$usage" >&2
  exit 2
fi
old=$1 new=$2 rounds=${3:-31} mesh=${4:-8} cycles=${5:-40000}
for b in "$old" "$new"; do
  [ -x "$b/tools/nocsim" ] || { echo "bench_ab: no $b/tools/nocsim" >&2; exit 2; }
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "bench_ab: ROUNDS must be a positive integer" >&2; exit 2; }
[[ "$mesh" =~ ^(8|16|32)$ ]] || { echo "$usage" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for i in $(seq "$rounds"); do
  for side in old new; do
    b=$old
    [ "$side" = new ] && b=$new
    "$b/tools/nocsim" bench -q --mesh "$mesh" --cycles "$cycles" --csv "$work/run.csv" >/dev/null
    # rate, cycles per CPU second
    tail -n +2 "$work/run.csv" | awk -F, '{ print $2, $6 }' >>"$work/$side"
  done
  printf '\rbench_ab: round %d of %d' "$i" "$rounds" >&2
done
echo >&2

printf '%-5s %5s  %12s %12s  %12s %12s  %7s\n' mesh rate "old median" "old best" "new median" \
  "new best" "median"
# The median and the best of one case's runs: stats FILE RATE
stats() {
  awk -v r="$2" '$1 == r { print $2 }' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { printf "%d %d", v[int((NR + 1) / 2)], v[NR] }'
}
awk '{ print $1 }' "$work/old" | sort -u >"$work/rates"
while read -r rate; do
  read -r om ob <<<"$(stats "$work/old" "$rate")"
  read -r nm nb <<<"$(stats "$work/new" "$rate")"
  printf '%-5s %5s  %12d %12d  %12d %12d  %+6.1f%%\n' "${mesh}x$mesh" "$rate" "$om" "$ob" "$nm" \
    "$nb" "$(awk -v a="$om" -v b="$nm" 'BEGIN { print (b / a - 1) * 100 }')"
done <"$work/rates"
