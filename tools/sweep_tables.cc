#include "tools/sweep_tables.h"

#include <google/protobuf/util/json_util.h>

#include <filesystem>

#include "configs/schema/result.pb.h"
#include "configs/user_error.h"
#include "tools/csv_table.h"
#include "tools/result_files.h"

namespace nocsim::tools {

namespace fs = std::filesystem;

std::string layers_csv(const LoadedSweep& s) {
  return (fs::path(s.results_dir) / "layers.csv").string();
}
std::string links_csv(const LoadedSweep& s) {
  return (fs::path(s.results_dir) / "links.csv").string();
}

namespace {

// The stored JSON row's result, parsed back.
config::RunResult stored_result(const StoredRow& row) {
  config::RunResult r;
  const auto pos = row.json_tail.find(",\"result\":");
  if (pos == std::string::npos) return r;
  const std::string text = row.json_tail.substr(pos + 10, row.json_tail.size() - pos - 11);
  if (!google::protobuf::util::JsonStringToMessage(text, &r).ok())
    throw UserError("point '" + row.id + "': stored result is not valid JSON");
  return r;
}

std::string without_newline(std::string line) {
  if (!line.empty() && line.back() == '\n') line.pop_back();
  return line;
}

}  // namespace

void write_sweep_tables(const LoadedSweep& s, const SweepRows& rows) {
  std::string lead = "point_index,point";
  for (const auto& c : s.axis_columns) lead += "," + csv_field(c);
  std::string layers = lead + "," + csv_header(config::LayerReport());
  std::string links = lead + "," + csv_header(config::LinkLoad());
  for (const auto& [index, row] : rows.rows()) {
    if (!row.ok || index >= s.count) continue;
    const SweepPoint p = s.point(index);
    std::string key = std::to_string(index) + "," + csv_field(p.id);
    for (const auto& [col, val] : p.axes) key += "," + csv_field(val);
    const config::RunResult r = stored_result(row);
    for (const auto& layer : r.accelerator().layers())
      layers += key + "," + without_newline(csv_row(layer)) + "\n";
    // A traffic run's links cover its measurement window, an accelerator run's the whole run.
    const auto& loads = r.noc().links().empty() ? r.accelerator().links() : r.noc().links();
    for (const auto& link : loads) links += key + "," + without_newline(csv_row(link)) + "\n";
  }
  write_file_atomic(layers_csv(s), layers);
  write_file_atomic(links_csv(s), links);
}

}  // namespace nocsim::tools
