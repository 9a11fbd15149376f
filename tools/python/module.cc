// The `nocsim._core` extension: the library functions behind the CLI's commands (scenario runners,
// sweeps, model evaluation, the codec registry), called in-process. Every call that simulates
// releases the GIL, so sweep worker threads can call back into Python codecs.
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <fstream>
#include <sstream>

#include "compression/codec_chain.h"
#include "compression/codec_registry.h"
#include "compression/plugin_loader.h"
#include "configs/schema/result.pb.h"
#include "configs/user_error.h"
#include "configs/version.h"
#include "tools/model_eval.h"
#include "tools/python/proto_to_python.h"
#include "tools/python/python_codec.h"
#include "tools/result_files.h"
#include "tools/scenario_args.h"
#include "tools/scenario_loader.h"
#include "tools/scenario_runner.h"
#include "tools/sweep.h"

namespace nocsim::python {
namespace {

namespace py = pybind11;
namespace pb = google::protobuf;

// One scenario through a runner ("run" or "traffic"), as `nocsim run` / `nocsim traffic` do it;
// `out` != "" also writes <out>/<name>.json and .csv as they do.
py::dict run_scenario(const std::string& runner, const std::string& path,
                      const std::vector<std::string>& sets, const std::string& out) {
  config::RunResult result;
  {
    py::gil_scoped_release nogil;
    const tools::LoadedScenario loaded = tools::load_scenario(path, sets);
    result = tools::runner_registry().create(runner, "runner")->run(loaded);
    if (!out.empty()) {
      std::ostringstream said;
      tools::write_run_result(tools::output_place(loaded, out), result, said);
    }
  }
  return to_python(result);
}

py::dict run_sweep(const std::string& path, const std::vector<std::string>& sets, int jobs,
                   const std::string& results_dir) {
  tools::SweepOutcome outcome;
  tools::LoadedSweep sweep;
  {
    py::gil_scoped_release nogil;
    sweep = tools::load_sweep(path, sets, results_dir);
    tools::SweepOptions options;
    options.jobs = jobs;
    outcome = tools::run_sweep(sweep, options);
  }
  py::dict d;
  d["ran"] = outcome.ran;
  d["skipped"] = outcome.kept;  // rows kept from an earlier run (same point hash)
  d["kept"] = outcome.kept;
  d["fresh"] = outcome.fresh;
  d["changed"] = outcome.changed;
  d["retried"] = outcome.retried;
  d["dropped"] = outcome.dropped;
  d["failed"] = outcome.failed;
  d["errors"] = outcome.errors;
  d["csv"] = tools::results_csv(sweep);
  d["jsonl"] = tools::results_jsonl(sweep);
  d["axis_columns"] = sweep.axis_columns;
  return d;
}

// The rows of a sweep's results.jsonl ({"point_index", "point", "axes", "result"}), with each
// result read back into a RunResult, so that the numbers are exactly the file's; a row without a
// result (a failed point) keeps its "status" and "error".
py::list read_results_jsonl(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw UserError(path + ": cannot open results file");
  py::list rows;
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(lineno);
    pb::Struct row;
    if (!pb::util::JsonStringToMessage(line, &row).ok())
      throw UserError(where + ": not a JSON object");
    const auto& f = row.fields();
    if (!f.count("point_index") || !f.count("axes"))
      throw UserError(where + ": a results row needs point_index and axes");
    py::dict d;
    d["result"] = py::none();  // a failed point has an error instead
    if (f.count("result") && f.at("result").has_struct_value()) {
      std::string result_json;
      (void)pb::util::MessageToJsonString(f.at("result"), &result_json);
      config::RunResult result;
      const auto status = pb::util::JsonStringToMessage(result_json, &result);
      if (!status.ok()) throw UserError(where + ": result: " + status.ToString());
      d["result"] = to_python(result);
    }
    for (const char* key : {"status", "error"})
      if (f.count(key) && f.at(key).has_string_value()) d[key] = f.at(key).string_value();
    py::dict axes;
    for (const auto& [k, v] : f.at("axes").struct_value().fields())
      axes[k.c_str()] = v.string_value();
    d["point_index"] = static_cast<int64_t>(f.at("point_index").number_value());
    d["point"] = f.count("point") ? f.at("point").string_value() : std::string();
    d["axes"] = axes;
    rows.append(d);
  }
  return rows;
}

// Size and error of a whole model's or one layer's round trip (CodecReport, LayerReport).
template <class Report>
void put_sizes(py::dict& d, const Report& r) {
  d["weights"] = r.weights;
  d["header_bits"] = r.header_bits;
  d["chunk_bits"] = r.chunk_bits;
  d["bits_per_weight"] = r.bits_per_weight;
  d["rmse"] = r.rmse;
  d["max_abs_error"] = r.max_abs_error;
}

py::dict eval_model(const std::string& model, const std::string& codec, int64_t chunk_rows,
                    const std::string& data) {
  config::ModelConfig mc;
  mc.set_file(model);
  if (!data.empty()) mc.set_dataset_dir(data);
  tools::ModelEval ev;
  {
    py::gil_scoped_release nogil;
    ev = tools::evaluate_model(mc, codec, chunk_rows);
  }
  py::dict d;
  d["model"] = ev.name;
  d["architecture"] = ev.architecture;
  d["test_images"] = ev.test_images;
  d["parameters"] = ev.parameters;
  d["macs"] = ev.macs;
  d["accuracy"] = ev.accuracy;
  d["codec"] = py::none();
  if (ev.codec) {
    const compression::CodecReport& r = ev.codec->report;
    py::dict c;
    c["spec"] = ev.codec->spec;
    c["lossless"] = ev.codec->lossless;
    c["accuracy"] = ev.codec->accuracy;
    c["accuracy_change"] = ev.codec->accuracy - ev.accuracy;
    put_sizes(c, r);
    py::list layers;
    for (size_t k = 0; k < r.layers.size(); ++k) {
      py::dict l;
      l["layer"] = ev.codec->layer_names[k];
      put_sizes(l, r.layers[k]);
      layers.append(l);
    }
    c["layers"] = layers;
    d["codec"] = c;
  }
  return d;
}

const char* type_name(compression::ParamType t) {
  switch (t) {
    case compression::ParamType::kInt:
      return "int";
    case compression::ParamType::kReal:
      return "real";
    case compression::ParamType::kChoice:
      return "choice";
    case compression::ParamType::kBool:
      return "flag";
  }
  return "";
}

// Every codec of the registry (built-in, plugin, Python) with its parameters, as `nocsim codecs`.
py::list list_codecs(const std::vector<std::string>& plugins) {
  for (size_t i = 0; i < plugins.size(); ++i) {
    compression::allow_codec_plugin(plugins[i]);  // naming a library here is asking for it
    compression::load_codec_plugin(plugins[i], "plugins[" + std::to_string(i) + "]");
  }
  py::list out;
  for (const auto& [name, entry] : compression::codec_registry().entries()) {
    compression::CodecParams params;
    const auto codec = entry.make(params);
    const compression::DecoderCost cost = codec->decoder_cost();
    py::dict d;
    d["name"] = name;
    d["description"] = entry.description;
    d["lossless"] = codec->lossless();
    d["nominal_bits_per_weight"] = codec->nominal_bits_per_weight();
    d["decoder_cost"] =
        py::make_tuple(cost.latency_cycles, cost.weights_per_cycle, cost.energy_pj_per_weight);
    d["error_bound"] = codec->error_bound();
    py::list ps;
    for (const auto& s : params.specs()) {
      py::dict p;
      p["name"] = s.name;
      p["type"] = type_name(s.type);
      p["default"] = s.default_value;
      p["range"] = s.range();
      p["help"] = s.help;
      ps.append(p);
    }
    d["params"] = ps;
    out.append(d);
  }
  return out;
}

}  // namespace

}  // namespace nocsim::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "nocsim's C++ core; use the `nocsim` package instead of this module.";
  // Bad input (config, files, codec names) raises nocsim.Error with the CLI's message.
  pybind11::register_exception<nocsim::UserError>(m, "Error", PyExc_ValueError);
  pybind11::class_<nocsim::python::PythonParam>(m, "PythonParam")
      .def(pybind11::init([](std::string name, std::string type, pybind11::object def, double min,
                             double max, std::vector<std::string> choices, std::string help) {
        return nocsim::python::PythonParam{
            std::move(name),    std::move(type), std::move(def), min, max,
            std::move(choices), std::move(help)};
      }));
  m.def("run_scenario", &nocsim::python::run_scenario, pybind11::arg("runner"),
        pybind11::arg("path"), pybind11::arg("sets"), pybind11::arg("out"));
  m.def("run_sweep", &nocsim::python::run_sweep, pybind11::arg("path"), pybind11::arg("sets"),
        pybind11::arg("jobs"), pybind11::arg("results_dir"));
  m.def("read_results_jsonl", &nocsim::python::read_results_jsonl, pybind11::arg("path"));
  m.def("eval_model", &nocsim::python::eval_model, pybind11::arg("model"), pybind11::arg("codec"),
        pybind11::arg("chunk_rows"), pybind11::arg("data"));
  m.def("version", [] { return std::string(nocsim::nocsim_version()); });
  m.def("allow_plugin", &nocsim::compression::allow_codec_plugin, pybind11::arg("path"));
  m.def("list_codecs", &nocsim::python::list_codecs, pybind11::arg("plugins"));
  m.def("register_codec", &nocsim::python::register_python_codec, pybind11::arg("name"),
        pybind11::arg("description"), pybind11::arg("factory"), pybind11::arg("params"));
}
