#pragma once
// The machine in motion: memory controllers issue weight fetches and input images, tiles decode
// weight packets, wait for their inputs, compute and send their outputs where the dataflow says.
// Cycle-driven over noc::Network with one event queue (DRAM packet releases, decode and compute
// completions); when the network is empty the loop jumps to the next event.
//
// Images stream: a memory controller sends image i + 1's input once image i's has arrived and
// every first-layer tile has finished image i - 1 (two input buffers per tile), and a tile whose
// weights stay resident runs the earliest task whose inputs are there, so image i + 1 overlaps
// image i. Tiles that refetch their weights run their tasks in order (the weights stream through
// the buffer in that order).
#include <cstdint>
#include <vector>

#include "compression/codec.h"
#include "pe/dataflow/dataflow.h"
#include "pe/dram/dram_model.h"
#include "pe/functional_model.h"
#include "pe/layer_plan.h"
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
  DramModel* dram = nullptr;
  compression::DecoderCost decoder;
  FunctionalModel* functional = nullptr;  // null = traffic-only
  const EncodedWeights* encoded = nullptr;
};

// The run up to the first image's completion (cold start).
struct ColdSnapshot {
  uint64_t cycles = 0;
  Counters counters;
  noc::NetworkCounters noc;
};

class CoSimulation {
 public:
  CoSimulation(SimContext& ctx, const MachineParts& parts);
  void run();

  const ColdSnapshot& cold() const { return cold_; }
  bool outputs_match() const { return outputs_match_; }
  uint32_t tiles_refetching() const { return tiles_refetching_; }

 private:
  struct TileState {
    std::vector<int> stages;  // stages with block-rows on this tile, in order
    bool resident = true;     // all its weights fit the buffer: fetched once
    uint64_t buffer_used = 0;
    uint32_t next_fetch = 0, total_fetches = 0;
    std::vector<uint8_t> fetch_ready;  // per fetch: decoded
    uint64_t decoder_free = 0;
    uint32_t next_task = 0, total_tasks = 0;  // next_task: the earliest task not done
    bool busy = false;
    std::vector<uint32_t> inputs;  // per task: input messages arrived
    std::vector<uint8_t> done;     // per task
  };

  uint32_t num_stages() const { return static_cast<uint32_t>(plan_.stages.size()); }
  bool issue_fetch(uint32_t tile, uint64_t now);
  void issue_fetches(uint32_t tile, uint64_t now);
  void maybe_start_next_image(uint64_t now);
  void start_image(uint32_t image, uint64_t now);
  void on_message(uint32_t msg, uint64_t now);
  void on_decoded(uint32_t tile, uint32_t fetch, uint64_t now);
  void try_start(uint32_t tile, uint64_t now);
  void start_task(uint32_t tile, uint32_t task, uint64_t now);
  void on_computed(uint32_t tile, uint32_t task, uint64_t now);
  void on_image_done(uint32_t image, uint64_t now);
  void on_delivery(const noc::Delivery& d, uint64_t now);

  SimContext& ctx_;
  const AcceleratorParams& p_;
  const LayerPlan& plan_;
  const Placement& pl_;
  const Dataflow& dataflow_;
  const Tile& tile_;
  DramModel& dram_;
  compression::DecoderCost decoder_;
  FunctionalModel* functional_;
  const EncodedWeights* encoded_;
  Transfer transfer_;

  std::vector<TileState> tiles_;
  std::vector<uint8_t> decoded_once_;  // per (stage, tile)
  // Per image: first-layer tiles that received the input / finished stage 0; producers done per
  // stage; outputs back at the controllers.
  std::vector<uint32_t> input_arrived_, first_stage_done_, stage_done_, outputs_arrived_;
  uint32_t images_started_ = 0, images_done_ = 0;
  uint32_t tiles_refetching_ = 0;
  bool outputs_match_ = true;
  ColdSnapshot cold_;
};

}  // namespace nocsim::pe
