// Separable input-first allocators with round-robin arbiters (Dally & Towles, ch. 19): each input
// VC first picks one free output VC (VA), each input port first picks one of its VCs (SA); then
// every output arbitrates among the inputs that picked it. Cheaper than iSLIP in hardware and
// matches less well under load: a loser does not try another output in the same cycle.
#include <vector>

#include "noc/allocator.h"
#include "noc/router_pipeline.h"

namespace nocsim::noc {
namespace {

using namespace detail;

class InputFirst : public Allocator {
 public:
  void allocate(NetState& s) override {
    if (va_pick_.empty()) {
      va_pick_.assign(size_t(s.P) * s.V, -1);
      sa_pick_.assign(s.P, 0);
    }
    visit_routers(s, [&](RouterId r) {
      const bool va_left = vc_allocate(s, r);
      sw_allocate(s, r);
      return finish_visit(s, r, s.base_port(r) * s.V) || va_left;
    });
  }

 private:
  // Input stage: request (ivc, port) picks the first free permitted output VC after its pointer;
  // output stage: each output VC keeps the picker nearest after its own pointer.
  bool vc_allocate(NetState& s, RouterId r) {
    if (s.va_size[r] == 0) return false;
    const uint32_t V = s.V;
    const uint32_t base = s.base_port(r) * V;
    const uint32_t nlocal = s.topo.num_ports(r) * V;
    picks_.clear();
    bool left = false;
    auto pick = [&](uint32_t ivc, uint32_t port, uint32_t mask) {
      const uint32_t i = ivc - base;
      uint32_t best = ~0u, best_dist = ~0u;
      for (uint32_t v = 0; v < V; ++v) {
        const uint32_t o = port * V + v;
        if (!(mask >> v & 1u) || s.vout[base + o].busy) continue;
        const uint32_t d = rr_distance(o, s.vin[ivc].va_aptr, nlocal);
        if (d < best_dist) best_dist = d, best = o;
      }
      if (best == ~0u) {
        left = true;
        return;
      }
      const int32_t cur = va_pick_[best];
      const uint32_t ptr = s.vout[base + best].va_gptr;
      if (cur >= 0) {
        left = true;  // one of the two loses this cycle
        if (rr_distance(picks_[cur].i, ptr, nlocal) <= rr_distance(i, ptr, nlocal)) return;
        picks_[cur].o = ~0u;
      }
      va_pick_[best] = static_cast<int32_t>(picks_.size());
      picks_.push_back({i, port, best});
    };
    for (uint32_t j = 0; j < s.va_size[r]; ++j) {
      const uint32_t ivc = s.va_list[base + j];
      if (s.vin[ivc].ready > s.now) continue;
      if (s.vin[ivc].fork != kNone) {
        for (uint64_t rest = s.forks[s.vin[ivc].fork].va_pending; rest != 0; rest &= rest - 1)
          pick(ivc, static_cast<uint32_t>(std::countr_zero(rest)), ~0u);
      } else {
        pick(ivc, s.vin[ivc].out_port, s.vin[ivc].route_mask);
      }
    }
    for (const Pick& p : picks_) {
      if (p.o == ~0u) continue;
      va_pick_[p.o] = -1;
      accept_output_vc(s, r, base, p.i, p.port, p.o);
    }
    return left;
  }

  // Input stage: each input port picks its ready VC (with a credit) nearest after its pointer;
  // output stage: each output port grants the input port nearest after its pointer. A fork asks
  // for all its ready branches and sends to those granted.
  void sw_allocate(NetState& s, RouterId r) {
    if (s.sa_size[r] == 0) return;
    const uint32_t V = s.V;
    const uint32_t base_port = s.base_port(r);
    const uint32_t base = base_port * V;
    uint64_t inputs = 0;
    for (uint32_t j = 0; j < s.sa_size[r]; ++j) {
      const uint32_t ivc = s.sa_list[base + j];
      if (s.vin[ivc].ready > s.now) continue;
      uint64_t wants;
      if (s.vin[ivc].fork != kNone) {
        wants = fork_requests(s, ivc, base_port);
      } else {
        const uint32_t op = s.vin[ivc].out_port;
        wants = s.vout[(base_port + op) * V + s.vin[ivc].out_vc].credits > 0 ? 1ull << op : 0;
      }
      if (wants == 0) continue;
      const uint32_t p = s.vin[ivc].port;
      const uint32_t v = ivc - (base_port + p) * V;
      const uint64_t bit = 1ull << p;
      if (inputs & bit) {
        const uint32_t cur = sa_pick_[p];
        const uint32_t ptr = s.sa_aptr[base_port + p];
        if (rr_distance(cur - (base_port + p) * V, ptr % V, V) <= rr_distance(v, ptr % V, V))
          continue;
      }
      inputs |= bit;
      sa_pick_[p] = ivc;
      wants_[p] = wants;
    }
    uint64_t granted[kMaxPorts] = {};
    uint64_t outputs = 0;
    for (uint64_t rest = inputs; rest != 0; rest &= rest - 1) {
      const uint32_t p = static_cast<uint32_t>(std::countr_zero(rest));
      outputs |= wants_[p];
    }
    for (uint64_t rest = outputs; rest != 0; rest &= rest - 1) {
      const uint32_t o = static_cast<uint32_t>(std::countr_zero(rest));
      uint64_t asking = 0;
      for (uint64_t in = inputs; in != 0; in &= in - 1) {
        const uint32_t p = static_cast<uint32_t>(std::countr_zero(in));
        if (wants_[p] >> o & 1u) asking |= 1ull << p;
      }
      const uint32_t p = pick_from(asking, s.sa_gptr[base_port + o]);
      s.sa_gptr[base_port + o] = static_cast<uint8_t>(p + 1);
      granted[p] |= 1ull << o;
    }
    for (uint64_t rest = inputs; rest != 0; rest &= rest - 1) {
      const uint32_t p = static_cast<uint32_t>(std::countr_zero(rest));
      if (granted[p] == 0) continue;
      const uint32_t ivc = sa_pick_[p];
      const uint32_t v = ivc - (base_port + p) * V;
      s.sa_aptr[base_port + p] = static_cast<uint8_t>(v + 1 == V ? 0 : v + 1);
      if (s.vin[ivc].fork == kNone) {
        send(s, r, static_cast<PortId>(p), ivc);
      } else {
        send_fork(s, r, static_cast<PortId>(p), ivc, granted[p]);
      }
    }
  }

  struct Pick {
    uint32_t i, port, o;  // local input VC, output port, chosen local output VC (~0u: lost)
  };
  std::vector<Pick> picks_;
  std::vector<int32_t> va_pick_;   // per local output VC: index in picks_, -1
  std::vector<uint32_t> sa_pick_;  // per input port: its chosen VC this cycle
  uint64_t wants_[kMaxPorts] = {};
};

NOCSIM_REGISTER(allocator_registry(), InputFirst, "input_first",
                "separable input-first VC and switch allocation, round-robin arbiters");

}  // namespace
}  // namespace nocsim::noc
