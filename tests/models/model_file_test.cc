// Model files round-trip; truncated or inconsistent files are UserErrors naming file and field.
#include "models/model_file.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/architecture.h"
#include "models/pruning.h"
#include "test_util.h"
#include "tests/temp_dir.h"

namespace nocsim::models {
namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
  static const fs::path dir = nocsim::testing::fresh_temp_dir("model_files");
  return (dir / name).string();
}

void write(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

Model small_model() {
  ArchitectureOptions o;
  o.hidden = {20};
  o.conv_channels = {4, 8};
  o.conv_kernel = 3;
  o.conv_block_size = 2;
  o.block_sizes = {4, 2};
  return Model::from_spec(build_architecture("cnn", o), 5);
}

std::string expect_load_error(const std::string& path) {
  try {
    load_model(path);
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "expected a UserError for " << path;
  return "";
}

TEST(ModelFile, RoundTripKeepsShapesOffsetsWeightsAndOutputs) {
  Model m = small_model();
  m.training().set_seed(5);
  m.training().set_test_accuracy(0.5);
  const std::string path = temp_path("roundtrip.pb");
  write(path, serialize_model(m));
  const Model back = load_model(path);
  ASSERT_EQ(back.num_layers(), m.num_layers());
  EXPECT_EQ(back.training().seed(), 5u);
  for (int i = 0; i < m.num_layers(); ++i) {
    EXPECT_EQ(back.layer(i).kind(), m.layer(i).kind());
    EXPECT_EQ(back.layer(i).block_size(), m.layer(i).block_size());
    const auto a = m.layer(i).offsets(), b = back.layer(i).offsets();
    EXPECT_TRUE(std::equal(a.begin(), a.end(), b.begin(), b.end()));
    const std::span<const float> wa = m.layer(i).weights(), wb = back.layer(i).weights();
    EXPECT_TRUE(std::equal(wa.begin(), wa.end(), wb.begin(), wb.end()));
  }
  Matrix x(3, 784), y1, y2;
  test_util::fashion_test().slice(0, 3, x);
  m.forward(x, y1);
  back.forward(x, y2);
  EXPECT_EQ(y1, y2);
}

TEST(ModelFile, TruncatedFileIsAUserErrorAtEveryCut) {
  const std::string bytes = serialize_model(small_model());
  const std::string path = temp_path("truncated.pb");
  for (size_t cut : {size_t{0}, size_t{1}, size_t{7}, bytes.size() / 3, bytes.size() / 2,
                     bytes.size() - 6, bytes.size() - 1}) {
    write(path, bytes.substr(0, cut));
    expect_load_error(path);
  }
  EXPECT_NE(expect_load_error(temp_path("does_not_exist.pb")).find("cannot open"),
            std::string::npos);
}

TEST(ModelFile, InconsistentFilesNameTheLayerAndField) {
  const Model m = small_model();
  const std::string path = temp_path("inconsistent.pb");
  auto save = [&](const config::ModelFile& f) { write(path, serialize_model_file(f)); };
  config::ModelFile f = m.to_spec(true);
  f.mutable_layers(0)->mutable_weights()->RemoveLast();
  save(f);
  EXPECT_NE(expect_load_error(path).find("layers[0].weights"), std::string::npos);

  f = m.to_spec(true);
  f.mutable_layers(0)->set_offsets(0, 9);  // p = 2
  save(f);
  EXPECT_NE(expect_load_error(path).find("layers[0].offsets"), std::string::npos);

  f = m.to_spec(true);
  f.mutable_layers(7)->set_in_channels(99);  // breaks the chain
  save(f);
  EXPECT_NE(expect_load_error(path).find("layers[7]"), std::string::npos);

  f = m.to_spec(true);
  f.set_num_classes(12);
  save(f);
  EXPECT_NE(expect_load_error(path).find("num_classes"), std::string::npos);

  f = m.to_spec(true);
  f.mutable_layers(2)->set_kind("unknown_kind");
  save(f);
  EXPECT_NE(expect_load_error(path).find("layers[2].kind"), std::string::npos);

  save(build_architecture("lenet5", {}));  // a catalog has no weights
  EXPECT_NE(expect_load_error(path).find("weights"), std::string::npos);
}

Model pruned_mlp(double density) {
  ArchitectureOptions o;
  o.hidden = {30, 20};
  Model m = Model::from_spec(build_architecture("mlp", o), 9);
  prune_by_magnitude(m, density);
  return m;
}

TEST(ModelFile, DensityRoundTripsWithThePrunedWeights) {
  const Model m = pruned_mlp(0.25);
  const std::string path = temp_path("pruned.pb");
  write(path, serialize_model(m));
  const Model back = load_model(path);
  const auto layers = describe_layers(read_model_file(path));
  for (int i = 0; i < m.num_layers(); ++i) {
    EXPECT_EQ(back.layer(i).density(), m.layer(i).density());
    EXPECT_EQ(layers[i].density, m.layer(i).density());
    EXPECT_TRUE(std::equal(m.layer(i).weights().begin(), m.layer(i).weights().end(),
                           back.layer(i).weights().begin(), back.layer(i).weights().end()));
  }
  EXPECT_DOUBLE_EQ(back.layer(0).density(), 0.25);
  EXPECT_EQ(back.layer(1).density(), 1.0) << "relu: not pruned";
  EXPECT_FALSE(read_model_file(path).layers(1).has_density());
}

TEST(ModelFile, BadDensityNamesTheLayerAndField) {
  const std::string path = temp_path("bad_density.pb");
  auto expect_error = [&](const config::ModelFile& f, const std::string& part) {
    write(path, serialize_model_file(f));
    const std::string err = expect_load_error(path);
    EXPECT_NE(err.find(part), std::string::npos) << err;
  };
  const config::ModelFile good = pruned_mlp(0.25).to_spec(true);
  for (const double d : {0.0, 1.5, -1.0}) {
    config::ModelFile f = good;
    f.mutable_layers(2)->set_density(d);
    expect_error(f, "layers[2].density");
  }
  config::ModelFile f = good;
  f.mutable_layers(1)->set_density(0.5);  // relu
  expect_error(f, "layers[1].density: layer 'relu1' (relu): this kind cannot be pruned");
  // More non-zeros than the density allows: 0.1 of fc1's 23,520 weights is at most 2,352.
  f = good;
  f.mutable_layers(0)->set_density(0.1);
  expect_error(f, "layers[0].density: layer 'fc1' (dense): 5880 non-zero weights");
  expect_error(f, "at most 2352 of 23520");
  // A permuted-diagonal layer is structured, not pruned.
  ArchitectureOptions o;
  o.hidden = {8};
  o.block_sizes = {4};
  f = Model::from_spec(build_architecture("pd_mlp", o), 1).to_spec(true);
  f.mutable_layers(0)->set_density(0.25);
  expect_error(f, "layers[0].density: layer 'fc1' (pd_dense)");
}

TEST(ModelFile, EveryByteFlipIsRefused) {
  // Before payload checksums, 23 of 200 such flips loaded and changed the model silently.
  const std::string bytes = serialize_model(small_model());
  const std::string path = temp_path("flipped.pb");
  Rng rng(3);
  for (int k = 0; k < 200; ++k) {
    std::string m = bytes;
    const size_t at = static_cast<size_t>(rng.uniform() * static_cast<double>(m.size()));
    m[at] = static_cast<char>(m[at] ^ (1 + static_cast<int>(rng.uniform() * 255)));
    write(path, m);
    SCOPED_TRACE("byte " + std::to_string(at));
    expect_load_error(path);
  }
}

TEST(ModelFile, FileWithoutChecksumIsRefusedAndSaysWhy) {
  config::ModelFile f = small_model().to_spec(true);
  f.set_end_marker(kModelFileEndMarker);
  const std::string path = temp_path("legacy.pb");
  write(path, f.SerializeAsString());
  EXPECT_NE(expect_load_error(path).find("no payload checksum"), std::string::npos);
}

TEST(ModelFile, StoredShapesAndCountsAreCheckedAgainstTheArchitecture) {
  const Model m = small_model();
  const std::string path = temp_path("stored_counts.pb");
  struct Case {
    int layer;
    std::string field;
    std::function<void(config::LayerSpec&)> edit;
  };
  for (const Case& c : std::vector<Case>{
           {1, "num_weights", [](config::LayerSpec& l) { l.set_num_weights(l.num_weights() + 1); }},
           {0, "num_weights", [](config::LayerSpec& l) { l.set_num_weights(1); }},
           {0, "macs", [](config::LayerSpec& l) { l.set_macs(7); }},
           {0, "out_height", [](config::LayerSpec& l) { l.set_out_height(l.out_height() + 1); }},
           {0, "out_width", [](config::LayerSpec& l) { l.set_out_width(3); }},
           {2, "in_height", [](config::LayerSpec& l) { l.set_in_height(l.in_height() * 2); }},
       }) {
    config::ModelFile f = m.to_spec(true);
    c.edit(*f.mutable_layers(c.layer));
    write(path, serialize_model_file(f));
    const std::string err = expect_load_error(path);
    EXPECT_NE(err.find("layers[" + std::to_string(c.layer) + "]." + c.field), std::string::npos)
        << err;
    EXPECT_NE(err.find(m.layer(c.layer).name()), std::string::npos) << err;
  }
}

TEST(ModelFile, HugeLayerIsAClearErrorNotBadAlloc) {
  // A layer with 10^9 outputs used to reach allocate() and end in std::bad_alloc.
  config::ModelFile f = small_model().to_spec(true);
  const int last = f.layers_size() - 1;
  f.mutable_layers(last)->set_out_channels(1'000'000'000);
  f.mutable_layers(last)->clear_num_weights();
  f.set_num_classes(1'000'000'000);
  const std::string path = temp_path("huge.pb");
  write(path, serialize_model_file(f));
  EXPECT_NE(expect_load_error(path).find("layers[" + std::to_string(last) + "]"),
            std::string::npos);
  config::ModelFile g = f;
  for (auto& l : *g.mutable_layers()) {
    l.clear_weights();
    l.clear_bias();
  }
  EXPECT_THROW(check_stored_shapes(g, "catalog"), UserError);  // a catalog is bounded too
}

TEST(ModelFile, FolderDeviceAndOverlongPathAreClearErrors) {
  const std::string dir = temp_path("a_folder");
  fs::create_directories(dir);
  EXPECT_NE(expect_load_error(dir).find("is a folder"), std::string::npos);
  EXPECT_NE(expect_load_error("/dev/zero").find("not a regular file"), std::string::npos);
  const std::string long_path = temp_path(std::string(300, 'm') + ".pb");
  const std::string err = expect_load_error(long_path);
  EXPECT_NE(err.find("too long"), std::string::npos) << err;
}

TEST(ModelZoo, CatalogsMatchThePublishedParameterAndMacCounts) {
  struct Expect {
    const char* name;
    int64_t weights, macs;
  };
  // Weight counts (no biases) and MACs from the papers' layer tables.
  for (const Expect& e :
       {Expect{"lenet5", 61470, 416520}, Expect{"alexnet", 62367776, 1135256096},
        Expect{"vgg16", 138344128, 15470264320}, Expect{"resnet50", 25502912, 3857973248}}) {
    config::ModelConfig mc;
    mc.set_zoo(e.name);
    const auto layers = describe_layers(load_model_spec(mc));
    int64_t weights = 0, macs = 0;
    for (const auto& l : layers) {
      weights += l.num_weights;
      macs += l.macs;
      EXPECT_GT(l.output.size(), 0);
    }
    EXPECT_EQ(weights, e.weights) << e.name;
    EXPECT_EQ(macs, e.macs) << e.name;
  }
  config::ModelConfig mc;
  mc.set_zoo("vgg16");
  const auto vgg = describe_layers(load_model_spec(mc));
  EXPECT_EQ(vgg.front().kind, "conv2d");
  EXPECT_EQ(vgg.front().output, (TensorShape{64, 224, 224}));
  EXPECT_EQ(vgg.back().input, (TensorShape{4096, 1, 1}));
}

TEST(ModelZoo, UnknownNameListsTheValidOnes) {
  config::ModelConfig mc;
  mc.set_zoo("googlenet");
  try {
    load_model_spec(mc);
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "model.zoo");
    EXPECT_NE(std::string(e.what()).find("resnet50"), std::string::npos);
  }
  EXPECT_THROW(load_model_spec(config::ModelConfig{}), UserError);
}

TEST(ModelZoo, Lenet5RunsOnFashionMnistShapes) {
  const Model m = Model::from_spec(build_architecture("lenet5", {}), 1);
  EXPECT_EQ(m.num_parameters(), 61706);
  Matrix x(2, 784), y;
  test_util::fashion_test().slice(0, 2, x);
  m.forward(x, y);
  EXPECT_EQ(y.cols(), 10);
}

}  // namespace
}  // namespace nocsim::models
