#pragma once
// Figures and the markdown summary of a study, drawn from a sweep's results (results.csv, and
// results.jsonl for per-link data). Each function returns the paths it wrote.
#include <string>
#include <vector>

#include "tools/csv_table.h"
#include "tools/plots.h"

namespace nocsim::tools {

// The sweep axes of a results table, from its "point" column ("codec=int8|noc.topology.k_x=8"
// -> {"codec", "noc.topology.k_x"}); empty for a table without one.
std::vector<std::string> sweep_axes(const CsvTable& results);

// The value of `axis` in row `r`'s point id ("" when absent).
std::string axis_value(const CsvTable& results, size_t r, const std::string& axis);

// Packet latency against offered load: one series per value of the `group_by` axes (empty: every
// swept axis but traffic.injection_rate and sim.seed, so a routing x rate sweep gives one line per
// routing); with a sim.seed axis each point is the mean over the seeds and y_error the sample
// standard deviation. Saturated and failed points are left out. Throws UserError naming
// --group-by for an axis the results do not have.
std::vector<Series> latency_vs_rate_series(const CsvTable& results,
                                           std::vector<std::string> group_by = {});

// A fixed gnuplot colour + marker for a codec family, the same in every figure and every study:
// "lc rgb '#1f77b4' pt 7".
std::string family_style(const std::string& family);

// The codec family of a spec: its stage names joined by '+' ("kmeans:bits=4+huffman" ->
// "kmeans+huffman").
std::string codec_family(const std::string& spec);

// Latency (or energy) per inference against test accuracy, one series per codec family (fixed
// colour and marker, family_style), with one Pareto front (higher accuracy, lower cost) per value
// of the `group_by` axes (empty: every swept axis but the codec's and sim.seed). `metric` is
// "latency" or "energy".
void plot_cost_vs_accuracy(const CsvTable& results, const std::string& metric,
                           const std::string& out_path, const FigureStyle& style = {},
                           const std::vector<std::string>& group_by = {});

// The sweep axes whose every value is a number (the codec's, variant and sim.seed excepted).
std::vector<std::string> numeric_axes(const CsvTable& results);

// Latency (or energy) per inference against the numeric sweep axis `axis`, one line per codec
// (and per value of any other non-codec axis), log2 x when every value is positive. Throws
// UserError naming --x when `axis` is not a numeric sweep axis of the results.
void plot_cost_vs_axis(const CsvTable& results, const std::string& axis, const std::string& metric,
                       const std::string& out_path, const FigureStyle& style = {});

// Energy per inference broken down by component (the run's energy over its images), one stacked
// bar per point.
void plot_energy_breakdown(const CsvTable& results, const std::string& out_path,
                           const FigureStyle& style = {});

// Per-link utilization of one run, from a RunResult JSON file or one line (point index) of a
// results.jsonl. `k_x` = routers per row; 0 = square mesh.
void plot_link_heatmap(const std::string& json_path, int point, int k_x,
                       const std::string& out_path, const FigureStyle& style = {});

// Markdown: the regime (study_costs) and a table, per point: codec, bits per weight, latency and
// energy per inference and their change vs the uncompressed point with the same other axes, the
// cold-start latency (steady-state studies), accuracy and its change.
std::string study_summary_markdown(const CsvTable& results);

// True when the results' points ran more than one tile kind (accelerator.tile_kind).
bool compares_engines(const CsvTable& results);

// Markdown: one row per point (tile kind, stored weights, latency, throughput, energy, area, area
// efficiency, accuracy, and the load imbalance when `layers` (the sweep's layers.csv) is given),
// then the ratios of every pair of tile kinds: each point against the later kind's point with the
// same non-engine axes and the closest stored-weight count.
std::string engine_comparison_markdown(const CsvTable& results, const CsvTable* layers = nullptr);

// Those ratios as clustered bars (throughput, energy efficiency, area efficiency per pair), a
// dashed line at 1. Throws UserError when no pair exists.
void plot_engine_ratios(const CsvTable& results, const std::string& out_path,
                        const FigureStyle& style = {});

}  // namespace nocsim::tools
