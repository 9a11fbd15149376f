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

}  // namespace

void draw_xy(const PlotSpec& spec, const std::vector<Series>& series, const std::string& out_path) {
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
    gp << "plot ";
    bool first = true;
    for (const auto& s : series) {
      if (s.points.empty()) continue;
      gp << (first ? "" : ", ") << "'-' with " << s.style << " lw 2 title " << quote(s.title);
      first = false;
    }
    if (first) {
      gp << "NaN notitle\n";
    } else {
      gp << "\n";
      for (const auto& s : series)
        if (!s.points.empty()) gp.send1d(s.points);
    }
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

}  // namespace nocsim::tools
