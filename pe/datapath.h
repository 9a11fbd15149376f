#pragma once
// The PE datapath of a run (models/precision.h): resolved from accelerator.datapath, checked
// against the codec that feeds it, and priced per MAC from the technology preset.
#include <string>

#include "compression/codec_chain.h"
#include "configs/schema/accelerator.pb.h"
#include "configs/schema/tech.pb.h"
#include "models/precision.h"

namespace nocsim::pe {

// accelerator.datapath with the defaults filled in; UserError on
// "accelerator.datapath.weight_precision" / ".activation_precision" for an unknown name.
models::Datapath resolve_datapath(const config::DatapathConfig& c);

// A codec feeds a weight format when its stream carries less than one bit per weight beyond the
// format's width (per-group scales and headers fit in that bit): wider streams would cross DRAM
// and the NoC only for the decoder to drop the extra precision. Otherwise a UserError on `field`
// naming the codec (and `layer` when not empty).
void require_codec_feeds(const compression::CodecChain& codec, models::Precision weights,
                         const std::string& field, const std::string& layer = "");

// One MAC on `dp`: the multiplier's mult plus the accumulator's add, from the preset's
// <format>_mult_pj and <format>_add_pj figures, summed in attojoules so that the decimal table
// figures add up exactly (3.7 + 0.9 = 4.6 pJ, the fp32 MAC).
double mac_energy_pj(const config::TechConfig& tech, const models::Datapath& dp);
// The same MAC unit's area in mm^2, from <format>_mult_um2 and <format>_add_um2.
double mac_area_mm2(const config::TechConfig& tech, const models::Datapath& dp);

}  // namespace nocsim::pe
