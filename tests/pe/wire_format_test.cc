// Activations on the wire (accelerator.activation_encoding) and PD offsets sent with the weights
// (accelerator.pd_offsets): the run's bit counts against ones computed here from the model's own
// activations and shapes.
#include <gtest/gtest.h>

#include <bit>

#include "models/model.h"
#include "noc/network.h"
#include "parts_test_util.h"
#include "pe/activation_encoding/activation_encoding.h"
#include "pe/dataflow/dataflow.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;

bool weight_kind(const std::string& k) {
  return k == "dense" || k == "pd_dense" || k == "conv2d" || k == "pd_conv2d";
}

// Per weight layer: its input for test image `image`; last: the logits (the functional model is
// the trained one with the identity codec).
std::vector<std::vector<float>> layer_inputs(const config::ModelFile& spec, int image) {
  const models::Model m = models::Model::from_spec(spec, 1);
  const models::Dataset& test = testing::test_set();
  const float* px = test.pixels.data() + static_cast<size_t>(image) * test.features();
  std::vector<float> x(px, px + test.features());
  std::vector<std::vector<float>> out;
  for (int l = 0; l < m.num_layers(); ++l) {
    if (weight_kind(m.layer(l).kind())) out.push_back(x);
    std::vector<float> y(m.layer(l).output_shape().size());
    m.layer(l).forward_one(x, y);
    x.swap(y);
  }
  out.push_back(x);
  return out;
}

void set_encoding(config::Scenario& sc, const std::string& format, int index_bits = 0) {
  auto* e = sc.mutable_accelerator()->mutable_activation_encoding();
  e->set_format(format);
  if (index_bits > 0) e->set_index_bits(static_cast<uint32_t>(index_bits));
}

TEST(WireFormat, DenseIsTheDefaultAndSendsEveryValue) {
  const config::AcceleratorResult r = run(default_study());
  EXPECT_EQ(r.activation_encoding(), "dense");
  EXPECT_EQ(r.pd_offsets(), "on_chip");
  EXPECT_EQ(r.weight_index_bits(), 0u);
  EXPECT_EQ(r.activation_wire_bits(), r.activation_dense_bits());
  EXPECT_EQ(r.layers(0).input_bits(), 784u * 32u) << "one multicast message of the image";
  for (const auto& l : r.layers()) EXPECT_EQ(l.input_bits(), l.input_dense_bits());
}

// A bitmap's size is additive over slices, so every layer's input (the sum over its producers'
// messages, one multicast each) is known without the placement: n + nnz * 32.
TEST(WireFormat, BitmapBitsAreThoseOfTheRealActivations) {
  config::Scenario sc = default_study();
  set_encoding(sc, "bitmap");
  const config::AcceleratorResult r = run(sc);
  ASSERT_TRUE(r.outputs_match());
  const auto inputs = layer_inputs(testing::pd_mlp(), 0);
  uint64_t total = 0;
  for (size_t s = 0; s < inputs.size(); ++s) {
    const uint64_t expect = inputs[s].size() + count_nonzero(inputs[s]) * 32u;
    total += expect;
    if (s + 1 == inputs.size()) break;  // the logits go to the controllers
    SCOPED_TRACE(s);
    EXPECT_EQ(r.layers(static_cast<int>(s)).input_bits(), expect);
    EXPECT_EQ(r.layers(static_cast<int>(s)).input_dense_bits(), inputs[s].size() * 32u);
  }
  EXPECT_LT(count_nonzero(inputs[0]), inputs[0].size()) << "Fashion-MNIST has black pixels";
  EXPECT_EQ(r.activation_wire_bits(), total) << "images = 1: the run is the first image";
  const config::AcceleratorResult dense = run(default_study());
  EXPECT_LT(r.activation_flits(), dense.activation_flits());
  EXPECT_EQ(r.weight_flits(), dense.weight_flits());
  EXPECT_EQ(r.macs(), dense.macs()) << "the tiles compute the same";
}

// The index format depends on where each slice starts: sum it over the shares the dataflow
// places, exactly as the tiles send them.
TEST(WireFormat, IndexBitsFollowEachShareOfTheRealActivations) {
  for (int k : {2, 4}) {
    SCOPED_TRACE(k);
    config::Scenario sc = default_study();
    set_encoding(sc, "index", k);
    const config::AcceleratorResult r = run(sc);
    ASSERT_TRUE(r.outputs_match());
    EXPECT_EQ(r.activation_encoding(), "index" + std::to_string(k));

    noc::Network net(sc.noc(), 1000);
    const AcceleratorParams p = AcceleratorParams::from_scenario(sc, net.topology());
    const LayerPlan plan = plan_layers(models::describe_layers(testing::pd_mlp()));
    const auto dataflow = dataflow_registry().create(p.dataflow, "test");
    const Placement pl = dataflow->place(plan, p, net.topology());
    const auto enc = activation_encoding_registry().create("index", "test", p);
    const auto inputs = layer_inputs(testing::pd_mlp(), 0);
    EXPECT_EQ(r.layers(0).input_bits(), enc->bits(inputs[0].size(), inputs[0]));
    for (size_t s = 0; s + 1 < plan.stages.size(); ++s) {
      const Stage& st = plan.stages[s];
      const std::vector<float>& out = inputs[s + 1];
      uint64_t expect = 0;
      for (const Share& sh : pl.shares[s]) {
        if (!sh.active()) continue;
        std::vector<float> slice;
        for (const auto& [b0, b1] : sh.runs)
          slice.insert(slice.end(), out.begin() + st.out_begin(b0), out.begin() + st.out_end(b1));
        expect += enc->bits(slice.size(), slice);
      }
      EXPECT_EQ(r.layers(static_cast<int>(s + 1)).input_bits(), expect) << "stage " << s + 1;
    }
  }
}

// Unicast copies each carry the whole message: the wire total counts every copy.
TEST(WireFormat, UnicastCopiesEachCarryTheEncodedMessage) {
  config::Scenario sc = default_study();
  set_encoding(sc, "bitmap");
  sc.mutable_accelerator()->set_multicast(false);
  const config::AcceleratorResult r = run(sc);
  const auto inputs = layer_inputs(testing::pd_mlp(), 0);
  const uint64_t image = inputs[0].size() + count_nonzero(inputs[0]) * 32u;
  EXPECT_EQ(r.layers(0).input_bits(), 12u * image) << "12 first-layer tiles, one copy each";
  EXPECT_TRUE(r.outputs_match());
}

TEST(WireFormat, AccuracyAndOutputsDoNotDependOnTheWireFormat) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_accuracy_images(500);
  const config::AcceleratorResult dense = run(sc, testing::pd_mlp(), true);
  set_encoding(sc, "index");
  const config::AcceleratorResult index = run(sc, testing::pd_mlp(), true);
  EXPECT_EQ(index.accuracy(), dense.accuracy());
  EXPECT_TRUE(index.outputs_match());
  const config::AcceleratorResult again = run(sc, testing::pd_mlp(), true);
  EXPECT_EQ(again.total_cycles(), index.total_cycles()) << "bit-identical rerun";
  EXPECT_EQ(again.activation_wire_bits(), index.activation_wire_bits());
}

// pd_mlp_p4: 784-300-100-10 at p = 4 stores 75x196, 25x75 and 3x25 blocks; 2 bits each.
TEST(WireFormat, SentOffsetsAddExactlyTwoBitsPerBlockAtP4) {
  config::Scenario sc = default_study();
  const config::AcceleratorResult chip = run(sc);
  sc.mutable_accelerator()->set_pd_offsets("sent");
  const config::AcceleratorResult sent = run(sc);
  const uint64_t blocks[] = {75u * 196u, 25u * 75u, 3u * 25u};
  uint64_t total = 0;
  for (int s = 0; s < 3; ++s) {
    SCOPED_TRACE(s);
    const uint64_t bits = blocks[s] * std::bit_width(3u);
    EXPECT_EQ(sent.layers(s).index_bits(), bits);
    EXPECT_EQ(sent.layers(s).weight_bits(), chip.layers(s).weight_bits() + bits);
    total += bits;
  }
  EXPECT_EQ(sent.weight_index_bits(), total);
  EXPECT_EQ(sent.dram_bits(), chip.dram_bits() + total) << "one fetch of every share";
  EXPECT_NEAR(sent.bits_per_weight() - chip.bits_per_weight(),
              static_cast<double>(total) / (58800 + 7500 + 300), 1e-9);
  EXPECT_GT(sent.weight_flits(), chip.weight_flits());
  EXPECT_TRUE(sent.outputs_match());
  EXPECT_EQ(chip.layers(0).index_bits(), 0u);
}

TEST(WireFormat, BadChoicesAreErrorsOnTheirField) {
  config::Scenario sc = default_study();
  set_encoding(sc, "runlength_nonexistent");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.activation_encoding.format");
  sc = default_study();
  set_encoding(sc, "bitmap", 4);
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.activation_encoding.index_bits");
  for (uint32_t k : {0u, 17u}) {
    sc = default_study();
    set_encoding(sc, "index");
    sc.mutable_accelerator()->mutable_activation_encoding()->set_index_bits(k);
    EXPECT_EQ(testing::error_field_of(sc), "accelerator.activation_encoding.index_bits") << k;
  }
  sc = default_study();
  sc.mutable_accelerator()->set_pd_offsets("in_dram");
  EXPECT_EQ(testing::error_field_of(sc), "accelerator.pd_offsets");
  // A traffic-only model has no activations to count.
  sc = default_study();
  set_encoding(sc, "bitmap");
  try {
    run(sc, testing::small_cnn_shapes());
    ADD_FAILURE() << "a sparse format on a traffic-only run must be refused";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.activation_encoding.format");
  }
  set_encoding(sc, "dense");
  EXPECT_NO_THROW(run(sc, testing::small_cnn_shapes()));
}

}  // namespace
}  // namespace nocsim::pe
