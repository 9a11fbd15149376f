#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {
namespace {

config::TrafficConfig hotspot(std::vector<uint32_t> nodes, double fraction) {
  config::TrafficConfig cfg;
  cfg.set_pattern("hotspot");
  for (uint32_t n : nodes) cfg.mutable_hotspot()->add_nodes(n);
  cfg.mutable_hotspot()->set_fraction(fraction);
  return cfg;
}

std::unique_ptr<TrafficPattern> make(const Topology& t, const config::TrafficConfig& cfg) {
  return traffic_registry().create("hotspot", "traffic.pattern", t, cfg);
}

TEST(HotspotTraffic, HotNodesGetTheirShareOnTopOfUniform) {
  const Topology t = Topology::mesh(4, 4);
  const auto p = make(t, hotspot({0, 15}, 0.5));
  Rng rng(3);
  const int draws = 200000;
  std::vector<int> count(16, 0);
  for (int i = 0; i < draws; ++i) ++count[p->destination(7, rng)];
  // Each hot node: half of the hot share plus its 1/16 of the uniform rest.
  std::vector<double> expected(16, draws * 0.5 / 16);
  expected[0] = expected[15] = draws * (0.5 / 2 + 0.5 / 16);
  double chi2 = 0;
  for (int d = 0; d < 16; ++d)
    chi2 += (count[d] - expected[d]) * (count[d] - expected[d]) / expected[d];
  EXPECT_LT(chi2, 37.7);  // 0.999 quantile of chi-square with 15 degrees of freedom
}

TEST(HotspotTraffic, FractionOneSendsEverythingToTheHotNodesAndZeroIsUniform) {
  const Topology t = Topology::mesh(4, 4);
  const auto all_hot = make(t, hotspot({5}, 1.0));
  Rng rng(4);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(all_hot->destination(i % 16, rng), 5u);
  const auto none_hot = make(t, hotspot({5}, 0.0));
  int to_five = 0;
  for (int i = 0; i < 16000; ++i) to_five += none_hot->destination(0, rng) == 5 ? 1 : 0;
  EXPECT_NEAR(to_five, 1000, 130);  // binomial sd ~ 30
}

TEST(HotspotTraffic, SameSeedSameDestinations) {
  const Topology t = Topology::mesh(8, 8);
  const auto p = make(t, hotspot({0, 7, 56, 63}, 0.2));
  Rng a(9), b(9);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(p->destination(3, a), p->destination(3, b));
}

std::string refusal_field(const config::TrafficConfig& cfg) {
  try {
    make(Topology::mesh(4, 4), cfg);
  } catch (const UserError& e) {
    return e.field();
  }
  return "";
}

TEST(HotspotTraffic, RefusesBadNodesAndFractions) {
  EXPECT_EQ(refusal_field(hotspot({}, 0.5)), "traffic.hotspot.nodes");
  EXPECT_EQ(refusal_field(hotspot({16}, 0.5)), "traffic.hotspot.nodes");
  EXPECT_EQ(refusal_field(hotspot({3, 3}, 0.5)), "traffic.hotspot.nodes");
  EXPECT_EQ(refusal_field(hotspot({3}, 1.5)), "traffic.hotspot.fraction");
  EXPECT_EQ(refusal_field(hotspot({3}, -0.1)), "traffic.hotspot.fraction");
  EXPECT_EQ(refusal_field(hotspot({3}, std::numeric_limits<double>::quiet_NaN())),
            "traffic.hotspot.fraction");
  EXPECT_EQ(refusal_field(hotspot({0, 15}, 0.25)), "");
}

}  // namespace
}  // namespace nocsim::noc
