// `nocsim run`: one accelerator scenario (model + codec over the NoC, pe/), printed as a summary
// table and written as RunResult JSON + CSV, through the "run" scenario runner that `nocsim sweep`
// uses too.
#include <unistd.h>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "compression/codec_chain.h"
#include "compression/codec_spec.h"
#include "configs/user_error.h"
#include "noc/traffic/trace_recorder.h"
#include "noc/traffic/trace_writer.h"
#include "tools/accelerator_runner.h"
#include "tools/command.h"
#include "tools/number_format.h"
#include "tools/progress_line.h"
#include "tools/result_files.h"
#include "tools/scenario_args.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_plugins.h"
#include "tools/scenario_runner.h"

namespace nocsim::tools {
namespace {

std::string uj(double pj) {
  return fixed(pj / 1e6, 3) + " uJ";
}

void print_summary(const config::RunResult& r, const config::Scenario& sc, std::ostream& out) {
  const config::AcceleratorResult& a = r.accelerator();
  const config::TopologyConfig& topo = sc.noc().topology();
  const uint32_t kx = topo.k_x() == 0 ? 8 : topo.k_x();
  const uint32_t ky = topo.k_y() == 0 ? kx : topo.k_y();
  out << r.scenario() << ": " << a.model() << " on " << a.num_tiles() << " PE tiles + "
      << a.num_mcs() << " memory controllers (" << kx << "x" << ky << " "
      << (topo.kind().empty() ? "mesh" : topo.kind()) << "), mapping " << a.mapping() << "\n";
  out << "  codec " << a.codec() << "\n";
  if (a.nominal_sizes())
    out << "  NOTE: traffic-only run, sizes are NOMINAL: the model has no trained weights, so "
           "weight bits = weights x the codec's nominal bits/weight (+ one header per tile and "
           "layer), MACs come from the layer shapes, and there is no accuracy\n";
  const double clock = a.cycles() > 0 && a.time_us() > 0 ? a.cycles() / (a.time_us() * 1000) : 0;
  out << "  inference " << a.cycles() << " cycles = " << fixed(a.time_us(), 3) << " us at "
      << fixed(clock, 2) << " GHz";
  if (a.images() > 1)
    out << " (mean of " << a.images() << " images; first image " << a.first_image_cycles()
        << " cycles, weights loaded)";
  out << "\n";
  if (a.tiles_refetching() > 0)
    out << "  " << a.tiles_refetching()
        << " tiles cannot hold all their weights: they refetch them for every image\n";

  out << "  layer         kind        tiles    weights  weight bits    start      end   cycles  "
         "weight flits  act flits         MACs\n";
  for (const auto& l : a.layers()) {
    out << "  " << std::left << std::setw(13) << l.name() << " " << std::setw(10) << l.kind()
        << std::right << " " << std::setw(6) << l.tiles() << " " << std::setw(10) << l.weights()
        << " " << std::setw(12) << l.weight_bits() << " " << std::setw(8) << l.start_cycle() << " "
        << std::setw(8) << l.end_cycle() << " " << std::setw(8) << l.end_cycle() - l.start_cycle()
        << " " << std::setw(13) << l.weight_flits() << " " << std::setw(10) << l.activation_flits()
        << " " << std::setw(12) << l.macs() << "\n";
  }
  out << "  (start, end, cycles, MACs: the first image, from the layer's first compute start to "
         "its last compute end; flits: all images, activation flits counted at the receiving "
         "layer)\n";
  out << "  flits: weights " << a.weight_flits() << " in " << a.weight_packets()
      << " packets, activations " << a.activation_flits() << " in " << a.activation_packets()
      << " packets\n";
  // In steady state when there is one: the cold start's weight loading would hide the bound.
  const bool steady = a.has_steady() && a.steady().has_utilization();
  const config::Utilization& u = steady ? a.steady().utilization() : a.utilization();
  auto pct = [](double v) { return fixed(100 * v, 0) + "%"; };
  out << "  busiest unit" << (steady ? " in steady state" : " over the run") << ": DRAM "
      << pct(u.dram()) << ", NoC injection " << pct(u.injection()) << ", link " << pct(u.link())
      << ", decoder " << pct(u.decoder()) << ", MAC " << pct(u.mac())
      << " (likeliest bound: " << u.bound() << ")\n";
  const config::AcceleratorNocLatency& nl = a.noc_latency();
  out << "  NoC packet latency, mean / p99 cycles:";
  const std::pair<const char*, const config::PacketLatency*> kinds[] = {
      {"weights", nl.has_weights() ? &nl.weights() : nullptr},
      {"activations", nl.has_activations() ? &nl.activations() : nullptr},
      {"input", nl.has_input() ? &nl.input() : nullptr},
      {"output", nl.has_output() ? &nl.output() : nullptr},
      {"spill", nl.has_spill() ? &nl.spill() : nullptr}};
  const char* sep = " ";
  for (const auto& [name, l] : kinds) {
    if (l == nullptr) continue;
    out << sep << name << " " << fixed(l->packet().mean(), 1) << " / "
        << fixed(l->packet().p99(), 0);
    sep = ", ";
  }
  out << "\n";
  out << "  weights: " << fixed(a.bits_per_weight(), 3)
      << " bits/weight incl. headers, compression " << fixed(a.compression_ratio(), 2) << "x";
  if (!a.nominal_sizes())
    out << ", rmse " << std::scientific << std::setprecision(3) << a.weight_rmse() << ", max error "
        << a.weight_max_error() << std::fixed;
  out << "\n";
  const config::AcceleratorEnergy& e = a.energy();
  out << "  energy " << uj(e.total_pj()) << ": DRAM " << uj(e.dram_pj()) << ", NoC "
      << uj(e.noc_pj()) << " (weights " << uj(e.noc_weight_pj()) << ", activations "
      << uj(e.noc_activation_pj()) << "), SRAM " << uj(e.sram_pj()) << ", MAC " << uj(e.mac_pj())
      << ", decoder " << uj(e.decoder_pj()) << ", leakage " << uj(e.leakage_pj()) << "\n";
  if (!a.nominal_sizes()) {
    out << "  accuracy " << fixed(100 * a.accuracy(), 2) << "% on the test set (baseline "
        << fixed(100 * a.baseline_accuracy(), 2) << "%, change "
        << fixed(100 * a.accuracy_change(), 2) << " points); outputs of " << a.images()
        << " simulated image(s) equal the functional model's: "
        << (a.outputs_match() ? "yes" : "NO") << "\n";
  }
  out << "  simulated in " << fixed(a.wall_seconds(), 3) << " s\n";
}

// Before a run that may take minutes: the trace file's folder must be writable (it is made if
// missing) and the name must not be a folder.
void check_writable(const std::string& file) {
  namespace fs = std::filesystem;
  if (file.empty()) throw UserError("--trace-out", "needs a file name");
  const fs::path parent = fs::path(file).parent_path();
  std::error_code ec;
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (fs::is_directory(file, ec))
    throw UserError("--trace-out", "'" + file + "' is a folder, not a file name");
  if (::access(parent.empty() ? "." : parent.c_str(), W_OK) != 0)
    throw UserError("--trace-out",
                    "'" + file + "': cannot write there (folder missing or not writable)");
}

class RunCommand : public Command {
 public:
  void define(CLI::App& app) override {
    add_scenario_args(app, a_,
                      {{"--codec", "replace the codec with a compact spec (see nocsim codecs)"},
                       {"--out", "results folder (default output.dir, else results/)"},
                       {"--trace-out",
                        "write every packet injected into the NoC to this trace "
                        "file (.txt: text, else binary)"}});
    app.footer(
        "Runs one DNN inference on the accelerator (memory controllers, PE tiles, NoC, codec)\n"
        "and writes <out>/<name>.json and <out>/<name>.csv (out defaults to output.dir, else\n"
        "results/). --codec replaces the scenario's codec with a compact spec\n"
        "(e.g. quant:bits=4, kmeans:bits=4+huffman; see nocsim codecs).\n"
        "--trace-out FILE records every packet the accelerator injects (cycle, source,\n"
        "destinations, flits, class, kind) for open-loop replay in nocsim\n"
        "(traffic.pattern=trace) or `nocsim trace convert` for other simulators.\n");
  }

  int run(std::ostream& out) override {
    const ScenarioArgs& a = a_;
    LoadedScenario loaded = load_scenario(a.path, a.sets);
    if (a.has("--codec")) {
      // Built once here so that a bad name or parameter is reported against --codec, not
      // against the scenario file's codec lines.
      *loaded.scenario.mutable_codec() = compression::parse_codec_spec(a.get("--codec"), "--codec");
      resolve_codec_plugins(loaded, "--codec");
      compression::make_codec(loaded.scenario.codec(), "--codec");
    }
    const config::Scenario& sc = loaded.scenario;
    const OutputPlace place = output_place(loaded, a.get("--out"));

    const std::string trace_file = a.get("--trace-out");
    if (a.has("--trace-out")) check_writable(trace_file);
    noc::TraceRecorder recorder;
    noc::TraceRecorder* trace = trace_file.empty() ? nullptr : &recorder;
    config::RunResult r;
    if (verbosity() < 0) {
      r = run_accelerator_scenario(loaded, trace, nullptr);
    } else {
      ProgressLine progress(std::cerr, ::isatty(STDERR_FILENO) != 0, "run");
      r = run_accelerator_scenario(loaded, trace, &progress);
    }
    print_summary(r, sc, out);
    write_run_result(place, r, out);
    if (!trace_file.empty()) {
      const noc::TraceFormat format = noc::trace_format_for(trace_file);
      write_file_atomic(trace_file,
                        noc::serialize_trace(recorder.trace(), format, trace_file, "--trace-out"));
      out << "  trace: " << recorder.packets() << " packets (" << recorder.flits()
          << " flits injected) written to " << trace_file << "\n";
    }
    return 0;
  }

 private:
  ScenarioArgs a_;
};

NOCSIM_REGISTER(command_registry(), RunCommand, "run",
                "one DNN inference on the accelerator: latency, energy, accuracy");

}  // namespace
}  // namespace nocsim::tools
