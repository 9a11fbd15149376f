#pragma once
// Checks of a technology preset's figures (config::TechConfig), made once when a scenario's
// preset is resolved: negative, NaN or infinite figures would give plausible-looking energies,
// and a missing figure would silently count as zero.
#include <string>

#include "configs/schema/tech.pb.h"

namespace nocsim {

// Every figure present in `tech` is finite and >= 0 (clock_ghz > 0); otherwise a UserError on
// "tech.<figure>".
void check_tech_figures(const config::TechConfig& tech);

// The figures a preset must define and `tech` lacks ("" when complete): every energy figure and
// the clock; decoder_energy_scale has a default and may be left out.
std::string missing_tech_figures(const config::TechConfig& tech);

}  // namespace nocsim
