// The study summary and figures in the regime the points ran in: steady state per inference when
// every point streamed several images, the cold start otherwise.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/schema/result.pb.h"
#include "tests/temp_dir.h"
#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/result_files.h"
#include "tools/study_points.h"
#include "tools/study_report.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

// A point that streamed `images` images: the whole run's energy, its cold start and steady state.
config::RunResult streamed(const std::string& codec, double bpw, uint32_t images, double steady,
                           double steady_pj, uint64_t cold, double acc) {
  config::RunResult r;
  r.set_scenario("study");
  auto* a = r.mutable_accelerator();
  a->set_codec(codec);
  a->set_bits_per_weight(bpw);
  a->set_images(images);
  a->set_cycles(static_cast<uint64_t>(steady));
  a->set_accuracy(acc);
  a->mutable_cold()->set_cycles(cold);
  a->mutable_cold()->set_energy_pj(2 * steady_pj);
  if (images > 1) {
    a->mutable_steady()->set_cycles_per_inference(steady);
    a->mutable_steady()->set_energy_pj_per_inference(steady_pj);
  }
  a->mutable_energy()->set_total_pj(steady_pj * (images - 1) + 2 * steady_pj);
  a->mutable_energy()->set_dram_pj(steady_pj * images);
  return r;
}

TEST(StudySummary, SteadyStatePointsCompareCostPerInferenceAndShowTheColdStart) {
  std::string csv = csv_header(config::RunResult());
  csv += csv_row(streamed("identity", 32, 20, 5000, 40e6, 6700, 0.897));
  csv += csv_row(streamed("quant:bits=4", 4.5, 20, 1250, 8e6, 1750, 0.887));
  const CsvTable t = CsvTable::parse(csv);
  EXPECT_TRUE(study_costs(t).steady);
  const std::string md = study_summary_markdown(t);
  EXPECT_NE(md.find("Regime: steady state"), std::string::npos) << md;
  EXPECT_NE(md.find("N = 20 pipelined images"), std::string::npos) << md;
  EXPECT_NE(md.find("cold-start cycles"), std::string::npos) << md;
  // -75% latency and -80% energy per inference, the cold start beside them.
  EXPECT_NE(
      md.find("| quant:bits=4 | 4.50 | 1250 | -75.0% | 8.00 | -80.0% | 1750 | 88.70% | -1.00 pp |"),
      std::string::npos)
      << md;
}

TEST(StudySummary, OnePointWithoutASteadyStateMakesTheWholeStudyColdStart) {
  std::string csv = csv_header(config::RunResult());
  csv += csv_row(streamed("identity", 32, 20, 5000, 40e6, 6700, 0.897));
  csv += csv_row(streamed("quant:bits=4", 4.5, 1, 1250, 8e6, 1750, 0.887));
  const CsvTable t = CsvTable::parse(csv);
  const StudyCosts costs = study_costs(t);
  EXPECT_FALSE(costs.steady);
  // Images differ between points: the first image (cold) is the one figure they share; the
  // whole-run energy would compare 20 images with one.
  EXPECT_EQ(costs.latency_column, "accelerator.cold.cycles");
  EXPECT_EQ(costs.energy_column, "accelerator.cold.energy_pj");
  const std::string md = study_summary_markdown(t);
  EXPECT_NE(md.find("Regime: cold start"), std::string::npos) << md;
  EXPECT_NE(md.find("| quant:bits=4 | 4.50 | 1750 | -73.9% | 16.00 | -80.0% | 88.70% |"),
            std::string::npos)
      << md;
}

TEST(StudySummary, WithoutAnIdentityPointTheMostBitsPerWeightIsTheReference) {
  // An int16 datapath: the identity codec is refused, the 16-bit quantizer is the reference.
  std::string csv = csv_header(config::RunResult());
  csv += csv_row(streamed("quant:bits=8", 8, 20, 2500, 20e6, 3000, 0.90));
  csv += csv_row(streamed("quant:bits=16", 16, 20, 5000, 40e6, 6700, 0.91));
  const std::string md = study_summary_markdown(CsvTable::parse(csv));
  EXPECT_NE(md.find("most bits per weight"), std::string::npos) << md;
  EXPECT_NE(md.find("| quant:bits=16 | 16.00 | 5000 | ref |"), std::string::npos) << md;
  EXPECT_NE(md.find("| quant:bits=8 | 8.00 | 2500 | -50.0% | 20.00 | -50.0% | 3000 | 90.00% | "
                    "-1.00 pp |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("vs ref"), std::string::npos) << md;
}

TEST(AxisPlot, NumericAxesLeaveOutTheCodecAndTheSeed) {
  std::string csv = "point,codec," + csv_header(config::RunResult());
  auto row = [&](const std::string& kib, const std::string& codec, const std::string& spec) {
    csv += "accelerator.pe.weight_buffer_kib=" + kib + "|codec=" + codec + "|sim.seed=1|" +
           "noc.routing.algorithm=xy," + codec + "," +
           csv_row(streamed(spec, 8, 20, 100, 1e6, 200, 0.9));
  };
  row("8", "fp32", "identity");
  row("64", "fp32", "identity");
  row("8", "int8", "quant:bits=8");
  row("64", "int8", "quant:bits=8");
  const CsvTable t = CsvTable::parse(csv);
  EXPECT_EQ(numeric_axes(t), std::vector<std::string>{"accelerator.pe.weight_buffer_kib"});
  auto dir = nocsim::testing::fresh_temp_dir("axis_plot");
  std::ofstream(dir / "results.csv") << csv;
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"plot", (dir / "results.csv").string()}, out, err), 0) << err.str();
  EXPECT_TRUE(fs::exists(dir / "latency_vs_weight_buffer_kib.png")) << out.str();
  EXPECT_TRUE(fs::exists(dir / "energy_vs_weight_buffer_kib.png")) << out.str();
  // An axis that is not numeric is refused by name.
  EXPECT_EQ(run_cli({"plot", (dir / "results.csv").string(), "--kind", "latency-vs-axis", "--x",
                     "noc.routing.algorithm"},
                    out, err),
            2);
  EXPECT_NE(err.str().find("--x: the results have no numeric sweep axis 'noc.routing.algorithm'"),
            std::string::npos)
      << err.str();
}

}  // namespace
}  // namespace nocsim::tools
