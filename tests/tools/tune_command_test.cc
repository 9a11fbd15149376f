// `nocsim tune` on the shipped PD MLP: the chosen mapping stays within the budget, is never more
// bits than the most precise single codec nor than any of the searches it ran, and the written
// codec block is a valid scenario fragment whose rules name every layer.
#include <google/protobuf/text_format.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "compression/layer_codecs.h"
#include "configs/schema/scenario.pb.h"
#include "tests/file_text.h"
#include "tests/temp_dir.h"
#include "tools/command.h"

namespace nocsim::tools {
namespace {

const std::string kModel = std::string(NOCSIM_SOURCE_DIR) + "/models/trained/pd_mlp_p4.pb";

TEST(TuneCommand, MappingStaysWithinTheBudgetAndLoads) {
  const auto dir = nocsim::testing::fresh_temp_dir("tune");
  const std::string path = (dir / "codec.textproto").string();
  std::ostringstream out, err;
  ASSERT_EQ(run_cli({"tune", "--model", kModel, "--candidates",
                     "int8,quant:bits=4,granularity=block,quant:bits=2,granularity=block",
                     "--budget", "1.5", "--out", path},
                    out, err),
            0)
      << err.str();
  const std::string text = out.str();
  const size_t t = text.find("\ntotal ");
  ASSERT_NE(t, std::string::npos) << text;
  double bpw = 0, acc = 0, loss = 1e9;
  ASSERT_EQ(std::sscanf(text.c_str() + t, "\ntotal %lf bits/weight, accuracy %lf%% (loss %lf", &bpw,
                        &acc, &loss),
            3);
  EXPECT_LE(loss, 1.5);
  EXPECT_LT(bpw, 8.01);  // below int8 everywhere
  EXPECT_GT(bpw, 2.0);
  // Every search reports its result, and the kept mapping has the fewest bits of them all.
  int searches = 0;
  for (size_t at = text.find("  search "); at != std::string::npos;
       at = text.find("  search ", at + 1)) {
    const size_t bits_at = text.find(" bits/weight", at);
    ASSERT_NE(bits_at, std::string::npos);
    const double search_bpw = std::stod(text.substr(text.rfind(' ', bits_at - 1), 10));
    EXPECT_LE(bpw, search_bpw + 1e-9) << text;
    ++searches;
  }
  EXPECT_EQ(searches, 3) << text;  // two greedy searches and the best single codec
  EXPECT_NE(text.find("\nkept: "), std::string::npos) << text;

  const std::string written = nocsim::testing::slurp(path);
  config::Scenario sc;
  ASSERT_TRUE(google::protobuf::TextFormat::ParseFromString(written, &sc)) << written;
  ASSERT_EQ(sc.codec().layer_size(), 3);
  EXPECT_EQ(sc.codec().layer(0).match(), "fc1");
  compression::LayerCodecs codecs(sc.codec(), "codec");  // every spec builds
}

TEST(TuneCommand, BadOptionsNameTheOption) {
  for (const auto& [args, word] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"tune", "--candidates", "int8"}, "--model"},
           {{"tune", "--model", kModel}, "--candidates"},
           {{"tune", "--model", kModel, "--candidates", "nosuch"}, "--candidates"},
           {{"tune", "--model", kModel, "--candidates", "int8", "--budget", "x"}, "--budget"},
       }) {
    std::ostringstream out, err;
    EXPECT_EQ(run_cli(args, out, err), 2) << word;
    EXPECT_NE(err.str().find(word), std::string::npos) << err.str();
  }
}

}  // namespace
}  // namespace nocsim::tools
