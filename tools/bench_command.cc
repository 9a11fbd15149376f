// `nocsim bench`: the NoC engine's speed on BookSim2's reference workload (8x8 mesh, uniform
// traffic, XY routing, 2 VCs x 8 flits, 1-flit packets, Bernoulli injection), run for a fixed
// number of cycles, plus larger meshes to show how the cost grows. The figures to compare with are
// BookSim2's on this machine kind (../shared/reference/booksim/README.md): about 16,000 cycles/s at
// 0.10 flits/node/cycle and 6,800 at 0.25; the engine's target is forty times that.
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
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

namespace nocsim::tools {

namespace {

struct BenchCase {
  uint32_t k = 8;
  double rate = 0.1;
  double target_cycles_per_s = 0;  // 0 = no target
};

// CPU seconds (user + system) this process has used: the one-core cost, independent of how many
// other processes share the machine.
double cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto sec = [](const timeval& t) { return t.tv_sec + t.tv_usec * 1e-6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

// Targets: forty times BookSim2's measured speed on the same workload (8x8), and 150,000 cycles/s
// on 16x16 at 0.05.
const std::vector<BenchCase> kCases = {
    {8, 0.10, 640'000}, {8, 0.25, 272'000}, {16, 0.05, 150'000}, {16, 0.10, 0}, {32, 0.10, 0}};

// The mesh sizes --mesh accepts: those of the cases.
std::vector<uint32_t> case_meshes() {
  std::vector<uint32_t> k;
  for (const BenchCase& c : kCases)
    if (std::find(k.begin(), k.end(), c.k) == k.end()) k.push_back(c.k);
  return k;
}

double peak_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // Linux reports kilobytes
}

uint64_t parse_cycles(const std::string& text) {
  try {
    size_t used = 0;
    const unsigned long long v = std::stoull(text, &used);
    if (used == text.size() && v >= 100 && v <= 100'000'000) return v;
  } catch (const std::exception&) {
  }
  throw UserError("--cycles",
                  "expected a cycle count between 100 and 100000000, got '" + text + "'");
}

class BenchCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_flag("--quick", quick_, "300 warm-up + 1,000 measured cycles (a smoke test)");
    app.add_option("--cycles", cycles_text_, "measured cycles per case (default 120,000)");
    app.add_option("--csv", csv_path_, "also write the table as CSV to FILE");
    app.add_option("--mesh", mesh_, "only the cases of the K x K mesh")
        ->check(CLI::IsMember(case_meshes()));
    app.footer(
        "Times the NoC engine on BookSim2's reference workload: k x k mesh, uniform traffic,\n"
        "XY routing, 2 VCs x 8 flits, 1-flit packets; 8x8 at 0.10 and 0.25 flits/node/cycle,\n"
        "16x16 at 0.05 and 0.10, 32x32 at 0.10. Each case runs 3,000 warm-up cycles then N "
        "measured cycles.\n"
        "cycles/s counts every simulated cycle and is given per CPU second (one core, what the\n"
        "target refers to) and per wall second.\n");
  }

  int run(std::ostream& out) override {
    uint64_t cycles = cycles_text_.empty() ? 120'000 : parse_cycles(cycles_text_);
    const bool quick = quick_;
    const std::string csv_path = csv_path_;
    // --quick shortens warm-up to 3 x 100 cycles as well: a smoke test, not a measurement.
    const uint32_t sample_period = quick ? 100 : 1000;
    if (quick) cycles = 1'000;

    std::vector<BenchCase> cases = kCases;
    if (mesh_ != 0) std::erase_if(cases, [&](const BenchCase& c) { return c.k != mesh_; });
    out << "nocsim bench: mesh, uniform, XY, 2 VCs x 8 flits, 1-flit packets, " << 3 * sample_period
        << " warm-up + " << cycles << " measured cycles per case\n";
    out << "mesh    rate  sim_cycles  cpu_s   wall_s  cycles/s(cpu)  cycles/s(wall)  "
           "Mflit-hops/s(cpu)  peak_rss_MB  mean_latency  accepted  target\n";
    std::string csv =
        "mesh_k,injection_rate,simulated_cycles,cpu_seconds,wall_seconds,cycles_per_cpu_second,"
        "cycles_per_wall_second,flit_hops_per_cpu_second,peak_rss_mb,mean_packet_latency,"
        "accepted_flits_per_node_cycle\n";
    for (const BenchCase& c : cases) {
      config::NocConfig noc;
      noc.mutable_topology()->set_kind("mesh");
      noc.mutable_topology()->set_k_x(c.k);
      noc.mutable_topology()->set_k_y(c.k);
      noc.mutable_router()->set_num_vcs(2);
      noc.mutable_router()->set_vc_buf_size(8);
      noc.mutable_routing()->set_algorithm("xy");
      config::TrafficConfig traffic;
      traffic.set_pattern("uniform");
      traffic.set_injection_rate(c.rate);
      traffic.set_packet_size(1);
      config::SimConfig sim;
      sim.set_seed(0);
      sim.set_fixed_cycles(cycles);
      sim.set_sample_period(sample_period);

      const double cpu0 = cpu_seconds();
      const auto wall0 = std::chrono::steady_clock::now();
      const config::NocResult r = noc::run_traffic(noc, traffic, sim, config::TechConfig());
      const double wall =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
      const double cpu = std::max(cpu_seconds() - cpu0, 1e-6);
      const double rss = peak_rss_mb();
      const double sim_cycles = static_cast<double>(r.cycles());
      // Every flit crosses avg_hops routers; all flits of a packet take the same path.
      const double flit_hops =
          r.accepted_flits_per_node_cycle() * c.k * c.k * r.avg_hops() * sim_cycles;
      const double per_cpu = sim_cycles / cpu;
      const double per_wall = sim_cycles / std::max(wall, 1e-6);
      std::string verdict = "-";
      if (c.target_cycles_per_s > 0) {
        verdict = (per_cpu >= c.target_cycles_per_s ? "met (>= " : "MISSED (< ") +
                  fixed(c.target_cycles_per_s, 0) + ")";
      }
      char line[320];
      std::snprintf(line, sizeof line,
                    "%2ux%-4u %4.2f  %10.0f  %6.2f  %6.2f  %13.0f  %14.0f  %17.2f  %11.1f  %12.2f  "
                    "%8.4f  %s\n",
                    c.k, c.k, c.rate, sim_cycles, cpu, wall, per_cpu, per_wall,
                    flit_hops / cpu / 1e6, rss, r.packet_latency().mean(),
                    r.accepted_flits_per_node_cycle(), verdict.c_str());
      out << line << std::flush;
      csv += std::to_string(c.k) + "," + fixed(c.rate, 2) + "," + fixed(sim_cycles, 0) + "," +
             fixed(cpu, 4) + "," + fixed(wall, 4) + "," + fixed(per_cpu, 0) + "," +
             fixed(per_wall, 0) + "," + fixed(flit_hops / cpu, 0) + "," + fixed(rss, 1) + "," +
             fixed(r.packet_latency().mean(), 3) + "," +
             fixed(r.accepted_flits_per_node_cycle(), 5) + "\n";
    }
    out << "peak_rss_MB is the process's peak so far (getrusage), so it includes earlier cases;\n"
           "the cases run in increasing size. BookSim2 on this machine kind: ~16,000 cycles/s at\n"
           "0.10 and ~6,800 at 0.25 on 8x8 (120,000 cycles), 7 MB.\n";
    if (!csv_path.empty()) {
      write_file_atomic(csv_path, csv);
      out << "wrote " << csv_path << "\n";
    }
    return 0;
  }

 private:
  bool quick_ = false;
  uint32_t mesh_ = 0;  // 0: every case
  std::string cycles_text_, csv_path_;
};

NOCSIM_REGISTER(command_registry(), BenchCommand, "bench",
                "NoC engine speed on BookSim2's reference workload (cycles/s, memory)");

}  // namespace

}  // namespace nocsim::tools
