// `nocsim trace-gen`: records what a scenario's synthetic traffic would inject over N cycles as a
// binary Trace file, for replay with traffic.pattern "trace" (or to hand-edit into a workload).
#include <cctype>
#include <ostream>
#include <string>
#include <vector>

#include "configs/user_error.h"
#include "noc/topology.h"
#include "noc/traffic/trace_generator.h"
#include "noc/traffic/trace_writer.h"
#include "tools/command.h"
#include "tools/result_files.h"
#include "tools/scenario_args.h"
#include "tools/scenario_loader.h"

namespace nocsim::tools {
namespace {

// The trace is held in memory before it is written; 10^8 cycles of an 8x8 mesh at full load would
// be several GB, so the cycle count is capped well below.
constexpr uint64_t kMaxCycles = 10'000'000;

uint64_t parse_cycles(const std::string& text) {
  size_t used = 0;
  unsigned long long v = 0;
  try {
    if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0])))
      v = std::stoull(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || v == 0 || v > kMaxCycles) {
    throw UserError("--cycles", "expected a whole number of cycles in [1, " +
                                    std::to_string(kMaxCycles) + "], got '" + text + "'");
  }
  return v;
}

class TraceGenCommand : public Command {
 public:
  void define(CLI::App& app) override {
    add_scenario_args(
        app, a_,
        {{"--cycles", "cycles to record (required)"}, {"--out", "trace file to write (required)"}});
    app.footer(
        "Records the packets the scenario's traffic pattern and injection process create in\n"
        "the first N cycles (seed sim.seed, the same streams `nocsim traffic` draws) and "
        "writes\n"
        "them to FILE as a binary nocsim.config.Trace (text for a .txt FILE, BookSim's\n"
        "for .booksim). Replay it with\n"
        "  nocsim traffic <scenario> --set traffic.pattern=trace --set "
        "traffic.trace_file=FILE\n");
  }

  int run(std::ostream& out) override {
    const ScenarioArgs& a = a_;
    if (!a.has("--cycles")) throw UserError("--cycles is required");
    if (!a.has("--out")) throw UserError("--out is required");
    const uint64_t cycles = parse_cycles(a.get("--cycles"));
    const std::string out_file = a.get("--out");

    const LoadedScenario loaded = load_scenario(a.path, a.sets);
    const config::Scenario& sc = loaded.scenario;
    config::Trace trace;
    try {
      const noc::Topology topology = noc::Topology::from_config(sc.noc().topology());
      trace = noc::generate_trace(topology, sc.traffic(), sc.sim().seed(), cycles);
    } catch (const UserError& e) {
      throw loaded.locate(e);
    }
    uint64_t flits = 0;
    for (const auto& r : trace.records()) flits += r.size_flits();
    write_file_atomic(
        out_file, noc::serialize_trace(trace, noc::trace_format_for(out_file), out_file, "--out"));
    out << "wrote " << trace.records_size() << " packets (" << flits << " flits) over " << cycles
        << " cycles to " << out_file << "\n";
    return 0;
  }

 private:
  ScenarioArgs a_;
};

NOCSIM_REGISTER(command_registry(), TraceGenCommand, "trace-gen",
                "record a scenario's synthetic traffic as a trace file for replay");

}  // namespace
}  // namespace nocsim::tools
