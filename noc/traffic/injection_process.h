#pragma once
// When a terminal creates a packet. A value type with a switch, not a virtual call: it is asked
// once per terminal per cycle, the hottest question in a synthetic run.
//   bernoulli: each cycle a packet with probability injection_rate / packet_size (BookSim's
//   method). bursty:    two-state Markov on/off source; while on it injects with a rate scaled so
//   that the
//              long-run average equals injection_rate.
#include <cstdint>

#include "configs/rng.h"
#include "configs/schema/traffic.pb.h"

namespace nocsim::noc {

struct InjectionState {
  bool on = true;
};

class InjectionProcess {
 public:
  // Validates traffic.process, traffic.injection_rate, traffic.packet_size and traffic.bursty;
  // throws UserError naming the field.
  explicit InjectionProcess(const config::TrafficConfig& cfg);

  // Inline, with the Bernoulli draw as an integer compare: asked for every terminal every cycle.
  bool packet_this_cycle(InjectionState& state, Rng& rng) const {
    if (kind_ == Kind::kBernoulli) return (rng.next() >> 11) < bernoulli_threshold_;
    return bursty_this_cycle(state, rng);
  }
  // A terminal's first state, drawn from the on/off chain's stationary distribution so that a run
  // starts in steady state (always on for bernoulli).
  InjectionState initial_state(Rng& rng) const;
  // Probability of a packet in a cycle (while on, for bursty).
  double packet_probability() const { return packet_probability_; }
  uint32_t packet_size() const { return packet_size_; }

 private:
  bool bursty_this_cycle(InjectionState& state, Rng& rng) const;

  enum class Kind { kBernoulli, kBursty } kind_ = Kind::kBernoulli;
  double packet_probability_ = 0.0;  // bernoulli, or while on for bursty
  // Rng::bernoulli(p) is (next() >> 11) * 2^-53 < p; both sides scaled by 2^53 (exact), the 53-bit
  // integer is below p * 2^53 exactly when it is below its ceiling: the same draw, no conversion.
  uint64_t bernoulli_threshold_ = 0;
  double p_on_to_off_ = 0.0;
  double p_off_to_on_ = 0.0;
  uint32_t packet_size_ = 1;
};

}  // namespace nocsim::noc
