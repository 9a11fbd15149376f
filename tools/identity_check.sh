#!/usr/bin/env bash
# Whether two nocsim binaries give the same results: a change meant to make the engine faster must
# leave every result bit-identical. Runs each scenario below with both binaries and compares their
# JSON and CSV files with the wall-clock fields and the version string left out.
#   tools/identity_check.sh OLD_NOCSIM NEW_NOCSIM
# e.g. a build of the previous commit (a git worktree built outside the checkout) and build/tools/nocsim.
# The scenarios: every shipped traffic file; the BookSim2 mesh with other VC counts, buffers,
# packets, loads, delays, allocator, sizes; multicast trees and unicast copies; a concentrated mesh
# and a graph; three accelerator studies. Exit status 1 when a result differs, 2 on bad usage.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: tools/identity_check.sh OLD_NOCSIM NEW_NOCSIM" >&2; exit 2; }
for bin in "$1" "$2"; do
  [ -x "$bin" ] || { echo "identity_check: '$bin' is not an executable" >&2; exit 2; }
done
old=$(realpath "$1")
new=$(realpath "$2")
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf '0 1\n1 2\n2 3\n1 4\n4 5\n' >"$work/tree.edges"

U=configs/traffic/mesh8x8_uniform.textproto
M=configs/traffic/mesh8x8_multicast.textproto
scenarios=()
for f in configs/traffic/*.textproto; do scenarios+=("traffic $f"); done
scenarios+=(
  "traffic $U --set noc.router.num_vcs=1 --set traffic.injection_rate=0.3"
  "traffic $U --set noc.router.num_vcs=4"
  "traffic $U --set noc.router.num_vcs=8 --set traffic.injection_rate=0.35 --set traffic.packet_size=3"
  "traffic $U --set noc.router.vc_buf_size=1 --set traffic.injection_rate=0.2"
  "traffic $U --set traffic.packet_size=4"
  "traffic $U --set traffic.injection_rate=0.4"
  "traffic $U --set noc.router.routing_delay=0 --set noc.router.vc_alloc_delay=2 --set noc.router.sw_alloc_delay=2 --set traffic.injection_rate=0.2"
  "traffic $U --set noc.allocator.name=input_first"
  "traffic $U --set noc.topology.k_x=16 --set noc.topology.k_y=16 --set traffic.injection_rate=0.05"
  "traffic $U --set noc.topology.k_x=32 --set noc.topology.k_y=32 --set noc.router.num_vcs=4 --set traffic.injection_rate=0.02"
  "traffic $U --set noc.topology.kind=cmesh --set noc.topology.concentration=4 --set noc.topology.k_x=4 --set noc.topology.k_y=4 --set traffic.injection_rate=0.2"
  "traffic $U --set noc.topology.kind=graph --set noc.topology.graph_file=$work/tree.edges --set noc.routing.algorithm=table --set traffic.multicast.destinations=2"
  "traffic configs/traffic/torus8x8_uniform.textproto --set noc.allocator.name=input_first --set traffic.injection_rate=0.3"
  "traffic configs/traffic/mesh8x8_odd_even.textproto --set traffic.injection_rate=0.3 --set traffic.packet_size=4"
  "traffic $M --set noc.multicast.mode=unicast"
  "traffic $M --set noc.allocator.name=input_first"
  "traffic $M --set traffic.packet_size=6 --set noc.router.num_vcs=4"
  "run configs/study/fmnist_pd_mlp.textproto"
  "run configs/study/fmnist_cnn_pd.textproto"
  "run configs/study/edge_8x8.textproto"
)

# One line per result file: its name and the hash of its contents without the fields that differ
# between two runs of one binary (wall-clock seconds) or between two builds (the version).
digest() {
  python3 - "$1" <<'EOF'
import csv, hashlib, json, pathlib, sys
def strip(o):
    if isinstance(o, dict):
        return {k: strip(v) for k, v in o.items() if not k.endswith("wall_seconds") and k != "version"}
    if isinstance(o, list):
        return [strip(v) for v in o]
    return o
for path in sorted(pathlib.Path(sys.argv[1]).rglob("*")):
    if path.suffix == ".json":
        text = json.dumps(strip(json.loads(path.read_text())), sort_keys=True)
    elif path.suffix == ".csv":
        rows = list(csv.reader(path.open()))
        keep = [i for i, h in enumerate(rows[0]) if not h.endswith("wall_seconds")] if rows else []
        text = "\n".join(",".join(r[i] for i in keep if i < len(r)) for r in rows)
    else:
        continue
    print(path.relative_to(sys.argv[1]), hashlib.sha256(text.encode()).hexdigest()[:16])
EOF
}

status=0
for i in "${!scenarios[@]}"; do
  read -r -a args <<<"${scenarios[$i]}"
  for side in old new; do
    bin=$old
    [ "$side" = new ] && bin=$new
    out="$work/$side/$i"
    mkdir -p "$out"
    if ! "$bin" "${args[@]}" -q --out "$out" >"$out.log" 2>&1; then
      echo "identity_check: scenario $i failed with $side ($bin): ${scenarios[$i]}" >&2
      tail -3 "$out.log" >&2
      exit 1
    fi
  done
  if [ "$(digest "$work/old/$i")" = "$(digest "$work/new/$i")" ]; then
    echo "same      ${scenarios[$i]}"
  else
    echo "DIFFERENT ${scenarios[$i]}"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "identity_check: all ${#scenarios[@]} scenarios give identical results"
exit "$status"
