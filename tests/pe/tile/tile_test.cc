#include "pe/tile/tile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "../parts_test_util.h"
#include "models/model_file.h"
#include "noc/network.h"
#include "pe/dataflow/dataflow.h"
#include "pe/sim_context.h"
#include "pe/sparse_structure.h"

namespace nocsim::pe {
namespace {

const config::ModelFile& mlp_dense() {
  static const config::ModelFile spec =
      models::read_model_file(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/mlp_dense.pb");
  return spec;
}

const config::ModelFile& mlp_pruned_25() {
  static const config::ModelFile spec =
      models::read_model_file(std::string(NOCSIM_SOURCE_DIR) + "/models/trained/mlp_pruned_25.pb");
  return spec;
}

// mlp_dense with every weight layer pruned by magnitude to `density` (per layer), zeros exact.
config::ModelFile pruned_mlp(double density) {
  config::ModelFile spec = mlp_dense();
  for (auto& l : *spec.mutable_layers()) {
    if (l.weights_size() == 0) continue;
    std::vector<float> mag(l.weights().begin(), l.weights().end());
    for (float& v : mag) v = std::abs(v);
    const size_t keep = static_cast<size_t>(density * static_cast<double>(mag.size()));
    std::nth_element(mag.begin(), mag.end() - static_cast<std::ptrdiff_t>(keep), mag.end());
    const float threshold = mag[mag.size() - keep];
    for (int i = 0; i < l.weights_size(); ++i)
      if (std::abs(l.weights(i)) < threshold) l.set_weights(i, 0.0f);
  }
  return spec;
}

// The outputs of every simulated image equal the functional model's, for every registered kind,
// on every shipped kind of layer it accepts (a codebook codec, so that eie can store it).
TEST(TileKind, EveryRegisteredKindComputesTheFunctionalModelsOutputs) {
  ASSERT_FALSE(tile_registry().names().empty());
  const config::ModelFile pruned = pruned_mlp(0.25);
  const config::ModelFile* models[] = {&testing::pd_mlp(), &mlp_dense(), &pruned, &mlp_pruned_25()};
  for (const std::string& kind : tile_registry().names()) {
    SCOPED_TRACE(kind);
    int ran = 0;
    for (const config::ModelFile* m : models) {
      config::Scenario sc = testing::default_study();
      testing::set_codec(sc, "kmeans", 4);
      sc.mutable_accelerator()->mutable_tile()->set_kind(kind);
      sc.mutable_accelerator()->set_images(2);
      try {
        const config::AcceleratorResult r = testing::run(sc, *m);
        EXPECT_TRUE(r.outputs_match()) << m->name();
        EXPECT_EQ(r.tile_kind(), kind);
        EXPECT_GT(r.macs(), 0u);
        EXPECT_GT(r.energy().sram_pj(), 0);
        ++ran;
      } catch (const UserError& e) {
        EXPECT_EQ(e.field(), "accelerator.tile.kind") << e.what();
      }
    }
    EXPECT_GT(ran, 0) << "a kind that runs none of the shipped models";
  }
}

// stored_weights is what the tiles hold: every weight of a dense tile (zeros included), only the
// non-zeros of a sparse one, a PD layer's diagonals on permdnn.
TEST(TileKind, StoredWeightsAreTheValuesTheTilesHold) {
  const config::ModelFile& pruned = mlp_pruned_25();
  uint64_t nonzeros = 0, weights = 0;
  for (const auto& l : pruned.layers()) {
    weights += static_cast<uint64_t>(l.weights_size());
    nonzeros += static_cast<uint64_t>(
        std::count_if(l.weights().begin(), l.weights().end(), [](float w) { return w != 0; }));
  }
  ASSERT_LT(nonzeros, weights / 3);
  auto stored = [](const char* kind, const config::ModelFile& m) {
    config::Scenario sc = testing::default_study();
    testing::set_codec(sc, "kmeans", 4);
    sc.mutable_accelerator()->mutable_tile()->set_kind(kind);
    return testing::run(sc, m);
  };
  EXPECT_EQ(stored("eie", pruned).stored_weights(), nonzeros);
  EXPECT_EQ(stored("dense", pruned).stored_weights(), weights);
  const config::AcceleratorResult pd = stored("permdnn", testing::pd_mlp());
  uint64_t planned = 0;
  for (const auto& l : pd.layers()) planned += l.weights();
  EXPECT_EQ(pd.stored_weights(), planned);
  EXPECT_LT(pd.stored_weights(), weights / 3);
}

TEST(TileKind, PermDnnIsTheDefaultAndUnknownKindsAreErrorsOnTheField) {
  EXPECT_NE(tile_registry().find(kDefaultTileKind), nullptr);
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->mutable_tile()->set_kind("systolic_nonexistent");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.tile.kind");
}

TEST(TileKind, KindsRefuseLayersTheyCannotRunNamingTheLayer) {
  config::Scenario sc = testing::default_study();
  for (const char* kind : {"eie", "dense"}) {
    sc.mutable_accelerator()->mutable_tile()->set_kind(kind);
    try {
      testing::run(sc);  // the PD MLP
      ADD_FAILURE() << kind << " ran a permuted-diagonal layer";
    } catch (const UserError& e) {
      EXPECT_EQ(e.field(), "accelerator.tile.kind");
      EXPECT_NE(std::string(e.what()).find("fc1"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("pd_dense"), std::string::npos) << e.what();
    }
  }
  // permdnn has no structure to exploit in a pruned layer.
  sc.mutable_accelerator()->mutable_tile()->set_kind("permdnn");
  try {
    testing::run(sc, mlp_pruned_25());
    ADD_FAILURE() << "permdnn ran a pruned layer";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.tile.kind");
    EXPECT_NE(std::string(e.what()).find("pruned"), std::string::npos) << e.what();
  }
  // eie keeps b-bit codebook indices: fp32 weights have far more than 16 values per layer.
  sc.mutable_accelerator()->mutable_tile()->set_kind("eie");
  testing::set_codec(sc, "identity");
  try {
    testing::run(sc, pruned_mlp(0.25));
    ADD_FAILURE() << "eie stored 32-bit weights";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.tile.codebook_bits");
  }
  // and needs the non-zeros: a model without weights has none.
  testing::set_codec(sc, "kmeans", 4);
  models::ArchitectureOptions o;
  o.hidden = {300, 100};
  const config::ModelFile shapes = models::build_architecture("mlp", o);
  try {
    testing::run(sc, shapes);
    ADD_FAILURE() << "eie ran without weights";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.tile.kind");
  }
}

TEST(TileKind, PermDnnComputeTimeIsMacsOverTheMacRate) {
  AcceleratorParams p;
  p.macs_per_cycle = 16;
  const auto tile = tile_registry().create("permdnn", "t", p);
  Stage st;
  st.kind = "conv2d";
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
  EXPECT_EQ(c.cycles, 19u);  // ceil(300 / 16): conv fills the multipliers across positions
  EXPECT_EQ(tile->stored_bits(st, sh), 30u * 32u);
}

// Column by column, a tile with B block-rows does B products per non-zero input: with fewer
// block-rows than multipliers the rest idle.
TEST(TileKind, PermDnnMultiplierBoundWhenBlockRowsAreFewerThanMultipliers) {
  AcceleratorParams p;
  p.macs_per_cycle = 16;
  const auto tile = tile_registry().create("permdnn", "t", p);
  Stage st;
  st.kind = "pd_dense";
  st.macs = 1000;  // 100 inputs x 10 block-rows
  st.block_rows = 10;
  Share sh;
  TileTask t;
  t.stage = &st;
  t.share = &sh;
  sh.block_rows = 3;
  EXPECT_EQ(tile->compute(t).cycles, 100u) << "100 columns, one cycle each, 13 multipliers idle";
  st.macs = 4000;
  st.block_rows = 40;
  sh.block_rows = 40;  // 100 columns x ceil(40 / 16) = 3 cycles
  EXPECT_EQ(tile->compute(t).cycles, 300u);
  sh.block_rows = 32;
  EXPECT_EQ(tile->compute(t).cycles, 200u) << "32 rows: both halves of the array busy";
}

TEST(TileKind, DenseMultipliesEveryWeightEvenZeros) {
  AcceleratorParams p;
  p.macs_per_cycle = 16;
  const auto tile = tile_registry().create("dense", "t", p);
  Stage st;
  st.kind = "dense";
  st.macs = 1000;
  st.block_rows = 10;
  Share sh;
  sh.block_rows = 3;
  sh.weights = 300;
  TileTask t;
  t.stage = &st;
  t.share = &sh;
  EXPECT_EQ(tile->compute(t).macs, 300u);
  EXPECT_EQ(tile->compute(t).cycles, 19u);
  // On the shipped dense MLP it performs every product; permdnn skips zero inputs.
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->mutable_tile()->set_kind("dense");
  const config::AcceleratorResult dense = testing::run(sc, mlp_dense());
  EXPECT_EQ(dense.macs(), 784u * 300u + 300u * 100u + 100u * 10u);
  sc.mutable_accelerator()->mutable_tile()->set_kind("permdnn");
  EXPECT_LT(testing::run(sc, mlp_dense()).macs(), dense.macs());
}

TEST(TileKind, EieTimeIsEachNonZeroInputsColumnOverTheMultipliers) {
  AcceleratorParams p;
  p.macs_per_cycle = 16;
  const auto tile = tile_registry().create("eie", "t", p);
  Stage st;
  st.kind = "dense";
  st.block_rows = 40;
  st.weights_per_block_row = 3;
  Share sh;
  sh.column_entries = {20, 0, 3};
  std::vector<float> x = {1.0f, 5.0f, 2.0f};
  TileTask t;
  t.stage = &st;
  t.share = &sh;
  t.input = x;
  TaskCost c = tile->compute(t);
  EXPECT_EQ(c.cycles, 2u + 1u + 1u) << "ceil(20/16), an empty column still costs its dequeue";
  EXPECT_EQ(c.macs, 23u);
  x[0] = 0.0f;
  c = tile->compute(t);
  EXPECT_EQ(c.cycles, 2u);
  EXPECT_EQ(c.macs, 3u);
}

// Load imbalance: the same number of non-zeros in fc1, spread over every tile's rows or packed
// into the rows of one tile (fc2 and fc3 pruned to 5%, one multiplier per tile, DRAM fast, so
// fc1's compute bounds the stream). The busiest tile's cycles are what the structure predicts,
// and the steady state per inference grows by the difference.
TEST(TileKind, EieUnbalancedLayerIsSlowerByItsBusiestTilesWork) {
  constexpr int kImages = 20;
  config::Scenario sc = testing::default_study();
  testing::set_codec(sc, "kmeans", 4);
  sc.mutable_accelerator()->mutable_tile()->set_kind("eie");
  sc.mutable_accelerator()->mutable_pe()->set_macs_per_cycle(1);
  sc.mutable_accelerator()->mutable_dram()->set_bandwidth_gb_per_s(1000);
  sc.mutable_accelerator()->set_images(kImages);
  noc::Network net(sc.noc(), 1000);
  const AcceleratorParams p = AcceleratorParams::from_scenario(sc, net.topology());
  const config::ModelFile base = pruned_mlp(0.05);
  const LayerPlan plan = plan_layers(models::describe_layers(base));
  const Placement pl = dataflow_registry().create(p.dataflow, "t")->place(plan, p, net.topology());
  const Share& first = pl.shares[0][pl.producers[0][0]];  // its rows get every non-zero

  config::ModelFile balanced = base, packed = base;
  const auto& dense_fc1 = mlp_dense().layers(0).weights();
  auto* wb = balanced.mutable_layers(0)->mutable_weights();
  auto* wp = packed.mutable_layers(0)->mutable_weights();
  std::vector<int> rows;
  for (const auto& [b0, b1] : first.runs)
    for (int r = b0; r < b1; ++r) rows.push_back(r);
  for (int i = 0; i < wb->size(); ++i) {
    const int row = i / 784, col = i % 784;
    // Balanced: every 12th column of every row (300 x 66). Packed: about as many, all of the
    // first tile's rows (25 x 784) and nothing elsewhere.
    (*wb)[i] = col % 12 == 0 ? dense_fc1[i] : 0.0f;
    (*wp)[i] = std::find(rows.begin(), rows.end(), row) != rows.end() ? dense_fc1[i] : 0.0f;
  }
  const config::AcceleratorResult rb = testing::run(sc, balanced);
  const config::AcceleratorResult rp = testing::run(sc, packed);
  ASSERT_TRUE(rb.outputs_match());
  ASSERT_TRUE(rp.outputs_match());

  // The prediction: each tile's cycles from its columns and the image's non-zero pixels.
  const models::Dataset& test = testing::test_set();
  auto busiest = [&](const config::ModelFile& spec, int image) {
    const auto w = spec.layers(0).weights();
    const std::vector<float> weights(w.begin(), w.end());
    const float* px = test.pixels.data() + static_cast<size_t>(image) * test.features();
    uint64_t most = 0;
    for (uint32_t t : pl.producers[0]) {
      Share sh = pl.shares[0][t];
      fill_sparse_structure(plan.stages[0], sh, weights, p.sparse_index_bits);
      uint64_t cycles = 0;
      for (int j = 0; j < test.features(); ++j)
        if (px[j] != 0.0f) cycles += std::max<uint64_t>(1, sh.column_entries[j]);
      most = std::max(most, cycles);
    }
    return most;
  };
  EXPECT_EQ(rb.layers(0).busiest_tile_cycles(), busiest(balanced, 0));
  EXPECT_EQ(rp.layers(0).busiest_tile_cycles(), busiest(packed, 0));
  EXPECT_GT(rp.layers(0).busiest_tile_cycles(), 5 * rp.layers(0).mean_tile_cycles());
  EXPECT_EQ(rb.steady().utilization().bound(), "mac");
  EXPECT_EQ(rp.steady().utilization().bound(), "mac");
  double work = 0;  // images 2..N: what the steady state averages
  for (int image = 1; image < kImages; ++image)
    work +=
        static_cast<double>(busiest(packed, image)) - static_cast<double>(busiest(balanced, image));
  work /= kImages - 1;
  const double slower = rp.steady().cycles_per_inference() - rb.steady().cycles_per_inference();
  EXPECT_GT(work, 1000);
  EXPECT_NEAR(slower, work, 0.1 * work);
}

}  // namespace
}  // namespace nocsim::pe
