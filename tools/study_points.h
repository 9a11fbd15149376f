#pragma once
// How a study's results table names and groups its points: the codec of a row, the axes that are
// not the codec's, the label a figure or the summary shows, and the cost columns of its regime.
// Shared by the study figures (study_report.cc, axis_plot.cc) and the summary (study_summary.cc).
#include <string>

#include "tools/csv_table.h"

namespace nocsim::tools {

// A sweep point's axes other than the codec ones ("codec=int8|noc.topology.k_x=8" -> "k_x=8"
// part): a point is compared with the uncompressed point that shares them. Codec axes are the ones
// whose name starts with "codec" (an axis named "codec", or a field path codec.spec, ...).
std::string non_codec_axes(const CsvTable& t, size_t r);

// An axis that chooses the codec: its name starts with "codec" (an axis named "codec", a field path
// codec.spec, ...) or it is the unnamed variant axis.
bool codec_axis(const std::string& axis);

// The codec a row ran: the sweep's codec/variant column when there is one, else the codec spec.
std::string codec_label(const CsvTable& t, size_t r);

// codec_label, then the other axes' values by the last part of their field ("int8 [k_x=6]").
std::string point_label(const CsvTable& t, size_t r);

// Rows of points that failed in a sweep (status "failed") have no results to draw or compare.
bool point_failed(const CsvTable& t, size_t r);

// The images a point ran (1 for results without the column).
double point_images(const CsvTable& t, size_t r);

// True for the uncompressed (identity) point every other codec is compared with.
bool uncompressed(const CsvTable& t, size_t r);

// The cost columns a study's figures and summary compare: per inference in steady state when every
// point ran at least two images (accelerator.steady.*), else the first image's (cold start, every
// weight loaded from DRAM). Results without cold-start columns fall back to accelerator.cycles and
// accelerator.energy.total_pj (one image).
struct StudyCosts {
  bool steady = false;
  std::string latency_column, energy_column;
  std::string regime;  // for titles and the summary: "steady state, 20 images per point"
};
StudyCosts study_costs(const CsvTable& results);

}  // namespace nocsim::tools
