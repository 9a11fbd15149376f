#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tools/command.h"
#include "tools/csv_table.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& name) {
  auto dir = fs::temp_directory_path() / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
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
  auto dir = fresh_dir("nocsim_plot_test");
  std::ofstream(dir / "r.csv")
      << "scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\n"
         "m,0.1,34,0\nm,0.2,37,0\nm,0.4,900,1\n";
  std::ostringstream out, err;
  const std::string png = (dir / "lat.png").string();
  const std::string ref = std::string(NOCSIM_SHARED_DIR) + "/reference/booksim/mesh_curves.csv";
  std::vector<std::string> args{"plot", (dir / "r.csv").string(), "--out", png};
  if (fs::exists(ref)) {
    args.insert(args.end(), {"--reference", ref, "--reference-where", "mesh_k=8,traffic=uniform"});
  }
  ASSERT_EQ(run_cli(args, out, err), 0) << err.str();
  std::ifstream in(png, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  EXPECT_EQ(std::string(magic + 1, 3), "PNG");
}

TEST(PlotCommand, MissingColumnIsAnErrorAndWritesNothing) {
  auto dir = fresh_dir("nocsim_plot_bad");
  std::ofstream(dir / "r.csv") << "scenario,x\nm,1\n";
  std::ostringstream out, err;
  const std::string png = (dir / "lat.png").string();
  EXPECT_EQ(run_cli({"plot", (dir / "r.csv").string(), "--out", png}, out, err), 2);
  EXPECT_NE(err.str().find("no column"), std::string::npos) << err.str();
  EXPECT_FALSE(fs::exists(png));
}

TEST(PlotCommand, UnknownKindListsValidKinds) {
  auto dir = fresh_dir("nocsim_plot_kind");
  std::ofstream(dir / "r.csv") << "a\n1\n";
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"plot", (dir / "r.csv").string(), "--kind", "pie"}, out, err), 2);
  EXPECT_NE(err.str().find("latency-vs-rate"), std::string::npos);
}

TEST(Cli, UnknownCommandListsValidOnes) {
  std::ostringstream out, err;
  EXPECT_EQ(run_cli({"frobnicate"}, out, err), 2);
  EXPECT_NE(err.str().find("plot"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace nocsim::tools
