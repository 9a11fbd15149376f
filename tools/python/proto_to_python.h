#pragma once
// A protobuf message as Python dicts and lists, by reflection: integers stay integers (the JSON
// mapping would make 64-bit counters strings), enums become their names, map fields dicts, and a
// message or `optional` field that is not set becomes None (a traffic run has no accelerator part).
#include <google/protobuf/message.h>
#include <pybind11/pybind11.h>

namespace nocsim::python {

pybind11::dict to_python(const google::protobuf::Message& msg);

}  // namespace nocsim::python
