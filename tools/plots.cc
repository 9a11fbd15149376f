#include "tools/plots.h"

#include <unistd.h>

#include <gnuplot-iostream.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/user_error.h"

namespace nocsim::tools {

namespace fs = std::filesystem;

namespace {

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string terminal_for(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  if (ext == ".png") return "pngcairo size 1000,700 font \"sans,12\"";
  if (ext == ".svg") return "svg size 1000,700 dynamic font \"sans,12\"";
  throw UserError(path + ": plot files must end in .png or .svg");
}

// Runs gnuplot with the common preamble, lets `body` add the plot, and moves the finished file into
// place; an earlier file at `out_path` survives any failure.
template <class Body>
void render(const PlotSpec& spec, const std::string& out_path, Body body) {
  const std::string terminal = terminal_for(out_path);
  std::error_code ec;
  if (fs::path(out_path).has_parent_path())
    fs::create_directories(fs::path(out_path).parent_path(), ec);
  const std::string tmp =
      out_path + ".tmp." + std::to_string(::getpid()) + fs::path(out_path).extension().string();
  const std::string err = out_path + ".gnuplot-err." + std::to_string(::getpid());
  {
    Gnuplot gp("gnuplot 2>" + quote(err));
    gp << "set terminal " << terminal << "\n";
    gp << "set output " << quote(tmp) << "\n";
    gp << "set title " << quote(spec.title) << " noenhanced\n";
    gp << "set xlabel " << quote(spec.xlabel) << " noenhanced\n";
    gp << "set ylabel " << quote(spec.ylabel) << " noenhanced\n";
    gp << "set grid\nset key " << spec.key << " Left reverse box opaque noenhanced\n";
    if (spec.log_y) gp << "set logscale y\n";
    if (spec.x_range)
      gp << "set xrange [" << spec.x_range->first << ":" << spec.x_range->second << "]\n";
    for (const PointLabel& l : spec.labels)
      gp << "set label " << quote(l.text) << " at " << l.x << "," << l.y << " offset 0.8,"
         << (l.below ? "-0.9" : "0.6") << " font \",9\" noenhanced\n";
    if (!spec.footnote.empty())
      gp << "set bmargin 6\nset label " << quote(spec.footnote)
         << " at screen 0.02,0.02 font \",10\" noenhanced\n";
    body(gp);
    gp << "set output\n";
  }  // the destructor waits for gnuplot to exit
  std::string messages;
  if (std::ifstream in(err); in) {
    std::ostringstream ss;
    ss << in.rdbuf();
    messages = ss.str();
  }
  fs::remove(err, ec);
  if (!fs::exists(tmp) || fs::file_size(tmp) == 0) {
    fs::remove(tmp, ec);
    throw UserError(out_path + ": gnuplot produced no plot" +
                    (messages.empty() ? " (is gnuplot installed?)" : ": " + messages));
  }
  fs::rename(tmp, out_path, ec);
  if (ec) throw UserError(out_path + ": cannot write plot: " + ec.message());
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
  render(spec, out_path, [&](Gnuplot& gp) {
    gp << "plot ";
    bool first = true;
    for (const auto& s : series) {
      if (s.points.empty()) continue;
      gp << (first ? "" : ", ") << "'-' with " << s.style << " lw 2 title " << quote(s.title);
      first = false;
    }
    if (first) {
      gp << "NaN notitle\n";
      return;
    }
    gp << "\n";
    for (const auto& s : series)
      if (!s.points.empty()) gp.send1d(s.points);
  });
}

void draw_stacked_bars(const PlotSpec& spec, const std::vector<std::string>& parts,
                       const std::vector<Bar>& bars, const std::string& out_path) {
  render(spec, out_path, [&](Gnuplot& gp) {
    gp << "set style data histograms\nset style histogram rowstacked\n"
          "set style fill solid 0.85 border -1\nset boxwidth 0.75\n"
          "set xtics rotate by -35 noenhanced\nset key outside right top\n";
    gp << "plot ";
    for (size_t c = 0; c < parts.size(); ++c)
      gp << (c ? ", " : "") << "'-' using 2:xtic(1) title " << quote(parts[c]);
    gp << "\n";
    for (size_t c = 0; c < parts.size(); ++c) {
      for (const auto& b : bars)
        gp << quote(b.label) << " " << (c < b.parts.size() ? b.parts[c] : 0.0) << "\n";
      gp << "e\n";
    }
  });
}

void draw_link_heatmap(const PlotSpec& spec, const std::vector<LinkSegment>& links,
                       const std::string& out_path) {
  render(spec, out_path, [&](Gnuplot& gp) {
    gp << "set size ratio -1\nset xtics 1\nset ytics 1\nset palette defined (0 '#f7fbff', 0.5 "
          "'#fd8d3c', 1 '#7f0000')\n"
          "set cblabel 'link utilization (flits/cycle)'\nunset key\nset cbrange [0:*]\n";
    gp << "plot '-' using 1:2:3:4:5 with vectors nohead lw 6 lc palette, "
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
    gp.send1d(routers);
  });
}

}  // namespace nocsim::tools
