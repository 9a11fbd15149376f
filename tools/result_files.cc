#include "tools/result_files.h"

#include <google/protobuf/descriptor.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/schema/result.pb.h"
#include "configs/user_error.h"
#include "tools/csv_table.h"

namespace nocsim::tools {

namespace pb = google::protobuf;
namespace fs = std::filesystem;

void write_file_atomic(const std::string& path, const std::string& content) {
  const fs::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), ec);
  const fs::path tmp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw UserError(path + ": cannot write (folder missing or not writable)");
    out << content;
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      throw UserError(path + ": write failed (disk full?)");
    }
  }
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw UserError(path + ": cannot replace file: " + ec.message());
  }
}

void append_atomic(const std::string& path, const std::string& text, const std::string& header) {
  std::string content;
  if (std::ifstream in(path, std::ios::binary); in) {
    std::ostringstream ss;
    ss << in.rdbuf();
    content = ss.str();
  }
  if (content.empty()) content = header;
  if (!content.empty() && content.back() != '\n') content += '\n';
  content += text;
  write_file_atomic(path, content);
}

namespace {

// `present` is false below a message that was never set: its cells stay empty, so that a field
// that does not apply (accelerator columns of a traffic run) reads as missing, not as 0.
void flatten(const pb::Message& msg, const std::string& prefix, std::vector<std::string>& names,
             std::vector<std::string>& values, bool present = true) {
  const pb::Descriptor* d = msg.GetDescriptor();
  const pb::Reflection* r = msg.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    if (f->is_repeated()) continue;
    // Provenance (the resolved scenario, input files) would add a column per scenario field: it
    // is in the JSON results only.
    if (f->message_type() == config::Provenance::descriptor()) continue;
    const std::string name = prefix.empty() ? f->name() : prefix + "." + f->name();
    const bool set = present && (!f->has_presence() || r->HasField(msg, f));
    if (f->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
      flatten(r->GetMessage(msg, f), name, names, values, set);
      continue;
    }
    names.push_back(name);
    if (!set) {
      values.emplace_back();
      continue;
    }
    std::ostringstream v;
    v.precision(10);
    switch (f->cpp_type()) {
      case pb::FieldDescriptor::CPPTYPE_MESSAGE:
        break;
      case pb::FieldDescriptor::CPPTYPE_INT32:
        v << r->GetInt32(msg, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_INT64:
        v << r->GetInt64(msg, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT32:
        v << r->GetUInt32(msg, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_UINT64:
        v << r->GetUInt64(msg, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_DOUBLE:
        v << r->GetDouble(msg, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_FLOAT:
        v << r->GetFloat(msg, f);
        break;
      case pb::FieldDescriptor::CPPTYPE_BOOL:
        v << (r->GetBool(msg, f) ? 1 : 0);
        break;
      case pb::FieldDescriptor::CPPTYPE_ENUM:
        v << r->GetEnum(msg, f)->name();
        break;
      case pb::FieldDescriptor::CPPTYPE_STRING:
        v << csv_field(r->GetString(msg, f));
        break;
    }
    values.push_back(v.str());
  }
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "," : "") + parts[i];
  return out + "\n";
}

}  // namespace

std::string csv_header(const pb::Message& msg) {
  std::vector<std::string> names, values;
  flatten(msg, "", names, values);
  return join(names);
}

std::string csv_row(const pb::Message& msg) {
  std::vector<std::string> names, values;
  flatten(msg, "", names, values);
  return join(values);
}

}  // namespace nocsim::tools
