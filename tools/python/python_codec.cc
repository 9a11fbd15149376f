#include "tools/python/python_codec.h"

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <set>

#include "compression/codec_registry.h"
#include "compression/decode_error.h"
#include "configs/user_error.h"

namespace nocsim::python {
namespace {

namespace py = pybind11;
using compression::Bitstream;
using compression::Codec;
using compression::CodecParams;
using compression::DecoderCost;
using compression::EncodedLayer;

// The Python object's text of an exception, taken while the GIL is held.
std::string describe(const py::error_already_set& e) {
  return e.what();
}

// Owns a reference to a Python object from C++ code that may run without the GIL: the reference is
// dropped under the GIL, and leaked when the interpreter is already gone (process exit).
class PyRef {
 public:
  explicit PyRef(py::object o) : obj_(new py::object(std::move(o))) {}
  PyRef(const PyRef&) = delete;
  PyRef& operator=(const PyRef&) = delete;
  ~PyRef() {
    if (!Py_IsInitialized()) return;  // leak: nothing may touch Python after finalisation
    py::gil_scoped_acquire gil;
    delete obj_;
  }
  const py::object& get() const { return *obj_; }

 private:
  py::object* obj_;
};

// What the Python object says about itself, read once at construction (under the GIL) so that
// the simulator's queries never need Python.
struct Traits {
  bool lossless = false;
  double bits = 0;
  DecoderCost cost;
  std::string error_bound;
};

double number_attr(const py::object& o, const char* attr, const std::string& name) {
  if (!py::hasattr(o, attr))
    throw UserError("codec '" + name + "'", std::string("the Python codec has no '") + attr + "'");
  const py::object v = o.attr(attr);
  try {
    return v.cast<double>();
  } catch (const py::cast_error&) {
    throw UserError("codec '" + name + "'", std::string("'") + attr + "' must be a number, got " +
                                                py::str(v).cast<std::string>());
  }
}

Traits read_traits(const py::object& o, const std::string& name) {
  Traits t;
  const std::string where = "codec '" + name + "'";
  t.bits = number_attr(o, "bits", name);
  if (!(t.bits > 0) || !std::isfinite(t.bits))
    throw UserError(where, "'bits' (nominal bits per weight) must be > 0");
  if (!py::hasattr(o, "lossless")) throw UserError(where, "the Python codec has no 'lossless'");
  t.lossless = py::bool_(o.attr("lossless"));
  if (!py::hasattr(o, "decoder_cost"))
    throw UserError(where,
                    "the Python codec has no 'decoder_cost' (latency_cycles, weights_per_cycle, "
                    "energy_pj_per_weight)");
  py::object cost = o.attr("decoder_cost");
  if (PyCallable_Check(cost.ptr())) cost = cost();
  try {
    const auto c = cost.cast<std::tuple<int64_t, double, double>>();
    if (std::get<0>(c) < 0 || !(std::get<1>(c) > 0) || std::get<2>(c) < 0)
      throw UserError(where,
                      "decoder_cost needs latency_cycles >= 0, weights_per_cycle > 0 and "
                      "energy_pj_per_weight >= 0");
    t.cost = {static_cast<uint32_t>(std::get<0>(c)), std::get<1>(c), std::get<2>(c)};
  } catch (const py::cast_error&) {
    throw UserError(where,
                    "decoder_cost must be a tuple (latency_cycles, weights_per_cycle, "
                    "energy_pj_per_weight), got " +
                        py::str(cost).cast<std::string>());
  }
  t.error_bound = py::hasattr(o, "error_bound") ? py::str(o.attr("error_bound")).cast<std::string>()
                                                : std::string("as documented by the Python codec");
  return t;
}

class PythonDecoder : public compression::LayerDecoder {
 public:
  PythonDecoder(std::shared_ptr<const PyRef> codec, std::string name)
      : codec_(std::move(codec)), name_(std::move(name)) {}

  void decode(const Bitstream& chunk, std::span<float> out) const override {
    py::gil_scoped_acquire gil;
    std::string error;
    try {
      const py::bytes data(reinterpret_cast<const char*>(chunk.bytes.data()), chunk.bytes.size());
      const py::object result = codec_->get().attr("decode")(data, out.size());
      const auto arr =
          py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(result);
      if (!arr)
        error = "decode must return an array of numbers";
      else if (static_cast<size_t>(arr.size()) != out.size())
        error = "decode returned " + std::to_string(arr.size()) + " weights, expected " +
                std::to_string(out.size());
      else
        std::memcpy(out.data(), arr.data(), out.size() * sizeof(float));
    } catch (const py::error_already_set& e) {
      error = describe(e);
    }
    // A Python decoder that cannot read a stream is a DecodeError, like a built-in one.
    if (!error.empty()) throw compression::DecodeError("Python codec '" + name_ + "': " + error);
  }

 private:
  std::shared_ptr<const PyRef> codec_;
  std::string name_;
};

class PythonCodec : public Codec {
 public:
  PythonCodec(std::shared_ptr<const PyRef> codec, std::string name, Traits traits)
      : codec_(std::move(codec)), name_(std::move(name)), traits_(std::move(traits)) {}

  EncodedLayer encode(std::span<const float> weights, std::span<const size_t> bounds,
                      const compression::LayerContext&) const override {
    compression::check_bounds(bounds, weights.size());
    EncodedLayer layer;
    layer.bounds.assign(bounds.begin(), bounds.end());
    py::gil_scoped_acquire gil;
    std::string error;
    try {
      for (size_t c = 0; c + 1 < bounds.size(); ++c) {
        py::array_t<float> chunk(static_cast<py::ssize_t>(bounds[c + 1] - bounds[c]));
        std::memcpy(chunk.mutable_data(), weights.data() + bounds[c], chunk.size() * sizeof(float));
        const py::object result = codec_->get().attr("encode")(chunk);
        if (!py::isinstance<py::bytes>(result) && !py::isinstance<py::bytearray>(result)) {
          error = "encode must return bytes, got " +
                  py::str(result.get_type().attr("__name__")).cast<std::string>();
          break;
        }
        const std::string data = py::isinstance<py::bytes>(result)
                                     ? result.cast<std::string>()
                                     : py::bytearray(result).operator std::string();
        Bitstream bits;
        bits.bytes.assign(data.begin(), data.end());
        bits.bits = 8 * static_cast<uint64_t>(data.size());
        layer.chunks.push_back(std::move(bits));
      }
    } catch (const py::error_already_set& e) {
      error = describe(e);
    }
    if (!error.empty()) throw UserError("codec '" + name_ + "'", "encode: " + error);
    return layer;
  }

  std::unique_ptr<compression::LayerDecoder> open(const Bitstream& header) const override {
    if (header.bits != 0)
      throw compression::DecodeError("Python codec '" + name_ + "': unexpected layer header");
    return std::make_unique<PythonDecoder>(codec_, name_);
  }

  bool lossless() const override { return traits_.lossless; }
  DecoderCost decoder_cost() const override { return traits_.cost; }
  double nominal_bits_per_weight() const override { return traits_.bits; }
  std::string error_bound() const override { return traits_.error_bound; }

 private:
  std::shared_ptr<const PyRef> codec_;
  std::string name_;
  Traits traits_;
};

// Names registered from Python (they may be replaced; built-ins may not).
std::set<std::string>& python_names() {
  static std::set<std::string> names;
  return names;
}

// Reads the declared parameters through CodecParams (validated, listed by codecs()), as keyword
// arguments for the constructor. Runs under the GIL.
py::dict read_params(CodecParams& p, const std::vector<PythonParam>& params) {
  py::dict kwargs;
  for (const PythonParam& d : params) {
    const char* key = d.name.c_str();
    if (d.type == "int") {
      kwargs[key] = p.integer(d.name, d.default_value.cast<int64_t>(), static_cast<int64_t>(d.min),
                              static_cast<int64_t>(d.max), d.help);
    } else if (d.type == "real") {
      kwargs[key] = p.real(d.name, d.default_value.cast<double>(), d.min, d.max, d.help);
    } else if (d.type == "choice") {
      kwargs[key] = p.choice(d.name, d.default_value.cast<std::string>(), d.choices, d.help);
    } else {
      kwargs[key] = p.flag(d.name, d.default_value.cast<bool>(), d.help);
    }
  }
  return kwargs;
}

}  // namespace

void register_python_codec(const std::string& name, const std::string& description,
                           py::object factory, std::vector<PythonParam> params) {
  auto& registry = compression::codec_registry();
  if (registry.find(name) != nullptr && python_names().count(name) == 0)
    throw UserError("register_codec", "'" + name + "' is a built-in or plugin codec");
  if (name.empty() || name.find_first_of(":+,=@ ") != std::string::npos)
    throw UserError("register_codec", "'" + name +
                                          "': a codec name may not be empty or hold "
                                          "':', '+', ',', '=', '@' or spaces");
  for (const PythonParam& d : params) {
    if (d.type != "int" && d.type != "real") continue;
    // Bounds become int64 for "int": beyond 2^53 a double no longer holds every integer.
    const double limit = d.type == "int" ? 9007199254740992.0 : 1e300;
    if (!(std::isfinite(d.min) && std::isfinite(d.max) && d.min <= d.max &&
          std::abs(d.min) <= limit && std::abs(d.max) <= limit))
      throw UserError("register_codec", "'" + name + "': parameter '" + d.name +
                                            "' needs finite bounds min <= max (within +-2^53 for "
                                            "an int)");
  }
  auto cls = std::make_shared<const PyRef>(std::move(factory));
  auto decl = std::make_shared<const std::vector<PythonParam>>(std::move(params));
  auto make = [cls, decl, name](CodecParams& p) -> std::unique_ptr<Codec> {
    // Called from any thread (sweep workers) and without the GIL.
    py::gil_scoped_acquire gil;
    std::string error;
    try {
      py::dict kwargs = read_params(p, *decl);
      py::object instance = cls->get()(**kwargs);
      Traits traits = read_traits(instance, name);
      return std::make_unique<PythonCodec>(std::make_shared<const PyRef>(std::move(instance)), name,
                                           std::move(traits));
    } catch (const py::error_already_set& e) {
      error = describe(e);
    }
    throw UserError("codec '" + name + "'", "the Python constructor failed: " + error);
  };
  // Built once with the defaults now, so that a class that lacks a member fails here and not in
  // the middle of a sweep (or of codecs()).
  CodecParams defaults;
  make(defaults);
  python_names().insert(name);
  registry.add(name, description, make);
}

}  // namespace nocsim::python
