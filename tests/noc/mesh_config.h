#pragma once
// Test helper: the NoC config of a k x k mesh with XY routing, the network most engine tests use.
#include <cstdint>

#include "configs/schema/noc.pb.h"

namespace nocsim::noc::testing {

inline config::NocConfig xy_mesh(uint32_t k, uint32_t vcs = 2, uint32_t buf = 8,
                                 uint32_t credit_delay = 0) {
  config::NocConfig c;
  c.mutable_topology()->set_kind("mesh");
  c.mutable_topology()->set_k_x(k);
  c.mutable_router()->set_num_vcs(vcs);
  c.mutable_router()->set_vc_buf_size(buf);
  if (credit_delay != 0) c.mutable_router()->set_credit_delay(credit_delay);
  c.mutable_routing()->set_algorithm("xy");
  return c;
}

}  // namespace nocsim::noc::testing
