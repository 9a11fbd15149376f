// Writes the seed corpora of the reader fuzzers: a few small valid inputs per target, so that
// libFuzzer starts from the formats' structure. Run from the fuzz build:
//   build-fuzz/tools/fuzz/nocsim_reader_seeds .
// Seeds are named seed_*; tests replay them and require each to load (a stale seed means a format
// changed: run this again).
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "models/fuzz/dataset_harness.h"
#include "models/model_file.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/trace_writer.h"
#include "tools/fuzz/scenario_harness.h"

namespace fs = std::filesystem;
using namespace nocsim;
using models::fuzz::be32;
using models::fuzz::gzip;

namespace {

void write(const fs::path& file, const std::string& bytes) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
}

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

config::LayerSpec layer(const std::string& kind, const std::string& name, int out = 0,
                        int block = 0, int kernel = 0) {
  config::LayerSpec l;
  l.set_kind(kind);
  l.set_name(name);
  if (out) l.set_out_channels(out);
  if (block) l.set_block_size(block);
  if (kernel) l.set_kernel(kernel);
  return l;
}

std::string model(int channels, int side, int classes, const std::vector<config::LayerSpec>& ls) {
  config::ModelFile f;
  f.set_format_version(1);
  f.set_name("seed");
  f.set_input_channels(channels);
  f.set_input_height(side);
  f.set_input_width(side);
  f.set_num_classes(classes);
  for (const auto& l : ls) *f.add_layers() = l;
  return models::serialize_model(models::Model::from_spec(f, 1));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: nocsim_reader_seeds <source dir>\n";
    return 2;
  }
  const fs::path root = argv[1];
  const fs::path mf = root / "models/fuzz/corpus/model_file";
  write(mf / "seed_dense",
        model(16, 1, 4, {layer("dense", "fc1", 8), layer("relu", "r1"), layer("dense", "fc2", 4)}));
  write(mf / "seed_pd", model(16, 1, 4,
                              {layer("pd_dense", "fc1", 8, 2), layer("relu", "r1"),
                               layer("pd_dense", "fc2", 4, 2)}));
  write(mf / "seed_conv", model(1, 6, 3,
                                {layer("conv2d", "c1", 2, 0, 3), layer("relu", "r1"),
                                 layer("max_pool", "p1", 0, 0, 2), layer("dense", "fc", 3)}));
  write(mf / "seed_pd_conv", model(2, 5, 2,
                                   {layer("pd_conv2d", "c1", 4, 2, 3), layer("relu", "r1"),
                                    layer("avg_pool", "p1", 0, 0, 3), layer("dense", "fc", 2)}));
  // A residual block: the add reads c2 and r1 by name (LayerSpec.inputs).
  std::vector<config::LayerSpec> block = {layer("conv2d", "c1", 2, 0, 3), layer("relu", "r1"),
                                          layer("conv2d", "c2", 2, 0, 3), layer("add", "sum"),
                                          layer("dense", "fc", 3)};
  block[0].set_padding(1);
  block[2].set_padding(1);
  block[3].add_inputs("c2");
  block[3].add_inputs("r1");
  write(mf / "seed_residual", model(1, 6, 3, block));

  const fs::path ds = root / "models/fuzz/corpus/dataset";
  const std::string labels3 = gzip(be32(0x801) + be32(3) + std::string("\x01\x09\x00", 3));
  write(ds / "seed_3x2x2",
        models::fuzz::dataset_input(
            gzip(be32(0x803) + be32(3) + be32(2) + be32(2) + std::string(12, '\x80')), labels3));
  write(ds / "seed_1x28x28",
        models::fuzz::dataset_input(
            gzip(be32(0x803) + be32(1) + be32(28) + be32(28) + std::string(784, '\x00')),
            gzip(be32(0x801) + be32(1) + std::string(1, '\x07'))));

  const fs::path tr = root / "noc/traffic/fuzz/corpus/trace";
  write(tr / "seed_one", noc::make_trace({noc::trace_record(0, 0, 15, 1)}).SerializeAsString());
  write(tr / "seed_mixed",
        noc::make_trace({noc::trace_record(30, 1, 2, 4, 1), noc::trace_record(10, 3, 4, 1),
                         noc::trace_record(10, 7, 8, 16, 3), noc::trace_record(999, 15, 0, 2)})
            .SerializeAsString());
  // Format 2: kinds and a multicast record, in the order nocsim writes them.
  config::Trace mc =
      noc::make_trace({noc::trace_record(0, 0, 5, 9, 0), noc::trace_record(12, 4, 0, 5, 1)});
  mc.add_kinds("weights");
  mc.add_kinds("activations");
  mc.mutable_records(1)->add_destinations(1);
  mc.mutable_records(1)->add_destinations(2);
  mc.mutable_records(1)->add_destinations(15);
  mc.mutable_records(1)->set_kind(1);
  write(tr / "seed_multicast_kinds",
        noc::serialize_trace(mc, noc::TraceFormat::kBinary, "seed", "seed"));

  const fs::path tt = root / "noc/traffic/fuzz/corpus/trace_text";
  write(tt / "seed_plain", "nocsim-trace text 1\n0 0 15 1 0\n3 2 7 4 1  # a comment\nend 2\n");
  write(tt / "seed_kinds_multicast",
        noc::serialize_trace(mc, noc::TraceFormat::kText, "seed", "seed"));
  write(tt / "seed_comments",
        "nocsim-trace text 1\n# a hand-made trace\n\nkinds a b_2 c.d\n"
        "5\t1\t2,3\t2\t0\tb_2\n5 1 2 1 255 c.d\n999 15 0 65535 3 a\nend 3\n");

  const fs::path sc = root / "tools/fuzz/corpus/scenario";
  const std::string mesh4 = slurp(root / "configs/traffic/mesh4x4_uniform.textproto");
  write(sc / "seed_mesh4x4", mesh4);
  write(sc / "seed_mesh4x4_sets", mesh4 + tools::fuzz::kSetsMarker +
                                      "noc.router.num_vcs=4\ntraffic.packet_size=4\n"
                                      "sim.max_queued_packets=1000\ntech.fp32_mult_pj=1.5\n");
  write(sc / "seed_bursty", slurp(root / "configs/traffic/mesh8x8_bursty.textproto"));
  write(sc / "seed_study", slurp(root / "configs/study/fmnist_pd_mlp.textproto") +
                               tools::fuzz::kSetsMarker +
                               "codec.stages[0].params[bits]=4\naccelerator.mc_nodes=0,3\n");

  const fs::path sw = root / "tools/fuzz/corpus/sweep";
  write(sw / "seed_values",
        "base: \"base.textproto\"\nrunner: \"traffic\"\n"
        "axes { field: \"traffic.injection_rate\" values: [\"0.1\", \"0.2\"] }\n");
  write(sw / "seed_variants",
        "base: \"base.textproto\"\nset: \"sim.seed=3\"\n"
        "axes { field: \"noc.router.num_vcs\" values: [\"2\", \"4\"] }\n"
        "axes { name: \"pattern\" variants { label: \"uni\" set: \"traffic.pattern=uniform\" }\n"
        "  variants { label: \"tr\" set: \"traffic.pattern=transpose\" set: "
        "\"traffic.packet_size=2\" } }\n");
  std::cout << "wrote seeds under " << root << "\n";
  return 0;
}
