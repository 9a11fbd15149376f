// The engine comparison of a study that ran several tile kinds: the table, the pairing at equal
// storage within the same other axes, the ratios, the load imbalance, and the figure.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "configs/input_file.h"
#include "configs/schema/result.pb.h"
#include "configs/user_error.h"
#include "tests/temp_dir.h"
#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/result_files.h"
#include "tools/study_report.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

struct Engine {
  std::string label, kind;
  uint64_t stored;
  double per_second, pj, area;
  bool accuracy = true;
};

config::RunResult engine_point(const Engine& e, double acc) {
  config::RunResult r;
  r.set_scenario("engines");
  auto* a = r.mutable_accelerator();
  a->set_tile_kind(e.kind);
  a->set_stored_weights(e.stored);
  a->set_images(10);
  a->set_cycles(static_cast<uint64_t>(1e9 / e.per_second));
  a->mutable_cold()->set_cycles(5000);
  a->mutable_steady()->set_cycles_per_inference(1e9 / e.per_second);
  a->mutable_steady()->set_inferences_per_second(e.per_second);
  a->mutable_steady()->set_energy_pj_per_inference(e.pj);
  a->mutable_area()->set_total_mm2(e.area);
  if (e.accuracy) a->set_accuracy(acc);
  return r;
}

// A buffer x engine sweep: permdnn, two eie points (one at permdnn's storage, one at half) and a
// dense one, on two buffer sizes whose numbers differ, so that a pair across groups would show.
std::string engine_sweep_csv(bool with_accuracy) {
  std::string csv = "point_index,point,weight_buffer_kib,engine," + csv_header(config::RunResult());
  const Engine engines[] = {{"pd4", "permdnn", 1000, 2000, 1e6, 2.0},
                            {"eie25", "eie", 1010, 1000, 2e6, 2.0},
                            {"eie12", "eie", 480, 4000, 5e5, 2.0},
                            {"dense", "dense", 4000, 500, 8e6, 4.0}};
  int index = 0;
  for (int kib : {64, 4096})
    for (Engine e : engines) {
      if (kib == 4096) e.per_second *= 3;  // the other group: other numbers
      e.accuracy = with_accuracy;
      csv += std::to_string(index++) + ",accelerator.pe.weight_buffer_kib=" + std::to_string(kib) +
             "|engine=" + e.label + "," + std::to_string(kib) + "," + e.label + "," +
             csv_row(engine_point(e, e.kind == "dense" ? 0.90 : 0.89));
    }
  return csv;
}

CsvTable engine_sweep(bool with_accuracy = true) {
  return CsvTable::parse(engine_sweep_csv(with_accuracy));
}

bool has(const std::string& md, const std::string& line) {
  return md.find(line) != std::string::npos;
}

TEST(EngineReport, OnlyResultsWithSeveralTileKindsCompareEngines) {
  EXPECT_TRUE(compares_engines(engine_sweep()));
  std::string csv = "point," + csv_header(config::RunResult());
  csv += "engine=a," + csv_row(engine_point({"a", "permdnn", 1, 1, 1, 1}, 0.9));
  csv += "engine=b," + csv_row(engine_point({"b", "permdnn", 2, 1, 1, 1}, 0.9));
  EXPECT_FALSE(compares_engines(CsvTable::parse(csv)));
}

TEST(EngineReport, EachPointPairsWithTheClosestStorageOfTheSameOtherAxes) {
  const std::string md = engine_comparison_markdown(engine_sweep());
  const std::string expected[] = {
      // permdnn pairs with eie25 (1010 stored), never with eie12 (480) nor across buffer sizes.
      "| pd4 / eie25 [weight_buffer_kib=64] | 0.99 | 2.00x | 2.00x | 2.00x | +0.00 pp |",
      "| pd4 / eie25 [weight_buffer_kib=4096] | 0.99 | 2.00x | 2.00x | 2.00x |",
      // Every pair of kinds appears, in the results' order of kinds; area enters area efficiency.
      "| pd4 / dense [weight_buffer_kib=64] | 0.25 | 4.00x | 8.00x | 8.00x | -1.00 pp |",
      "| eie12 / dense [weight_buffer_kib=64] | 0.12 | 8.00x | 16.0x | 16.0x |",
      // The table row: label with the other axes, kind, storage, cycles, throughput, energy, area.
      std::string("| pd4 [weight_buffer_kib=64] | permdnn | 1000 | 500000 | 2000 | 1.000 | 2.000 | "
                  "1000 | 89.00% | n/a |")};
  for (const std::string& line : expected) EXPECT_TRUE(has(md, line)) << line << "\n" << md;
  EXPECT_FALSE(has(md, "pd4 / eie12")) << md;
  EXPECT_FALSE(has(md, "dense / ")) << md;
}

TEST(EngineReport, LoadImbalanceComesFromTheLayersTable) {
  // Point 1 (eie25 at 64 KiB): busiest tiles 60 + 50 against means 50 + 50: +10%.
  const CsvTable layers = CsvTable::parse(
      "point_index,point,name,busiest_tile_cycles,mean_tile_cycles\n"
      "1,x,fc1,60,50\n1,x,fc2,50,50\n0,x,fc1,50,50\n");
  const std::string md = engine_comparison_markdown(engine_sweep(), &layers);
  EXPECT_TRUE(has(md, "| eie25 [weight_buffer_kib=64] | eie | 1010 |")) << md;
  EXPECT_TRUE(has(md, "| 89.00% | +10.0% |")) << md;
  EXPECT_TRUE(has(md, "| 89.00% | +0.0% |")) << md;
}

TEST(EngineReport, ModelsWithoutAccuracySayNotAvailable) {
  const std::string md = engine_comparison_markdown(engine_sweep(false));
  EXPECT_FALSE(has(md, "0.00%")) << md;
  EXPECT_TRUE(has(md,
                  "| pd4 / eie25 [weight_buffer_kib=64] | 0.99 | 2.00x | 2.00x | 2.00x | "
                  "n/a |"))
      << md;
  // And the codec summary of the same results does not print 0% either.
  EXPECT_FALSE(has(study_summary_markdown(engine_sweep(false)), "0.00%"));
}

TEST(EngineReport, RatioFigureIsDrawnAndNeedsAPair) {
  const std::string out =
      (nocsim::testing::fresh_temp_dir("engine_report") / "engine_ratios.png").string();
  plot_engine_ratios(engine_sweep(), out);
  EXPECT_GT(fs::file_size(out), 1000u);
  std::string csv = "point," + csv_header(config::RunResult());
  csv += "engine=a," + csv_row(engine_point({"a", "permdnn", 1, 1, 1, 1}, 0.9));
  EXPECT_THROW(plot_engine_ratios(CsvTable::parse(csv), out), UserError);
}

TEST(EngineReport, PlotAllWritesTheEngineTableAndFigureAndSkipsAccuracyFiguresWithoutAccuracy) {
  const fs::path dir = nocsim::testing::fresh_temp_dir("engine_plot");
  std::ofstream(dir / "results.csv") << engine_sweep_csv(false);
  std::ofstream(dir / "layers.csv") << "point_index,point,name,busiest_tile_cycles,"
                                       "mean_tile_cycles\n1,x,fc1,66,60\n";
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"plot", (dir / "results.csv").string()}, out, err), 0) << err.str();
  EXPECT_TRUE(fs::exists(dir / "engine_ratios.png"));
  EXPECT_TRUE(fs::exists(dir / "energy_breakdown.png"));
  // Random-weight models: no accuracy, so no accuracy axes to draw.
  EXPECT_FALSE(fs::exists(dir / "latency_vs_accuracy.png"));
  const std::string md = read_input_file((dir / "summary.md").string(), "", "summary", 1 << 20);
  EXPECT_TRUE(has(md, "## Engines")) << md;
  EXPECT_TRUE(has(md, "| eie25 [weight_buffer_kib=64] | eie | 1010 |")) << md;
  EXPECT_TRUE(has(md, "| n/a | +10.0% |")) << md;
  std::ostringstream out2, err2;
  EXPECT_EQ(run_cli({"plot", (dir / "results.csv").string(), "--kind", "latency-vs-accuracy"}, out2,
                    err2),
            2);
  EXPECT_TRUE(has(err2.str(), "no point measured accuracy")) << err2.str();
}

}  // namespace
}  // namespace nocsim::tools
