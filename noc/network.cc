// Network is a facade: the state lives in NetState (network_state.h) and each part of the engine is
// a file that takes it (router_pipeline, allocators/, network_interface, network_diagnostics).
#include "noc/network.h"

#include <algorithm>
#include <stdexcept>

#include "noc/allocator.h"
#include "noc/network_diagnostics.h"
#include "noc/network_interface.h"
#include "noc/network_state.h"
#include "noc/router_pipeline.h"

namespace nocsim::noc {

NetworkCounters NetworkCounters::since(const NetworkCounters& e) const {
  NetworkCounters d = *this;
  d.buffer_writes -= e.buffer_writes;
  d.buffer_reads -= e.buffer_reads;
  d.crossbar_traversals -= e.crossbar_traversals;
  d.vc_allocations -= e.vc_allocations;
  d.sw_allocations -= e.sw_allocations;
  d.flits_injected -= e.flits_injected;
  d.flits_ejected -= e.flits_ejected;
  for (size_t i = 0; i < e.channel_flits.size() && i < d.channel_flits.size(); ++i)
    d.channel_flits[i] -= e.channel_flits[i];
  for (size_t i = 0; i < e.class_flits_ejected.size() && i < d.class_flits_ejected.size(); ++i)
    d.class_flits_ejected[i] -= e.class_flits_ejected[i];
  return d;
}

struct Network::Impl {
  Impl(const config::NocConfig& cfg, uint64_t watchdog_cycles)
      : s(cfg, watchdog_cycles),
        allocator(allocator_registry().create(
            cfg.allocator().name().empty() ? kDefaultAllocator : cfg.allocator().name(),
            "noc.allocator.name")) {}
  detail::NetState s;
  std::unique_ptr<Allocator> allocator;
};

Network::Network(const config::NocConfig& cfg, uint64_t watchdog_cycles)
    : impl_(std::make_unique<Impl>(cfg, watchdog_cycles)) {}
Network::~Network() = default;

const Topology& Network::topology() const {
  return impl_->s.topo;
}
const RouterParams& Network::params() const {
  return impl_->s.rp;
}
uint32_t Network::num_terminals() const {
  return impl_->s.T;
}
uint64_t Network::cycle() const {
  return impl_->s.now;
}
bool Network::multicast_tree() const {
  return impl_->s.mc_tree;
}
uint32_t Network::max_multicast_flits() const {
  return impl_->s.mc_max_flits;
}

void Network::inject(const PacketSpec& spec) {
  detail::create_packet(impl_->s, spec);
}

// One cycle: due events (credits, buffered flits and their routes, ejections), then every
// interface with work, then the allocators of every router with work. Routers interact only
// through events scheduled for later cycles, so the order in which they are visited within a
// cycle cannot change any timing.
void Network::step() {
  detail::NetState& s = impl_->s;
  detail::deliver_due_events(s);
  detail::step_interfaces(s);
  impl_->allocator->allocate(s);
  detail::check_watchdog(s);
  ++s.now;
}

std::span<const Delivery> Network::delivered() const {
  return impl_->s.delivered;
}
std::span<const FlitEjection> Network::ejected_flits() const {
  return impl_->s.ejected;
}
bool Network::empty() const {
  return impl_->s.outstanding == 0;
}
uint64_t Network::packets_outstanding() const {
  return impl_->s.outstanding;
}

void Network::skip_idle_until(uint64_t target) {
  detail::NetState& s = impl_->s;
  if (s.outstanding != 0)
    throw std::logic_error("Network::skip_idle_until called with packets outstanding");
  if (target <= s.now) return;
  for (auto& q : s.credit_events) {
    for (uint32_t c : q) {
      if (c & detail::NetState::kNiBit) {
        ++s.ni_credits[c & ~detail::NetState::kNiBit];
      } else {
        ++s.vout[c].credits;
      }
    }
    q.clear();
  }
  // An empty network has no router work left, but wake-ups may still be scheduled.
  for (auto& w : s.wake) w.clear();
  s.visit.clear();
  std::fill(s.listed_for.begin(), s.listed_for.end(), 0);
  std::fill(s.va_size.begin(), s.va_size.end(), 0);
  std::fill(s.sa_size.begin(), s.sa_size.end(), 0);
  for (detail::InputVc& in : s.vin) in.listed = 0;
  s.delivered.clear();
  s.ejected.clear();
  s.now = target;
}

const NetworkCounters& Network::counters() const {
  return impl_->s.counters;
}

bool Network::credits_restored() const {
  const detail::NetState& s = impl_->s;
  // Unconnected mesh-edge ports never change, so every output VC can be checked alike.
  for (size_t i = 0; i < s.vout.size(); ++i)
    if (s.vout[i].credits != static_cast<int32_t>(s.B) || s.vout[i].busy) return false;
  for (size_t i = 0; i < s.ni_credits.size(); ++i)
    if (s.ni_credits[i] != static_cast<int32_t>(s.B) || s.ni_busy[i]) return false;
  return true;
}

std::string Network::describe_blocked() const {
  return detail::describe_blocked(impl_->s);
}

}  // namespace nocsim::noc
