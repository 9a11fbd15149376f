// `nocsim run --trace-out`: the trace holds exactly the packets the accelerator injected, and
// replaying it open loop (traffic.pattern "trace") delivers the same packets and flits.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "noc/simulation.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/trace_recorder.h"
#include "noc/traffic/trace_writer.h"
#include "tools/accelerator_runner.h"
#include "tools/command.h"
#include "tools/scenario_loader.h"

#include "tests/temp_dir.h"

namespace nocsim::tools {
namespace {

namespace fs = std::filesystem;

const char* kStudy = "configs/study/fmnist_pd_mlp.textproto";

struct Totals {
  uint64_t packets = 0, flits = 0;         // injected (a multicast packet once)
  uint64_t deliveries = 0, flits_out = 0;  // received (a multicast packet at each destination)
  uint64_t multicast = 0;
};

Totals totals(const config::Trace& t) {
  Totals s;
  for (const auto& r : t.records()) {
    const uint64_t copies = r.destinations_size() == 0 ? 1 : r.destinations_size();
    ++s.packets;
    s.flits += r.size_flits();
    s.deliveries += copies;
    s.flits_out += copies * r.size_flits();
    s.multicast += r.destinations_size() > 0;
  }
  return s;
}

class RunTraceOut : public ::testing::TestWithParam<bool> {};

TEST_P(RunTraceOut, HoldsEveryInjectedPacketAndReplaysToTheSameDeliveries) {
  const bool multicast = GetParam();
  const LoadedScenario loaded = load_scenario(
      kStudy, {"accelerator.accuracy_images=10",
               std::string("accelerator.multicast=") + (multicast ? "true" : "false")});
  noc::TraceRecorder recorder;
  const config::AcceleratorResult a = run_accelerator_scenario(loaded, &recorder).accelerator();
  const config::Trace trace = recorder.trace();
  const Totals t = totals(trace);
  EXPECT_EQ(t.packets, recorder.packets());
  EXPECT_EQ(t.flits, a.flits_injected());
  EXPECT_EQ(t.deliveries, a.weight_packets() + a.activation_packets());
  EXPECT_EQ(t.flits_out, a.weight_flits() + a.activation_flits());
  EXPECT_EQ(t.multicast > 0, multicast) << t.multicast << " multicast packets";
  ASSERT_EQ(trace.kinds_size(), 6);
  std::vector<uint64_t> per_kind(trace.kinds_size());
  for (const auto& r : trace.records()) {
    ++per_kind[r.kind()];
    EXPECT_EQ(r.traffic_class(), trace.kinds(r.kind()) == "weights" ? 0u : 1u);
  }
  for (int k = 0; k < 4; ++k) EXPECT_GT(per_kind[k], 0u) << trace.kinds(k);  // no spills here

  const fs::path dir = nocsim::testing::fresh_temp_dir("trace_out");
  const std::string file = (dir / "run.trace").string();
  std::ofstream(file, std::ios::binary)
      << noc::serialize_trace(trace, noc::TraceFormat::kBinary, file, "out");
  config::TrafficConfig replay;
  replay.set_pattern("trace");
  replay.set_trace_file(file);
  const config::Scenario& sc = loaded.scenario;
  const config::NocResult n = noc::run_traffic(sc.noc(), replay, sc.sim(), sc.tech());
  EXPECT_FALSE(n.saturated()) << n.saturation_reason();
  // Multicast records replay as multicast packets: one latency sample each (to the last
  // destination), every destination's flits delivered.
  EXPECT_EQ(n.packet_latency().count(), t.packets);
  EXPECT_EQ(n.multicast_packets(), t.multicast);
  EXPECT_EQ(n.flits_delivered(), t.flits_out);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Multicast, RunTraceOut, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "multicast" : "unicast"; });

TEST(RunCommand, TraceOutWritesTheSameTraceInTextAndBinary) {
  const fs::path dir = nocsim::testing::fresh_temp_dir("trace_out_cli");
  const std::string bin = (dir / "run.trace").string(), txt = (dir / "run.txt").string();
  for (const std::string& f : {bin, txt}) {
    std::ostringstream out, err;
    ASSERT_EQ(run_cli({"run", kStudy, "--out", (dir / "res").string(), "--set",
                       "accelerator.accuracy_images=10", "--trace-out", f},
                      out, err),
              0)
        << err.str();
    EXPECT_NE(out.str().find("flits injected) written to " + f), std::string::npos) << out.str();
  }
  const config::Trace from_bin = noc::load_trace(bin, "in");
  const config::Trace from_txt = noc::load_trace(txt, "in");
  EXPECT_GT(from_bin.records_size(), 100);
  EXPECT_EQ(from_bin.SerializeAsString(), from_txt.SerializeAsString());
  std::ifstream in(txt);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "nocsim-trace text 1");
  fs::remove_all(dir);
}

TEST(RunCommand, TraceOutToAnUnwritablePlaceIsAnError) {
  std::ostringstream out, err;
  EXPECT_EQ(
      run_cli({"run", kStudy, "--out", nocsim::testing::fresh_temp_dir("trace_bad").string(),
               "--set", "accelerator.accuracy_images=10", "--trace-out", "/proc/no_such/run.trace"},
              out, err),
      2);
  EXPECT_NE(err.str().find("/proc/no_such"), std::string::npos) << err.str();
}

}  // namespace
}  // namespace nocsim::tools
