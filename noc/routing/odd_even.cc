// Chiu's odd-even turn model (IEEE TPDS 2000), minimal: east->north and east->south turns are
// forbidden in even columns, north->west and south->west turns in odd columns. Unlike the other
// turn models it restricts no direction outright, so adaptiveness is spread evenly. The rule about
// the source column (a packet may turn north/south in an even column only where it started) makes
// the choice depend on the source, so it is not table-friendly.
#include "noc/routing/mesh_geometry.h"
#include "noc/routing/routing_algorithm.h"

namespace nocsim::noc {

class OddEvenRouting : public RoutingAlgorithm {
 public:
  OddEvenRouting(const Topology& t, const config::NocConfig&)
      : grid_(routing_detail::require_mesh(t, "odd_even")) {}

  // Chiu's ROUTE function, with x growing east and columns numbered from 0.
  void route(const RouteQuery& q, RouteChoices& out) const override {
    const auto o = routing_detail::mesh_offset(grid_, q.at, q.dest);
    const bool odd_column = (o.cx & 1u) != 0;
    if (o.dx == 0) {
      out.add(o.dy == 0 ? q.dest_port : routing_detail::y_port(o.dy));
      return;
    }
    if (o.dx > 0) {
      if (o.dy == 0) {
        out.add(kEast);
        return;
      }
      // Leaving the row here is an east->N/S turn, forbidden in even columns; a packet still in its
      // source column has made no east hop, so for it this is no turn at all.
      if (odd_column || o.cx == grid_.x(q.source)) out.add(routing_detail::y_port(o.dy));
      // Stepping east into an even destination column would force a forbidden east->N/S turn there.
      if ((grid_.x(q.dest) & 1u) != 0 || o.dx != 1) out.add(kEast);
      return;
    }
    out.add(kWest);
    // The N/S hops of a westbound packet end in a N/S->west turn in this column, forbidden if odd.
    if (!odd_column && o.dy != 0) out.add(routing_detail::y_port(o.dy));
  }
  bool adaptive() const override { return true; }

  // The input port and VC never matter. Of the source, only "is the packet still in its source
  // column" does. On a minimal route x moves monotonically, so a packet that has left its column
  // never returns: any router in the current column stands for "still there", and a router in a
  // column behind the packet for "left it".
  RouteQuery canonical_query(const RouteQuery& q) const override {
    const uint32_t cx = grid_.x(q.at), sx = grid_.x(q.source);
    RouterId source = grid_.k_x - 1;
    if (sx == cx) {
      source = cx;  // row 0 of the current column
    } else if (sx < cx) {
      source = 0;
    }
    return RouteQuery{q.at, kLocal, 0, source, q.dest, q.dest_port};
  }

  // What the previous hop's rule lets arrive here: a north/south hop in this column was taken
  // westbound only in an even column and eastbound only in an odd one or in the source column; an
  // east hop into a destination column that still needs north/south only into an odd column.
  bool local_turns(RouterId at, PortId in_port, uint8_t in_vc, RouteChoices& out) const override {
    const bool odd_column = (grid_.x(at) & 1u) != 0;
    routing_detail::union_of_routes(
        grid_, *this, at, in_port, in_vc,
        [odd_column](PortId travel, int32_t dx, int32_t dy, bool in_source_column) {
          if (!routing_detail::minimal_could_be_here(travel, dx, dy)) return false;
          if (travel == kNorth || travel == kSouth) {
            if (dx < 0) return !odd_column;
            if (dx > 0) return odd_column || in_source_column;
          }
          if (travel == kEast && dx == 0 && dy != 0) return odd_column;
          return true;
        },
        out);
    return true;
  }

 private:
  Grid grid_;
};

NOCSIM_REGISTER(routing_registry(), OddEvenRouting, "odd_even",
                "Chiu's odd-even turn model, minimal adaptive (mesh only)");

}  // namespace nocsim::noc
