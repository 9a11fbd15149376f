#include "tools/plots.h"

#include <unistd.h>

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/user_error.h"
#include "tools/gnuplot_process.h"

namespace nocsim::tools {

namespace fs = std::filesystem;

namespace {

std::string terminal_for(const std::string& path, const FigureStyle& style) {
  const std::string ext = fs::path(path).extension().string();
  const auto font = [&](double points) {
    std::ostringstream f;
    f << "font \"sans," << points * style.font_scale << "\"";
    return f.str();
  };
  std::ostringstream t;
  if (ext == ".png") {
    t << "pngcairo size " << style.width << "," << style.height << " " << font(12);
  } else if (ext == ".svg") {
    t << "svg size " << style.width << "," << style.height << " dynamic " << font(12);
  } else if (ext == ".pdf" || ext == ".eps") {
    // Vector output for papers: 100 pixels per inch, so the default is 10 x 7 inches.
    t << (ext == ".pdf" ? "pdfcairo" : "epscairo") << " size " << style.width / 100.0 << "in,"
      << style.height / 100.0 << "in " << font(12);
  } else {
    throw UserError(path + ": plot files must end in .png, .svg, .pdf or .eps");
  }
  return t.str();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Inline data: one "x y" line per point, then gnuplot's end-of-data marker.
void send_points(std::ostream& gp, const std::vector<std::pair<double, double>>& points) {
  for (const auto& [x, y] : points) gp << x << " " << y << "\n";
  gp << "e\n";
}

// Writes the common preamble, lets `body` add the plot, runs gnuplot and moves the finished file
// into place; an earlier file at `out_path` survives any failure. The figure comes back on
// gnuplot's stdout, so the output path never appears in the script.
template <class Body>
void render(const PlotSpec& spec, const std::string& out_path, Body body) {
  const std::string terminal = terminal_for(out_path, spec.style);
  const double fs = spec.style.font_scale;
  std::error_code ec;
  if (fs::path(out_path).has_parent_path())
    fs::create_directories(fs::path(out_path).parent_path(), ec);
  const std::string tmp =
      out_path + ".tmp." + std::to_string(::getpid()) + fs::path(out_path).extension().string();
  const std::string err = out_path + ".gnuplot-err." + std::to_string(::getpid());
  std::ostringstream gp;
  gp.precision(10);
  gp << "set terminal " << terminal << "\n";
  gp << "set title " << gnuplot_string(spec.title) << " noenhanced\n";
  gp << "set xlabel " << gnuplot_string(spec.xlabel) << " noenhanced\n";
  gp << "set ylabel " << gnuplot_string(spec.ylabel) << " noenhanced\n";
  gp << "set grid\nset key " << spec.key << " Left reverse box opaque width 1 noenhanced\n";
  if (spec.log_y) gp << "set logscale y\n";
  if (spec.log_x) gp << "set logscale x 2\n";
  if (spec.x_range)
    gp << "set xrange [" << spec.x_range->first << ":" << spec.x_range->second << "]\n";
  for (const PointLabel& l : spec.labels)
    gp << "set label " << gnuplot_string(l.text) << " at " << l.x << "," << l.y << " offset 0.8,"
       << (l.below ? "-0.9" : "0.6") << " font \"," << 9 * fs << "\" noenhanced\n";
  if (!spec.footnote.empty())
    gp << "set bmargin 6\nset label " << gnuplot_string(spec.footnote)
       << " at screen 0.02,0.02 font \"," << 10 * fs << "\" noenhanced\n";
  body(gp);
  gp << "unset output\n";
  int status = 0;
  try {
    status = run_gnuplot(gp.str(), tmp, err);
  } catch (...) {
    fs::remove(tmp, ec);
    fs::remove(err, ec);
    throw;
  }
  const std::string messages = slurp(err);
  fs::remove(err, ec);
  if (status != 0 || !fs::exists(tmp, ec) || fs::file_size(tmp, ec) == 0 || ec) {
    fs::remove(tmp, ec);
    throw UserError(out_path + ": gnuplot produced no plot" +
                    (status == 127      ? std::string(" (gnuplot not found: install gnuplot-nox)")
                     : messages.empty() ? " (gnuplot exit status " + std::to_string(status) + ")"
                                        : ": " + messages));
  }
  fs::rename(tmp, out_path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw UserError(out_path + ": cannot write plot: " + ec.message());
  }
}

}  // namespace

std::vector<std::pair<double, double>> pareto_front(std::vector<std::pair<double, double>> points) {
  // Best x first; a point joins the front when its y beats every point with a larger x.
  std::sort(points.begin(), points.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::pair<double, double>> front;
  for (const auto& p : points)
    if (front.empty() || p.second < front.back().second) front.push_back(p);
  std::reverse(front.begin(), front.end());
  return front;
}

void draw_xy(const PlotSpec& spec, const std::vector<Series>& series, const std::string& out_path) {
  render(spec, out_path, [&](std::ostream& gp) {
    gp << "plot ";
    bool first = true;
    for (const auto& s : series) {
      if (s.points.empty()) continue;
      std::string style = s.style;
      if (!s.y_error.empty()) {
        const auto word = style.substr(0, style.find(' '));
        style = (word == "points" ? "yerrorbars" : "yerrorlines") + style.substr(word.size());
      }
      gp << (first ? "" : ", ") << "'-' with " << style << " lw 2 title "
         << gnuplot_string(s.title);
      first = false;
    }
    if (first) {
      gp << "NaN notitle\n";
      return;
    }
    gp << "\n";
    for (const auto& s : series) {
      if (s.points.empty()) continue;
      if (s.y_error.empty()) {
        send_points(gp, s.points);
        continue;
      }
      for (size_t i = 0; i < s.points.size(); ++i)
        gp << s.points[i].first << " " << s.points[i].second << " "
           << (i < s.y_error.size() ? s.y_error[i] : 0.0) << "\n";
      gp << "e\n";
    }
  });
}

namespace {

void draw_bars(const PlotSpec& spec, const std::vector<std::string>& parts,
               const std::vector<Bar>& bars, const std::string& out_path, const char* layout) {
  render(spec, out_path, [&](std::ostream& gp) {
    gp << "set style data histograms\nset style histogram " << layout
       << "\nset style fill solid 0.85 border -1\nset boxwidth 0.75\nset yrange [0:*]\n"
          "set xtics rotate by -35 noenhanced\nset key outside right top\n";
    if (spec.y_line)
      gp << "set arrow from graph 0, first " << *spec.y_line << " to graph 1, first "
         << *spec.y_line << " nohead dt 2 lc rgb '#444444' front\n";
    // Bar names go into the tic list (a command, where gnuplot_string applies), not the data.
    // A tic label is a format for the tic's value, so its '%' must be doubled ("eie-25%").
    gp << "set xtics (";
    for (size_t b = 0; b < bars.size(); ++b) {
      std::string label;
      for (char ch : bars[b].label) label += ch == '%' ? std::string("%%") : std::string(1, ch);
      gp << (b ? ", " : "") << gnuplot_string(label) << " " << b;
    }
    gp << ")\nplot ";
    for (size_t c = 0; c < parts.size(); ++c)
      gp << (c ? ", " : "") << "'-' using 1 title " << gnuplot_string(parts[c]);
    gp << "\n";
    for (size_t c = 0; c < parts.size(); ++c) {
      for (const auto& b : bars) gp << (c < b.parts.size() ? b.parts[c] : 0.0) << "\n";
      gp << "e\n";
    }
  });
}

}  // namespace

void draw_stacked_bars(const PlotSpec& spec, const std::vector<std::string>& parts,
                       const std::vector<Bar>& bars, const std::string& out_path) {
  draw_bars(spec, parts, bars, out_path, "rowstacked");
}

void draw_clustered_bars(const PlotSpec& spec, const std::vector<std::string>& parts,
                         const std::vector<Bar>& bars, const std::string& out_path) {
  draw_bars(spec, parts, bars, out_path, "clustered gap 1");
}

void draw_link_heatmap(const PlotSpec& spec, const std::vector<LinkSegment>& links,
                       const std::string& out_path) {
  render(spec, out_path, [&](std::ostream& gp) {
    gp << "set size ratio -1\nset xtics 1\nset ytics 1\nset palette defined (0 '#f7fbff', 0.5 "
          "'#fd8d3c', 1 '#7f0000')\n"
          "set cblabel 'link utilization (flits/cycle)'\nunset key\nset cbrange [0:*]\n";
    // Arrowheads say which way each half of a link carries its flits.
    gp << "plot '-' using 1:2:3:4:5 with vectors head filled size 0.09,25 lw 5 lc palette, "
          "'-' using 1:2 with points pt 5 ps 1.6 lc rgb '#333333'\n";
    std::vector<std::pair<double, double>> routers;
    for (const auto& l : links) {
      // Offset the two directions of a link to either side of the centre line.
      const double dx = l.x1 - l.x0, dy = l.y1 - l.y0;
      const double ox = -dy * 0.12, oy = dx * 0.12;
      gp << l.x0 + ox + dx * 0.15 << " " << l.y0 + oy + dy * 0.15 << " " << dx * 0.7 << " "
         << dy * 0.7 << " " << l.value << "\n";
      routers.emplace_back(l.x0, l.y0);
    }
    gp << "e\n";
    send_points(gp, routers);
  });
}

}  // namespace nocsim::tools
