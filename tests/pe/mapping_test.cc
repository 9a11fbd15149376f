#include "pe/mapping/mapping.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "configs/user_error.h"

namespace nocsim::pe {
namespace {

MappingInput input(int rows, std::vector<uint32_t> hops, int64_t before = 0) {
  MappingInput in;
  in.block_rows = rows;
  in.weights_per_block_row = 100;
  in.block_rows_before = before;
  in.tile_hops = std::move(hops);
  return in;
}

// 12 tiles of a 4x4 mesh with MCs at the corners: hops to the nearest corner.
const std::vector<uint32_t> kMeshHops = {1, 1, 1, 1, 2, 2, 1, 1, 2, 2, 1, 1};

TEST(Mapping, EveryStrategyCoversEveryBlockRowExactlyOnce) {
  for (const std::string& name : mapping_registry().names()) {
    auto m = mapping_registry().create(name, "accelerator.mapping");
    for (int rows : {1, 3, 11, 12, 13, 75, 196, 1000}) {
      for (int64_t before : {0, 5, 77}) {
        const std::vector<int> owner = m->assign(input(rows, kMeshHops, before));
        ASSERT_EQ(owner.size(), static_cast<size_t>(rows)) << name;
        for (int o : owner) {
          EXPECT_GE(o, 0) << name;
          EXPECT_LT(o, 12) << name;
        }
      }
    }
  }
}

TEST(RoundRobinMapping, DealsBlockRowsInTurnAcrossLayers) {
  auto m = mapping_registry().create("round_robin", "accelerator.mapping");
  const std::vector<int> owner = m->assign(input(5, {0, 0, 0}, 2));
  EXPECT_EQ(owner, (std::vector<int>{2, 0, 1, 2, 0}));
}

TEST(LocalityAwareMapping, NearerTilesGetMoreBlockRowsAsContiguousRuns) {
  auto m = mapping_registry().create("locality_aware", "accelerator.mapping");
  const std::vector<int> owner = m->assign(input(75, kMeshHops));
  std::vector<int> count(12, 0);
  for (int o : owner) ++count[o];
  for (int a = 0; a < 12; ++a)
    for (int b = 0; b < 12; ++b)
      if (kMeshHops[a] < kMeshHops[b]) {
        EXPECT_GE(count[a], count[b]) << a << " vs " << b;
      }
  EXPECT_GT(count[0], count[4]);
  // Each tile's rows are one contiguous run.
  for (int t = 0; t < 12; ++t) {
    const auto first = std::find(owner.begin(), owner.end(), t);
    const auto last = std::find(owner.rbegin(), owner.rend(), t);
    if (first == owner.end()) continue;
    EXPECT_EQ(std::count(first, last.base(), t), count[t]);
  }
  // Equal distances give an even split.
  const std::vector<int> even = m->assign(input(24, std::vector<uint32_t>(12, 3)));
  for (int t = 0; t < 12; ++t) EXPECT_EQ(std::count(even.begin(), even.end(), t), 2);
}

TEST(Mapping, UnknownNameIsAUserErrorListingValidNames) {
  try {
    mapping_registry().create("zigzag", "accelerator.mapping");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.mapping");
    EXPECT_NE(std::string(e.what()).find("round_robin"), std::string::npos);
  }
}

}  // namespace
}  // namespace nocsim::pe
