#include "noc/network_state.h"

#include <algorithm>

#include "configs/user_error.h"
#include "noc/deadlock_check.h"

namespace nocsim::noc::detail {

void IdQueue::grow() {
  std::vector<uint32_t> bigger(std::max<size_t>(8, data_.size() * 2));
  for (size_t i = 0; i < size(); ++i) bigger[i] = data_[(head_ + i) & (data_.size() - 1)];
  tail_ = size();
  head_ = 0;
  data_.swap(bigger);
}

uint32_t NetState::new_fork() {
  if (!free_forks.empty()) {
    const uint32_t f = free_forks.back();
    free_forks.pop_back();
    return f;
  }
  forks.emplace_back();
  forks.back().out_vc.assign(P, 0);
  forks.back().pos.assign(P, 0);
  return static_cast<uint32_t>(forks.size() - 1);
}

void NetState::wake_now(uint32_t ivc) {
  list_router(vin[ivc].router);
  enlist(ivc);
}

namespace {

std::string multicast_mode(const config::NocConfig& cfg) {
  const std::string& m = cfg.multicast().mode();
  if (m.empty() || m == "tree") return "tree";
  if (m == "unicast") return m;
  throw UserError("noc.multicast.mode", "unknown mode '" + m + "'; valid names: tree, unicast");
}

}  // namespace

NetState::NetState(const config::NocConfig& cfg, uint64_t watchdog_cycles)
    : topo(Topology::from_config(cfg.topology())),
      rp(RouterParams::from_config(cfg.router())),
      watchdog(watchdog_cycles) {
  const std::string algo = cfg.routing().algorithm().empty() ? "xy" : cfg.routing().algorithm();
  routing = routing_registry().create(algo, "noc.routing.algorithm", topo, cfg);
  V = rp.num_vcs;
  vc_mask = V == 32 ? ~0u : (1u << V) - 1;
  flit_flight = rp.flit_flight();
  credit_flight = rp.credit_flight();
  B = rp.vc_buf_size;
  N = topo.num_routers();
  T = topo.num_terminals();
  P = topo.max_ports();
  require(P <= kMaxPorts, "noc.topology",
          "routers with more than " + std::to_string(kMaxPorts) + " ports are not supported (got " +
              std::to_string(P) + ")");

  mc_tree = multicast_mode(cfg) == "tree" && routing->has_multicast_tree();
  mc_max_flits = cfg.multicast().has_max_packet_flits() ? cfg.multicast().max_packet_flits() : B;
  require(mc_max_flits >= 1 && mc_max_flits <= kMaxPacketFlits, "noc.multicast.max_packet_flits",
          "must be between 1 and " + std::to_string(kMaxPacketFlits) + ", got " +
              std::to_string(mc_max_flits));
  if (!cfg.routing().allow_deadlock_prone()) {
    const MulticastTrees trees = !mc_tree           ? MulticastTrees::kNone
                                 : mc_max_flits > B ? MulticastTrees::kCoupled
                                                    : MulticastTrees::kIndependent;
    if (auto cycle = find_deadlock_cycle(topo, *routing, rp.num_vcs, trees)) {
      const bool mc = trees == MulticastTrees::kCoupled;
      throw UserError(mc ? "noc.multicast.max_packet_flits" : "noc.routing.algorithm",
                      "routing '" + algo + "' can deadlock on this topology with " +
                          std::to_string(rp.num_vcs) + " VCs" +
                          (mc ? " when multicast packets are longer than a VC buffer (" +
                                    std::to_string(mc_max_flits) + " > " + std::to_string(B) +
                                    " flits, so a fork's branches wait on each other)"
                              : "") +
                          ": " + *cycle +
                          " (set noc.routing.allow_deadlock_prone to run it anyway)");
    }
  }

  const uint32_t ports = topo.total_ports();
  port_router.resize(ports);
  port_local.resize(ports);
  port_terminal.resize(ports);
  for (RouterId r = 0; r < N; ++r) {
    for (uint32_t p = 0; p < topo.num_ports(r); ++p) {
      port_router[topo.port_index(r, p)] = r;
      port_local[topo.port_index(r, p)] = static_cast<PortId>(p);
      port_terminal[topo.port_index(r, p)] = topo.terminal_at(r, static_cast<PortId>(p));
    }
  }

  adaptive = routing->adaptive();
  draw_coin = routing->uses_coin();
  // A [router][dest] table beats the virtual call only while it stays in cache: at 32x32 (1 MB) the
  // per-hop table load missed cache and cost more than computing the route (measured with perf).
  use_table = routing->table_friendly() && !adaptive && uint64_t(N) * T <= (256ull << 10);
  if (use_table) {
    route_table.assign(size_t(N) * T, 0);
    for (RouterId r = 0; r < N; ++r) {
      for (uint32_t d = 0; d < T; ++d) {
        RouteChoices rc;
        routing->route(RouteQuery{r, 0, 0, r, topo.terminal_router(d), topo.terminal_port(d)}, rc);
        route_table[size_t(r) * T + d] = rc.count ? rc.choice[0].port : 0;
      }
    }
  }

  const size_t nvc = size_t(ports) * V;
  buf.resize(nvc * (B - 1));
  if (adaptive) route_choices.resize(nvc);
  vin.assign(nvc, InputVc{});
  vout.assign(nvc, OutputVc{});
  for (OutputVc& o : vout) o.credits = static_cast<int32_t>(B);
  port_busy.assign(ports, 0);
  sa_gptr.assign(ports, 0);
  sa_aptr.assign(ports, 0);
  sa_vptr.assign(ports, 0);
  va_list.assign(nvc, 0);
  sa_list.assign(nvc, 0);
  va_size.assign(N, 0);
  sa_size.assign(N, 0);
  for (uint32_t i = 0; i < ports; ++i) {
    for (uint32_t v = 0; v < V; ++v) {
      vin[size_t(i) * V + v].port = port_local[i];
      vin[size_t(i) * V + v].router = port_router[i];
    }
  }
  credit_base.assign(ports, kNone);
  for (uint32_t i = 0; i < ports; ++i)
    if (port_terminal[i] >= 0)
      credit_base[i] = kNiBit | static_cast<uint32_t>(port_terminal[i]) * V;
  downstream_ivc.assign(ports, kNone);
  out_chan.assign(ports, -1);
  const auto& chans = topo.channels();
  for (uint32_t c = 0; c < chans.size(); ++c) {
    const Channel& ch = chans[c];
    const uint32_t out_idx = topo.port_index(ch.src, ch.src_port);
    const uint32_t in_idx = topo.port_index(ch.dst, ch.dst_port);
    credit_base[in_idx] = out_idx * V;
    downstream_ivc[out_idx] = in_idx * V;
    out_chan[out_idx] = static_cast<int32_t>(c);
  }
  listed_for.assign(N, 0);

  source_queue.resize(T);
  ni_credits.assign(size_t(T) * V, static_cast<int32_t>(B));
  ni_busy.assign(size_t(T) * V, 0);
  ni_last_vc.assign(T, static_cast<uint8_t>(V - 1));
  ni_packet.assign(T, kNone);
  ni_vc.assign(T, 0);
  ni_seq.assign(T, 0);
  ni_listed.assign(T, 0);

  // The wheels must reach the furthest event or wake-up scheduled from any cycle.
  const uint64_t horizon =
      std::max<uint64_t>({rp.flit_flight(), rp.credit_flight(),
                          uint64_t(rp.routing_delay) + rp.vc_alloc_delay, rp.sw_alloc_delay}) +
      2;
  uint64_t w = 1;
  while (w < horizon) w <<= 1;
  wheel_mask = w - 1;
  arrivals.resize(w);
  ejections.resize(w);
  credit_events.resize(w);
  wake.resize(w);

  counters.channel_flits.assign(chans.size(), 0);
}

}  // namespace nocsim::noc::detail
