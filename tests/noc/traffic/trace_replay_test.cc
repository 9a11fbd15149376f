// Trace replay end to end: a trace generated from a synthetic pattern goes through run_traffic with
// pattern "trace", and every recorded packet comes out.
#include <fstream>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "configs/user_error.h"
#include "noc/simulation.h"
#include "noc/traffic/trace_generator.h"
#include "noc/traffic/trace_reader.h"
#include "tests/noc/mesh_config.h"

namespace nocsim::noc {
namespace {

using testing::xy_mesh;

config::TrafficConfig synthetic(const std::string& pattern, double rate, uint32_t size) {
  config::TrafficConfig t;
  t.set_pattern(pattern);
  t.set_injection_rate(rate);
  t.set_packet_size(size);
  return t;
}

std::string save(const config::Trace& trace, const std::string& name) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << trace.SerializeAsString();
  return path;
}

config::TrafficConfig replay(const std::string& path) {
  config::TrafficConfig t;
  t.set_pattern("trace");
  t.set_trace_file(path);
  return t;
}

TEST(TraceGenerator, RecordsThePatternAtTheOfferedRate) {
  const Topology t = Topology::mesh(4, 4);
  const config::Trace trace = generate_trace(t, synthetic("transpose", 0.2, 4), 7, 4000);
  // 16 terminals x 4000 cycles x 0.05 packets per cycle = 3200 packets expected (sd ~ 55).
  EXPECT_NEAR(trace.records_size(), 3200, 250);
  uint64_t last = 0;
  for (const auto& r : trace.records()) {
    ASSERT_GE(r.cycle(), last);
    last = r.cycle();
    EXPECT_EQ(r.destination(), t.grid()->at(t.grid()->y(r.source()), t.grid()->x(r.source())));
    EXPECT_EQ(r.size_flits(), 4u);
  }
  // Same seed, same trace; another seed, another trace.
  EXPECT_EQ(generate_trace(t, synthetic("transpose", 0.2, 4), 7, 4000).SerializeAsString(),
            trace.SerializeAsString());
  EXPECT_NE(generate_trace(t, synthetic("transpose", 0.2, 4), 8, 4000).SerializeAsString(),
            trace.SerializeAsString());
}

TEST(TraceGenerator, RefusesBadTrafficSettings) {
  const Topology t = Topology::mesh(3, 3);
  EXPECT_THROW(generate_trace(t, synthetic("bitrev", 0.1, 1), 0, 10), UserError);
  EXPECT_THROW(generate_trace(t, synthetic("uniform", 1.5, 1), 0, 10), UserError);
  EXPECT_THROW(generate_trace(t, synthetic("trace", 0.1, 1), 0, 10), UserError);
}

TEST(TraceReplay, DeliversEveryRecordedPacket) {
  const Topology t = Topology::mesh(4, 4);
  const config::Trace trace = generate_trace(t, synthetic("uniform", 0.1, 2), 3, 2000);
  const std::string path = save(trace, "replay_uniform.trace");
  const config::NocResult r = run_traffic(xy_mesh(4), replay(path), config::SimConfig(), {});
  EXPECT_FALSE(r.saturated());
  EXPECT_EQ(r.packet_latency().count(), static_cast<uint64_t>(trace.records_size()));
  EXPECT_EQ(r.flits_delivered(), 2u * static_cast<uint64_t>(trace.records_size()));
  // Light load: mean latency near zero-load (about 5 cycles per router plus serialization).
  EXPECT_GT(r.packet_latency().mean(), 10.0);
  EXPECT_LT(r.packet_latency().mean(), 30.0);
  // Uniform on a 4x4 mesh: mean Manhattan distance 2.5, plus one router.
  EXPECT_NEAR(r.avg_hops(), 3.5, 0.15);
  // The offered load reported is the trace's own: its flits over 16 terminals and its span.
  const double span = static_cast<double>(trace.records(trace.records_size() - 1).cycle() + 1);
  EXPECT_DOUBLE_EQ(r.injection_rate(), 2.0 * trace.records_size() / (16.0 * span));
  EXPECT_NEAR(r.injection_rate(), 0.1, 0.01);
}

TEST(TraceReplay, SkipsIdleGapsAndReplaysTheSameWayEveryTime) {
  std::vector<config::TraceRecord> records;
  for (uint64_t c : {0ull, 5ull, 100000ull}) {
    config::TraceRecord& rec = records.emplace_back();
    rec.set_cycle(c);
    rec.set_source(0);
    rec.set_destination(15);
    rec.set_size_flits(3);
  }
  const std::string path = save(make_trace(records), "replay_gap.trace");
  const config::NocResult a = run_traffic(xy_mesh(4), replay(path), config::SimConfig(), {});
  const config::NocResult b = run_traffic(xy_mesh(4), replay(path), config::SimConfig(), {});
  EXPECT_EQ(a.packet_latency().count(), 3u);
  EXPECT_GE(a.cycles(), 100000u);
  EXPECT_EQ(a.packet_latency().mean(), b.packet_latency().mean());
  EXPECT_EQ(a.cycles(), b.cycles());
}

TEST(TraceReplay, MissingOrCorruptTraceIsAUserErrorOnTraceFile) {
  auto field = [](const config::TrafficConfig& t) {
    try {
      run_traffic(xy_mesh(4), t, config::SimConfig(), {});
    } catch (const UserError& e) {
      return e.field();
    }
    return std::string();
  };
  EXPECT_EQ(field(replay(::testing::TempDir() + "does_not_exist.trace")), "traffic.trace_file");
  EXPECT_EQ(field(replay("")), "traffic.trace_file");
  const std::string corrupt = ::testing::TempDir() + "corrupt.trace";
  std::ofstream(corrupt, std::ios::binary) << std::string("\x0a\x7f\x08\x01", 4);
  EXPECT_EQ(field(replay(corrupt)), "traffic.trace_file");
  // A trace recorded for a bigger network does not fit this one.
  const config::Trace big =
      generate_trace(Topology::mesh(8, 8), synthetic("uniform", 0.2, 1), 1, 50);
  EXPECT_EQ(field(replay(save(big, "too_big.trace"))), "traffic.trace_file");
}

TEST(TraceReplay, ACycleNearTwoToThe64IsRefusedBeforeTheClockCanWrap) {
  config::TraceRecord rec;
  rec.set_cycle(std::numeric_limits<uint64_t>::max() - 2);
  rec.set_source(0);
  rec.set_destination(5);
  rec.set_size_flits(1);
  const std::string path = save(make_trace({rec}), "near_2_64.trace");
  try {
    run_traffic(xy_mesh(4), replay(path), config::SimConfig(), {});
    FAIL() << "accepted a record the run can never reach";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "traffic.trace_file");
    EXPECT_NE(e.reason().find("sim.max_cycles"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace nocsim::noc
