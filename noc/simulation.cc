#include "noc/simulation.h"

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "configs/rng.h"
#include "configs/user_error.h"
#include "noc/energy_model.h"
#include "noc/latency_samples.h"
#include "noc/memory_estimate.h"
#include "noc/network.h"
#include "noc/sim_params.h"
#include "noc/traffic/injection_process.h"
#include "noc/traffic/multicast_destinations.h"
#include "noc/traffic/trace_reader.h"
#include "noc/traffic/traffic_pattern.h"

namespace nocsim::noc {

namespace {

constexpr uint64_t kNever = std::numeric_limits<uint64_t>::max();

class TrafficRun {
 public:
  TrafficRun(const config::NocConfig& noc, const config::TrafficConfig& traffic,
             const SimParams& sim)
      : sim_(sim),
        net_(noc, sim.watchdog_cycles),
        multicast_(net_.topology(), traffic.multicast()) {
    const uint32_t n = net_.num_terminals();
    // Packets inside the network hold a buffer slot or sit at an interface; the rest wait.
    const uint64_t vcs = uint64_t(net_.topology().total_ports()) * net_.params().num_vcs;
    outstanding_limit_ = sim.max_queued_packets + vcs * net_.params().vc_buf_size + vcs;
    const std::string pattern = traffic.pattern().empty() ? "uniform" : traffic.pattern();
    if (pattern == "trace") {
      require(!traffic.trace_file().empty(), "traffic.trace_file",
              "pattern 'trace' needs a trace_file");
      trace_ = read_trace(traffic.trace_file(), net_.topology(), sim.max_cycles);
      return;
    }
    process_ = std::make_unique<InjectionProcess>(traffic);
    if (multicast_.enabled() && process_->packet_size() > net_.max_multicast_flits()) {
      throw UserError("traffic.packet_size", "multicast packets of " +
                                                 std::to_string(process_->packet_size()) +
                                                 " flits exceed noc.multicast.max_packet_flits (" +
                                                 std::to_string(net_.max_multicast_flits()) + ")");
    }
    pattern_ = traffic_registry().create(pattern, "traffic.pattern", net_.topology(), traffic);
    rngs_.reserve(n);
    states_.reserve(n);
    for (uint32_t t = 0; t < n; ++t) {
      rngs_.push_back(Rng::derive(sim.seed, t));
      states_.push_back(process_->initial_state(rngs_.back()));
    }
  }

  config::NocResult run() {
    if (!trace_.empty() || !process_) {
      run_trace();
    } else if (sim_.fixed_cycles > 0) {
      run_fixed();
    } else {
      run_booksim();
    }
    return result();
  }

  const Network& network() const { return net_; }
  uint64_t window_start() const { return clear_time_; }
  const NetworkCounters& window_start_counters() const { return clear_counters_; }

 private:
  enum class Phase { kWarmup, kRunning, kDraining, kAll };

  bool counts(uint64_t created) const {
    switch (phase_) {
      case Phase::kWarmup:
      case Phase::kAll:
        return true;
      case Phase::kRunning:
      case Phase::kDraining:
        return created >= run_start_ && created < drain_start_;
    }
    return false;
  }
  bool measured(uint64_t created) const { return created >= run_start_ && created < drain_start_; }

  void clear() {
    plat_.clear();
    nlat_.clear();
    flat_.clear();
    mdest_.clear();
    multicast_packets_ = 0;
    hops_sum_ = 0;
    accepted_flits_ = 0;
    clear_time_ = net_.cycle();
    clear_counters_ = net_.counters();
  }

  void generate() {
    const uint64_t now = net_.cycle();
    const uint32_t size = process_->packet_size();
    for (uint32_t t = 0; t < rngs_.size(); ++t) {
      if (!process_->packet_this_cycle(states_[t], rngs_[t])) continue;
      const uint32_t dest = pattern_->destination(t, rngs_[t]);
      PacketSpec p{t, dest, size, 0, now};
      if (multicast_.enabled() && multicast_.draw(t, rngs_[t], dests_)) p.dests = dests_;
      net_.inject(p);
      note_created(now);
    }
  }

  void note_created(uint64_t created) {
    ++outstanding_;
    outstanding_created_sum_ += static_cast<double>(created);
    if (phase_ == Phase::kRunning) ++measured_outstanding_;
  }

  void cycle() {
    net_.step();
    for (const FlitEjection& e : net_.ejected_flits()) {
      ++accepted_flits_;
      if (counts(e.created)) flat_.add(e.cycle - e.created);
    }
    for (const Delivery& d : net_.delivered()) {
      if (d.multicast) {
        if (counts(d.created)) mdest_.add(d.delivered - d.created);
        if (!d.last) continue;
        if (counts(d.created)) ++multicast_packets_;
      }
      --outstanding_;
      outstanding_created_sum_ -= static_cast<double>(d.created);
      if (phase_ != Phase::kWarmup && phase_ != Phase::kAll && measured(d.created))
        --measured_outstanding_;
      if (!counts(d.created)) continue;
      plat_.add(d.delivered - d.created);
      nlat_.add(d.delivered - d.injected);
      hops_sum_ += d.packet_hops;
    }
  }

  void stop(const char* reason) {
    saturated_ = true;
    saturation_reason_ = reason;
  }

  // One loaded cycle; false (the run stopped as saturated) once more packets wait in the source
  // queues than sim.max_queued_packets, which bounds the memory of a saturated run.
  bool advance() {
    generate();
    cycle();
    if (outstanding_ <= outstanding_limit_) return true;
    stop("source queues above sim.max_queued_packets");
    return false;
  }

  // BookSim's safety check: delivered latencies plus the age of everything not yet delivered.
  bool latency_exceeded() const {
    const double now = static_cast<double>(net_.cycle());
    const double ages = static_cast<double>(outstanding_) * now - outstanding_created_sum_;
    const double count = static_cast<double>(plat_.count() + outstanding_);
    return count > 0 && (plat_.sum() + ages) / count > sim_.latency_threshold;
  }

  void run_booksim() {
    uint32_t phases = 0;
    uint32_t converged = 0;
    bool clear_last = false;
    double prev_latency = 0, prev_accepted = 0;
    const uint32_t n = net_.num_terminals();
    phase_ = Phase::kWarmup;
    while (phases < sim_.max_samples && (phase_ != Phase::kRunning || converged < 3)) {
      if (clear_last || (phase_ == Phase::kWarmup && phases % 2 == 0)) {
        clear();
        clear_last = false;
      }
      for (uint32_t i = 0; i < sim_.sample_period; ++i)
        if (!advance()) return;
      if (latency_exceeded()) return stop("latency above sim.latency_threshold");
      if (net_.cycle() >= sim_.max_cycles) return stop("sim.max_cycles reached");
      const double latency = plat_.mean();
      const double accepted = static_cast<double>(accepted_flits_) /
                              static_cast<double>((net_.cycle() - clear_time_) * n);
      const double latency_change =
          latency > 0 ? std::fabs((latency - prev_latency) / latency) : 1.0;
      const double accepted_change =
          accepted > 0 ? std::fabs((accepted - prev_accepted) / accepted) : 1.0;
      prev_latency = latency;
      prev_accepted = accepted;
      if (phase_ == Phase::kWarmup) {
        if (phases + 1 >= sim_.warmup_periods) {
          clear_last = true;
          phase_ = Phase::kRunning;
          run_start_ = net_.cycle();
        }
      } else if (latency_change <= sim_.convergence && accepted_change <= sim_.convergence) {
        ++converged;
      } else {
        converged = 0;
      }
      ++phases;
    }
    converged_ = converged >= 3;
    // Drain the measured packets; sources keep injecting so the network stays at its load.
    phase_ = Phase::kDraining;
    drain_start_ = net_.cycle();
    uint64_t steps = 0;
    while (measured_outstanding_ > 0) {
      if (!advance()) return;
      if (++steps % 1000 == 0 && latency_exceeded())
        return stop("latency above sim.latency_threshold");
      if (net_.cycle() >= sim_.max_cycles) return stop("sim.max_cycles reached");
    }
  }

  void run_fixed() {
    phase_ = Phase::kAll;
    converged_ = true;
    for (uint64_t i = 0; i < uint64_t(sim_.warmup_periods) * sim_.sample_period; ++i)
      if (!advance()) return;
    clear();
    for (uint64_t i = 0; i < sim_.fixed_cycles; ++i)
      if (!advance()) return;
    if (latency_exceeded()) stop("latency above sim.latency_threshold");
  }

  void run_trace() {
    phase_ = Phase::kAll;
    clear();
    size_t next = 0;
    while (next < trace_.size() || !net_.empty()) {
      if (net_.empty() && next < trace_.size() && trace_[next].cycle() > net_.cycle())
        net_.skip_idle_until(trace_[next].cycle());
      while (next < trace_.size() && trace_[next].cycle() <= net_.cycle()) {
        const config::TraceRecord& rec = trace_[next];
        PacketSpec p{rec.source(), rec.destination(), rec.size_flits() == 0 ? 1 : rec.size_flits(),
                     rec.traffic_class(), net_.cycle()};
        const std::span<const uint32_t> dests(rec.destinations().data(),
                                              static_cast<size_t>(rec.destinations_size()));
        if (dests.empty() || p.size_flits <= net_.max_multicast_flits()) {
          p.dests = dests;
          net_.inject(p);
          note_created(net_.cycle());
        } else {
          // Longer than this network's multicast packets may be: one unicast copy each.
          for (uint32_t d : dests) {
            p.dest = d;
            net_.inject(p);
            note_created(net_.cycle());
          }
        }
        ++next;
      }
      cycle();
      if (net_.cycle() >= sim_.max_cycles) {
        stop("sim.max_cycles reached");
        break;
      }
    }
    converged_ = !saturated_;
  }

  config::NocResult result() const {
    config::NocResult r;
    const uint64_t window = net_.cycle() - clear_time_;
    const uint32_t n = net_.num_terminals();
    *r.mutable_packet_latency() = plat_.summary();
    *r.mutable_network_latency() = nlat_.summary();
    *r.mutable_flit_latency() = flat_.summary();
    if (multicast_packets_ > 0) {
      r.set_multicast_packets(multicast_packets_);
      *r.mutable_multicast_destination_latency() = mdest_.summary();
    }
    r.set_accepted_flits_per_node_cycle(
        window ? static_cast<double>(accepted_flits_) / (static_cast<double>(window) * n) : 0.0);
    r.set_avg_hops(plat_.count() ? static_cast<double>(hops_sum_) / plat_.count() : 0.0);
    r.set_saturated(saturated_ || !converged_);
    if (saturated_)
      r.set_saturation_reason(saturation_reason_);
    else if (!converged_)
      r.set_saturation_reason("did not converge");
    r.set_cycles(net_.cycle());
    r.set_flits_delivered(accepted_flits_);
    const NetworkCounters delta = net_.counters().since(clear_counters_);
    const auto& chans = net_.topology().channels();
    for (size_t c = 0; c < chans.size(); ++c) {
      config::LinkLoad* l = r.add_links();
      l->set_src(chans[c].src);
      l->set_dst(chans[c].dst);
      l->set_utilization(window ? static_cast<double>(delta.channel_flits[c]) / window : 0.0);
    }
    return r;
  }

 public:
  NetworkCounters window_counters() const { return net_.counters().since(clear_counters_); }
  uint64_t window_cycles() const { return net_.cycle() - clear_time_; }
  // The load a run offers: the configured rate, or for a replayed trace its flits over the
  // terminals and the cycles it spans.
  double offered_load(const config::TrafficConfig& traffic) const {
    if (process_ || trace_.empty()) return traffic.injection_rate();
    uint64_t flits = 0;
    for (const auto& rec : trace_) flits += rec.size_flits();
    const double span = static_cast<double>(trace_.back().cycle() + 1);
    return static_cast<double>(flits) / (span * net_.num_terminals());
  }

 private:
  SimParams sim_;
  Network net_;
  std::unique_ptr<InjectionProcess> process_;
  std::unique_ptr<TrafficPattern> pattern_;
  std::vector<Rng> rngs_;
  std::vector<InjectionState> states_;
  std::vector<config::TraceRecord> trace_;
  MulticastDestinations multicast_;
  std::vector<uint32_t> dests_;

  Phase phase_ = Phase::kWarmup;
  uint64_t run_start_ = kNever, drain_start_ = kNever;
  uint64_t outstanding_ = 0, measured_outstanding_ = 0;
  double outstanding_created_sum_ = 0;
  LatencySamples plat_, nlat_, flat_, mdest_;
  uint64_t multicast_packets_ = 0;
  uint64_t hops_sum_ = 0;
  uint64_t accepted_flits_ = 0;
  uint64_t clear_time_ = 0;
  NetworkCounters clear_counters_;
  uint64_t outstanding_limit_ = 0;
  bool saturated_ = false;
  const char* saturation_reason_ = "";
  bool converged_ = false;
};

}  // namespace

config::NocResult run_traffic(const config::NocConfig& noc, const config::TrafficConfig& traffic,
                              const config::SimConfig& sim, const config::TechConfig& tech) {
  const auto start = std::chrono::steady_clock::now();
  const SimParams params = SimParams::from_config(sim);
  check_run_memory(noc, params);
  TrafficRun run(noc, traffic, params);
  config::NocResult r = run.run();
  r.set_injection_rate(run.offered_load(traffic));
  *r.mutable_energy() = network_energy(run.window_counters(), run.network().topology(),
                                       run.network().params(), run.window_cycles(), tech);
  r.set_wall_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return r;
}

}  // namespace nocsim::noc
