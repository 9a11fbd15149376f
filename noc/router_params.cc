#include "noc/router_params.h"

#include <string>

#include "configs/user_error.h"

namespace nocsim::noc {

namespace {

// Bounds keep per-router scratch arrays small and catch typos; they are far above any real design.
constexpr uint32_t kMaxVcs = 32;
constexpr uint32_t kMaxBuffer = 4096;
constexpr uint32_t kMaxDelay = 64;

uint32_t delay(bool has, uint32_t value, uint32_t fallback, uint32_t min, const std::string& name) {
  const uint32_t v = has ? value : fallback;
  require(v >= min && v <= kMaxDelay, "noc.router." + name,
          "must be between " + std::to_string(min) + " and " + std::to_string(kMaxDelay) +
              " cycles, got " + std::to_string(v));
  return v;
}

}  // namespace

RouterParams RouterParams::from_config(const config::RouterConfig& cfg) {
  RouterParams p;
  p.num_vcs = cfg.has_num_vcs() ? cfg.num_vcs() : 2;
  require(p.num_vcs >= 1 && p.num_vcs <= kMaxVcs, "noc.router.num_vcs",
          "needs 1 to " + std::to_string(kMaxVcs) + " virtual channels, got " +
              std::to_string(p.num_vcs));
  p.vc_buf_size = cfg.has_vc_buf_size() ? cfg.vc_buf_size() : 8;
  require(p.vc_buf_size >= 1 && p.vc_buf_size <= kMaxBuffer, "noc.router.vc_buf_size",
          "needs 1 to " + std::to_string(kMaxBuffer) + " flits per VC, got " +
              std::to_string(p.vc_buf_size));
  // Route computation may take 0 cycles (lookahead routing); the allocators and the link need at
  // least one, as in BookSim.
  p.routing_delay = delay(cfg.has_routing_delay(), cfg.routing_delay(), 1, 0, "routing_delay");
  p.vc_alloc_delay = delay(cfg.has_vc_alloc_delay(), cfg.vc_alloc_delay(), 1, 1, "vc_alloc_delay");
  p.sw_alloc_delay = delay(cfg.has_sw_alloc_delay(), cfg.sw_alloc_delay(), 1, 1, "sw_alloc_delay");
  p.st_delay = delay(cfg.has_st_delay(), cfg.st_delay(), 1, 0, "st_delay");
  p.link_delay = delay(cfg.has_link_delay(), cfg.link_delay(), 1, 1, "link_delay");
  p.credit_delay = delay(cfg.has_credit_delay(), cfg.credit_delay(), 0, 0, "credit_delay");
  p.flit_width_bits = cfg.has_flit_width_bits() ? cfg.flit_width_bits() : 128;
  require(p.flit_width_bits >= 1 && p.flit_width_bits <= 4096, "noc.router.flit_width_bits",
          "must be between 1 and 4096 bits per flit, got " + std::to_string(p.flit_width_bits));
  return p;
}

}  // namespace nocsim::noc
