#include "tools/python/proto_to_python.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

namespace nocsim::python {
namespace {

namespace pb = google::protobuf;
namespace py = pybind11;

// Element `i` of a repeated field, or the singular value when i < 0.
py::object value(const pb::Message& m, const pb::FieldDescriptor* f, int i) {
  const pb::Reflection* r = m.GetReflection();
  const bool rep = i >= 0;
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
      return py::int_(rep ? r->GetRepeatedInt32(m, f, i) : r->GetInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_INT64:
      return py::int_(rep ? r->GetRepeatedInt64(m, f, i) : r->GetInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return py::int_(rep ? r->GetRepeatedUInt32(m, f, i) : r->GetUInt32(m, f));
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      return py::int_(rep ? r->GetRepeatedUInt64(m, f, i) : r->GetUInt64(m, f));
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
      return py::float_(rep ? r->GetRepeatedDouble(m, f, i) : r->GetDouble(m, f));
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      return py::float_(rep ? r->GetRepeatedFloat(m, f, i) : r->GetFloat(m, f));
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return py::bool_(rep ? r->GetRepeatedBool(m, f, i) : r->GetBool(m, f));
    case pb::FieldDescriptor::CPPTYPE_ENUM:
      return py::str((rep ? r->GetRepeatedEnum(m, f, i) : r->GetEnum(m, f))->name());
    case pb::FieldDescriptor::CPPTYPE_STRING: {
      const std::string s = rep ? r->GetRepeatedString(m, f, i) : r->GetString(m, f);
      if (f->type() == pb::FieldDescriptor::TYPE_BYTES) return py::bytes(s);
      return py::str(s);
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      return to_python(rep ? r->GetRepeatedMessage(m, f, i) : r->GetMessage(m, f));
  }
  return py::none();
}

}  // namespace

py::dict to_python(const pb::Message& msg) {
  py::dict out;
  const pb::Descriptor* d = msg.GetDescriptor();
  const pb::Reflection* r = msg.GetReflection();
  for (int k = 0; k < d->field_count(); ++k) {
    const pb::FieldDescriptor* f = d->field(k);
    const char* name = f->name().c_str();
    if (f->is_map()) {
      py::dict map;
      const pb::FieldDescriptor* key = f->message_type()->FindFieldByName("key");
      const pb::FieldDescriptor* val = f->message_type()->FindFieldByName("value");
      for (int i = 0; i < r->FieldSize(msg, f); ++i) {
        const pb::Message& e = r->GetRepeatedMessage(msg, f, i);
        map[value(e, key, -1)] = value(e, val, -1);
      }
      out[name] = map;
    } else if (f->is_repeated()) {
      py::list list;
      for (int i = 0; i < r->FieldSize(msg, f); ++i) list.append(value(msg, f, i));
      out[name] = list;
    } else if (f->has_presence() && !r->HasField(msg, f)) {
      out[name] = py::none();
    } else {
      out[name] = value(msg, f, -1);
    }
  }
  return out;
}

}  // namespace nocsim::python
