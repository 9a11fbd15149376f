#include "tools/study_points.h"

#include <algorithm>
#include <sstream>

#include "tools/number_format.h"

namespace nocsim::tools {

std::string non_codec_axes(const CsvTable& t, size_t r) {
  if (!t.has("point")) return "";
  std::string rest;
  std::stringstream ss(t.at(r, "point"));
  for (std::string axis; std::getline(ss, axis, '|');)
    if (axis.rfind("codec", 0) != 0) rest += axis + "|";
  return rest;
}

bool codec_axis(const std::string& axis) {
  return axis.rfind("codec", 0) == 0 || axis == "variant";
}

std::string codec_label(const CsvTable& t, size_t r) {
  std::string label;
  for (const char* col : {"codec", "variant"})
    if (label.empty() && t.has(col)) label = t.at(r, col);
  if (label.empty()) label = t.at(r, "accelerator.codec");
  return label.empty() ? "identity" : label;
}

std::string point_label(const CsvTable& t, size_t r) {
  const std::string label = codec_label(t, r);
  std::string others;
  std::stringstream ss(non_codec_axes(t, r));
  for (std::string axis; std::getline(ss, axis, '|');) {
    const size_t eq = axis.find('='), dot = axis.rfind('.', eq);
    others +=
        (others.empty() ? "" : ", ") + (dot == std::string::npos ? axis : axis.substr(dot + 1));
  }
  return others.empty() ? label : label + " [" + others + "]";
}

bool point_failed(const CsvTable& t, size_t r) {
  return t.has("status") && t.at(r, "status") != "ok";
}

double point_images(const CsvTable& t, size_t r) {
  return t.has("accelerator.images") ? std::max(1.0, t.number(r, "accelerator.images").value_or(1))
                                     : 1.0;
}

bool uncompressed(const CsvTable& t, size_t r) {
  const std::string spec = t.at(r, "accelerator.codec");
  return spec.empty() || spec == "identity";
}

StudyCosts study_costs(const CsvTable& t) {
  // Steady state needs every drawn point to have it: a mix would compare unlike figures.
  bool steady = t.has("accelerator.steady.cycles_per_inference"), any = false;
  bool cold = t.has("accelerator.cold.cycles");
  double min_images = 0, max_images = 0;
  for (size_t r = 0; r < t.rows(); ++r) {
    if (point_failed(t, r)) continue;
    const double images = point_images(t, r);
    min_images = any ? std::min(min_images, images) : images;
    max_images = any ? std::max(max_images, images) : images;
    any = true;
    if (steady && !t.number(r, "accelerator.steady.cycles_per_inference")) steady = false;
    if (cold && !t.number(r, "accelerator.cold.cycles")) cold = false;
  }
  steady = steady && any;
  auto count = [](double v) { return fixed(v, 0); };
  const std::string images =
      min_images == max_images ? count(min_images) : count(min_images) + " to " + count(max_images);
  if (steady)
    return {true, "accelerator.steady.cycles_per_inference",
            "accelerator.steady.energy_pj_per_inference",
            "steady state (per inference over images 2..N of a stream of N = " + images +
                " pipelined images)"};
  if (cold && max_images > 1)
    return {false, "accelerator.cold.cycles", "accelerator.cold.energy_pj",
            "cold start (the first image, every weight loaded from DRAM)"};
  return {false, "accelerator.cycles", "accelerator.energy.total_pj",
          "cold start (one image, every weight loaded from DRAM)"};
}

}  // namespace nocsim::tools
