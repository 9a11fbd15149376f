#include "noc/routing/dimension_order.h"

#include <algorithm>
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
    const routing_detail::VcHalves halves = routing_detail::vc_halves(num_vcs_);
    low_mask_ = halves.low;
    high_mask_ = halves.high;
  }
}

PortId DimensionOrderRouting::step(uint32_t from, uint32_t to, uint32_t k, bool wrap, PortId plus,
                                   PortId minus, bool coin) {
  if (from == to) return 0;
  if (!wrap) return to > from ? plus : minus;
  const uint32_t forward = (to + k - from) % k;  // hops going the plus way
  const uint32_t backward = k - forward;
  if (forward != backward) return forward < backward ? plus : minus;
  // Half-way round (even k; only where a packet enters the dimension): the packet's coin decides,
  // as BookSim2 tosses one per packet, so that every flow's ties load both directions alike. (A
  // fixed way per position sent whole flows of a permutation one way: 9% more latency than
  // BookSim2 on the 8x8 torus under transpose at 0.15; the way that does not wrap put every tie on
  // the rings' middle channels.)
  return coin ? minus : plus;
}

uint32_t DimensionOrderRouting::vc_mask(const RouteQuery& q, PortId out) const {
  if (!datelines_) return ~0u;
  const uint32_t x = grid_.x(q.at), y = grid_.y(q.at);
  const uint32_t tx = grid_.x(q.dest), ty = grid_.y(q.dest);
  bool wraps = false;  // the minimal run from here to the destination crosses the wraparound
  PortId continuing_from = 0;  // the input port of a packet already travelling this way
  switch (out) {
    case kEast:
      wraps = grid_.wrap_x && tx < x;
      continuing_from = kWest;
      break;
    case kWest:
      wraps = grid_.wrap_x && tx > x;
      continuing_from = kEast;
      break;
    case kNorth:
      wraps = grid_.wrap_y && ty < y;
      continuing_from = kSouth;
      break;
    case kSouth:
      wraps = grid_.wrap_y && ty > y;
      continuing_from = kNorth;
      break;
    default:
      return ~0u;
  }
  // A packet keeps the class it entered the dimension with (past the wraparound the remaining run
  // no longer crosses it, but the packet stays in the upper class).
  if (q.in_port == continuing_from)
    return ((high_mask_ >> q.in_vc) & 1u) != 0 ? high_mask_ : low_mask_;
  return wraps ? high_mask_ : low_mask_;
}

RouteQuery DimensionOrderRouting::canonical_query(const RouteQuery& q) const {
  // The source never matters; the input port and VC only matter for the dateline class, the coin
  // for a half-way tie.
  if (datelines_) return RouteQuery{q.at, q.in_port, q.in_vc, 0, q.dest, q.dest_port, q.coin};
  return RouteQuery{q.at, kLocal, 0, 0, q.dest, q.dest_port};
}

std::vector<uint8_t> DimensionOrderRouting::moves(uint32_t k, bool wrap) {
  std::vector<uint8_t> m(k, 0);
  for (uint32_t s = 0; s < k; ++s) {
    for (const bool plus : {true, false}) {
      const uint8_t start = plus ? kPlusStart : kMinusStart, on = plus ? kPlusOn : kMinusOn;
      // Longest minimal run from s: to the line's end, or k / 2 round a ring (an even ring's
      // half-way ties go either way, by the packet's coin). Runs of up to `lower` hops stay short
      // of the wraparound (lower VC class); longer ones cross it (upper class), and the longest
      // passes every position up to its end.
      const uint32_t longest = !wrap ? (plus ? k - 1 - s : s) : k / 2;
      const uint32_t to_wrap = plus ? k - 1 - s : s;
      const uint32_t lower = std::min(longest, to_wrap);
      const bool upper = longest > to_wrap;
      if (lower >= 1) m[s] |= start;
      if (upper) m[s] |= static_cast<uint8_t>(start << 1);
      for (uint32_t j = 1; j < (upper ? longest : lower); ++j) {
        const uint8_t f = static_cast<uint8_t>((j < lower ? on : 0) | (upper ? on << 1 : 0));
        m[plus ? (s + j) % k : (s + k - j) % k] |= f;
      }
    }
  }
  return m;
}

bool DimensionOrderRouting::local_turns(RouterId at, PortId in_port, uint8_t in_vc,
                                        RouteChoices& out) const {
  const uint8_t mx = x_moves_[grid_.x(at)], my = y_moves_[grid_.y(at)];
  const PortId travel = routing_detail::travelling(in_port);
  // A packet going on in its dimension keeps its VC class: only the runs of that class count, and
  // it asks for that class. Without datelines the VC tells nothing, so both kinds of run count.
  const bool high = ((high_mask_ >> in_vc) & 1u) != 0;
  const uint8_t classes = datelines_ ? (high ? 2 : 1) : 3;  // bit 0: lower runs, bit 1: upper
  const uint32_t going_on_mask = datelines_ ? (high ? high_mask_ : low_mask_) : ~0u;
  const struct {
    uint8_t moves, start, on;
  } dir[kMeshPorts] = {
      {0, 0, 0},
      {mx, kPlusStart, kPlusOn},
      {mx, kMinusStart, kMinusOn},
      {my, kPlusStart, kPlusOn},
      {my, kMinusStart, kMinusOn},
  };
  const bool x_travel = travel == kEast || travel == kWest;
  const bool in_first = travel != 0 && x_travel == x_first_;
  for (PortId p = kEast; p <= kSouth; ++p) {
    const bool x_port = p == kEast || p == kWest;
    // Injected: any direction. First dimension: on, or turn into the second. Second: only on.
    const bool allowed = travel == 0 || p == travel || (in_first && x_port != x_first_);
    if (!allowed) continue;
    const uint8_t m = dir[p].moves;
    if (p == travel) {
      if ((m & (dir[p].on * classes)) != 0) out.add(p, going_on_mask);
      continue;
    }
    // Entering the dimension: the class of each run that may start here.
    const bool lower = (m & dir[p].start) != 0, upper = (m & (dir[p].start << 1)) != 0;
    if (!lower && !upper) continue;
    out.add(p, !datelines_ ? ~0u : (lower ? low_mask_ : 0u) | (upper ? high_mask_ : 0u));
  }
  return true;
}

void DimensionOrderRouting::route(const RouteQuery& q, RouteChoices& out) const {
  const uint32_t cx = grid_.x(q.at), cy = grid_.y(q.at);
  const uint32_t tx = grid_.x(q.dest), ty = grid_.y(q.dest);
  const PortId px = step(cx, tx, grid_.k_x, grid_.wrap_x, kEast, kWest, q.coin != 0);
  const PortId py = step(cy, ty, grid_.k_y, grid_.wrap_y, kNorth, kSouth, q.coin != 0);
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
