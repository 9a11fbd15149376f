#pragma once
// Plots drawn with gnuplot through gnuplot-iostream. The output format follows the file extension
// (.png: pngcairo, .svg: svg); the file appears atomically once gnuplot has finished.
#include <string>
#include <utility>
#include <vector>

namespace nocsim::tools {

struct Series {
  std::string title;
  std::vector<std::pair<double, double>> points;
  std::string style = "linespoints";  // gnuplot "with" clause: linespoints, points, lines
};

struct PlotSpec {
  std::string title;
  std::string xlabel;  // with units, e.g. "offered load (flits/node/cycle)"
  std::string ylabel;
  bool log_y = false;
  std::string key = "top left";  // legend position
};

// Draws the series as an x-y plot into `out_path`. Throws UserError when gnuplot is missing, fails,
// or the file cannot be written; an earlier file at `out_path` is then left untouched.
void draw_xy(const PlotSpec& spec, const std::vector<Series>& series, const std::string& out_path);

}  // namespace nocsim::tools
