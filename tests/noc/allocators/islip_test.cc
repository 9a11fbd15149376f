// iSLIP's switch allocation within one input port, as BookSim2's iq router does it: of the port's
// VCs that ask for the same output in a cycle, the one nearest at or after the port's VC pointer
// goes forward (RoundRobinArbiter::Supersedes with _sw_rr_offset), whichever asked first, and the
// pointer then moves past the VC granted. The router state is set up by hand so that exactly two
// VCs of one input contend.
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "noc/allocator.h"
#include "noc/network_state.h"

namespace nocsim::noc {
namespace {

using namespace detail;

class IslipSwitchAllocation : public ::testing::Test {
 protected:
  IslipSwitchAllocation() : s_(config(), 1000) {}

  static config::NocConfig config() {
    config::NocConfig cfg;
    cfg.mutable_topology()->set_kind("mesh");
    cfg.mutable_topology()->set_k_x(3);
    cfg.mutable_topology()->set_k_y(3);
    cfg.mutable_router()->set_num_vcs(4);
    return cfg;
  }

  // Input VC `v` of the centre router's west port holds one single-flit packet tagged `packet`,
  // bound for the east output on output VC `v`, switch-ready since cycle `since`.
  void ready_to_go_east(uint32_t v, uint32_t packet, uint64_t since) {
    const uint32_t in_idx = s_.base_port(kCentre) + kWest;
    const uint32_t ivc = in_idx * s_.V + v;
    InputVc& in = s_.vin[ivc];
    in.slot0 = Flit{};
    in.slot0.packet = packet;
    in.slot0.flags = kHead | kTail;
    in.buf_head = 0;
    in.buf_count = 1;
    in.state = kActive;
    in.out_port = kEast;
    in.out_vc = static_cast<uint8_t>(v);
    in.ready = since;
    in.listed = kInSa;
    const uint32_t out_idx = s_.base_port(kCentre) + kEast;
    s_.vout[out_idx * s_.V + v].busy = 1;
    s_.port_busy[out_idx] |= 1u << v;
    s_.sa_list[s_.base_port(kCentre) * s_.V + s_.sa_size[kCentre]++] = ivc;
  }

  // Runs the allocators on the centre router at cycle `now` and returns the packets it sent.
  std::vector<uint32_t> allocate_at(uint64_t now) {
    s_.now = now;
    s_.visit.assign(1, kCentre);
    allocator_->allocate(s_);
    std::vector<uint32_t> sent;
    for (const FlitEvent& e : s_.slot(s_.arrivals, now + s_.flit_flight))
      sent.push_back(e.flit.packet);
    s_.slot(s_.arrivals, now + s_.flit_flight).clear();
    return sent;
  }

  uint8_t vc_pointer() const { return s_.sa_vptr[s_.base_port(kCentre) + kWest]; }

  static constexpr RouterId kCentre = 4;
  NetState s_;
  std::unique_ptr<Allocator> allocator_ =
      allocator_registry().create("islip", "noc.allocator.name");
};

TEST_F(IslipSwitchAllocation, TheVcNearestAfterThePointerWinsNotTheOldestOrLowest) {
  // VC 1 has waited since cycle 3, VC 2 only since cycle 9; the pointer sits at VC 2.
  s_.sa_vptr[s_.base_port(kCentre) + kWest] = 2;
  ready_to_go_east(1, 10, 3);
  ready_to_go_east(2, 20, 9);
  EXPECT_EQ(allocate_at(10), std::vector<uint32_t>{20});
  EXPECT_EQ(vc_pointer(), 3);  // past VC 2
  EXPECT_EQ(allocate_at(11), std::vector<uint32_t>{10});
  EXPECT_EQ(vc_pointer(), 2);
}

TEST_F(IslipSwitchAllocation, ThePointerWrapsPastTheLastVc) {
  // Pointer at VC 3: VC 3 first, then VC 0 before VC 2 (0 comes after 3, 2 only after 0 and 1).
  s_.sa_vptr[s_.base_port(kCentre) + kWest] = 3;
  ready_to_go_east(0, 100, 5);
  ready_to_go_east(2, 102, 5);
  ready_to_go_east(3, 103, 5);
  EXPECT_EQ(allocate_at(6), std::vector<uint32_t>{103});
  EXPECT_EQ(vc_pointer(), 4);  // one past the last VC, read as VC 0
  EXPECT_EQ(allocate_at(7), std::vector<uint32_t>{100});
  EXPECT_EQ(allocate_at(8), std::vector<uint32_t>{102});
}

TEST_F(IslipSwitchAllocation, ALoneRequestMovesThePointerToo) {
  ready_to_go_east(2, 7, 0);
  EXPECT_EQ(allocate_at(1), std::vector<uint32_t>{7});
  EXPECT_EQ(vc_pointer(), 3);
}

}  // namespace
}  // namespace nocsim::noc
