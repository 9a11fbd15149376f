#include "noc/network_diagnostics.h"

#include <bit>
#include <sstream>

namespace nocsim::noc::detail {

namespace {

void describe_wait(std::ostringstream& os, const NetState& s, uint32_t base_port, uint32_t port,
                   uint32_t vc, bool has_vc) {
  const uint32_t ovc_base = (base_port + port) * s.V;
  if (!has_vc) {
    os << "waits for a free VC on output " << s.topo.port_name(static_cast<PortId>(port))
       << " (held by";
    for (uint32_t w = 0; w < s.V; ++w) {
      const uint32_t ovc = ovc_base + w;
      if (!s.vout[ovc].busy || s.vout[ovc].owner == kNone) {
        os << " vc" << w << ":free";
        continue;
      }
      const uint32_t o_port = s.vout[ovc].owner / s.V - base_port;
      os << " vc" << w << ":in " << s.topo.port_name(static_cast<PortId>(o_port)) << " vc "
         << s.vout[ovc].owner % s.V;
    }
    os << ")";
  } else {
    os << "holds output " << s.topo.port_name(static_cast<PortId>(port)) << " vc " << vc
       << ", waits for a credit (" << s.vout[ovc_base + vc].credits << " left)";
  }
}

}  // namespace

std::string describe_blocked(const NetState& s) {
  std::ostringstream os;
  int lines = 0;
  for (RouterId r = 0; r < s.N && lines < 64; ++r) {
    const uint32_t base_port = s.base_port(r);
    for (uint32_t p = 0; p < s.topo.num_ports(r); ++p) {
      for (uint32_t v = 0; v < s.V; ++v) {
        const uint32_t ivc = (base_port + p) * s.V + v;
        if (s.vin[ivc].buf_count == 0) continue;
        const Flit& f = s.flit_at(ivc, s.vin[ivc].buf_head);
        const PacketRec& pk = s.packets[f.packet];
        os << "  router " << r;
        if (const Grid* g = s.topo.grid()) os << " (" << g->x(r) << "," << g->y(r) << ")";
        os << " in " << s.topo.port_name(static_cast<PortId>(p)) << " vc " << v << ": "
           << s.vin[ivc].buf_count << " flit(s), front = flit " << f.seq << " of packet "
           << pk.source << "->";
        if (pk.group != kNone && s.mc_tree) {
          os << s.groups[pk.group].dests.size() << " destinations (multicast); ";
        } else {
          os << pk.dest << "; ";
        }
        if (s.vin[ivc].fork != kNone) {
          const McFork& fk = s.forks[s.vin[ivc].fork];
          os << "fork to " << std::popcount(fk.ports) << " outputs:";
          for (uint64_t rest = fk.ports & ~fk.tail_sent; rest != 0; rest &= rest - 1) {
            const uint32_t op = static_cast<uint32_t>(std::countr_zero(rest));
            os << " [";
            describe_wait(os, s, base_port, op, fk.out_vc[op], !(fk.va_pending >> op & 1u));
            os << "]";
          }
        } else {
          describe_wait(os, s, base_port, s.vin[ivc].out_port, s.vin[ivc].out_vc,
                        s.vin[ivc].state != kVcAlloc);
        }
        os << "\n";
        ++lines;
      }
    }
  }
  if (lines == 0) os << "  none (packets wait in source queues for injection credits)\n";
  return os.str();
}

void check_watchdog(const NetState& s) {
  if (s.watchdog == 0 || s.outstanding == 0 || s.now - s.last_move < s.watchdog) return;
  throw NetworkStalled("no flit moved for " + std::to_string(s.now - s.last_move) +
                       " cycles with " + std::to_string(s.outstanding) +
                       " packets outstanding (deadlock?) at cycle " + std::to_string(s.now) +
                       "; blocked virtual channels:\n" + describe_blocked(s));
}

}  // namespace nocsim::noc::detail
