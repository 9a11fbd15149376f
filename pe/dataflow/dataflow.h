#pragma once
// How a layer's work is split over the tiles and which activations go where: one dataflow per
// file in pe/dataflow/, registered by name (accelerator.dataflow):
//
//   NOCSIM_REGISTER(dataflow_registry(), OutputPartitioning, "output_partitioning", "...");
//
// The dataflow places the stages (through the mapping strategy) and then answers, during the
// run, who receives a tile's outputs and how many input messages a tile waits for.
#include <cstdint>
#include <vector>

#include "configs/registry.h"
#include "noc/topology.h"
#include "pe/accelerator_params.h"
#include "pe/layer_plan.h"
#include "pe/placement.h"

namespace nocsim::pe {

class Dataflow {
 public:
  virtual ~Dataflow() = default;
  // The shares of every stage and the input's memory controller.
  virtual Placement place(const LayerPlan& plan, const AcceleratorParams& p,
                          const noc::Topology& topo) const = 0;
  // Tiles that receive the input image.
  virtual const std::vector<uint32_t>& input_receivers(const Placement& pl) const = 0;
  // Tiles of stage `consumer` (one that reads `stage`'s outputs: stage + 1 in a chain) that
  // receive `tile`'s outputs of `stage` (may include `tile`).
  virtual const std::vector<uint32_t>& receivers(const Placement& pl, uint32_t stage,
                                                 uint32_t consumer, uint32_t tile) const = 0;
  // Input messages `tile` waits for before it computes `stage` (from all its sources).
  virtual uint32_t expected_inputs(const Placement& pl, uint32_t stage, uint32_t tile) const = 0;
};

using DataflowRegistry = Registry<Dataflow>;
DataflowRegistry& dataflow_registry();

// Runs the mapping strategy (p.mapping) over every stage: the shares every dataflow that
// partitions block-rows starts from.
Placement map_block_rows(const LayerPlan& plan, const AcceleratorParams& p,
                         const noc::Topology& topo);

}  // namespace nocsim::pe
