#include "noc/traffic/injection_process.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "configs/user_error.h"
#include "noc/network.h"

namespace nocsim::noc {

namespace {

void require_probability(double p, const std::string& field) {
  require(std::isfinite(p) && p >= 0.0 && p <= 1.0, field,
          "must be a probability in [0, 1], got " + std::to_string(p));
}

}  // namespace

InjectionProcess::InjectionProcess(const config::TrafficConfig& cfg) {
  const std::string& name = cfg.process();
  if (name.empty() || name == "bernoulli") {
    kind_ = Kind::kBernoulli;
  } else if (name == "bursty") {
    kind_ = Kind::kBursty;
  } else {
    throw UserError("traffic.process",
                    "unknown injection process '" + name + "'; valid names: bernoulli, bursty");
  }
  const double rate = cfg.injection_rate();
  require(
      std::isfinite(rate) && rate > 0.0 && rate <= 1.0, "traffic.injection_rate",
      "offered load must be in (0, 1] flits per terminal per cycle, got " + std::to_string(rate));
  packet_size_ = cfg.has_packet_size() ? cfg.packet_size() : 1;
  // The network's own bound, checked here so that a run refuses it before its first cycle.
  require(packet_size_ >= 1 && packet_size_ <= kMaxPacketFlits, "traffic.packet_size",
          "must be between 1 and " + std::to_string(kMaxPacketFlits) + " flits, got " +
              std::to_string(packet_size_));

  if (kind_ == Kind::kBernoulli) {
    packet_probability_ = rate / packet_size_;
    bernoulli_threshold_ = static_cast<uint64_t>(std::ceil(std::ldexp(packet_probability_, 53)));
    return;
  }
  p_on_to_off_ = cfg.bursty().p_on_to_off();
  p_off_to_on_ = cfg.bursty().p_off_to_on();
  require_probability(p_on_to_off_, "traffic.bursty.p_on_to_off");
  require_probability(p_off_to_on_, "traffic.bursty.p_off_to_on");
  require(p_off_to_on_ > 0.0, "traffic.bursty.p_off_to_on",
          "must be > 0 for a bursty source (an off source would never turn on again)");
  // Stationary share of cycles spent on; the on-rate is scaled up so the average is `rate`.
  const double on_share = p_off_to_on_ / (p_on_to_off_ + p_off_to_on_);
  const double on_rate = rate / on_share;
  require(on_rate <= 1.0 + 1e-12, "traffic.injection_rate",
          "bursty source is on " + std::to_string(on_share) + " of the time, so injection_rate " +
              std::to_string(rate) +
              " would need more than 1 flit per cycle while on; lower the rate or raise "
              "traffic.bursty.p_off_to_on");
  packet_probability_ = std::min(1.0, on_rate) / packet_size_;
}

InjectionState InjectionProcess::initial_state(Rng& rng) const {
  InjectionState s;
  if (kind_ == Kind::kBursty) {
    s.on = rng.bernoulli(p_off_to_on_ / (p_on_to_off_ + p_off_to_on_));
  }
  return s;
}

bool InjectionProcess::bursty_this_cycle(InjectionState& state, Rng& rng) const {
  // Move the on/off chain first, then inject if on (BookSim's on_off order).
  state.on = state.on ? !rng.bernoulli(p_on_to_off_) : rng.bernoulli(p_off_to_on_);
  return state.on && rng.bernoulli(packet_probability_);
}

}  // namespace nocsim::noc
