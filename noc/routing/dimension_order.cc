#include "noc/routing/dimension_order.h"

#include <string>

namespace nocsim::noc {

DimensionOrderRouting::DimensionOrderRouting(const Topology& t, const config::NocConfig& cfg,
                                             bool x_first, const char* name)
    : grid_(routing_detail::require_grid(t, name)), x_first_(x_first) {
  for (uint32_t d = 0; d < t.num_terminals(); ++d) {
    terminal_router_.push_back(t.terminal_router(d));
    terminal_port_.push_back(t.terminal_port(d));
  }
  torus_ = grid_.wraps();
  num_vcs_ = routing_detail::configured_vcs(cfg);
  datelines_ = torus_ && num_vcs_ >= 2;
  if (torus_ && !datelines_ && !cfg.routing().allow_deadlock_prone()) {
    throw UserError("noc.router.num_vcs",
                    std::string("'") + name +
                        "' on a torus needs at least 2 VCs (two dateline classes); got " +
                        std::to_string(num_vcs_) +
                        " (set noc.routing.allow_deadlock_prone to run without datelines)");
  }
  x_moves_ = moves(grid_.k_x, grid_.wrap_x);
  y_moves_ = moves(grid_.k_y, grid_.wrap_y);
  if (datelines_) {
    const uint32_t half = num_vcs_ / 2;
    const uint32_t all = num_vcs_ >= 32 ? ~0u : (1u << num_vcs_) - 1;
    low_mask_ = (1u << half) - 1;
    high_mask_ = all & ~low_mask_;
  }
}

PortId DimensionOrderRouting::step(uint32_t from, uint32_t to, uint32_t k, bool wrap, PortId plus,
                                   PortId minus) {
  if (from == to) return 0;
  if (!wrap) return to > from ? plus : minus;
  const uint32_t forward = (to + k - from) % k;  // hops going the plus way
  const uint32_t backward = k - forward;
  if (forward != backward) return forward < backward ? plus : minus;
  // Half-way round: take the way that does not wrap (BookSim's choice too).
  return to > from ? plus : minus;
}

uint32_t DimensionOrderRouting::vc_mask(const RouteQuery& q, PortId out) const {
  if (!datelines_) return ~0u;
  const uint32_t x = grid_.x(q.at), y = grid_.y(q.at);
  bool wraps = false;
  PortId continuing_from = 0;  // the input port of a packet already travelling this way
  switch (out) {
    case kEast:
      wraps = grid_.wrap_x && x == grid_.k_x - 1;
      continuing_from = kWest;
      break;
    case kWest:
      wraps = grid_.wrap_x && x == 0;
      continuing_from = kEast;
      break;
    case kNorth:
      wraps = grid_.wrap_y && y == grid_.k_y - 1;
      continuing_from = kSouth;
      break;
    case kSouth:
      wraps = grid_.wrap_y && y == 0;
      continuing_from = kNorth;
      break;
    default:
      return ~0u;
  }
  const bool crossed = q.in_port == continuing_from && ((high_mask_ >> q.in_vc) & 1u) != 0;
  return wraps || crossed ? high_mask_ : low_mask_;
}

RouteQuery DimensionOrderRouting::canonical_query(const RouteQuery& q) const {
  // The source never matters; the input port and VC only matter for the dateline class.
  if (datelines_) return RouteQuery{q.at, q.in_port, q.in_vc, 0, q.dest, q.dest_port};
  return RouteQuery{q.at, kLocal, 0, 0, q.dest, q.dest_port};
}

std::vector<uint8_t> DimensionOrderRouting::moves(uint32_t k, bool wrap) {
  // Longest run each way from s: minimal, half-way ties taking the way that does not wrap.
  auto longest = [&](uint32_t s, bool plus) -> uint32_t {
    if (!wrap) return plus ? k - 1 - s : s;
    const bool tie_this_way = k % 2 == 0 && (plus ? s + k / 2 < k : s >= k / 2);
    return tie_this_way ? k / 2 : (k - 1) / 2;
  };
  std::vector<uint8_t> m(k, 0);
  for (uint32_t s = 0; s < k; ++s) {
    const uint32_t plus = longest(s, true), minus = longest(s, false);
    if (plus >= 1) m[s] |= kPlusStart;
    if (minus >= 1) m[s] |= kMinusStart;
    for (uint32_t h = 1; h + 1 <= plus; ++h) {
      m[(s + h) % k] |= static_cast<uint8_t>(kPlusOn << (s + h >= k ? 1 : 0));
    }
    for (uint32_t h = 1; h + 1 <= minus; ++h) {
      m[(s + k - h) % k] |= static_cast<uint8_t>(kMinusOn << (h > s ? 1 : 0));
    }
  }
  return m;
}

bool DimensionOrderRouting::local_turns(RouterId at, PortId in_port, uint8_t in_vc,
                                        RouteChoices& out) const {
  const uint8_t mx = x_moves_[grid_.x(at)], my = y_moves_[grid_.y(at)];
  const PortId travel = routing_detail::travelling(in_port);
  // Having crossed this dimension's wraparound is what the upper VC class means; without
  // datelines the VC tells nothing, so both cases count.
  const bool high = ((high_mask_ >> in_vc) & 1u) != 0;
  const int crossed_any = datelines_ ? (high ? 2 : 1) : 3;
  auto goes_on = [&](uint8_t m, uint8_t on) {
    return (m & (on * (crossed_any & 1))) != 0 || (m & (on * 2 * (crossed_any >> 1))) != 0;
  };
  const bool may[kMeshPorts] = {
      false,
      travel == kEast ? goes_on(mx, kPlusOn) : (mx & kPlusStart) != 0,
      travel == kWest ? goes_on(mx, kMinusOn) : (mx & kMinusStart) != 0,
      travel == kNorth ? goes_on(my, kPlusOn) : (my & kPlusStart) != 0,
      travel == kSouth ? goes_on(my, kMinusOn) : (my & kMinusStart) != 0,
  };
  const bool x_travel = travel == kEast || travel == kWest;
  const bool in_first = travel != 0 && x_travel == x_first_;
  const RouteQuery q{at, in_port, in_vc, at, at, 0};
  for (PortId p = kEast; p <= kSouth; ++p) {
    const bool x_port = p == kEast || p == kWest;
    // Injected: any direction. First dimension: on, or turn into the second. Second: only on.
    const bool allowed = travel == 0 || p == travel || (in_first && x_port != x_first_);
    if (allowed && may[p]) out.add(p, vc_mask(q, p));
  }
  return true;
}

void DimensionOrderRouting::route(const RouteQuery& q, RouteChoices& out) const {
  const uint32_t cx = grid_.x(q.at), cy = grid_.y(q.at);
  const uint32_t tx = grid_.x(q.dest), ty = grid_.y(q.dest);
  const PortId px = step(cx, tx, grid_.k_x, grid_.wrap_x, kEast, kWest);
  const PortId py = step(cy, ty, grid_.k_y, grid_.wrap_y, kNorth, kSouth);
  PortId p = x_first_ ? (px != 0 ? px : py) : (py != 0 ? py : px);
  if (p == 0) {
    out.add(q.dest_port);
    return;
  }
  out.add(p, vc_mask(q, p));
}

// The copy that arrived on `in_port` serves the destinations whose dimension-order path from the
// source runs through here: having come along the first dimension in the plus direction, those
// not behind it in that dimension; having come along the second dimension, those in this line and
// ahead. Each of them then leaves by the port its unicast route takes here.
uint64_t DimensionOrderRouting::multicast_ports(RouterId at, PortId in_port,
                                                std::span<const uint32_t> dests) const {
  const uint32_t cx = grid_.x(at), cy = grid_.y(at);
  const uint32_t c1 = x_first_ ? cx : cy, c2 = x_first_ ? cy : cx;
  const PortId plus1 = x_first_ ? kEast : kNorth, minus1 = x_first_ ? kWest : kSouth;
  const PortId plus2 = x_first_ ? kNorth : kEast, minus2 = x_first_ ? kSouth : kWest;
  // A flit moving in the plus direction arrives on the minus-side port.
  const bool along1 = in_port == minus1 || in_port == plus1;
  const bool along2 = in_port == minus2 || in_port == plus2;
  uint64_t ports = 0;
  for (uint32_t d : dests) {
    const RouterId dr = terminal_router_[d];
    const uint32_t t1 = x_first_ ? grid_.x(dr) : grid_.y(dr);
    const uint32_t t2 = x_first_ ? grid_.y(dr) : grid_.x(dr);
    if (along1 && (in_port == minus1 ? t1 < c1 : t1 > c1)) continue;
    if (along2 && (t1 != c1 || (in_port == minus2 ? t2 < c2 : t2 > c2))) continue;
    PortId p;
    if (t1 != c1) {
      p = t1 > c1 ? plus1 : minus1;
    } else if (t2 != c2) {
      p = t2 > c2 ? plus2 : minus2;
    } else {
      p = terminal_port_[d];
    }
    ports |= uint64_t{1} << p;
  }
  return ports;
}

}  // namespace nocsim::noc
