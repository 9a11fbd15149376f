#include "tools/sweep_rows.h"

#include <fstream>
#include <sstream>

#include "configs/user_error.h"
#include "tools/csv_table.h"
#include "tools/result_files.h"

namespace nocsim::tools {

namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A one-line cell: error messages may span lines, a results row may not be ambiguous about it.
std::string one_line(std::string s) {
  for (char& c : s)
    if (c == '\n' || c == '\r') c = ' ';
  return s;
}

size_t result_column_count() {
  const std::string h = csv_header(config::RunResult());
  size_t pos = 0;
  return next_csv_record(h, pos).size();
}

}  // namespace

std::string sweep_csv_header(const std::vector<std::string>& axis_columns) {
  std::string h = "point_index,point,point_hash,status,error";
  for (const auto& c : axis_columns) h += "," + csv_field(c);
  return h + "," + csv_header(config::RunResult());
}

StoredRow make_row(const SweepPoint& p, const std::string& hash, const config::RunResult* result,
                   const std::string& error) {
  StoredRow row{p.id, hash, result != nullptr, "", ""};
  row.csv_tail = csv_field(p.id) + "," + hash + "," + (row.ok ? "ok" : "failed") + "," +
                 csv_field(one_line(error));
  std::string axes_json;
  for (const auto& [col, val] : p.axes) {
    row.csv_tail += "," + csv_field(val);
    axes_json += (axes_json.empty() ? "" : ",") + json_string(col) + ":" + json_string(val);
  }
  row.json_tail = "\"point\":" + json_string(p.id) + ",\"point_hash\":\"" + hash +
                  "\",\"status\":\"" + (row.ok ? "ok" : "failed") + "\"";
  if (result != nullptr) {
    std::string cells = csv_row(*result);
    cells.pop_back();  // csv_row ends in a newline
    row.csv_tail += "," + cells;
    row.json_tail += ",\"axes\":{" + axes_json + "},\"result\":" + to_json(*result, false) + "}";
  } else {
    row.csv_tail += std::string(result_column_count(), ',');
    row.json_tail += ",\"error\":" + json_string(error) + ",\"axes\":{" + axes_json + "}}";
  }
  return row;
}

SweepRows::SweepRows(std::string csv_path, std::string jsonl_path, std::string csv_header,
                     bool replace_foreign)
    : csv_path_(std::move(csv_path)),
      jsonl_path_(std::move(jsonl_path)),
      header_(std::move(csv_header)) {
  const std::string csv = slurp(csv_path_);
  if (csv.empty()) return;
  if (csv.compare(0, header_.size(), header_) != 0) {
    // Files from before rows carried a point hash cannot be matched to points: all rerun.
    const bool before_hashes =
        csv.substr(0, csv.find('\n')).find(",point_hash,") == std::string::npos;
    if (replace_foreign || before_hashes) {
      replaced_old_ = true;
      return;
    }
    throw UserError(csv_path_ +
                    ": written by a different sweep or nocsim version (header differs); move "
                    "it away, give another --results folder, or rerun everything with --force");
  }
  // JSON lines by their index: {"point_index":N,<tail>
  std::map<size_t, std::string> json_by_index;
  {
    std::istringstream in(slurp(jsonl_path_));
    const std::string key = "{\"point_index\":";
    for (std::string line; std::getline(in, line);) {
      if (line.rfind(key, 0) != 0) continue;
      size_t end = key.size();
      while (end < line.size() && std::isdigit(static_cast<unsigned char>(line[end]))) ++end;
      if (end == key.size() || end >= line.size() || line[end] != ',') continue;
      json_by_index[std::stoul(line.substr(key.size(), end - key.size()))] = line.substr(end + 1);
    }
  }
  size_t pos = header_.size();
  int record = 1;
  while (pos < csv.size()) {
    ++record;
    const size_t start = pos;
    const std::vector<std::string> fields = next_csv_record(csv, pos);
    if (fields.size() == 1 && fields[0].empty()) continue;
    if (fields.size() < 5 || fields[0].empty() ||
        fields[0].find_first_not_of("0123456789") != std::string::npos)
      throw UserError(csv_path_ + ": record " + std::to_string(record) +
                      " is not a sweep row; move the file away or rerun with --force");
    const size_t index = std::stoul(fields[0]);
    auto json = json_by_index.find(index);
    if (json == json_by_index.end()) continue;  // killed between the two writes: rerun
    if (json->second.find("\"point_hash\":\"" + fields[2] + "\"") == std::string::npos) continue;
    std::string raw = csv.substr(start, pos - start);
    while (!raw.empty() && (raw.back() == '\n' || raw.back() == '\r')) raw.pop_back();
    StoredRow row{fields[1], fields[2], fields[3] == "ok", raw.substr(fields[0].size() + 1),
                  json->second};
    stored_[row.id] = std::move(row);
  }
}

void SweepRows::save() const {
  std::string json, csv = header_;
  for (const auto& [index, row] : rows_) {
    json += "{\"point_index\":" + std::to_string(index) + "," + row.json_tail + "\n";
    csv += std::to_string(index) + "," + row.csv_tail + "\n";
  }
  // JSON first: a point counts as stored only when both rows exist, so a kill between the two
  // writes reruns the point and overwrites, never duplicates.
  write_file_atomic(jsonl_path_, json);
  write_file_atomic(csv_path_, csv);
}

}  // namespace nocsim::tools
