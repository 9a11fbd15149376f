#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/schema/result.pb.h"
#include "tests/booksim_curves.h"
#include "tests/temp_dir.h"
#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/plots.h"
#include "tools/result_files.h"
#include "tools/study_report.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  return nocsim::testing::fresh_temp_dir(name);
}

TEST(CsvTable, ParsesQuotedFieldsAndFilters) {
  auto t = CsvTable::parse("a,b,c\n1,\"x,y\",3\n2,z,4\n");
  ASSERT_EQ(t.rows(), 2u);
  EXPECT_EQ(t.at(0, "b"), "x,y");
  EXPECT_EQ(t.number(1, "c").value(), 4);
  EXPECT_EQ(t.where({{"a", "2.0"}}), std::vector<size_t>{1});
  EXPECT_THROW(t.at(0, "nope"), UserError);
  EXPECT_THROW(CsvTable::parse("a,b\n1\n"), UserError);
}

TEST(PlotCommand, DrawsLatencyVsRateWithReferenceOverlay) {
  auto dir = fresh_dir("plot_test");
  std::ofstream(dir / "r.csv")
      << "scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\n"
         "m,0.1,34,0\nm,0.2,37,0\nm,0.4,900,1\n";
  std::ostringstream out, err;
  const std::string png = (dir / "lat.png").string();
  const std::string ref = nocsim::testing::booksim_curves_csv();
  const std::vector<std::string> args{"plot",
                                      (dir / "r.csv").string(),
                                      "--kind",
                                      "latency-vs-rate",
                                      "--out",
                                      png,
                                      "--reference",
                                      ref,
                                      "--reference-where",
                                      "mesh_k=8,traffic=uniform"};
  ASSERT_EQ(run_cli(args, out, err), 0) << err.str();
  std::ifstream in(png, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
}

TEST(PlotCommand, MissingColumnIsAnErrorAndWritesNothing) {
  auto dir = fresh_dir("plot_bad");
  std::ofstream(dir / "r.csv") << "scenario,x\nm,1\n";
  std::ostringstream out, err;
  const std::string png = (dir / "lat.png").string();
  EXPECT_EQ(run_cli({"plot", (dir / "r.csv").string(), "--kind", "latency-vs-rate", "--out", png},
                    out, err),
            2);
  EXPECT_NE(err.str().find("no column"), std::string::npos) << err.str();
  EXPECT_FALSE(fs::exists(png));
}

// The optional link-load file next to the results is looked up by swapping the extension; a name
// the file system refuses (255 characters with ".csv", too long with ".jsonl") means "not there",
// not an error after the figures were drawn.
TEST(PlotCommand, AResultsNameTooLongForItsSideFilesStillPlots) {
  auto dir = fresh_dir("plot_long_name");
  const fs::path csv = dir / (std::string(251, 'r') + ".csv");
  std::ofstream(csv) << "scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\n"
                        "m,0.1,34,0\nm,0.2,37,0\n";
  ASSERT_TRUE(fs::exists(csv));
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"plot", csv.string(), "--out", (dir / "figs").string()}, out, err), 0)
      << err.str();
  EXPECT_TRUE(fs::exists(dir / "figs" / "latency_vs_rate.png")) << out.str();
}

TEST(PlotCommand, UnknownKindListsValidKinds) {
  auto dir = fresh_dir("plot_kind");
  std::ofstream(dir / "r.csv") << "a\n1\n";
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"plot", (dir / "r.csv").string(), "--kind", "pie"}, out, err), 2);
  EXPECT_NE(err.str().find("latency-vs-rate"), std::string::npos);
}

bool is_png(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return std::string(magic + 1, 3) == "PNG";
}

// `nocsim plot DIR/results.csv` succeeds and draws the three study figures.
void plot_all_study_figures(const fs::path& dir) {
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"plot", (dir / "results.csv").string()}, out, err), 0) << err.str();
  for (const char* f :
       {"latency_vs_accuracy.png", "energy_vs_accuracy.png", "energy_breakdown.png"})
    EXPECT_TRUE(is_png(dir / f)) << f;
}

// Text that would create `marker` if any shell or gnuplot command substitution ran it.
std::string hostile(const fs::path& marker) {
  return "x$(touch " + marker.string() + "_dollar)`touch " + marker.string() +
         "_backquote`'\"\n@macro";
}

bool any_marker(const fs::path& dir) {
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.path().filename().string().rfind("pwned", 0) == 0) return true;
  return false;
}

config::RunResult study_point(const std::string& codec, double bpw, uint64_t cycles, double pj,
                              double acc) {
  config::RunResult r;
  r.set_scenario("study");
  auto* a = r.mutable_accelerator();
  a->set_codec(codec);
  a->set_bits_per_weight(bpw);
  a->set_cycles(cycles);
  a->mutable_energy()->set_total_pj(pj);
  a->mutable_energy()->set_dram_pj(pj * 0.6);
  a->mutable_energy()->set_noc_pj(pj * 0.3);
  a->mutable_energy()->set_mac_pj(pj * 0.1);
  a->set_accuracy(acc);
  return r;
}

TEST(StudyReport, ParetoFrontKeepsOnlyUndominatedPoints) {
  // (accuracy, latency): (90, 100) dominates (89, 120); (88, 50) is the cheapest.
  auto front = pareto_front({{90, 100}, {89, 120}, {88, 50}, {87, 60}});
  ASSERT_EQ(front.size(), 2u);
  EXPECT_EQ(front[0], (std::pair<double, double>{88, 50}));
  EXPECT_EQ(front[1], (std::pair<double, double>{90, 100}));
}

TEST(StudyReport, CodecFamilyIsTheChainOfStageNames) {
  EXPECT_EQ(codec_family("kmeans:bits=4+huffman"), "kmeans+huffman");
  EXPECT_EQ(codec_family("quant:bits=8"), "quant");
  EXPECT_EQ(codec_family(""), "identity");
}

TEST(StudyReport, SummaryComparesEveryCodecWithTheUncompressedPoint) {
  std::string csv = csv_header(config::RunResult());
  // Headers make the identity point a little over 32 bits/weight; it is found by its codec.
  csv += csv_row(study_point("identity", 32.0007, 1000, 2e6, 0.88));
  csv += csv_row(study_point("quant:bits=8", 8.5, 600, 1e6, 0.879));
  const std::string md = study_summary_markdown(CsvTable::parse(csv));
  EXPECT_NE(md.find("| quant:bits=8 | 8.50 | 600 | -40.0% | 1.00 | -50.0% | 87.90% | -0.10 pp |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| identity | 32.00 | 1000 | ref | 2.00 | ref | 88.00% | ref |"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("n/a"), std::string::npos) << md;
}

TEST(StudyReport, EachPointIsComparedWithTheIdentityPointOfItsOtherAxes) {
  // A codec axis crossed with a mesh-size axis: int8 on 8x8 compares with identity on 8x8.
  std::string csv = "point,codec," + csv_header(config::RunResult());
  auto row = [&](const std::string& point, const std::string& label, const config::RunResult& r) {
    csv += point + "," + label + "," + csv_row(r);
  };
  row("codec=fp32|noc.topology.k_x=4", "fp32", study_point("identity", 32.01, 1000, 2e6, 0.88));
  row("codec=fp32|noc.topology.k_x=8", "fp32", study_point("identity", 32.01, 500, 4e6, 0.88));
  row("codec=int8|noc.topology.k_x=4", "int8", study_point("quant:bits=8", 8, 800, 1e6, 0.87));
  row("codec=int8|noc.topology.k_x=8", "int8", study_point("quant:bits=8", 8, 250, 1e6, 0.87));
  row("codec=int8|noc.topology.k_x=16", "int8", study_point("quant:bits=8", 8, 100, 1e6, 0.87));
  const std::string md = study_summary_markdown(CsvTable::parse(csv));
  EXPECT_NE(md.find("| int8 [k_x=4] | 8.00 | 800 | -20.0% | 1.00 | -50.0% | 87.00% | -1.00 pp |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| int8 [k_x=8] | 8.00 | 250 | -50.0% | 1.00 | -75.0% | 87.00% | -1.00 pp |"),
            std::string::npos)
      << md;
  // No 16x16 identity point: said, not invented.
  EXPECT_NE(md.find("| int8 [k_x=16] | 8.00 | 100 | n/a | 1.00 | n/a | 87.00% | n/a |"),
            std::string::npos)
      << md;
}

TEST(StudyReport, FailedPointsAreListedNotComparedOrDrawn) {
  auto dir = fresh_dir("plot_failed");
  const std::string header = csv_header(config::RunResult());
  std::string csv = "status,error,variant," + header;
  // A failed sweep row: its result cells are empty.
  csv += "failed,boom | bang,fp32," +
         std::string(std::count(header.begin(), header.end(), ','), ',') + "\n";
  csv += "ok,,int8," + csv_row(study_point("quant:bits=8", 8.5, 600, 1e6, 0.879));
  std::ofstream(dir / "results.csv") << csv;
  const std::string md = study_summary_markdown(CsvTable::read((dir / "results.csv").string()));
  EXPECT_NE(md.find("| fp32 | failed: boom / bang |"), std::string::npos) << md;
  EXPECT_NE(md.find("| int8 | 8.50 | 600 | n/a |"), std::string::npos) << md;
  plot_all_study_figures(dir);
}

TEST(PlotCommand, AllDrawsEveryStudyFigureAndTheSummary) {
  auto dir = fresh_dir("plot_study");
  std::string csv = csv_header(config::RunResult());
  csv += csv_row(study_point("identity", 32, 1000, 2e6, 0.88));
  csv += csv_row(study_point("quant:bits=8", 8.5, 600, 1e6, 0.879));
  csv += csv_row(study_point("quant:bits=4", 4.5, 450, 0.8e6, 0.86));
  csv += csv_row(study_point("kmeans:bits=4+huffman", 3.1, 420, 0.7e6, 0.87));
  std::ofstream(dir / "results.csv") << csv;
  plot_all_study_figures(dir);
  EXPECT_TRUE(fs::exists(dir / "summary.md"));
}

TEST(PlotCommand, LinkHeatmapFromAResultJson) {
  auto dir = fresh_dir("plot_heatmap");
  config::RunResult r;
  r.set_scenario("mesh2x2");
  const uint32_t links[][2] = {{0, 1}, {1, 0}, {0, 2}, {2, 0}, {1, 3}, {3, 1}, {2, 3}, {3, 2}};
  for (const auto& l : links) {
    auto* link = r.mutable_noc()->add_links();
    link->set_src(l[0]);
    link->set_dst(l[1]);
    link->set_utilization(0.1 * (l[0] + l[1]));
  }
  write_file_atomic((dir / "r.json").string(), to_json(r));
  std::ostringstream out, err;
  const std::string png = (dir / "heat.png").string();
  ASSERT_EQ(run_cli({"plot", (dir / "r.json").string(), "--kind", "link-heatmap", "--out", png},
                    out, err),
            0)
      << err.str();
  EXPECT_TRUE(is_png(png));
}

TEST(PlotCommand, HostileLabelsInResultsAreDrawnNotExecuted) {
  const auto dir = nocsim::testing::fresh_temp_dir("plot_hostile_labels");
  const std::string label = hostile(dir / "pwned_label");
  auto q = [](const std::string& s) {
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  std::ofstream(dir / "r.csv")
      << "scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\n"
      << q(label) << ",0.1,34,0\n"
      << q(label) << ",0.2,37,0\n";
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"plot", (dir / "r.csv").string(), "--kind", "latency-vs-rate"}, out, err), 0)
      << err.str();
  EXPECT_TRUE(is_png(dir / "latency_vs_rate.png"));
  EXPECT_FALSE(any_marker(dir));
}

TEST(PlotCommand, HostileStudyLabelsReachNoShellInAnyFigure) {
  const auto dir = nocsim::testing::fresh_temp_dir("plot_hostile_study");
  auto point = [&](const std::string& variant, const std::string& codec, double acc) {
    config::RunResult r;
    r.set_scenario(hostile(dir / "pwned_scenario"));
    auto* a = r.mutable_accelerator();
    a->set_codec(codec);
    a->set_bits_per_weight(8);
    a->set_cycles(1000 * acc);
    a->mutable_energy()->set_total_pj(2e6 * acc);
    a->mutable_energy()->set_dram_pj(1e6 * acc);
    a->set_accuracy(acc);
    std::string v = "\"";
    for (char c : variant) v += c == '"' ? std::string("\"\"") : std::string(1, c);
    return v + "\"," + csv_row(r);
  };
  std::string csv = "variant," + csv_header(config::RunResult());
  csv += point(hostile(dir / "pwned_variant1"), "identity", 0.9);
  csv += point(hostile(dir / "pwned_variant2"), hostile(dir / "pwned_codec") + "+q:bits=8", 0.8);
  std::ofstream(dir / "results.csv") << csv;
  plot_all_study_figures(dir);
  EXPECT_FALSE(any_marker(dir));
}

TEST(PlotCommand, HostileOutputPathIsOnlyAName) {
  const auto dir = nocsim::testing::fresh_temp_dir("plot_hostile_path");
  std::ofstream(dir / "r.csv")
      << "scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\nm,0.1,34,0\n";
  // '|' first would make gnuplot's `set output` open a pipe; the path never reaches the script.
  const std::string name = "|touch pwned_pipe;$(touch pwned_dollar)`touch pwned_bq`'\".png";
  const fs::path png = dir / name;
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"plot", (dir / "r.csv").string(), "--kind", "latency-vs-rate", "--out",
                     png.string()},
                    out, err),
            0)
      << err.str();
  EXPECT_TRUE(is_png(png));
  for (const auto& e : fs::directory_iterator(dir))
    EXPECT_EQ(e.path().filename().string().rfind("pwned", 0), std::string::npos) << e.path();
  EXPECT_FALSE(fs::exists("pwned_pipe") || fs::exists("pwned_dollar") || fs::exists("pwned_bq"));
}

TEST(Cli, UnknownCommandListsValidOnes) {
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"frobnicate"}, out, err), 2);
  EXPECT_NE(err.str().find("plot"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace nocsim::tools
