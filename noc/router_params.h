#pragma once
// The router micro-architecture of one run, resolved from config::RouterConfig once (defaults
// filled in, ranges checked) so that the engine never reads configuration again.
//
// Stage timing, with the defaults that reproduce BookSim2's iq router: a head flit buffered at
// cycle a finishes route computation at a + routing - 1, VC allocation at that + vc_alloc, switch
// allocation vc_alloc cycles later; a flit granted the switch at cycle s is buffered downstream at
// s + st + link + 1 (the extra cycle is the channel register BookSim also models), and its credit
// is usable upstream at s + link + 1 + credit. Defaults give 5 cycles per router.
#include <cstdint>

#include "configs/schema/noc.pb.h"

namespace nocsim::noc {

struct RouterParams {
  uint32_t num_vcs = 2;
  uint32_t vc_buf_size = 8;
  uint32_t routing_delay = 1;
  uint32_t vc_alloc_delay = 1;
  uint32_t sw_alloc_delay = 1;
  uint32_t st_delay = 1;
  uint32_t link_delay = 1;
  uint32_t credit_delay = 0;
  uint32_t flit_width_bits = 128;

  // Throws UserError naming the noc.router.* field for out-of-range values.
  static RouterParams from_config(const config::RouterConfig& cfg);

  // Cycles from switch grant to the flit being buffered at the next router.
  uint32_t flit_flight() const { return st_delay + link_delay + 1; }
  // Cycles from switch grant to the freed slot being visible upstream.
  uint32_t credit_flight() const { return link_delay + 1 + credit_delay; }
  // Zero-load cycles one router adds to a head flit (5 with the defaults).
  uint32_t per_hop_cycles() const {
    return routing_delay + vc_alloc_delay + sw_alloc_delay + st_delay + link_delay;
  }
};

}  // namespace nocsim::noc
