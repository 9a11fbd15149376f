#include "tools/sweep.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "configs/user_error.h"
#include "configs/version.h"
#include "tools/content_hash.h"
#include "tools/progress_line.h"
#include "tools/result_files.h"
#include "tools/results_lock.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_runner.h"
#include "tools/sweep_rows.h"
#include "tools/sweep_tables.h"

namespace nocsim::tools {

namespace fs = std::filesystem;
namespace pb = google::protobuf;

RunnerRegistry& runner_registry() {
  static RunnerRegistry registry("runner");
  return registry;
}

namespace {

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

std::string part_suffix(int shard_index, int shard_count) {
  return shard_count <= 1
             ? ""
             : ".part-" + std::to_string(shard_index) + "-of-" + std::to_string(shard_count);
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
std::string results_lock(const LoadedSweep& s, int shard_index, int shard_count) {
  return (fs::path(s.results_dir) / ("results" + part_suffix(shard_index, shard_count) + ".lock"))
      .string();
}

std::string describe(const SweepOutcome& o) {
  return "ran " + std::to_string(o.ran) + " (" + std::to_string(o.fresh) + " new, " +
         std::to_string(o.changed) + " changed, " + std::to_string(o.retried) +
         " failed before), kept " + std::to_string(o.kept) + ", dropped " +
         std::to_string(o.dropped) + ", failed " + std::to_string(o.failed) +
         (o.replaced_old_files ? " (results from an older nocsim, without point hashes, replaced)"
                               : "");
}

std::string point_hash(const LoadedSweep& s, const SweepPoint& p) {
  LoadedScenario sc = load_scenario(s.base_path, p.sets);
  // Paths depend on where the sweep was started from; what matters is the files' contents.
  sc.scenario.mutable_model()->clear_file();
  sc.scenario.mutable_traffic()->clear_trace_file();
  std::string text;
  pb::TextFormat::PrintToString(sc.scenario, &text);
  std::string material = std::string("nocsim ") + nocsim_version() + "\nrunner " + s.runner + "\n" +
                         text + "\nbase " + file_sha256(s.base_path) + "\n";
  // Every file the scenario read (scenario, tech preset, model, trace, data set, codec plugins:
  // their code decides the result), by content.
  for (const auto& input : sc.provenance.inputs())
    material += input.role() + " " + input.sha256() + "\n";
  return sha256_hex(material).substr(0, 16);
}

LoadedSweep load_sweep(const std::string& path, const std::vector<std::string>& extra_sets,
                       const std::string& results_dir_override, size_t max_points) {
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
    if (path_exists(candidate)) {
      out.base_path = candidate.string();
      break;
    }
  }
  if (out.base_path.empty())
    throw UserError(where("base") + ": scenario '" + sw.base() + "' not found");
  out.runner = sw.runner().empty() ? "traffic" : sw.runner();
  if (runner_registry().find(out.runner) == nullptr)
    throw UserError(where("runner") + ": " + runner_registry().unknown_message(out.runner));
  out.results_dir = !results_dir_override.empty() ? results_dir_override
                    : !sw.results().empty()
                        ? sw.results()
                        : (fs::path("results") / fs::path(path).stem()).string();

  // Axes -> per-axis list of (label, overrides).
  std::vector<std::vector<SweepChoice>> axes;
  for (int a = 0; a < sw.axes_size(); ++a) {
    const auto& axis = sw.axes(a);
    const std::string field = "axes[" + std::to_string(a) + "]";
    // Labels become CSV cells, JSON strings and plot titles: one line of printable text.
    auto check_label = [&](const std::string& what, const std::string& text) {
      for (unsigned char c : text)
        if (c < 0x20 || c == 0x7f)
          throw UserError(where(field) + ": " + what + " '" + json_string(text) +
                          "' holds a control character (newline, tab, ...); labels are one line");
    };
    check_label("name", axis.name());
    for (const auto& v : axis.values()) check_label("value", v);
    for (const auto& v : axis.variants()) check_label("label", v.label());
    const bool by_field = !axis.field().empty() || axis.values_size() > 0;
    if (by_field == (axis.variants_size() > 0))
      throw UserError(where(field) + ": give either field + values or variants");
    std::vector<SweepChoice> choices;
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
    // A point is known by its labels (results rows are matched to points by them).
    std::set<std::string> seen;
    for (const auto& c : choices)
      if (!seen.insert(c.label).second)
        throw UserError(where(field) + ": '" + c.label +
                        "' appears twice; every value or label of an axis must differ");
    axes.push_back(std::move(choices));
  }

  // Cartesian product, first axis slowest; points are built when asked for (LoadedSweep::point).
  size_t total = 1;
  bool too_many = false;
  std::string shape;
  for (size_t a = 0; a < axes.size(); ++a) {
    shape += (a ? " x " : "") + std::to_string(axes[a].size());
    too_many = too_many || total > max_points / axes[a].size();  // checked before it can overflow
    if (!too_many) total *= axes[a].size();
  }
  if (too_many)
    throw UserError(path + ": the axes (" + shape + ") make more than " +
                    std::to_string(max_points) +
                    " points; raise the limit with --max-points N if you mean it");
  out.axes = std::move(axes);
  out.count = total;
  out.common_sets.assign(sw.set().begin(), sw.set().end());
  out.common_sets.insert(out.common_sets.end(), extra_sets.begin(), extra_sets.end());
  // Fail before running anything when an override does not apply: every point of a sweep of
  // ordinary size; for a big one, each axis value on its own and the first point.
  auto check = [&](const std::vector<std::string>& sets, const std::string& what) {
    try {
      load_scenario(out.base_path, sets);
    } catch (const UserError& e) {
      throw UserError(path + ": " + what + ": " + e.what());
    }
  };
  if (total <= kFullyCheckedSweepPoints) {
    for (size_t i = 0; i < total; ++i) {
      const SweepPoint p = out.point(i);
      check(p.sets, "point '" + p.id + "'");
    }
  } else {
    for (size_t a = 0; a < out.axes.size(); ++a)
      for (const auto& c : out.axes[a]) {
        std::vector<std::string> sets = out.common_sets;
        sets.insert(sets.end(), c.sets.begin(), c.sets.end());
        check(sets, out.axis_columns[a] + "=" + c.label);
      }
    const SweepPoint first = out.point(0);
    check(first.sets, "point '" + first.id + "'");
  }
  return out;
}

SweepPoint LoadedSweep::point(size_t index) const {
  SweepPoint p;
  p.index = index;
  p.sets = common_sets;
  std::vector<size_t> pick(axes.size());
  size_t rest = index;
  for (size_t a = axes.size(); a-- > 0;) {
    pick[a] = rest % axes[a].size();
    rest /= axes[a].size();
  }
  for (size_t a = 0; a < axes.size(); ++a) {
    const SweepChoice& c = axes[a][pick[a]];
    p.axes.emplace_back(axis_columns[a], c.label);
    p.id += (a ? "|" : "") + axis_columns[a] + "=" + c.label;
    p.sets.insert(p.sets.end(), c.sets.begin(), c.sets.end());
  }
  return p;
}

SweepOutcome run_sweep(const LoadedSweep& s, const SweepOptions& opt) {
  const ResultsLock lock(results_lock(s, opt.shard_index, opt.shard_count));
  SweepRows rows(results_csv(s, opt.shard_index, opt.shard_count),
                 results_jsonl(s, opt.shard_index, opt.shard_count),
                 sweep_csv_header(s.axis_columns), opt.force);
  SweepOutcome outcome;
  outcome.replaced_old_files = rows.replaced_old();

  // Keep the rows that are still what the sweep would compute; stale rows stay until their point
  // reruns, rows of points that left the sweep go now.
  struct Todo {
    size_t index;
    std::string hash;
  };
  std::vector<Todo> todo;
  size_t still_there = 0;
  for (size_t i = opt.shard_index; i < s.count; i += opt.shard_count) {
    const SweepPoint p = s.point(i);
    const std::string hash = point_hash(s, p);
    const auto old = rows.stored().find(p.id);
    if (old != rows.stored().end()) {
      ++still_there;
      rows.put(p.index, old->second);
      if (!opt.force && old->second.ok && old->second.hash == hash) {
        ++outcome.kept;
        continue;
      }
      ++(old->second.ok ? outcome.changed : outcome.retried);
    } else {
      ++outcome.fresh;
    }
    todo.push_back({p.index, hash});
  }
  outcome.dropped = rows.stored().size() - still_there;
  rows.save();

  std::mutex mu;
  std::atomic<size_t> next{0};
  std::exception_ptr write_failure;
  const auto start = std::chrono::steady_clock::now();
  size_t done = 0;

  auto report = [&](const SweepPoint& p, bool ok) {
    if (opt.progress == nullptr) return;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const double eta = eta_seconds(elapsed, done, todo.size());
    std::ostream& o = *opt.progress;
    if (opt.progress_is_tty) {
      const int width = 30;
      const int filled = todo.empty() ? width : static_cast<int>(width * done / todo.size());
      o << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
        << "/" << todo.size() << " points, ETA " << format_duration(eta) << "   " << std::flush;
      if (done == todo.size()) o << "\n";
    } else {
      o << "sweep: " << done << "/" << todo.size() << (ok ? " done " : " FAILED ") << p.id
        << " (elapsed " << format_duration(elapsed) << ", ETA " << format_duration(eta) << ")\n";
    }
  };

  // A point that fails is a row with its error; results that cannot be written stop the sweep,
  // and the first such error is rethrown on the calling thread, whatever the number of threads.
  auto worker = [&]() {
    try {
      auto runner = runner_registry().create(s.runner, "runner");
      for (size_t k = next++; k < todo.size(); k = next++) {
        const SweepPoint p = s.point(todo[k].index);
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
        if (write_failure) return;
        ++done;
        rows.put(p.index, make_row(p, todo[k].hash, error.empty() ? &result : nullptr, error));
        rows.save();
        ++outcome.ran;
        if (!error.empty()) {
          ++outcome.failed;
          outcome.errors.push_back(error);
        }
        report(p, error.empty());
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mu);
      if (!write_failure) write_failure = std::current_exception();
      next = todo.size();
    }
  };

  const int jobs = std::max(1, std::min<int>(opt.jobs, static_cast<int>(todo.size())));
  std::vector<std::thread> threads;
  for (int j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  if (write_failure) std::rethrow_exception(write_failure);
  if (opt.shard_count == 1) write_sweep_tables(s, rows);
  return outcome;
}

void merge_sweep_parts(const LoadedSweep& s, int shard_count) {
  const ResultsLock lock(results_lock(s));
  const std::string header = sweep_csv_header(s.axis_columns);
  SweepRows merged(results_csv(s), results_jsonl(s), header, /*replace_foreign=*/true);
  std::vector<SweepRows> parts;
  for (int i = 0; i < shard_count; ++i)
    parts.emplace_back(results_csv(s, i, shard_count), results_jsonl(s, i, shard_count), header);
  std::string missing;
  for (size_t i = 0; i < s.count; ++i) {
    const SweepPoint p = s.point(i);
    const SweepRows& part = parts[p.index % shard_count];
    const auto row = part.stored().find(p.id);
    if (row == part.stored().end() || row->second.hash != point_hash(s, p)) {
      missing += (missing.empty() ? "" : ", ") + p.id;
      continue;
    }
    merged.put(p.index, row->second);
  }
  if (!missing.empty())
    throw UserError(s.path + ": cannot merge, points not finished by their shard: " + missing);
  merged.save();
  write_sweep_tables(s, merged);
}

}  // namespace nocsim::tools
