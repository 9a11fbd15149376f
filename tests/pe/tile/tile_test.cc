#include "pe/tile/tile.h"

#include <gtest/gtest.h>

#include "../parts_test_util.h"

namespace nocsim::pe {
namespace {

TEST(TileKind, EveryRegisteredKindComputesTheFunctionalModelsOutputs) {
  ASSERT_FALSE(tile_registry().names().empty());
  for (const std::string& kind : tile_registry().names()) {
    SCOPED_TRACE(kind);
    config::Scenario sc = testing::default_study();
    testing::set_codec(sc, "quant", 8);
    sc.mutable_accelerator()->mutable_tile()->set_kind(kind);
    sc.mutable_accelerator()->set_images(2);
    const config::AcceleratorResult r = testing::run(sc);
    EXPECT_TRUE(r.outputs_match());
    EXPECT_GT(r.macs(), 0u);
    EXPECT_GT(r.energy().sram_pj(), 0);
  }
}

TEST(TileKind, PermDnnIsTheDefaultAndUnknownKindsAreErrorsOnTheField) {
  EXPECT_NE(tile_registry().find(kDefaultTileKind), nullptr);
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->mutable_tile()->set_kind("systolic_nonexistent");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.tile.kind");
}

TEST(TileKind, PermDnnComputeTimeIsMacsOverTheMacRate) {
  AcceleratorParams p;
  p.macs_per_cycle = 16;
  const auto tile = tile_registry().create("permdnn", "t", p);
  Stage st;
  st.macs = 1000;
  st.block_rows = 10;
  Share sh;
  sh.block_rows = 3;
  sh.weights = 30;
  TileTask t;
  t.stage = &st;
  t.share = &sh;
  const TaskCost c = tile->compute(t);  // traffic-only: 100 MACs per block-row
  EXPECT_EQ(c.macs, 300u);
  EXPECT_EQ(c.cycles, 19u);  // ceil(300 / 16)
  EXPECT_EQ(tile->stored_bits(st, sh), 30u * 32u);
}

}  // namespace
}  // namespace nocsim::pe
