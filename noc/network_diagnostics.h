#pragma once
// What a stalled network shows: every non-empty input VC, what it holds and what it waits for.
// Read-only over the shared state; used by the watchdog and Network::describe_blocked().
#include <string>

#include "noc/network_state.h"

namespace nocsim::noc::detail {

std::string describe_blocked(const NetState& s);
// Throws NetworkStalled when no flit has moved for the watchdog period with packets outstanding.
void check_watchdog(const NetState& s);

}  // namespace nocsim::noc::detail
