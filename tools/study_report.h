#pragma once
// Figures and the markdown summary of a study, drawn from a sweep's results (results.csv, and
// results.jsonl for per-link data). Each function returns the paths it wrote.
#include <string>
#include <vector>

#include "tools/csv_table.h"

namespace nocsim::tools {

// The codec family of a spec: its stage names joined by '+' ("kmeans:bits=4+huffman" ->
// "kmeans+huffman").
std::string codec_family(const std::string& spec);

// Latency (or energy) per inference against test accuracy, one series per codec family, with the
// Pareto front (higher accuracy, lower cost) marked. `metric` is "latency" or "energy".
void plot_cost_vs_accuracy(const CsvTable& results, const std::string& metric,
                           const std::string& out_path);

// Energy per inference broken down by component, one stacked bar per point.
void plot_energy_breakdown(const CsvTable& results, const std::string& out_path);

// Per-link utilization of one run, from a RunResult JSON file or one line (point index) of a
// results.jsonl. `k_x` = routers per row; 0 = square mesh.
void plot_link_heatmap(const std::string& json_path, int point, int k_x,
                       const std::string& out_path);

// Markdown table: per point, codec, bits per weight, latency and energy change vs the uncompressed
// (32 bits/weight) point, accuracy change.
std::string study_summary_markdown(const CsvTable& results);

}  // namespace nocsim::tools
