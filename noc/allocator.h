#pragma once
// The VC and switch allocators of the routers: who wins when several input VCs want one output VC,
// and several input ports one output port. An allocator runs once per cycle over the routers with
// work (one virtual call per cycle, not per router or flit); the bookkeeping of a grant and the
// switch traversal are shared (router_pipeline.h), so an allocator only arbitrates.
//
// Add one: a .cc file in noc/allocators/ with a class deriving from Allocator and one
// NOCSIM_REGISTER(allocator_registry(), ...) line; `noc.allocator.name` selects it.
#include "configs/registry.h"
#include "noc/network_state.h"

namespace nocsim::noc {

class Allocator {
 public:
  virtual ~Allocator() = default;
  // VC allocation, then switch allocation, on every router in s.visit (see visit_routers).
  virtual void allocate(detail::NetState& s) = 0;
};

using AllocatorRegistry = Registry<Allocator>;
AllocatorRegistry& allocator_registry();

// The allocator when noc.allocator.name is not set (BookSim's iq router default).
inline constexpr const char* kDefaultAllocator = "islip";

}  // namespace nocsim::noc
