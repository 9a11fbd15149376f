#pragma once
// The machine in motion: memory controllers issue weight fetches and input images, tiles decode
// weight packets, wait for their inputs, compute and send their outputs where the dataflow says.
// Cycle-driven over noc::Network with one event queue (DRAM packet releases, decode and compute
// completions); when the network is empty the loop jumps to the next event.
//
// Images stream through a pipeline with two input buffers per tile and stage: a memory
// controller sends image i + 1's input once image i's has arrived and every first-layer tile has
// finished image i - 1, and a tile computes image i's stage s once every tile of stage s + 1 has
// finished image i - 2 (so no queue grows without bound). A tile whose weights stay resident runs
// the earliest task that is ready, so image i + 1 overlaps image i; tiles that refetch their
// weights run their tasks in order (the weights stream through the buffer in that order).
#include <cstdint>
#include <vector>

#include "compression/codec.h"
#include "configs/progress.h"
#include "pe/activation_encoding/activation_encoding.h"
#include "pe/dataflow/dataflow.h"
#include "pe/dram/dram_model.h"
#include "pe/functional_model.h"
#include "pe/layer_plan.h"
#include "pe/packet_latency.h"
#include "pe/placement.h"
#include "pe/sim_context.h"
#include "pe/tile/tile.h"
#include "pe/transfer.h"
#include "pe/weight_encoding.h"

namespace nocsim::pe {

struct MachineParts {
  const LayerPlan* plan = nullptr;
  const Placement* placement = nullptr;
  const Dataflow* dataflow = nullptr;
  const Tile* tile = nullptr;
  const ActivationEncoding* encoding = nullptr;
  DramModel* dram = nullptr;
  compression::DecoderCost decoder;
  FunctionalModel* functional = nullptr;  // null = traffic-only
  const EncodedWeights* encoded = nullptr;
};

// The first image (cold start): its completion cycle and what was counted for the first image
// itself (its input, every weight fetch it waited for, its MACs,
// its activations and outputs), so that later images' work started before it finished is not
// charged to it.
struct ColdSnapshot {
  uint64_t cycles = 0;
  Counters counters;
};

class CoSimulation {
 public:
  CoSimulation(SimContext& ctx, const MachineParts& parts);
  // `progress` (may be null) hears every kProgressCycles simulated cycles how much of the run's
  // work (bits to move: weight fetches and task inputs) was delivered.
  void run(Progress* progress = nullptr);
  static constexpr uint64_t kProgressCycles = 8192;

  const ColdSnapshot& cold() const { return cold_; }
  bool outputs_match() const { return outputs_match_; }
  uint32_t tiles_refetching() const { return tiles_refetching_; }
  // Sum over images 1..N-1 of their latency (input sent to last output back).
  uint64_t later_latency_sum() const { return later_latency_sum_; }
  // Work per unit, by kind (accelerator.utilization): per memory controller, cycles its DRAM
  // channel streamed reads; per terminal, flits injected; per channel, flits carried; per tile,
  // cycles its decoder decoded and its MACs computed. Against the run's cycles they say which
  // resource bounds it.
  struct UnitWork {
    std::vector<uint64_t> dram, injection, link, decoder, mac;
  };
  UnitWork work() const;
  // The same when the first image finished (work started by then): the steady state's share is
  // the difference.
  const UnitWork& work_at_cold() const { return work_at_cold_; }
  const PacketLatencies& latencies() const { return latencies_; }

 private:
  struct Fetch {
    uint32_t pos = 0;    // index into TileState::stages
    uint32_t image = 0;  // the first image that needs it
  };
  struct TileState {
    std::vector<int> stages;                      // stages with block-rows on this tile, in order
    std::vector<uint8_t> kept;                    // per stage position: resident (fetched once)
    bool resident = true;                         // every stage kept: tasks may run out of order
    uint64_t resident_bits = 0, stream_used = 0;  // weight buffer: kept shares, streamed shares
    std::vector<Fetch> fetches;                   // in issue order
    uint32_t next_fetch = 0;
    std::vector<uint8_t> fetch_ready;  // per fetch: decoded
    std::vector<uint32_t> task_fetch;  // per task: the fetch that holds its weights
    uint64_t decoder_free = 0;
    uint32_t next_task = 0, total_tasks = 0;  // next_task: the earliest task not done
    bool busy = false;
    std::vector<uint32_t> inputs;      // per task: input messages arrived
    std::vector<uint8_t> done;         // per task
    std::vector<uint64_t> spill_bits;  // per stage position: activations that do not fit
  };

  uint32_t num_stages() const { return static_cast<uint32_t>(plan_.stages.size()); }
  bool issue_fetch(uint32_t tile, uint64_t now);
  void issue_fetches(uint32_t tile, uint64_t now);
  void maybe_start_next_image(uint64_t now);
  void start_image(uint32_t image, uint64_t now);
  void on_message(Message m, uint64_t now);
  void on_decoded(uint32_t tile, uint32_t fetch, uint64_t now);
  void try_start(uint32_t tile, uint64_t now);
  bool outputs_have_room(uint32_t image, uint32_t s) const;
  void start_task(uint32_t tile, uint32_t task, uint64_t now);
  void on_computed(uint32_t tile, uint32_t task, uint64_t now);
  void on_image_done(uint32_t image, uint64_t now);
  void on_delivery(const noc::Delivery& d, uint64_t now);
  void setup_tile(uint32_t tile);
  void settle_multicast_hops();
  void spill(uint32_t tile, uint32_t task, uint64_t now);
  DramStream read_dram(uint32_t mc, const DramRegion& region, uint64_t bits, uint64_t now);
  uint64_t task_work(uint32_t tile, uint32_t task) const;
  // Sizes an activation message of `elems` values (held by `values` in functional runs).
  void size_activations(Message& m, uint64_t elems, std::span<const float> values) const;
  // Counts `copies` messages of it as sent (the messages Transfer::create_for made) into the
  // run's totals and, for the first image, into `m.stage`'s input (outputs to the controllers
  // are not a stage's input).
  void count_activations(const Message& m, size_t copies);
  // What the tile's share of stage s sends for the image (functional runs; empty otherwise).
  std::span<const float> share_values(uint32_t tile, uint32_t s, uint32_t image);
  void report_progress(Progress* progress, uint64_t now) const;
  // Counts into the run's counters and, for the first image, into the cold start's.
  template <class F>
  void count(uint32_t image, F&& f) {
    f(ctx_.counters);
    if (image == 0) f(cold_.counters);
  }

  SimContext& ctx_;
  const AcceleratorParams& p_;
  const LayerPlan& plan_;
  const Placement& pl_;
  const Dataflow& dataflow_;
  const Tile& tile_;
  const ActivationEncoding& encoding_;
  DramModel& dram_;
  compression::DecoderCost decoder_;
  FunctionalModel* functional_;
  const EncodedWeights* encoded_;
  Transfer transfer_;

  std::vector<TileState> tiles_;
  std::vector<uint32_t> others_;       // scratch: a tile's receivers other than itself
  std::vector<float> share_values_;    // scratch: the values a share sends
  std::vector<uint8_t> decoded_once_;  // per (stage, tile)
  // Per image: first-layer tiles that received the input / finished stage 0; producers done per
  // stage; outputs back at the controllers.
  std::vector<uint32_t> input_arrived_, first_stage_done_, stage_done_, outputs_arrived_;
  std::vector<uint64_t> image_start_;
  uint32_t images_started_ = 0, images_done_ = 0;
  uint64_t later_latency_sum_ = 0;
  uint32_t tiles_refetching_ = 0;
  std::vector<uint64_t> dram_busy_, decoder_busy_, mac_busy_;
  UnitWork work_at_cold_;
  bool outputs_match_ = true;
  ColdSnapshot cold_;
  uint64_t work_total_ = 0, work_done_ = 0;  // progress, in task_work units
  PacketLatencies latencies_;
};

}  // namespace nocsim::pe
