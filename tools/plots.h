#pragma once
// Plots drawn by gnuplot fed through a pipe (tools/gnuplot_process.h: no shell, every user string
// escaped). The output format follows the file extension (.png: pngcairo, .svg: svg, .pdf:
// pdfcairo, .eps: epscairo); the file appears atomically once gnuplot has finished.
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace nocsim::tools {

struct Series {
  std::string title;
  std::vector<std::pair<double, double>> points;
  std::string style = "linespoints";  // gnuplot "with" clause: linespoints, points, lines
  // One error-bar half-height per point (e.g. the standard deviation over seed replicas); empty =
  // no error bars. With error bars "linespoints" becomes "yerrorlines" and "points" "yerrorbars".
  std::vector<double> y_error = {};
};

// Size and type scale of a figure, whatever it is drawn in.
struct FigureStyle {
  int width = 1000;  // pixels for PNG and SVG; PDF and EPS take 100 pixels per inch
  int height = 700;
  double font_scale = 1.0;
};

struct PointLabel {
  double x, y;
  std::string text;
  bool below = false;  // under the point instead of above it (to dodge a neighbour's label)
};

struct PlotSpec {
  std::string title;
  std::string xlabel;  // with units, e.g. "offered load (flits/node/cycle)"
  std::string ylabel;
  bool log_y = false;
  std::string key = "top left";                                     // legend position
  std::vector<PointLabel> labels = {};                              // text next to points (draw_xy)
  std::optional<std::pair<double, double>> x_range = std::nullopt;  // default: gnuplot's autoscale
  std::string footnote = "";                                        // one line under the plot
  FigureStyle style = {};
  bool log_x = false;  // base 2, ticks at the data's values (memory sizes, block sizes)
  std::optional<double> y_line = std::nullopt;  // a dashed horizontal reference line (bars)
};

struct Bar {
  std::string label;
  std::vector<double> parts;  // one value per stack component
};

struct LinkSegment {
  double x0, y0, x1, y1;  // router coordinates of the link's ends
  double value;           // utilization, flits/cycle
};

// Points not dominated by another: higher-is-better `x`, lower-is-better `y`; sorted by x.
std::vector<std::pair<double, double>> pareto_front(std::vector<std::pair<double, double>> points);

// Draws the series as an x-y plot into `out_path`. Throws UserError when gnuplot is missing, fails,
// or the file cannot be written; an earlier file at `out_path` is then left untouched.
void draw_xy(const PlotSpec& spec, const std::vector<Series>& series, const std::string& out_path);

// Stacked bars, one per entry, components named by `parts` (same order as Bar::parts).
void draw_stacked_bars(const PlotSpec& spec, const std::vector<std::string>& parts,
                       const std::vector<Bar>& bars, const std::string& out_path);

// The same data as clusters: one group per entry, one bar per component side by side.
void draw_clustered_bars(const PlotSpec& spec, const std::vector<std::string>& parts,
                         const std::vector<Bar>& bars, const std::string& out_path);

// A mesh drawn as its links, each coloured by its utilization (the two directions of a link side by
// side, each an arrow pointing the way its flits go), routers at integer coordinates.
void draw_link_heatmap(const PlotSpec& spec, const std::vector<LinkSegment>& links,
                       const std::string& out_path);

}  // namespace nocsim::tools
