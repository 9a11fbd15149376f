#include "tools/sweep.h"

#include <google/protobuf/descriptor.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "configs/user_error.h"
#include "tools/result_files.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_runner.h"

namespace nocsim::tools {

namespace fs = std::filesystem;
namespace pb = google::protobuf;

RunnerRegistry& runner_registry() {
  static RunnerRegistry registry("runner");
  return registry;
}

namespace {

std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::string json_quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  return q + "\"";
}

// Wall-clock times differ between runs of the same point; they are reported, not stored.
void strip_timing(pb::Message& msg) {
  const pb::Reflection* r = msg.GetReflection();
  std::vector<const pb::FieldDescriptor*> fields;
  r->ListFields(msg, &fields);
  for (const auto* f : fields) {
    if (f->name() == "wall_seconds") {
      r->ClearField(&msg, f);
    } else if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < r->FieldSize(msg, f); ++i)
          strip_timing(*r->MutableRepeatedMessage(&msg, f, i));
      } else {
        strip_timing(*r->MutableMessage(&msg, f));
      }
    }
  }
}

// One results file (CSV or JSON lines) held as point_index -> line, written back in index order.
class RowStore {
 public:
  RowStore(std::string path, std::string header)
      : path_(std::move(path)), header_(std::move(header)) {
    std::ifstream in(path_);
    if (!in) return;
    std::string line;
    bool first = true;
    while (std::getline(in, line)) {
      if (line.empty()) continue;
      if (first && !header_.empty()) {
        first = false;
        if (line + "\n" != header_)
          throw UserError(path_ +
                          ": written by a different sweep or version (header differs); "
                          "move it away to start afresh");
        continue;
      }
      first = false;
      rows_[leading_index(line)] = line;
    }
  }
  bool has(size_t index) const { return rows_.count(index) > 0; }
  void put(size_t index, const std::string& line) { rows_[index] = line; }
  const std::map<size_t, std::string>& rows() const { return rows_; }
  void save() const {
    std::string text = header_;
    for (const auto& [i, line] : rows_) text += line + "\n";
    write_file_atomic(path_, text);
  }

 private:
  size_t leading_index(const std::string& line) const {
    size_t pos = line.find_first_of("0123456789");
    if (pos == std::string::npos || pos > 16) throw UserError(path_ + ": malformed row: " + line);
    return std::stoul(line.substr(pos));
  }
  std::string path_;
  std::string header_;
  std::map<size_t, std::string> rows_;
};

std::string csv_header_for(const LoadedSweep& s) {
  std::string h = "point_index,point";
  for (const auto& c : s.axis_columns) h += "," + csv_quote(c);
  return h + "," + csv_header(config::RunResult());
}

std::string part_suffix(int shard_index, int shard_count) {
  return shard_count <= 1
             ? ""
             : ".part-" + std::to_string(shard_index) + "-of-" + std::to_string(shard_count);
}

std::string format_seconds(double s) {
  std::ostringstream o;
  if (s >= 60)
    o << static_cast<int>(s / 60) << "m" << static_cast<int>(std::fmod(s, 60)) << "s";
  else
    o << static_cast<int>(std::ceil(s)) << "s";
  return o.str();
}

}  // namespace

std::string results_csv(const LoadedSweep& s, int shard_index, int shard_count) {
  return (fs::path(s.results_dir) / ("results" + part_suffix(shard_index, shard_count) + ".csv"))
      .string();
}
std::string results_jsonl(const LoadedSweep& s, int shard_index, int shard_count) {
  return (fs::path(s.results_dir) / ("results" + part_suffix(shard_index, shard_count) + ".jsonl"))
      .string();
}

LoadedSweep load_sweep(const std::string& path, const std::vector<std::string>& extra_sets,
                       const std::string& results_dir_override) {
  LoadedSweep out;
  out.path = path;
  std::map<std::string, int> lines;
  parse_text_file(path, out.sweep, &lines);
  auto where = [&](const std::string& field) {
    auto it = lines.find(field);
    return path + (it == lines.end() ? "" : ":" + std::to_string(it->second)) + ": " + field;
  };
  const config::Sweep& sw = out.sweep;
  if (sw.base().empty()) throw UserError(where("base") + ": a sweep needs a base scenario");
  for (const fs::path& candidate : {fs::path(path).parent_path() / sw.base(), fs::path(sw.base()),
                                    fs::path(source_dir()) / sw.base()}) {
    if (fs::exists(candidate)) {
      out.base_path = candidate.string();
      break;
    }
  }
  if (out.base_path.empty())
    throw UserError(where("base") + ": scenario '" + sw.base() + "' not found");
  const std::string runner = sw.runner().empty() ? "traffic" : sw.runner();
  if (runner_registry().find(runner) == nullptr)
    throw UserError(where("runner") + ": " + runner_registry().unknown_message(runner));
  out.results_dir = !results_dir_override.empty() ? results_dir_override
                    : !sw.results().empty()
                        ? sw.results()
                        : (fs::path("results") / fs::path(path).stem()).string();

  // Axes -> per-axis list of (label, overrides).
  struct Choice {
    std::string label;
    std::vector<std::string> sets;
  };
  std::vector<std::vector<Choice>> axes;
  for (int a = 0; a < sw.axes_size(); ++a) {
    const auto& axis = sw.axes(a);
    const std::string field = "axes[" + std::to_string(a) + "]";
    const bool by_field = !axis.field().empty() || axis.values_size() > 0;
    if (by_field == (axis.variants_size() > 0))
      throw UserError(where(field) + ": give either field + values or variants");
    std::vector<Choice> choices;
    if (by_field) {
      if (axis.field().empty() || axis.values_size() == 0)
        throw UserError(where(field) + ": field and at least one value are needed");
      for (const auto& v : axis.values()) choices.push_back({v, {axis.field() + "=" + v}});
      out.axis_columns.push_back(axis.name().empty() ? axis.field() : axis.name());
    } else {
      for (const auto& v : axis.variants()) {
        if (v.label().empty()) throw UserError(where(field) + ": every variant needs a label");
        choices.push_back({v.label(), {v.set().begin(), v.set().end()}});
      }
      out.axis_columns.push_back(axis.name().empty() ? "variant" : axis.name());
    }
    axes.push_back(std::move(choices));
  }

  // Cartesian product, first axis slowest.
  size_t total = 1;
  for (const auto& a : axes) total *= a.size();
  std::vector<std::string> common(sw.set().begin(), sw.set().end());
  common.insert(common.end(), extra_sets.begin(), extra_sets.end());
  for (size_t i = 0; i < total; ++i) {
    SweepPoint p;
    p.index = i;
    p.sets = common;
    size_t rest = i;
    std::vector<size_t> pick(axes.size());
    for (size_t a = axes.size(); a-- > 0;) {
      pick[a] = rest % axes[a].size();
      rest /= axes[a].size();
    }
    for (size_t a = 0; a < axes.size(); ++a) {
      const Choice& c = axes[a][pick[a]];
      p.axes.emplace_back(out.axis_columns[a], c.label);
      p.id += (a ? "|" : "") + out.axis_columns[a] + "=" + c.label;
      p.sets.insert(p.sets.end(), c.sets.begin(), c.sets.end());
    }
    // Fail before running anything when an override does not apply.
    try {
      load_scenario(out.base_path, p.sets);
    } catch (const UserError& e) {
      throw UserError(path + ": point '" + p.id + "': " + e.what());
    }
    out.points.push_back(std::move(p));
  }
  return out;
}

SweepOutcome run_sweep(const LoadedSweep& s, const SweepOptions& opt) {
  SweepOutcome outcome;
  const std::string csv_head = csv_header_for(s);
  RowStore csv(results_csv(s, opt.shard_index, opt.shard_count), csv_head);
  RowStore jsonl(results_jsonl(s, opt.shard_index, opt.shard_count), "");

  std::vector<const SweepPoint*> todo;
  for (const auto& p : s.points) {
    if (static_cast<int>(p.index % opt.shard_count) != opt.shard_index) continue;
    if (csv.has(p.index) && jsonl.has(p.index)) {
      ++outcome.skipped;
    } else {
      todo.push_back(&p);
    }
  }
  const std::string runner_name = s.sweep.runner().empty() ? "traffic" : s.sweep.runner();
  std::mutex mu;
  std::atomic<size_t> next{0};
  const auto start = std::chrono::steady_clock::now();
  size_t done = 0;

  auto report = [&](const SweepPoint& p, bool ok) {
    if (opt.progress == nullptr) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double eta = done ? elapsed / done * (todo.size() - done) : 0.0;
    std::ostream& o = *opt.progress;
    if (opt.progress_is_tty) {
      const int width = 30;
      const int filled = todo.empty() ? width : static_cast<int>(width * done / todo.size());
      o << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
        << "/" << todo.size() << " points, ETA " << format_seconds(eta) << "   " << std::flush;
      if (done == todo.size()) o << "\n";
    } else {
      o << "sweep: " << done << "/" << todo.size() << (ok ? " done " : " FAILED ") << p.id
        << " (elapsed " << format_seconds(elapsed) << ", ETA " << format_seconds(eta) << ")\n";
    }
  };

  auto worker = [&]() {
    auto runner = runner_registry().create(runner_name, "runner");
    for (size_t k = next++; k < todo.size(); k = next++) {
      const SweepPoint& p = *todo[k];
      std::string error;
      config::RunResult result;
      try {
        LoadedScenario sc = load_scenario(s.base_path, p.sets);
        try {
          result = runner->run(sc);
        } catch (const UserError& e) {
          throw sc.locate(e);
        }
        strip_timing(result);
      } catch (const std::exception& e) {
        error = "point '" + p.id + "': " + e.what();
      }
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      if (!error.empty()) {
        ++outcome.failed;
        outcome.errors.push_back(error);
        report(p, false);
        continue;
      }
      std::string row = std::to_string(p.index) + "," + csv_quote(p.id);
      std::string axes_json;
      for (const auto& [col, val] : p.axes) {
        row += "," + csv_quote(val);
        axes_json += (axes_json.empty() ? "" : ",") + json_quote(col) + ":" + json_quote(val);
      }
      row += "," + csv_row(result);
      row.pop_back();  // csv_row ends in a newline
      // JSON first: a point counts as done only when both rows exist, so a kill between the two
      // writes reruns the point and overwrites, never duplicates.
      jsonl.put(p.index, "{\"point_index\":" + std::to_string(p.index) +
                             ",\"point\":" + json_quote(p.id) + ",\"axes\":{" + axes_json +
                             "},\"result\":" + to_json(result, false) + "}");
      jsonl.save();
      csv.put(p.index, row);
      csv.save();
      ++outcome.ran;
      report(p, true);
    }
  };

  const int jobs = std::max(1, std::min<int>(opt.jobs, static_cast<int>(todo.size())));
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  return outcome;
}

void merge_sweep_parts(const LoadedSweep& s, int shard_count) {
  RowStore csv(results_csv(s), csv_header_for(s));
  RowStore jsonl(results_jsonl(s), "");
  std::string missing;
  for (int i = 0; i < shard_count; ++i) {
    RowStore part_csv(results_csv(s, i, shard_count), csv_header_for(s));
    RowStore part_json(results_jsonl(s, i, shard_count), "");
    for (const auto& p : s.points) {
      if (static_cast<int>(p.index % shard_count) != i) continue;
      if (!part_csv.has(p.index) || !part_json.has(p.index)) {
        missing += (missing.empty() ? "" : ", ") + p.id;
        continue;
      }
      csv.put(p.index, part_csv.rows().at(p.index));
      jsonl.put(p.index, part_json.rows().at(p.index));
    }
  }
  if (!missing.empty())
    throw UserError(s.path + ": cannot merge, points not finished by their shard: " + missing);
  jsonl.save();
  csv.save();
}

}  // namespace nocsim::tools
