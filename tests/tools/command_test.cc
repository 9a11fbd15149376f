// The command-line conventions every subcommand shares (CLI11): --opt=value, --version,
// `help CMD`, typed errors naming the option, "did you mean" for typos.
#include "tools/command.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/version.h"
#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

struct Cli {
  int code;
  std::string out, err;
};
Cli cli(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int code = run_cli(args, out, err);
  return {code, out.str(), err.str()};
}

TEST(Cli, VersionIsTheProjectVersion) {
  const Cli c = cli({"--version"});
  EXPECT_EQ(c.code, 0);
  EXPECT_EQ(c.out, "nocsim " + std::string(nocsim_version()) + "\n");
  EXPECT_NE(std::string(nocsim_version()), "");
}

TEST(Cli, HelpCommandShowsTheCommandsOptions) {
  const Cli c = cli({"help", "plot"});
  EXPECT_EQ(c.code, 0);
  EXPECT_NE(c.out.find("--kind"), std::string::npos) << c.out;
  EXPECT_EQ(cli({"plot", "--help"}).out, c.out);
  for (const auto& [name, entry] : command_registry().entries()) {
    const Cli h = cli({name, "--help"});
    EXPECT_EQ(h.code, 0) << name;
    EXPECT_NE(h.out.find("Usage: nocsim " + name), std::string::npos) << h.out;
  }
}

TEST(Cli, MistypedCommandsAndOptionsGetASuggestion) {
  Cli c = cli({"plto"});
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("did you mean 'plot'?"), std::string::npos) << c.err;
  c = cli({"sweep", "x.textproto", "--forse"});
  EXPECT_EQ(c.code, 2);
  EXPECT_NE(c.err.find("unknown option '--forse'; did you mean '--force'?"), std::string::npos)
      << c.err;
  c = cli({"plot", "r.csv", "--kidn=all"});
  EXPECT_NE(c.err.find("did you mean '--kind'?"), std::string::npos) << c.err;
}

TEST(Cli, BadNumbersNameTheOption) {
  struct Bad {
    std::vector<std::string> args;
    std::string option;
  };
  for (const Bad& b : {Bad{{"plot", "r.csv", "--point", "x"}, "--point"},
                       Bad{{"plot", "r.csv", "--point=-1"}, "--point"},
                       Bad{{"sweep", "s.textproto", "-j", "lots"}, "--jobs"},
                       Bad{{"sweep", "s.textproto", "--max-points", "0"}, "--max-points"},
                       Bad{{"codecs", "--try", "int8", "--weights", "1e9"}, "--weights"}}) {
    const Cli c = cli(b.args);
    EXPECT_EQ(c.code, 2) << b.option;
    EXPECT_NE(c.err.find("error: " + b.option + ":"), std::string::npos) << c.err;
    EXPECT_EQ(c.err.find("stoi"), std::string::npos) << c.err;
  }
}

TEST(Cli, OptionsTakeEqualsOrASeparateValue) {
  const auto dir = nocsim::testing::fresh_temp_dir("cli_equals");
  std::ofstream(dir / "r.csv")
      << "scenario,noc.injection_rate,noc.packet_latency.mean,noc.saturated\nm,0.1,34,0\n";
  const std::string png = (dir / "a.png").string();
  EXPECT_EQ(cli({"plot", (dir / "r.csv").string(), "--kind=latency-vs-rate", "--out=" + png}).code,
            0);
  EXPECT_TRUE(std::filesystem::exists(png));
  const std::string png2 = (dir / "b.png").string();
  EXPECT_EQ(
      cli({"-q", "plot", (dir / "r.csv").string(), "--kind", "latency-vs-rate", "--out", png2})
          .code,
      0);
  EXPECT_TRUE(std::filesystem::exists(png2));
}

}  // namespace
}  // namespace nocsim::tools
