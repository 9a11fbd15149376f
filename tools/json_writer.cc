#include "tools/json_writer.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/util/json_util.h>

#include <charconv>
#include <cmath>
#include <stdexcept>

namespace nocsim::tools {

namespace pb = google::protobuf;

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static const char* kDigits = "0123456789abcdef";
          out += "\\u00";
          out += kDigits[c >> 4];
          out += kDigits[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

namespace {

// Shortest text that reads back as the same value.
template <class T>
std::string number(T v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (!std::isfinite(v)) return "null";
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::string base64(const std::string& bytes) {
  static const char* kTable = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                       static_cast<unsigned char>(bytes[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kTable[(v >> s) & 63];
  }
  if (i < bytes.size()) {
    const bool two = i + 1 < bytes.size();
    const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                       (two ? static_cast<unsigned char>(bytes[i + 1]) << 8 : 0);
    out += kTable[(v >> 18) & 63];
    out += kTable[(v >> 12) & 63];
    out += two ? kTable[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

class Writer {
 public:
  explicit Writer(bool pretty) : pretty_(pretty) {}
  std::string take() { return std::move(out_); }

  void message(const pb::Message& msg, int depth) {
    // Well-known types have their own JSON forms: protobuf's printer knows them.
    if (msg.GetDescriptor()->file()->package() == "google.protobuf") {
      std::string s;
      if (!pb::util::MessageToJsonString(msg, &s).ok())
        throw std::runtime_error("json: cannot print " + msg.GetDescriptor()->full_name());
      out_ += s;
      return;
    }
    const pb::Descriptor* d = msg.GetDescriptor();
    const pb::Reflection* r = msg.GetReflection();
    out_ += "{";
    bool first = true;
    for (int i = 0; i < d->field_count(); ++i) {
      const pb::FieldDescriptor* f = d->field(i);
      if (!f->is_repeated() && f->has_presence() && !r->HasField(msg, f)) continue;
      out_ += first ? "" : ",";
      first = false;
      newline(depth + 1);
      out_ += json_string(f->name()) + (pretty_ ? ": " : ":");
      if (f->is_map()) {
        map(msg, f, depth + 1);
      } else if (f->is_repeated()) {
        const int n = r->FieldSize(msg, f);
        out_ += "[";
        for (int k = 0; k < n; ++k) {
          out_ += k ? "," : "";
          newline(depth + 2);
          value(msg, f, k, depth + 2);
        }
        if (n > 0) newline(depth + 1);
        out_ += "]";
      } else {
        value(msg, f, -1, depth + 1);
      }
    }
    if (!first) newline(depth);
    out_ += "}";
  }

 private:
  void newline(int depth) {
    if (pretty_) out_ += "\n" + std::string(2 * depth, ' ');
  }

  void map(const pb::Message& msg, const pb::FieldDescriptor* f, int depth) {
    const pb::Reflection* r = msg.GetReflection();
    const int n = r->FieldSize(msg, f);
    out_ += "{";
    for (int k = 0; k < n; ++k) {
      const pb::Message& entry = r->GetRepeatedMessage(msg, f, k);
      const pb::FieldDescriptor* key = entry.GetDescriptor()->map_key();
      const pb::FieldDescriptor* val = entry.GetDescriptor()->map_value();
      out_ += k ? "," : "";
      newline(depth + 1);
      Writer key_text(false);
      key_text.value(entry, key, -1, 0);
      std::string k_json = key_text.take();
      if (k_json.front() != '"') k_json = "\"" + k_json + "\"";  // JSON keys are strings
      out_ += k_json + (pretty_ ? ": " : ":");
      value(entry, val, -1, depth + 1);
    }
    if (n > 0) newline(depth);
    out_ += "}";
  }

  // Field `f` of `msg` (element `k` when repeated, k < 0 when singular).
  void value(const pb::Message& msg, const pb::FieldDescriptor* f, int k, int depth) {
    const pb::Reflection* r = msg.GetReflection();
    const bool rep = k >= 0;
    using F = pb::FieldDescriptor;
    switch (f->cpp_type()) {
      case F::CPPTYPE_MESSAGE:
        message(rep ? r->GetRepeatedMessage(msg, f, k) : r->GetMessage(msg, f), depth);
        return;
      case F::CPPTYPE_INT32:
        out_ += number(rep ? r->GetRepeatedInt32(msg, f, k) : r->GetInt32(msg, f));
        return;
      case F::CPPTYPE_INT64:
        out_ += number(rep ? r->GetRepeatedInt64(msg, f, k) : r->GetInt64(msg, f));
        return;
      case F::CPPTYPE_UINT32:
        out_ += number(rep ? r->GetRepeatedUInt32(msg, f, k) : r->GetUInt32(msg, f));
        return;
      case F::CPPTYPE_UINT64:
        out_ += number(rep ? r->GetRepeatedUInt64(msg, f, k) : r->GetUInt64(msg, f));
        return;
      case F::CPPTYPE_DOUBLE:
        out_ += number(rep ? r->GetRepeatedDouble(msg, f, k) : r->GetDouble(msg, f));
        return;
      case F::CPPTYPE_FLOAT:
        out_ += number(rep ? r->GetRepeatedFloat(msg, f, k) : r->GetFloat(msg, f));
        return;
      case F::CPPTYPE_BOOL:
        out_ += (rep ? r->GetRepeatedBool(msg, f, k) : r->GetBool(msg, f)) ? "true" : "false";
        return;
      case F::CPPTYPE_ENUM:
        out_ += json_string((rep ? r->GetRepeatedEnum(msg, f, k) : r->GetEnum(msg, f))->name());
        return;
      case F::CPPTYPE_STRING: {
        const std::string s = rep ? r->GetRepeatedString(msg, f, k) : r->GetString(msg, f);
        out_ += json_string(f->type() == F::TYPE_BYTES ? base64(s) : s);
        return;
      }
    }
  }

  bool pretty_;
  std::string out_;
};

}  // namespace

std::string to_json(const pb::Message& msg, bool pretty) {
  Writer w(pretty);
  w.message(msg, 0);
  std::string out = w.take();
  if (pretty) out += "\n";
  return out;
}

}  // namespace nocsim::tools
