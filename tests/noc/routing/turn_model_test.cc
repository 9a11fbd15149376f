// Properties every routing algorithm must have, and the turn restrictions that make each turn model
// deadlock free, checked on every route between every pair of routers.
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/routing/routing_algorithm.h"
#include "tests/noc/routing/all_routes.h"

namespace nocsim::noc {
namespace {

using testing::for_each_step;
using testing::make_routing;
using testing::noc_config;
using testing::travelling;

// Calls check(q, choice) for every step of every route between every pair on `t`.
template <class Check>
void every_step(const Topology& t, const std::string& algorithm, Check&& check) {
  const auto alg = make_routing(t, noc_config(algorithm));
  for (RouterId s = 0; s < t.num_routers(); ++s) {
    for (RouterId d = 0; d < t.num_routers(); ++d) {
      ASSERT_TRUE(for_each_step(t, *alg, 2, s, d, check)) << algorithm;
    }
  }
}

class EveryMeshAlgorithm : public ::testing::TestWithParam<std::string> {};

TEST_P(EveryMeshAlgorithm, IsMinimalAndAlwaysReachesTheDestination) {
  for (const Topology& t : {Topology::mesh(6, 6), Topology::mesh(5, 3)}) {
    every_step(t, GetParam(), [&](const RouteQuery& q, const RouteChoice& c) {
      if (c.port == kLocal) {
        EXPECT_EQ(q.at, q.dest) << "ejected early";
        return;
      }
      ASSERT_GE(t.out_channel(q.at, c.port), 0);
      EXPECT_EQ(t.distance(t.neighbor(q.at, c.port), q.dest) + 1, t.distance(q.at, q.dest))
          << GetParam() << " takes a non-minimal hop at router " << q.at << " toward " << q.dest;
      EXPECT_NE(c.vc_mask & 0b11u, 0u);
    });
  }
}

TEST_P(EveryMeshAlgorithm, OffersEachPortAtMostOnce) {
  const Topology t = Topology::mesh(6, 6);
  const auto alg = make_routing(t, noc_config(GetParam()));
  for (RouterId at = 0; at < t.num_routers(); ++at) {
    for (RouterId d = 0; d < t.num_routers(); ++d) {
      RouteChoices c;
      alg->route(RouteQuery{at, kLocal, 0, at, d}, c);
      ASSERT_GE(c.count, 1);
      for (int i = 0; i < c.count; ++i) {
        for (int j = i + 1; j < c.count; ++j) EXPECT_NE(c.choice[i].port, c.choice[j].port);
      }
      if (!alg->adaptive()) {
        EXPECT_EQ(c.count, 1);
      }
    }
  }
}

// Every registered algorithm is defined on meshes.
INSTANTIATE_TEST_SUITE_P(Routing, EveryMeshAlgorithm,
                         ::testing::ValuesIn(routing_registry().names()),
                         [](const auto& info) { return info.param; });

TEST(WestFirstRouting, NeverTurnsWest) {
  every_step(Topology::mesh(6, 6), "west_first", [](const RouteQuery& q, const RouteChoice& c) {
    if (c.port == kWest) {
      EXPECT_TRUE(q.in_port == kLocal || travelling(q.in_port) == kWest)
          << "turn from " << int(travelling(q.in_port)) << " into west at router " << q.at;
    }
  });
}

TEST(NorthLastRouting, NeverTurnsOutOfNorth) {
  every_step(Topology::mesh(6, 6), "north_last", [](const RouteQuery& q, const RouteChoice& c) {
    if (travelling(q.in_port) == kNorth) {
      EXPECT_TRUE(c.port == kNorth || c.port == kLocal) << "turn out of north at router " << q.at;
    }
  });
}

TEST(NegativeFirstRouting, NeverTurnsFromPositiveToNegative) {
  every_step(Topology::mesh(6, 6), "negative_first", [](const RouteQuery& q, const RouteChoice& c) {
    const PortId dir = travelling(q.in_port);
    if (dir == kEast || dir == kNorth) {
      EXPECT_TRUE(c.port != kWest && c.port != kSouth)
          << "positive-to-negative turn at router " << q.at;
    }
  });
}

TEST(OddEvenRouting, NeverTakesAForbiddenTurn) {
  for (const Topology& t : {Topology::mesh(6, 6), Topology::mesh(7, 5)}) {
    every_step(t, "odd_even", [&](const RouteQuery& q, const RouteChoice& c) {
      const PortId dir = travelling(q.in_port);
      const bool even_column = t.grid()->x(q.at) % 2 == 0;
      if (even_column && dir == kEast) {
        EXPECT_TRUE(c.port != kNorth && c.port != kSouth)
            << "EN/ES turn in even column at router " << q.at;
      }
      if (!even_column && (dir == kNorth || dir == kSouth)) {
        EXPECT_NE(c.port, kWest) << "NW/SW turn in odd column at router " << q.at;
      }
    });
  }
}

TEST(OddEvenRouting, IsAdaptiveInBothEastAndWestDirections) {
  const Topology t = Topology::mesh(6, 6);
  const auto alg = make_routing(t, noc_config("odd_even"));
  RouteChoices east, west;
  // Eastbound from an odd column with room to spare: both east and north are allowed.
  alg->route(RouteQuery{t.grid()->at(1, 0), kWest, 0, t.grid()->at(0, 0), t.grid()->at(4, 3)},
             east);
  EXPECT_EQ(east.count, 2);
  // Westbound in an even column: west and north.
  alg->route(RouteQuery{t.grid()->at(4, 0), kEast, 0, t.grid()->at(5, 0), t.grid()->at(1, 3)},
             west);
  EXPECT_EQ(west.count, 2);
}

TEST(TurnModels, AreAdaptiveWhereTheirRulesAllow) {
  const Topology t = Topology::mesh(6, 6);
  auto choices = [&](const std::string& name, RouterId from, RouterId to) {
    RouteChoices c;
    make_routing(t, noc_config(name))->route(RouteQuery{from, kLocal, 0, from, to}, c);
    return int(c.count);
  };
  EXPECT_EQ(choices("west_first", t.grid()->at(0, 0), t.grid()->at(3, 3)), 2);  // east or north
  EXPECT_EQ(choices("west_first", t.grid()->at(3, 0), t.grid()->at(0, 3)), 1);  // west only
  EXPECT_EQ(choices("north_last", t.grid()->at(0, 3), t.grid()->at(3, 0)), 2);  // east or south
  EXPECT_EQ(choices("north_last", t.grid()->at(0, 0), t.grid()->at(3, 3)), 1);  // east, north last
  EXPECT_EQ(choices("negative_first", t.grid()->at(3, 3), t.grid()->at(0, 0)), 2);  // west or south
  EXPECT_EQ(choices("negative_first", t.grid()->at(0, 3), t.grid()->at(3, 0)), 1);  // south first
}

TEST(TableRouting, EqualsXyOnAMesh) {
  const Topology t = Topology::mesh(7, 5);
  const auto table = make_routing(t, noc_config("table"));
  const auto xy = make_routing(t, noc_config("xy"));
  EXPECT_TRUE(table->table_friendly());
  for (RouterId at = 0; at < t.num_routers(); ++at) {
    for (RouterId d = 0; d < t.num_routers(); ++d) {
      RouteChoices a, b;
      table->route(RouteQuery{at, kLocal, 0, at, d}, a);
      xy->route(RouteQuery{at, kLocal, 0, at, d}, b);
      ASSERT_EQ(a.choice[0].port, b.choice[0].port) << at << " -> " << d;
    }
  }
}

TEST(TableRouting, RoutesMinimallyOnAGraphFile) {
  // A 3x3 grid with one diagonal shortcut (0-8) and a tail (9 hangs off 4).
  const std::string path = ::testing::TempDir() + "shortcut.edges";
  {
    FILE* f = fopen(path.c_str(), "w");
    fputs("0 1\n1 2\n3 4\n4 5\n6 7\n7 8\n0 3\n3 6\n1 4\n4 7\n2 5\n5 8\n0 8 4.0\n4 9\n", f);
    fclose(f);
  }
  const Topology t = Topology::from_graph_file(path);
  EXPECT_EQ(t.distance(2, 6), 4u);
  EXPECT_EQ(t.distance(0, 8), 1u);
  EXPECT_EQ(t.distance(1, 8), 2u);  // through the shortcut
  EXPECT_EQ(t.distance(9, 8), 3u);
  const auto alg = make_routing(t, noc_config("table"));
  for (RouterId s = 0; s < t.num_routers(); ++s) {
    for (RouterId d = 0; d < t.num_routers(); ++d) {
      uint32_t hops = 0;
      ASSERT_TRUE(for_each_step(t, *alg, 1, s, d, [&](const RouteQuery& q, const RouteChoice& c) {
        if (c.port == kLocal) return;
        ++hops;
        EXPECT_EQ(t.distance(t.neighbor(q.at, c.port), d) + 1, t.distance(q.at, d));
      }));
      EXPECT_EQ(hops, t.distance(s, d));
    }
  }
}

TEST(TurnModels, RefuseTopologiesOtherThanAMesh) {
  const Topology torus = Topology::torus(4, 4);
  for (const char* name : {"west_first", "north_last", "negative_first", "odd_even"}) {
    try {
      make_routing(torus, noc_config(name));
      ADD_FAILURE() << name << " accepted a torus";
    } catch (const UserError& e) {
      EXPECT_EQ(e.field(), "noc.routing.algorithm");
      EXPECT_NE(std::string(e.what()).find("mesh"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace nocsim::noc
