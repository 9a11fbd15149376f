#include <cmath>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {
namespace {

TEST(UniformTraffic, DestinationsAreUniformOverAllTerminalsSourceIncluded) {
  const Topology t = Topology::mesh(4, 4);
  config::TrafficConfig cfg;
  cfg.set_pattern("uniform");
  const auto pattern = traffic_registry().create("uniform", "traffic.pattern", t, cfg);
  Rng rng(11);
  const int draws = 160000;
  std::vector<int> count(16, 0);
  for (int i = 0; i < draws; ++i) ++count[pattern->destination(5, rng)];
  // Chi-square with 15 degrees of freedom: 37.7 is the 0.999 quantile.
  const double expected = draws / 16.0;
  double chi2 = 0;
  for (int c : count) chi2 += (c - expected) * (c - expected) / expected;
  EXPECT_LT(chi2, 37.7);
  EXPECT_GT(count[5], 0);  // the source itself is a destination too
}

}  // namespace
}  // namespace nocsim::noc
