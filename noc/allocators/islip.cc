// BookSim2's default allocators for its iq router: VC and switch allocation each one iteration of
// iSLIP with round-robin pointers that move only past accepted pairs. This is the configuration
// the BookSim2 reference curves were measured with.
#include <span>
#include <vector>

#include "noc/allocator.h"
#include "noc/router_pipeline.h"

namespace nocsim::noc {
namespace {

using namespace detail;

class Islip : public Allocator {
 public:
  void allocate(NetState& s) override {
    if (va_grant_.empty()) size_scratch(s);
    visit_routers(s, [&](RouterId r) {
      const uint32_t base_port = s.base_port(r);
      const uint32_t nports = s.topo.num_ports(r);
      bool va_final = false, sa_final = false;
      const bool va_left = vc_allocate(s, r, base_port, nports, va_final);
      sw_allocate(s, r, base_port, sa_final);
      return finish_visit(s, r, base_port * s.V, va_final, sa_final) || va_left;
    });
  }

 private:
  struct Request {
    uint32_t i;     // input VC, local to the router
    uint32_t port;  // output port asked for
    uint32_t mask;  // VCs permitted on it
  };

  void size_scratch(const NetState& s) {
    const size_t local = size_t(s.P) * s.V;
    req_.resize(local * s.P);
    va_grant_.assign(local, -1);
    sa_req_.assign(size_t(s.P) * s.P, 0);
    sa_out_req_.assign(s.P, 0);
    sa_in_grant_.assign(s.P, 0);
    sa_pick_.assign(s.P, 0);
  }

  // The port an adaptive head asks for: the candidate with the most free downstream space in
  // allowed, free VCs.
  static void choose_adaptive_port(NetState& s, uint32_t base_port, uint32_t ivc) {
    int best = -1;
    for (uint8_t c = 0; c < s.route_choices[ivc].count; ++c) {
      const RouteChoice& ch = s.route_choices[ivc].choice[c];
      int space = 0;
      for (uint32_t v = 0; v < s.V; ++v) {
        const uint32_t ovc = (base_port + ch.port) * s.V + v;
        if ((ch.vc_mask >> v & 1u) && !s.vout[ovc].busy) space += s.vout[ovc].credits;
      }
      if (space > best) {
        best = space;
        s.vin[ivc].out_port = ch.port;
        s.vin[ivc].route_mask = ch.vc_mask;
      }
    }
  }

  // One iteration of iSLIP between the router's waiting input VCs (a fork asks once per branch
  // still without a VC) and its free output VCs. Each output VC grants the requester nearest
  // after its round-robin pointer; each requester accepts the grant nearest after its own.
  // Returns true when a ready requester is left without a VC. Every VC in the list is ready.
  // Sets `va_final` when it has left the list as finish_visit would.
  bool vc_allocate(NetState& s, RouterId r, uint32_t base_port, uint32_t nports, bool& va_final) {
    const uint32_t n = s.va_size[r];
    va_final = n <= 1;  // cleared below for a lone fork
    if (n == 0) return false;
    const uint32_t V = s.V;
    const uint32_t base = base_port * V;
    const uint32_t nlocal = nports * V;
    const uint32_t* const list = s.va_list.data() + base;
    if (n == 1 && s.vin[list[0]].fork == kNone) {
      const uint32_t ivc = list[0];
      if (s.adaptive && s.route_choices[ivc].count > 1) choose_adaptive_port(s, base_port, ivc);
      if (grant_alone(s, r, base_port, ivc, s.vin[ivc].out_port, s.vin[ivc].route_mask)) {
        // Granted, it no longer wants a VC, and this visit's switch allocation cannot make it
        // want one again (it is switch-ready from the next cycle on). A VC left waiting stays.
        s.va_size[r] = 0;
        s.vin[ivc].listed &= static_cast<uint8_t>(~kInVa);
        return false;
      }
      return true;
    }
    va_final = false;
    // Requests in a fixed scratch array (at most one per branch of every local input VC): no
    // capacity check per request, and a local pointer the byte stores below cannot invalidate.
    Request* const req = req_.data();
    size_t nreq = 0;
    uint64_t ports_asked = 0;
    bool contended = false;
    auto ask = [&](uint32_t i, uint32_t port, uint32_t mask) {
      contended = contended || (ports_asked >> port & 1u);
      ports_asked |= 1ull << port;
      req[nreq++] = {i, port, mask};
    };
    // The choices below depend on round-robin distances only, not on the order of requests.
    for (uint32_t j = 0; j < n; ++j) {
      const uint32_t ivc = list[j];
      if (s.vin[ivc].fork != kNone) {
        for (uint64_t rest = s.forks[s.vin[ivc].fork].va_pending; rest != 0; rest &= rest - 1)
          ask(ivc - base, static_cast<uint32_t>(std::countr_zero(rest)), ~0u);
        continue;
      }
      if (s.adaptive && s.route_choices[ivc].count > 1) choose_adaptive_port(s, base_port, ivc);
      ask(ivc - base, s.vin[ivc].out_port, s.vin[ivc].route_mask);
    }
    if (!contended) {
      // No two requesters ask for the same output port, so each is alone.
      bool left = false;
      for (const Request& q : std::span<const Request>(req, nreq))
        left = !grant_alone(s, r, base_port, base + q.i, q.port, q.mask) || left;
      return left;
    }
    return nlocal <= 64 ? contend_small(s, r, base_port, req, nreq)
                        : contend(s, r, base_port, nlocal, req, nreq);
  }

  // The full iteration, for requests of which some share an output port.
  bool contend(NetState& s, RouterId r, uint32_t base_port, uint32_t nlocal, const Request* req,
               size_t nreq) {
    const uint32_t V = s.V;
    const uint32_t base = base_port * V;
    bool any = false;
    for (size_t k = 0; k < nreq; ++k) {
      const Request& q = req[k];
      for (uint32_t v = 0; v < V; ++v) {
        if (!(q.mask >> v & 1u)) continue;
        const uint32_t o = q.port * V + v;
        if (s.port_busy[base_port + q.port] >> v & 1u) continue;
        const int32_t g = va_grant_[o];
        const uint32_t ptr = s.vout[base + o].va_gptr;
        if (g < 0 || rr_distance(q.i, ptr, nlocal) < rr_distance(req[g].i, ptr, nlocal))
          va_grant_[o] = static_cast<int32_t>(k);
        any = true;
      }
    }
    bool left = false;
    if (any) {
      for (size_t k = 0; k < nreq; ++k) {
        const Request& q = req[k];
        const uint32_t ivc = base + q.i;
        const uint32_t ptr = s.vin[ivc].va_aptr;
        int32_t best = -1;
        uint32_t best_dist = ~0u;
        for (uint32_t v = 0; v < V; ++v) {
          const uint32_t o = q.port * V + v;
          if (va_grant_[o] != static_cast<int32_t>(k)) continue;
          const uint32_t dist = rr_distance(o, ptr, nlocal);
          if (dist < best_dist) {
            best_dist = dist;
            best = static_cast<int32_t>(o);
          }
        }
        if (best < 0) {
          left = true;
          continue;
        }
        accept_output_vc(s, r, base, q.i, q.port, static_cast<uint32_t>(best));
      }
    } else {
      left = true;
    }
    for (const Request& q : std::span<const Request>(req, nreq))
      for (uint32_t v = 0; v < V; ++v) va_grant_[q.port * V + v] = -1;
    return left;
  }

  // The same for a router with at most 64 VCs, on bit sets: the requesters of each output VC as a
  // set of local input VCs, the grants to each request as a set of local output VCs, so that each
  // round-robin choice is one bit scan. The arrays are written only where `asked` and `granted`
  // say, so nothing is cleared per visit.
  bool contend_small(NetState& s, RouterId r, uint32_t base_port, const Request* req, size_t nreq) {
    const uint32_t V = s.V;
    const uint32_t base = base_port * V;
    uint64_t asking[64];  // per local output VC: the local input VCs asking for it
    uint64_t grants[64];  // per local input VC: the local output VCs granting it
    uint64_t asked = 0, granted = 0;
    for (const Request& q : std::span<const Request>(req, nreq)) {
      for (uint32_t free = q.mask & s.vc_mask & ~s.port_busy[base_port + q.port]; free != 0;
           free &= free - 1) {
        const uint32_t o = q.port * V + static_cast<uint32_t>(std::countr_zero(free));
        if (!(asked >> o & 1u)) asking[o] = 0;
        asked |= 1ull << o;
        asking[o] |= 1ull << q.i;
      }
    }
    for (uint64_t rest = asked; rest != 0; rest &= rest - 1) {
      const uint32_t o = static_cast<uint32_t>(std::countr_zero(rest));
      const uint32_t i = pick_from(asking[o], s.vout[base + o].va_gptr);
      if (!(granted >> i & 1u)) grants[i] = 0;
      granted |= 1ull << i;
      grants[i] |= 1ull << o;
    }
    const uint64_t port_vcs = (1ull << V) - 1;  // V <= 32
    bool left = false;
    for (const Request& q : std::span<const Request>(req, nreq)) {
      const uint64_t offers = granted >> q.i & 1u ? grants[q.i] & port_vcs << (q.port * V) : 0;
      if (offers == 0) {
        left = true;
        continue;
      }
      accept_output_vc(s, r, base, q.i, q.port, pick_from(offers, s.vin[base + q.i].va_aptr));
    }
    return left;
  }

  // A requester alone on its output port: every free permitted VC of the port grants it and it
  // accepts the one nearest after its accept pointer, which is what the full iteration computes,
  // without the grant tables. Returns false when no permitted VC is free.
  bool grant_alone(NetState& s, RouterId r, uint32_t base_port, uint32_t ivc, uint32_t port,
                   uint32_t mask) {
    const uint32_t free = mask & s.vc_mask & ~s.port_busy[base_port + port];
    if (free == 0) return false;
    const uint32_t V = s.V;
    const uint32_t first = port * V;
    const uint32_t ptr = s.vin[ivc].va_aptr;
    // Distances from ptr grow with v inside the port's range unless ptr lies inside it.
    // (Without a branch: where the pointer lies is data.)
    const uint32_t in_port = ptr - first;  // wraps when ptr < first
    const uint32_t v = pick_from(free, in_port & (uint32_t(0) - (in_port < V)));
    const uint32_t base = base_port * V;
    accept_output_vc(s, r, base, ivc - base, port, first + v);
    return true;
  }

  // Each input port forwards at most one request per output port (of its VCs asking for it, the
  // one nearest at or after the port's VC pointer, as BookSim2 does), then one iteration of iSLIP
  // between ports. Requests and grants are bit sets over the router's ports, so the round-robin
  // choices are bit scans. A fork that wins several outputs in one cycle sends its flit to all of
  // them at once (one buffer read, replication in the crossbar).
  // Sets `sa_final` when it has left the list as finish_visit would.
  void sw_allocate(NetState& s, RouterId r, uint32_t base_port, bool& sa_final) {
    const uint32_t n = s.sa_size[r];
    if (n == 0) {
      // Only VCs switch-ready in the next cycle (past the end) may be listed: they all stay.
      s.sa_size[r] = s.sa_soon;
      s.sa_soon = 0;
      sa_final = true;
      return;
    }
    const uint32_t V = s.V, P = s.P;
    const uint32_t base = base_port * V;
    const uint64_t now = s.now;
    if (grant_conflict_free(s, r, base_port, sa_final)) return;
    uint64_t outputs = 0;
    auto request = [&](uint32_t ivc, uint32_t p, uint32_t op) {
      uint32_t& slot_req = sa_req_[p * P + op];
      const uint64_t bit = 1ull << p;
      if (!(sa_out_req_[op] & bit)) {
        sa_out_req_[op] |= bit;
        slot_req = ivc;
        outputs |= 1ull << op;
      } else {
        // Two VCs of one input port ask for the same output: the one nearer after the port's VC
        // pointer goes forward (BookSim2's RoundRobinArbiter::Supersedes with _sw_rr_offset).
        const uint32_t first = (base_port + p) * V, ptr = s.sa_vptr[base_port + p];
        if (rr_distance(ivc - first, ptr, V) < rr_distance(slot_req - first, ptr, V))
          slot_req = ivc;
      }
    };
    for (uint32_t j = 0; j < n; ++j) {
      const uint32_t ivc = s.sa_list[base + j];
      if (s.vin[ivc].ready > now) continue;
      const uint32_t p = s.vin[ivc].port;
      if (s.vin[ivc].fork != kNone) {
        for (uint64_t rest = fork_requests(s, ivc, base_port); rest != 0; rest &= rest - 1)
          request(ivc, p, static_cast<uint32_t>(std::countr_zero(rest)));
        continue;
      }
      const uint32_t op = s.vin[ivc].out_port;
      if (s.vout[(base_port + op) * V + s.vin[ivc].out_vc].credits <= 0) continue;
      request(ivc, p, op);
    }
    if (outputs == 0) return;
    uint64_t inputs = 0;
    for (uint64_t rest = outputs; rest != 0; rest &= rest - 1) {
      const uint32_t o = static_cast<uint32_t>(std::countr_zero(rest));
      const uint32_t p = pick_from(sa_out_req_[o], s.sa_gptr[base_port + o]);
      sa_out_req_[o] = 0;
      sa_in_grant_[p] |= 1ull << o;
      inputs |= 1ull << p;
    }
    for (uint64_t rest = inputs; rest != 0; rest &= rest - 1) {
      const uint32_t p = static_cast<uint32_t>(std::countr_zero(rest));
      const uint32_t o = pick_from(sa_in_grant_[p], s.sa_aptr[base_port + p]);
      const uint32_t ivc = sa_req_[p * P + o];
      s.sa_aptr[base_port + p] = static_cast<uint8_t>(o + 1);
      s.sa_vptr[base_port + p] = static_cast<uint8_t>(ivc - (base_port + p) * V + 1);
      if (s.vin[ivc].fork == kNone) {
        s.sa_gptr[base_port + o] = static_cast<uint8_t>(p + 1);
        send(s, r, static_cast<PortId>(p), ivc);
      } else {
        uint64_t copies = 0;
        for (uint64_t g = sa_in_grant_[p]; g != 0; g &= g - 1) {
          const uint32_t og = static_cast<uint32_t>(std::countr_zero(g));
          if (sa_req_[p * P + og] != ivc) continue;
          copies |= 1ull << og;
          s.sa_gptr[base_port + og] = static_cast<uint8_t>(p + 1);
        }
        send_fork(s, r, static_cast<PortId>(p), ivc, copies);
      }
      sa_in_grant_[p] = 0;
    }
  }

  // Without a fork, and with every ready request (credit available) on an input port and an
  // output port of its own, one iSLIP iteration grants them all: each output grants its only
  // requester, each input accepts its only grant, the pointers move past each pair and the flits
  // leave in input port order, as in sw_allocate. Returns false (nothing done) on any conflict.
  bool grant_conflict_free(NetState& s, RouterId r, uint32_t base_port, bool& sa_final) {
    const uint32_t V = s.V;
    uint32_t* const list = s.sa_list.data() + base_port * V;
    const uint32_t n = s.sa_size[r];
    const uint64_t now = s.now;
    // Input port p's VC `ivc` wins its output port: the pointers move past the pair, the flit goes.
    // (Forced inline: GCC made it a call, 1.5% more instructions in all.)
    auto grant = [&](uint32_t p, uint32_t ivc) __attribute__((always_inline)) {
      const uint32_t op = s.vin[ivc].out_port;
      s.sa_aptr[base_port + p] = static_cast<uint8_t>(op + 1);
      s.sa_gptr[base_port + op] = static_cast<uint8_t>(p + 1);
      s.sa_vptr[base_port + p] = static_cast<uint8_t>(ivc - (base_port + p) * V + 1);
      send(s, r, static_cast<PortId>(p), ivc);
    };
    if (n == 1) {
      // The usual case under load: one VC asks, without the loops over the list and the grants.
      const uint32_t ivc = list[0];
      InputVc& in = s.vin[ivc];
      if (in.fork != kNone) return false;
      if (in.ready <= now && s.vout[(base_port + in.out_port) * V + in.out_vc].credits > 0)
        grant(in.port, ivc);
      // The list as finish_visit would leave it: the VCs past the end stay, and the last of them
      // takes this VC's slot if it leaves (the list's order does not matter).
      const bool keep = stays_switch_ready(in, now);
      const uint32_t soon = s.sa_soon;
      list[0] = list[soon & (0u - !keep)];
      s.sa_size[r] = soon + keep;
      s.sa_soon = 0;
      in.listed &= static_cast<uint8_t>(~(kInSa & (0u - !keep)));
      sa_final = true;
      return true;
    }
    uint64_t ins = 0, outs = 0;
    for (uint32_t j = 0; j < n; ++j) {
      const uint32_t ivc = list[j];
      const InputVc& in = s.vin[ivc];
      if (in.fork != kNone) return false;
      const uint32_t op = in.out_port;
      if (in.ready > now || s.vout[(base_port + op) * V + in.out_vc].credits <= 0) continue;
      const uint32_t p = in.port;
      if ((ins >> p & 1u) || (outs >> op & 1u)) return false;
      ins |= 1ull << p;
      outs |= 1ull << op;
      sa_pick_[p] = ivc;
    }
    for (uint64_t rest = ins; rest != 0; rest &= rest - 1) {
      const uint32_t p = static_cast<uint32_t>(std::countr_zero(rest));
      grant(p, sa_pick_[p]);
    }
    return true;
  }

  std::vector<Request> req_;
  std::vector<uint32_t> sa_pick_;      // per input port: its one request (grant_conflict_free)
  std::vector<int32_t> va_grant_;      // per local output VC: granted request, -1
  std::vector<uint32_t> sa_req_;       // [in port * P + out port] = input VC
  std::vector<uint64_t> sa_out_req_;   // per output port: input ports requesting it
  std::vector<uint64_t> sa_in_grant_;  // per input port: output ports granting it
};

NOCSIM_REGISTER(allocator_registry(), Islip, "islip",
                "iSLIP, one iteration, for VC and switch allocation (BookSim2's iq router)");

}  // namespace
}  // namespace nocsim::noc
