// The deterministic patterns, checked point by point on small meshes against their definitions
// (BookSim's where it has one), plus the configurations each one must refuse.
#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {
namespace {

std::unique_ptr<TrafficPattern> make(const std::string& name, const Topology& t) {
  config::TrafficConfig cfg;
  cfg.set_pattern(name);
  return traffic_registry().create(name, "traffic.pattern", t, cfg);
}

// Destination of every source, with a throwaway RNG (the patterns must not use it).
std::vector<uint32_t> mapping(const std::string& name, const Topology& t) {
  const auto p = make(name, t);
  Rng rng(1);
  std::vector<uint32_t> out;
  for (uint32_t s = 0; s < t.num_terminals(); ++s) out.push_back(p->destination(s, rng));
  return out;
}

bool is_permutation(const std::vector<uint32_t>& m) {
  return std::set<uint32_t>(m.begin(), m.end()).size() == m.size() &&
         *std::max_element(m.begin(), m.end()) < m.size();
}

// The reason of the UserError that creating `name` on `t` throws, "" if it does not throw.
std::string refusal(const std::string& name, const Topology& t) {
  try {
    make(name, t);
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "traffic.pattern") << name;
    return e.reason();
  }
  return "";
}

Topology ring_graph(uint32_t n) {
  const std::string path = ::testing::TempDir() + "traffic_ring" + std::to_string(n) + ".edges";
  FILE* f = std::fopen(path.c_str(), "w");
  for (uint32_t i = 0; i < n; ++i) std::fprintf(f, "%u %u\n", i, (i + 1) % n);
  std::fclose(f);
  return Topology::from_graph_file(path);
}

TEST(TransposeTraffic, SwapsCoordinates) {
  const Topology t = Topology::mesh(4, 4);
  const auto m = mapping("transpose", t);
  EXPECT_EQ(m[t.grid()->at(1, 2)], t.grid()->at(2, 1));
  EXPECT_EQ(m[t.grid()->at(3, 0)], t.grid()->at(0, 3));
  for (uint32_t i = 0; i < 4; ++i)
    EXPECT_EQ(m[t.grid()->at(i, i)], t.grid()->at(i, i));  // diagonal stays home
  EXPECT_TRUE(is_permutation(m));
}

TEST(TransposeTraffic, EqualsBookSimsBitTransposeOnAnEightByEightMesh) {
  // BookSim swaps the high and low halves of the 6-bit terminal id.
  const auto m = mapping("transpose", Topology::mesh(8, 8));
  for (uint32_t s = 0; s < 64; ++s) EXPECT_EQ(m[s], ((s >> 3) & 7u) | ((s << 3) & 56u)) << s;
}

TEST(TransposeTraffic, WorksOnAnySquareGridAndRefusesOthers) {
  EXPECT_TRUE(is_permutation(mapping("transpose", Topology::mesh(6, 6))));
  EXPECT_TRUE(is_permutation(mapping("transpose", Topology::torus(5, 5))));
  EXPECT_NE(refusal("transpose", Topology::mesh(4, 2)).find("square"), std::string::npos);
  EXPECT_NE(refusal("transpose", ring_graph(4)).find("needs a grid topology"), std::string::npos);
}

TEST(BitComplementTraffic, SendsToNMinusOneMinusI) {
  const auto m = mapping("bitcomp", Topology::mesh(4, 4));
  for (uint32_t s = 0; s < 16; ++s) EXPECT_EQ(m[s], 15 - s);
  EXPECT_EQ(mapping("bit_complement", Topology::mesh(4, 4)), m);
  // On a graph the id is all there is, so bit patterns apply there too.
  EXPECT_EQ(mapping("bitcomp", ring_graph(8))[2], 5u);
}

TEST(BitComplementTraffic, NeedsAPowerOfTwoTerminals) {
  EXPECT_NE(refusal("bitcomp", Topology::mesh(3, 3)).find("power-of-two"), std::string::npos);
  EXPECT_NE(refusal("bit_complement", Topology::mesh(6, 4)).find("24"), std::string::npos);
}

TEST(BitReverseTraffic, ReversesTheIdBits) {
  const auto m = mapping("bitrev", Topology::mesh(4, 4));  // 4-bit ids
  EXPECT_EQ(m[0b0001], 0b1000u);
  EXPECT_EQ(m[0b0011], 0b1100u);
  EXPECT_EQ(m[0b0110], 0b0110u);
  EXPECT_EQ(m[0b1101], 0b1011u);
  EXPECT_TRUE(is_permutation(m));
  const auto m3 = mapping("bitrev", Topology::mesh(4, 2));  // 3-bit ids
  EXPECT_EQ(m3[0b001], 0b100u);
  EXPECT_EQ(m3[0b110], 0b011u);
  EXPECT_EQ(mapping("bit_reverse", Topology::mesh(4, 2)), m3);
  EXPECT_NE(refusal("bitrev", Topology::mesh(5, 5)).find("power-of-two"), std::string::npos);
}

TEST(ShuffleTraffic, RotatesTheIdLeftByOneBit) {
  const auto m = mapping("shuffle", Topology::mesh(4, 4));
  EXPECT_EQ(m[0b0001], 0b0010u);
  EXPECT_EQ(m[0b1000], 0b0001u);
  EXPECT_EQ(m[0b1001], 0b0011u);
  EXPECT_EQ(m[0b1111], 0b1111u);
  EXPECT_TRUE(is_permutation(m));
  EXPECT_NE(refusal("shuffle", Topology::mesh(3, 2)).find("power-of-two"), std::string::npos);
}

TEST(TornadoTraffic, GoesJustUnderHalfWayAroundEachDimension) {
  const Topology t8 = Topology::mesh(8, 8);  // offset (8+1)/2 - 1 = 3
  const auto m8 = mapping("tornado", t8);
  EXPECT_EQ(m8[t8.grid()->at(0, 0)], t8.grid()->at(3, 3));
  EXPECT_EQ(m8[t8.grid()->at(6, 1)], t8.grid()->at(1, 4));
  EXPECT_TRUE(is_permutation(m8));
  const Topology t5 = Topology::torus(5, 5);  // odd k: offset (5+1)/2 - 1 = 2
  EXPECT_EQ(mapping("tornado", t5)[t5.grid()->at(4, 1)], t5.grid()->at(1, 3));
  const Topology r = Topology::mesh(4, 3);  // each dimension uses its own radix
  EXPECT_EQ(mapping("tornado", r)[r.grid()->at(3, 2)], r.grid()->at(0, 0));
  EXPECT_NE(refusal("tornado", ring_graph(6)).find("needs a grid topology"), std::string::npos);
}

TEST(NeighborTraffic, SendsDiagonallyWithWraparound) {
  const Topology t = Topology::mesh(4, 4);
  const auto m = mapping("neighbor", t);
  EXPECT_EQ(m[t.grid()->at(1, 2)], t.grid()->at(2, 3));
  EXPECT_EQ(m[t.grid()->at(3, 3)], t.grid()->at(0, 0));
  EXPECT_EQ(m[t.grid()->at(3, 0)], t.grid()->at(0, 1));
  EXPECT_TRUE(is_permutation(m));
  EXPECT_NE(refusal("neighbor", ring_graph(6)).find("needs a grid topology"), std::string::npos);
}

TEST(TrafficRegistry, HoldsEveryBookSimPatternNocsimShips) {
  for (const char* name : {"uniform", "transpose", "bitcomp", "bit_complement", "bitrev", "shuffle",
                           "tornado", "neighbor", "hotspot"}) {
    EXPECT_NE(traffic_registry().find(name), nullptr) << name;
  }
}

TEST(TrafficRegistry, UnknownNameListsTheValidOnesTraceIncluded) {
  try {
    make("transpoze", Topology::mesh(4, 4));
    ADD_FAILURE() << "no error for an unknown pattern";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "traffic.pattern");
    for (const char* name : {"transpose", "tornado", "hotspot", "trace"})
      EXPECT_NE(e.reason().find(name), std::string::npos) << e.reason();
  }
  // "trace" is replayed by the simulation as a whole; as a per-packet pattern it is refused.
  EXPECT_NE(refusal("trace", Topology::mesh(4, 4)).find("trace_file"), std::string::npos);
}

}  // namespace
}  // namespace nocsim::noc
