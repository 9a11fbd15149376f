// DRAM with banks and open-page row buffers. Each controller lays every region it serves (a
// tile's share of a layer, an input image, a spill area) at fixed consecutive addresses, rows
// interleaved over the banks. A read walks its rows: a row already open in its bank is a hit
// (column access, tCL), another row is a miss (precharge tRP if a row was open, activate tRCD,
// then tCL); data then flows at the channel's peak rate. Reads of one controller are served in
// order, one at a time (no bank-level overlap: pessimistic for streams that change rows often).
// Timings come from a preset (accelerator.dram.preset, default ddr4_2400); dram.bandwidth_gb_per_s,
// when set, replaces the preset's peak rate (e.g. a narrower channel).
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "configs/user_error.h"
#include "pe/dram/dram_model.h"

namespace nocsim::pe {
namespace {

struct Preset {
  const char* name;
  double tcl_ns, trcd_ns, trp_ns;
  double gb_per_s;  // peak, one channel
  uint32_t banks;
  uint32_t row_bytes;
};

// JEDEC JESD79-4 DDR4-2400R speed bin (CL-tRCD-tRP = 16-16-16 at tCK = 0.833 ns), one 64-bit
// channel (2400 MT/s x 8 bytes = 19.2 GB/s), 16 banks (4 groups of 4), an 8 KiB row per rank of
// x8 devices (1 KiB page each).
// JEDEC JESD209-4 LPDDR4-3200 (RL = 28 tCK at tCK = 0.625 ns, tRCD = tRPpb = 18 ns), one x16
// channel (3200 MT/s x 2 bytes = 6.4 GB/s), 8 banks, 2 KiB page.
constexpr Preset kPresets[] = {
    {"ddr4_2400", 16 * 0.833, 16 * 0.833, 16 * 0.833, 19.2, 16, 8192},
    {"lpddr4_3200", 28 * 0.625, 18.0, 18.0, 6.4, 8, 2048},
};

// Unset = the first (DDR4-2400).
const Preset& find_preset(const std::string& name) {
  if (name.empty()) return kPresets[0];
  std::string valid;
  for (const Preset& p : kPresets) {
    if (name == p.name) return p;
    valid += (valid.empty() ? "" : ", ") + std::string(p.name);
  }
  throw UserError("accelerator.dram.preset",
                  "unknown DRAM preset '" + name + "' for the banked DRAM model; valid: " + valid);
}

class Banked : public DramModel {
 public:
  Banked(const AcceleratorParams& p, const config::DramConfig& cfg)
      : preset_(find_preset(cfg.preset())),
        tcl_(preset_.tcl_ns * p.clock_ghz),
        trcd_(preset_.trcd_ns * p.clock_ghz),
        trp_(preset_.trp_ns * p.clock_ghz),
        bits_per_cycle_(
            (cfg.has_bandwidth_gb_per_s() ? cfg.bandwidth_gb_per_s() : preset_.gb_per_s) * 8.0 /
            p.clock_ghz),
        channels_(p.mc_nodes.size()) {
    for (Channel& c : channels_) c.open_row.assign(preset_.banks, -1);
  }

  DramStream read(uint32_t mc, const DramRegion& region, uint64_t bits, uint64_t now) override {
    Channel& c = channels_[mc];
    const uint64_t bytes = (bits + 7) / 8;
    auto [it, fresh] = c.address.try_emplace(region, c.next_address);
    if (fresh) c.next_address += (bytes + 63) / 64 * 64;  // regions start on a 64-byte burst
    double t = std::max(static_cast<double>(now), c.free);
    double first = -1;
    uint64_t pos = it->second, left = bytes;
    while (left > 0) {
      const uint64_t row = pos / preset_.row_bytes;
      const uint32_t bank = static_cast<uint32_t>(row % preset_.banks);
      const int64_t in_bank = static_cast<int64_t>(row / preset_.banks);
      const uint64_t seg = std::min<uint64_t>(left, preset_.row_bytes - pos % preset_.row_bytes);
      if (c.open_row[bank] == in_bank) {
        ++stats_.row_hits;
        if (first < 0) t += tcl_;
      } else {
        ++stats_.row_misses;
        t += (c.open_row[bank] >= 0 ? trp_ : 0.0) + trcd_ + tcl_;
        c.open_row[bank] = in_bank;
      }
      if (first < 0) first = t;
      t += static_cast<double>(seg * 8) / bits_per_cycle_;
      pos += seg;
      left -= seg;
    }
    if (first < 0) first = t;  // an empty read
    c.free = t;
    const double span = t - first;
    return {static_cast<uint64_t>(std::ceil(first)),
            span > 0 ? static_cast<double>(bits) / span : bits_per_cycle_};
  }

  DramStats stats() const override {
    DramStats s = stats_;
    s.has_rows = true;
    return s;
  }

 private:
  struct Channel {
    std::map<DramRegion, uint64_t> address;
    uint64_t next_address = 0;
    std::vector<int64_t> open_row;  // per bank, -1 = closed
    double free = 0;
  };
  const Preset& preset_;
  double tcl_, trcd_, trp_, bits_per_cycle_;
  std::vector<Channel> channels_;
  DramStats stats_;
};

NOCSIM_REGISTER(dram_registry(), Banked, "banked",
                "banks with open-page row buffers, DDR4/LPDDR4 timing presets");

}  // namespace
}  // namespace nocsim::pe
