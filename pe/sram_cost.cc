#include "pe/sram_cost.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "configs/user_error.h"

namespace nocsim::pe {

SramCost sram_cost(const config::TechConfig& tech, double kib) {
  const auto& t = tech.sram_arrays();
  if (t.empty())
    return {tech.sram_read_pj_per_bit(), tech.sram_write_pj_per_bit(), 0.0,
            tech.sram_mm2_per_kib() * kib};
  for (int i = 0; i < t.size(); ++i) {
    const std::string f = "tech.sram_arrays[" + std::to_string(i) + "].kib";
    require(t[i].kib() > 0, f, "must be a positive size in KiB");
    require(i == 0 || t[i].kib() > t[i - 1].kib(), f, "sizes must be ascending");
  }
  if (t.size() == 1)
    return {t[0].read_pj_per_bit(), t[0].write_pj_per_bit(),
            t[0].leakage_pj_per_cycle() * kib / t[0].kib(), t[0].mm2_per_kib() * kib};
  int i = 0;  // the segment [i, i + 1] used
  while (i + 2 < t.size() && kib > t[i + 1].kib()) ++i;
  const double x0 = std::log2(t[i].kib()), x1 = std::log2(t[i + 1].kib());
  const double u = (std::log2(kib) - x0) / (x1 - x0);
  auto at = [&](double a, double b) { return std::max(0.0, a + u * (b - a)); };
  const double leak0 = t[i].leakage_pj_per_cycle() / t[i].kib();
  const double leak1 = t[i + 1].leakage_pj_per_cycle() / t[i + 1].kib();
  return {at(t[i].read_pj_per_bit(), t[i + 1].read_pj_per_bit()),
          at(t[i].write_pj_per_bit(), t[i + 1].write_pj_per_bit()), at(leak0, leak1) * kib,
          at(t[i].mm2_per_kib(), t[i + 1].mm2_per_kib()) * kib};
}

}  // namespace nocsim::pe
