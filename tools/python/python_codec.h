#pragma once
// Codecs written in Python: an adapter `Codec` that holds the Python object and calls its
// encode/decode, registered in the codec registry under the user's name, so that any run or sweep
// started from Python uses it like a built-in one. Every call into Python takes the GIL, so sweeps
// that run points on several threads are safe (the Python calls themselves run one at a time).
#include <string>
#include <vector>

#include <pybind11/pybind11.h>

namespace nocsim::python {

// One declared parameter of a Python codec (`params = {...}` on the class, normalised by the
// Python package): read through CodecParams like a built-in's, then passed to the constructor.
struct PythonParam {
  std::string name;
  std::string type;  // "int", "real", "choice", "flag"
  pybind11::object default_value;
  double min = 0, max = 0;
  std::vector<std::string> choices;
  std::string help;
};

// Registers `factory` (the class) under `name`. Refuses a name taken by a built-in or plugin codec;
// registering a Python codec's name again replaces it.
void register_python_codec(const std::string& name, const std::string& description,
                           pybind11::object factory, std::vector<PythonParam> params);

}  // namespace nocsim::python
