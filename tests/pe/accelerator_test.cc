#include "pe/accelerator.h"

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "models/architecture.h"
#include "models/model.h"
#include "pe_test_util.h"

namespace nocsim::pe {
namespace {

using testing::default_study;
using testing::run;
using testing::set_codec;
using testing::small_cnn_shapes;

TEST(Accelerator, OutputsEqualFunctionalModelForEveryImageWithLossyCodec) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 4);
  sc.mutable_accelerator()->set_images(testing::sanitized() ? 2 : 5);
  const config::AcceleratorResult r = run(sc);
  EXPECT_TRUE(r.outputs_match());
  EXPECT_FALSE(r.nominal_sizes());
  EXPECT_EQ(r.images(), sc.accelerator().images());
  EXPECT_GT(r.weight_rmse(), 0.0);  // int4 really changed the weights
  EXPECT_GT(r.macs(), 0u);
  ASSERT_EQ(r.layers_size(), 3);
  EXPECT_EQ(r.layers(0).kind(), "pd_dense");
  EXPECT_EQ(r.layers(0).tiles(), 12u);
}

// codec.layer rules: fc1 is encoded with int4, the other layers with the default int8.
TEST(Accelerator, PerLayerCodecRulesChooseEachLayersCodec) {
  config::Scenario sc = default_study();
  sc.mutable_codec()->clear_stages();
  sc.mutable_codec()->set_spec("int8");
  sc.mutable_accelerator()->set_images(2);
  const config::AcceleratorResult uniform = run(sc);
  auto* rule = sc.mutable_codec()->add_layer();
  rule->set_match("fc1");
  rule->set_spec("int4");
  const config::AcceleratorResult mixed = run(sc);
  ASSERT_EQ(mixed.layers_size(), 3);
  ASSERT_EQ(mixed.layers(0).name(), "fc1");
  EXPECT_TRUE(mixed.outputs_match());
  // int4 halves fc1's payload (headers aside); the other layers are bit for bit the same size.
  EXPECT_LT(mixed.layers(0).weight_bits(), uniform.layers(0).weight_bits() * 6 / 10);
  EXPECT_EQ(mixed.layers(1).weight_bits(), uniform.layers(1).weight_bits());
  EXPECT_EQ(mixed.layers(2).weight_bits(), uniform.layers(2).weight_bits());
}

TEST(Accelerator, AccuracyOnTheWholeTestSetStaysNearBaselineWithInt8) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 8);
  RunInputs in;
  in.scenario = &sc;
  in.model = &testing::pd_mlp();
  // Under the sanitizers a fifth of the test set keeps the test fast; the assertions hold for both.
  const models::Dataset subset = testing::test_set().head(2000);
  in.test = testing::sanitized() ? &subset : &testing::test_set();
  const config::AcceleratorResult r = run_accelerator(in);
  EXPECT_GT(r.baseline_accuracy(), 0.8);  // the shipped PD MLP is trained
  EXPECT_NEAR(r.accuracy(), r.baseline_accuracy(), 0.01);
  EXPECT_DOUBLE_EQ(r.accuracy_change(), r.accuracy() - r.baseline_accuracy());
}

TEST(Accelerator, WeightTrafficLatencyAndEnergyDropFromIdentityToInt8ToInt4) {
  config::Scenario sc = default_study();
  const config::AcceleratorResult id = run(sc);
  set_codec(sc, "quant", 8);
  const config::AcceleratorResult q8 = run(sc);
  set_codec(sc, "quant", 4);
  const config::AcceleratorResult q4 = run(sc);
  EXPECT_GT(id.weight_flits(), q8.weight_flits());
  EXPECT_GT(q8.weight_flits(), q4.weight_flits());
  EXPECT_GT(id.cycles(), q8.cycles());
  EXPECT_GT(q8.cycles(), q4.cycles());
  EXPECT_GT(id.energy().total_pj(), q8.energy().total_pj());
  EXPECT_GT(q8.energy().total_pj(), q4.energy().total_pj());
  // Activations do not depend on the codec.
  EXPECT_EQ(id.activation_flits(), q4.activation_flits());
  EXPECT_NEAR(id.bits_per_weight(), 32.0, 0.1);
  EXPECT_NEAR(q4.bits_per_weight(), 4.0, 0.1);
  EXPECT_TRUE(id.outputs_match() && q8.outputs_match() && q4.outputs_match());
}

TEST(Accelerator, EnergyBreakdownAddsUpAndSplitsTheNocByClass) {
  const config::AcceleratorResult r = run(default_study());
  const config::AcceleratorEnergy& e = r.energy();
  EXPECT_GT(e.dram_pj(), 0);
  EXPECT_GT(e.noc_weight_pj(), 0);
  EXPECT_GT(e.noc_activation_pj(), 0);
  EXPECT_GT(e.sram_pj(), 0);
  EXPECT_GT(e.mac_pj(), 0);
  EXPECT_GT(e.leakage_pj(), 0);
  EXPECT_NEAR(e.noc_weight_pj() + e.noc_activation_pj(), e.noc_pj(), 1e-6 * e.noc_pj());
  EXPECT_NEAR(e.dram_pj() + e.noc_pj() + e.sram_pj() + e.mac_pj() + e.decoder_pj() + e.leakage_pj(),
              e.total_pj(), 1e-9 * e.total_pj());
  uint64_t weight_flits = 0, activation_flits = 0;
  for (const auto& l : r.layers()) {
    weight_flits += l.weight_flits();
    activation_flits += l.activation_flits();
  }
  EXPECT_EQ(weight_flits, r.weight_flits());
  EXPECT_EQ(activation_flits, r.activation_flits());
  // Identity weights dominate the traffic of this model.
  EXPECT_GT(r.weight_flits(), r.activation_flits());
  EXPECT_GT(e.noc_weight_pj(), e.noc_activation_pj());
  EXPECT_NEAR(r.time_us(), r.cycles() / 1000.0, 1e-9);  // 45 nm preset: 1 GHz
}

TEST(Accelerator, LinkLoadsAccountForEveryRouterToRouterHop) {
  const config::AcceleratorResult r = run(default_study());
  ASSERT_EQ(r.links_size(), 48);  // 4x4 mesh: 24 links, both directions
  // A packet crossing h routers uses h - 1 links, each once per flit; a multicast flit's tree of
  // L links visits L + 1 routers.
  double link_flits = 0;
  for (const auto& l : r.links())
    link_flits += l.utilization() * static_cast<double>(r.total_cycles());
  const double expected =
      static_cast<double>(r.weight_flit_hops() + r.activation_flit_hops() - r.flits_injected());
  EXPECT_NEAR(link_flits, expected, 1e-6 * expected);
  EXPECT_GT(expected, 0);
}

TEST(Accelerator, SameConfigAndSeedGiveBitIdenticalResults) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 4);
  sc.mutable_accelerator()->set_images(2);
  config::AcceleratorResult a = run(sc);
  config::AcceleratorResult b = run(sc);
  a.clear_wall_seconds();
  b.clear_wall_seconds();
  EXPECT_EQ(a.SerializeAsString(), b.SerializeAsString());
}

TEST(Accelerator, LocalityAwareMappingRunsAndStaysFunctional) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_mapping("locality_aware");
  set_codec(sc, "quant", 8);
  const config::AcceleratorResult r = run(sc);
  EXPECT_EQ(r.mapping(), "locality_aware");
  EXPECT_TRUE(r.outputs_match());
}

TEST(Accelerator, ConvLayersRunFunctionally) {
  const config::ModelFile shapes = small_cnn_shapes();
  const config::ModelFile cnn = models::Model::from_spec(shapes, 7).to_spec(true);
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 8);
  sc.mutable_accelerator()->set_images(2);
  const config::AcceleratorResult r = run(sc, cnn);
  EXPECT_TRUE(r.outputs_match());
  ASSERT_EQ(r.layers_size(), 4);
  EXPECT_EQ(r.layers(0).kind(), "conv2d");
  EXPECT_EQ(r.layers(0).tiles(), 4u);  // one output channel per block-row
  EXPECT_EQ(r.layers(1).tiles(), 8u);
}

// A residual network (ResNet-8 at widths 4, 8, 16, PD convs p = 2) through the cycle-level
// machine: every image's outputs equal the reference model's bit for bit, on fp32 and on int8
// (where the adds round their operands), and the adds are counted on the layers that run them.
TEST(Accelerator, ResidualNetworkRunsFunctionally) {
  models::ArchitectureOptions o;
  o.conv_channels = {4};
  o.conv_block_size = 2;
  const config::ModelFile net =
      models::Model::from_spec(models::build_architecture("resnet8", o), 3).to_spec(true);
  for (const char* precision : {"fp32", "int8"}) {
    SCOPED_TRACE(precision);
    config::Scenario sc = default_study();
    set_codec(sc, "quant", 8);
    sc.mutable_accelerator()->mutable_datapath()->set_weight_precision(precision);
    sc.mutable_accelerator()->mutable_datapath()->set_activation_precision(precision);
    sc.mutable_accelerator()->set_images(3);
    const config::AcceleratorResult r = run(sc, net);
    EXPECT_TRUE(r.outputs_match());
    ASSERT_EQ(r.layers_size(), 10);
    uint64_t adds = 0;
    for (const auto& l : r.layers()) {
      adds += l.adds();
      EXPECT_EQ(l.has_adds(),
                l.name() == "stage1.0.conv2" || l.name().find("shortcut") != std::string::npos)
          << l.name();
    }
    EXPECT_EQ(adds, 4u * 28 * 28 + 8 * 14 * 14 + 16 * 7 * 7);  // one per element of each add
  }
}

TEST(Accelerator, ResidualNetworkAccuracyIsTheModelsOwn) {
  models::ArchitectureOptions o;
  o.conv_channels = {4};
  const config::ModelFile net =
      models::Model::from_spec(models::build_architecture("resnet8", o), 5).to_spec(true);
  config::Scenario sc = default_study();
  RunInputs in;
  in.scenario = &sc;
  in.model = &net;
  const models::Dataset subset = testing::test_set().head(500);
  in.test = &subset;
  in.measure_accuracy = true;
  const config::AcceleratorResult r = run_accelerator(in);
  EXPECT_TRUE(r.outputs_match());
  // Identity codec: the decoded weights are the model's, so is the accuracy.
  EXPECT_DOUBLE_EQ(r.accuracy(), models::Model::from_spec(net, 0).accuracy(subset));
}

TEST(Accelerator, TrafficOnlyZooRunUsesNominalSizes) {
  config::Scenario sc = default_study();
  set_codec(sc, "quant", 8);
  const config::ModelFile lenet = models::build_architecture("lenet5", {});
  const config::AcceleratorResult r = run(sc, lenet);
  EXPECT_TRUE(r.nominal_sizes());
  EXPECT_FALSE(r.outputs_match());
  EXPECT_EQ(r.accuracy(), 0.0);
  EXPECT_GT(r.cycles(), 0u);
  EXPECT_GT(r.weight_flits(), 0u);
  EXPECT_NEAR(r.bits_per_weight(), 8.0, 0.5);
}

// Bad configurations name the field.
std::string error_field(const config::Scenario& sc) {
  try {
    run(sc);
  } catch (const UserError& e) {
    return e.field();
  }
  return "(no error)";
}

TEST(AcceleratorConfig, RejectsBadValuesOnTheirField) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->add_mc_nodes(16);
  EXPECT_EQ(error_field(sc), "accelerator.mc_nodes[0]");

  sc = default_study();
  sc.mutable_accelerator()->add_mc_nodes(0);
  sc.mutable_accelerator()->add_pe_nodes(0);
  EXPECT_EQ(error_field(sc), "accelerator.pe_nodes[0]");

  sc = default_study();
  sc.mutable_accelerator()->mutable_pe()->set_macs_per_cycle(0);
  EXPECT_EQ(error_field(sc), "accelerator.pe.macs_per_cycle");

  sc = default_study();
  sc.mutable_accelerator()->mutable_pe()->set_weight_buffer_kib(0);
  EXPECT_EQ(error_field(sc), "accelerator.pe.weight_buffer_kib");

  sc = default_study();
  sc.mutable_accelerator()->set_max_packet_flits(1);
  EXPECT_EQ(error_field(sc), "accelerator.max_packet_flits");

  sc = default_study();
  sc.mutable_accelerator()->set_images(20000);
  EXPECT_EQ(error_field(sc), "accelerator.images");

  // Explicit zeros are errors, not requests for the default.
  sc = default_study();
  sc.mutable_accelerator()->set_images(0);
  EXPECT_EQ(error_field(sc), "accelerator.images");
  sc = default_study();
  sc.mutable_accelerator()->mutable_dram()->set_bandwidth_gb_per_s(0);
  EXPECT_EQ(error_field(sc), "accelerator.dram.bandwidth_gb_per_s");
  sc = default_study();
  sc.mutable_accelerator()->mutable_datapath()->set_activation_precision("int4");
  EXPECT_EQ(error_field(sc), "accelerator.datapath.activation_precision");
  sc = default_study();
  sc.mutable_accelerator()->mutable_datapath()->set_weight_precision("float");
  EXPECT_EQ(error_field(sc), "accelerator.datapath.weight_precision");
  sc = default_study();
  sc.mutable_sim()->set_max_cycles(0);
  EXPECT_EQ(error_field(sc), "sim.max_cycles");

  sc = default_study();
  sc.mutable_tech()->set_clock_ghz(0);
  EXPECT_EQ(error_field(sc), "tech.clock_ghz");

  sc = default_study();
  sc.mutable_codec()->mutable_stages(0)->set_name("no_such_codec");
  EXPECT_EQ(error_field(sc).rfind("codec", 0), 0u);
}

TEST(AcceleratorConfig, UnknownMappingListsTheValidOnes) {
  config::Scenario sc = default_study();
  sc.mutable_accelerator()->set_mapping("diagonal");
  try {
    run(sc);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "accelerator.mapping");
    EXPECT_NE(std::string(e.what()).find("locality_aware"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("round_robin"), std::string::npos);
  }
}

}  // namespace
}  // namespace nocsim::pe

namespace nocsim::pe {
namespace {

TEST(AcceleratorAccuracy, AccuracyImagesLimitsThePassAndIsReported) {
  config::Scenario sc = testing::default_study();
  sc.mutable_accelerator()->set_accuracy_images(500);
  const config::AcceleratorResult r = testing::run(sc, testing::pd_mlp(), true);
  EXPECT_EQ(r.accuracy_images(), 500u);
  // The same as the functional model's accuracy on those 500 images (identity: the original).
  const models::Model m = models::Model::from_spec(testing::pd_mlp(), 1);
  EXPECT_DOUBLE_EQ(r.accuracy(), m.accuracy(testing::test_set().head(500)));
  EXPECT_DOUBLE_EQ(r.baseline_accuracy(), r.accuracy());
  sc.mutable_accelerator()->set_accuracy_images(20000);
  EXPECT_THROW(testing::run(sc, testing::pd_mlp(), true), UserError);
  sc.mutable_accelerator()->set_accuracy_images(0);
  EXPECT_EQ(error_field(sc), "accelerator.accuracy_images");
}

}  // namespace
}  // namespace nocsim::pe
