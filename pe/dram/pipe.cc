// The DRAM as a pipe: every read waits the access latency (dram.latency_cycles), then streams at
// the channel bandwidth (dram.bandwidth_gb_per_s), behind whatever the same controller is
// already streaming. No banks, no row buffers: every access costs the same.
#include <algorithm>
#include <cmath>
#include <vector>

#include "pe/dram/dram_model.h"

namespace nocsim::pe {
namespace {

class Pipe : public DramModel {
 public:
  Pipe(const AcceleratorParams& p, const config::DramConfig&)
      : latency_(p.dram_latency_cycles),
        bits_per_cycle_(p.dram_bits_per_cycle),
        bus_free_(p.mc_nodes.size(), 0) {}

  DramStream read(uint32_t mc, const DramRegion&, uint64_t bits, uint64_t now) override {
    const uint64_t start = std::max(now + latency_, bus_free_[mc]);
    bus_free_[mc] = start + static_cast<uint64_t>(std::ceil(bits / bits_per_cycle_));
    return {start, bits_per_cycle_};
  }

 private:
  uint64_t latency_;
  double bits_per_cycle_;
  std::vector<uint64_t> bus_free_;
};

NOCSIM_REGISTER(dram_registry(), Pipe, "pipe",
                "fixed access latency, then the channel bandwidth, reads in order");

}  // namespace
}  // namespace nocsim::pe
