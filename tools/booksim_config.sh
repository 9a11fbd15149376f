# shellcheck shell=bash
# The router every BookSim2 comparison runs, in BookSim2's config syntax: the reference rows'
# configuration (../shared/reference/booksim/README.md), i.e. BookSim2's iq router as nocsim's
# defaults model it. Sourced by bench_vs_booksim.sh and booksim_curves.sh, which add the traffic and
# the measurement.
#   booksim_router_config TOPOLOGY K VCS BUFFER_FLITS [ROUTING_FUNCTION]
# Links take one cycle on a torus too (use_noc_latency = 0; BookSim2's default gives a torus's
# links two, as in a folded layout; a mesh's take one either way). The routing function defaults
# to dim_order (dor on a mesh; nocsim's xy); xy_yx is nocsim's o1turn. A cmesh is BookSim2's only
# kind, 4 terminals per router as a 2x2 tile (nocsim's default concentration), routed without its
# express links (the _no_express functions), which nocsim's cmesh does not have.
booksim_router_config() {
  local routing=${5:-dim_order}
  if [ "$1" = cmesh ]; then
    [ "$routing" = dim_order ] && routing=dor
    routing=${routing}_no_express
    echo "c = 4; xr = 2; yr = 2; x = $2; y = $2;"
  fi
  cat <<CFG
topology = $1; k = $2; n = 2; routing_function = $routing; use_noc_latency = 0;
num_vcs = $3; vc_buf_size = $4; wait_for_tail_credit = 0;
vc_allocator = islip; sw_allocator = islip; alloc_iters = 1;
credit_delay = 0; routing_delay = 1; vc_alloc_delay = 1; sw_alloc_delay = 1; st_final_delay = 1;
input_speedup = 1; output_speedup = 1; internal_speedup = 1.0;
CFG
}
