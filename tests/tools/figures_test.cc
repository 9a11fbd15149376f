// Figures for papers: lines grouped by the axes not on the plot, seed replicas as error bars,
// fixed looks per codec family, PDF/EPS by extension, size and font scale.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/temp_dir.h"
#include "tools/command.h"
#include "tools/csv_table.h"
#include "tools/study_report.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

// A routing x rate x seed sweep's results, latency = f(routing, rate) + seed.
CsvTable routing_rate_seed() {
  std::string csv = "point,scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\n";
  for (const char* routing : {"xy", "odd_even"})
    for (double rate : {0.1, 0.2})
      for (int seed : {1, 2, 3}) {
        std::ostringstream row;
        row << "noc.routing.algorithm=" << routing << "|traffic.injection_rate=" << rate
            << "|sim.seed=" << seed << ",m," << rate << ","
            << (std::string(routing) == "xy" ? 30 : 20) + 100 * rate + seed << ",0\n";
        csv += row.str();
      }
  return CsvTable::parse(csv);
}

TEST(Figures, LatencyVsRateDrawsOneLinePerOtherAxisValueWithSeedErrorBars) {
  const auto series = latency_vs_rate_series(routing_rate_seed());
  ASSERT_EQ(series.size(), 2u);  // one per routing, not one zig-zag
  EXPECT_EQ(series[0].title, "nocsim noc.routing.algorithm=odd_even");
  EXPECT_EQ(series[1].title, "nocsim noc.routing.algorithm=xy");
  ASSERT_EQ(series[1].points.size(), 2u);
  EXPECT_DOUBLE_EQ(series[1].points[0].first, 0.1);
  EXPECT_DOUBLE_EQ(series[1].points[0].second, 30 + 10 + 2);  // mean over seeds 1, 2, 3
  ASSERT_EQ(series[1].y_error.size(), 2u);
  EXPECT_DOUBLE_EQ(series[1].y_error[0], 1.0);  // sample std. dev. of {1, 2, 3}
  // Grouped by the seed instead: one line per seed.
  const auto by_seed = latency_vs_rate_series(routing_rate_seed(), {"sim.seed"});
  EXPECT_EQ(by_seed.size(), 3u);
  EXPECT_THROW(latency_vs_rate_series(routing_rate_seed(), {"noc.topology.k_x"}), UserError);
}

TEST(Figures, EachCodecFamilyKeepsItsColourAndMarker) {
  EXPECT_EQ(family_style("quant"), family_style("quant"));
  EXPECT_NE(family_style("quant"), family_style("kmeans"));
  EXPECT_NE(family_style("kmeans"), family_style("kmeans+huffman"));
  EXPECT_EQ(family_style("my_plugin_codec"), family_style("my_plugin_codec"));
  EXPECT_NE(family_style("identity").find("lc rgb '#"), std::string::npos);
}

bool starts_with_file(const fs::path& p, const std::string& magic) {
  std::ifstream in(p, std::ios::binary);
  std::string head(magic.size(), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  return head == magic;
}

// Width and height from a PNG's IHDR chunk.
std::pair<int, int> png_size(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  unsigned char b[24] = {};
  in.read(reinterpret_cast<char*>(b), 24);
  auto be = [&](int at) {
    return (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
  };
  return {be(16), be(20)};
}

TEST(Figures, PdfEpsSizeAndFontScaleFromTheCommandLine) {
  const auto dir = nocsim::testing::fresh_temp_dir("figures_formats");
  std::ofstream(dir / "r.csv")
      << "point,scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\n"
         "traffic.injection_rate=0.1,m,0.1,34,0\ntraffic.injection_rate=0.2,m,0.2,37,0\n";
  auto plot = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"plot", (dir / "r.csv").string(), "--kind", "latency-vs-rate"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::ostringstream out, err;
    const int code = run_cli(args, out, err);
    return std::make_pair(code, err.str());
  };
  EXPECT_EQ(plot({"--out", (dir / "f.pdf").string()}).first, 0);
  EXPECT_TRUE(starts_with_file(dir / "f.pdf", "%PDF"));
  EXPECT_EQ(plot({"--out", (dir / "f.eps").string()}).first, 0);
  EXPECT_TRUE(starts_with_file(dir / "f.eps", "%!PS-Adobe"));
  EXPECT_EQ(plot({"--out", (dir / "small.png").string(), "--size", "640x480"}).first, 0);
  EXPECT_EQ(png_size(dir / "small.png"), std::make_pair(640, 480));
  EXPECT_EQ(
      plot({"--out", (dir / "big_font.png").string(), "--size", "640x480", "--font-scale", "2"})
          .first,
      0);
  EXPECT_EQ(png_size(dir / "big_font.png"), std::make_pair(640, 480));
  EXPECT_NE(fs::file_size(dir / "big_font.png"), fs::file_size(dir / "small.png"));
  const auto bad_size = plot({"--out", (dir / "x.png").string(), "--size", "640"});
  EXPECT_EQ(bad_size.first, 2);
  EXPECT_NE(bad_size.second.find("--size"), std::string::npos) << bad_size.second;
  const auto bad_scale = plot({"--font-scale", "0"});
  EXPECT_NE(bad_scale.second.find("--font-scale"), std::string::npos) << bad_scale.second;
  const auto bad_ext = plot({"--out", (dir / "x.jpg").string()});
  EXPECT_NE(bad_ext.second.find(".pdf or .eps"), std::string::npos) << bad_ext.second;
}

TEST(Figures, LinkHeatmapOfAFailedPointSaysSo) {
  const auto dir = nocsim::testing::fresh_temp_dir("figures_failed_heatmap");
  std::ofstream(dir / "results.jsonl")
      << "{\"point_index\":0,\"point\":\"a=1\",\"point_hash\":\"00\",\"status\":\"failed\","
         "\"error\":\"boom\",\"axes\":{\"a\":\"1\"}}\n";
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"plot", (dir / "results.jsonl").string(), "--kind", "link-heatmap", "--out",
                     (dir / "h.png").string()},
                    out, err),
            2);
  EXPECT_NE(err.str().find("failed"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace nocsim::tools
