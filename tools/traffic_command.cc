// `nocsim traffic`: one synthetic-traffic scenario on the NoC alone (or a walk up the injection
// rate until saturation), printed as a summary and written as RunResult JSON + CSV. Also the
// "traffic" scenario runner that `nocsim sweep` uses for NoC-only points.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "configs/user_error.h"
#include "noc/simulation.h"
#include "tools/command.h"
#include "tools/number_format.h"
#include "tools/result_files.h"
#include "tools/scenario_args.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_runner.h"

namespace nocsim::tools {

namespace {

config::RunResult run_traffic_scenario(const LoadedScenario& loaded) {
  const config::Scenario& sc = loaded.scenario;
  config::RunResult result = result_for(loaded);
  try {
    *result.mutable_noc() = noc::run_traffic(sc.noc(), sc.traffic(), sc.sim(), sc.tech());
  } catch (const UserError& e) {
    throw loaded.locate(e);
  }
  return result;
}

class TrafficRunner : public ScenarioRunner {
 public:
  config::RunResult run(const LoadedScenario& scenario) override {
    return run_traffic_scenario(scenario);
  }
};
NOCSIM_REGISTER(runner_registry(), TrafficRunner, "traffic",
                "synthetic traffic on the NoC alone (nocsim traffic)");

void print_summary(const config::RunResult& r, std::ostream& out) {
  const config::NocResult& n = r.noc();
  auto lat = [&](const char* name, const config::LatencyStats& s) {
    out << "  " << name << " mean " << fixed(s.mean()) << "  p50 " << fixed(s.p50(), 0) << "  p99 "
        << fixed(s.p99(), 0) << "  max " << fixed(s.max(), 0) << "  (" << s.count()
        << " samples)\n";
  };
  out << r.scenario() << ": offered " << fixed(n.injection_rate(), 3)
      << " flits/node/cycle, accepted " << fixed(n.accepted_flits_per_node_cycle(), 4)
      << (n.saturated() ? "  SATURATED" : "") << "\n";
  lat("packet latency ", n.packet_latency());
  lat("network latency", n.network_latency());
  lat("flit latency   ", n.flit_latency());
  if (n.multicast_packets() > 0) {
    out << "  multicast: " << n.multicast_packets()
        << " packets (packet latency = to the last destination's tail)\n";
    lat("per destination", n.multicast_destination_latency());
  }
  double max_util = 0;
  for (const auto& l : n.links()) max_util = std::max(max_util, l.utilization());
  out << "  avg hops " << fixed(n.avg_hops(), 3) << "  busiest link " << fixed(max_util, 3)
      << " flits/cycle  cycles " << n.cycles() << "  wall " << fixed(n.wall_seconds(), 3) << " s\n";
  const config::EnergyBreakdown& e = n.energy();
  out << "  energy (measurement window) total " << fixed(e.total_pj() / 1e6, 3) << " uJ: buffers "
      << fixed(e.buffer_pj() / 1e6, 3) << ", crossbar " << fixed(e.crossbar_pj() / 1e6, 3)
      << ", allocators " << fixed(e.allocator_pj() / 1e6, 3) << ", links "
      << fixed(e.link_pj() / 1e6, 3) << ", leakage " << fixed(e.leakage_pj() / 1e6, 3) << "\n";
}

struct Sweep {
  double start = 0, stop = 0, step = 0;
};

// More rates than anyone plots; a step that asks for more is a typo.
constexpr int kMaxSweepRates = 1000;

Sweep parse_sweep(const std::string& spec) {
  Sweep s;
  char c1 = 0, c2 = 0;
  std::istringstream in(spec);
  if (!(in >> s.start >> c1 >> s.stop >> c2 >> s.step) || c1 != ':' || c2 != ':' || !in.eof()) {
    throw UserError("--sweep-rates", "expected start:stop:step, got '" + spec + "'");
  }
  require(s.start > 0 && s.start <= 1 && s.stop >= s.start && s.stop <= 1 && s.step > 0,
          "--sweep-rates", "need 0 < start <= stop <= 1 and step > 0, got '" + spec + "'");
  // Checked in floating point before anything counts in integers: a tiny step would never end.
  const double rates = std::floor((s.stop - s.start) / s.step + 1e-9) + 1;
  require(rates <= kMaxSweepRates, "--sweep-rates",
          "'" + spec + "' asks for " + (std::ostringstream() << rates).str() + " rates; at most " +
              std::to_string(kMaxSweepRates) +
              " (use a larger step, or a sweep file for finer grids)");
  return s;
}

class TrafficCommand : public Command {
 public:
  void define(CLI::App& app) override {
    add_scenario_args(
        app, a_,
        {{"--out", "results folder (default output.dir, else results/)"},
         {"--sweep-rates", "start:stop:step, walk the injection rate up to saturation"}});
    app.footer(
        "Runs synthetic traffic on the NoC alone (BookSim's measurement method) and writes\n"
        "<out>/<name>.json and <out>/<name>.csv (out defaults to output.dir, else results/).\n"
        "--sweep-rates walks traffic.injection_rate upward until the network saturates and\n"
        "writes one CSV row per rate to <out>/<name>_sweep.csv.\n");
  }

  int run(std::ostream& out) override {
    const ScenarioArgs& a = a_;
    LoadedScenario loaded = load_scenario(a.path, a.sets);
    const OutputPlace place = output_place(loaded, a.get("--out"));
    if (!a.has("--sweep-rates")) {
      const config::RunResult r = run_traffic_scenario(loaded);
      print_summary(r, out);
      write_run_result(place, r, out);
      return 0;
    }

    const Sweep sw = parse_sweep(a.get("--sweep-rates"));
    std::string csv;
    out << "rate    latency   accepted  saturated\n";
    const int steps = static_cast<int>(std::floor((sw.stop - sw.start) / sw.step + 1e-9));
    for (int k = 0; k <= steps; ++k) {
      const double rate = sw.start + k * sw.step;
      loaded.scenario.mutable_traffic()->set_injection_rate(rate);
      const config::RunResult r = run_traffic_scenario(loaded);
      // csv_header / csv_row end their line themselves.
      if (csv.empty()) csv = csv_header(r);
      csv += csv_row(r);
      out << fixed(rate, 3) << "  " << std::setw(8) << fixed(r.noc().packet_latency().mean())
          << "  " << std::setw(8) << fixed(r.noc().accepted_flits_per_node_cycle(), 4) << "  "
          << (r.noc().saturated() ? "yes" : "no") << "\n";
      if (r.noc().saturated()) break;
    }
    const std::string csv_path = place.file("_sweep.csv");
    write_file_atomic(csv_path, csv);
    out << "wrote " << csv_path << "\n";
    return 0;
  }

 private:
  ScenarioArgs a_;
};

NOCSIM_REGISTER(command_registry(), TrafficCommand, "traffic",
                "synthetic traffic on the NoC alone: latency, throughput, energy");

}  // namespace

}  // namespace nocsim::tools
