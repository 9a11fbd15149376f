#include "compression/codec_params.h"

#include <charconv>
#include <cmath>
#include <sstream>

#include "configs/user_error.h"

namespace nocsim::compression {

namespace {
std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}
// Integer bounds print in full: "1048576", not "1.04858e+06".
std::string integer(double v) {
  return std::to_string(static_cast<long long>(v));
}
std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}
}  // namespace

std::string ParamSpec::range() const {
  switch (type) {
    case ParamType::kInt:
      return "int in [" + integer(min) + ", " + integer(max) + "]";
    case ParamType::kReal:
      return "real in [" + number(min) + ", " + number(max) + "]";
    case ParamType::kChoice:
      return "one of " + join(choices, "|");
    case ParamType::kBool:
      return "true|false";
  }
  return "";
}

CodecParams::CodecParams(std::map<std::string, std::string> values, std::string field)
    : values_(std::move(values)), field_(std::move(field)) {}

const std::string* CodecParams::given(const std::string& name, ParamSpec spec) {
  spec.name = name;
  specs_.push_back(std::move(spec));
  auto it = values_.find(name);
  return it == values_.end() ? nullptr : &it->second;
}

void CodecParams::check_declaration(const ParamSpec& s, bool ok) const {
  // Plugins and Python codecs declare parameters too: their mistake is named, not undefined.
  if (!ok)
    fail(s.name, "the codec declares the default " + s.default_value + " with the range " +
                     s.range() + "; a range needs finite bounds holding the default");
}

void CodecParams::fail(const std::string& name, const std::string& reason) const {
  throw UserError(field(name), reason);
}

int64_t CodecParams::integer(const std::string& name, int64_t def, int64_t min, int64_t max,
                             const std::string& help) {
  ParamSpec s{name, ParamType::kInt, std::to_string(def), double(min), double(max), {}, help};
  check_declaration(s, def >= min && def <= max);
  const std::string* v = given(name, s);
  int64_t out = def;
  if (v != nullptr) {
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
    if (ec != std::errc() || end != v->data() + v->size()) {
      fail(name, "'" + *v + "' is not an integer (" + s.range() + ")");
    }
    if (out < min || out > max) fail(name, *v + " is out of range (" + s.range() + ")");
  }
  effective_[name] = std::to_string(out);
  return out;
}

double CodecParams::real(const std::string& name, double def, double min, double max,
                         const std::string& help) {
  ParamSpec s{name, ParamType::kReal, number(def), min, max, {}, help};
  check_declaration(s, std::isfinite(min) && std::isfinite(max) && def >= min && def <= max);
  const std::string* v = given(name, s);
  double out = def;
  if (v != nullptr) {
    size_t used = 0;
    try {
      out = std::stod(*v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != v->size() || !std::isfinite(out)) {
      fail(name, "'" + *v + "' is not a number (" + s.range() + ")");
    }
    if (out < min || out > max) fail(name, *v + " is out of range (" + s.range() + ")");
  }
  effective_[name] = number(out);
  return out;
}

std::string CodecParams::choice(const std::string& name, const std::string& def,
                                const std::vector<std::string>& choices, const std::string& help) {
  ParamSpec s{name, ParamType::kChoice, def, 0, 0, choices, help};
  const std::string* v = given(name, s);
  std::string out = v ? *v : def;
  bool ok = false;
  for (const auto& c : choices) ok = ok || c == out;
  if (!ok) fail(name, "'" + out + "' is not valid (" + s.range() + ")");
  effective_[name] = out;
  return out;
}

bool CodecParams::flag(const std::string& name, bool def, const std::string& help) {
  ParamSpec s{name, ParamType::kBool, def ? "true" : "false", 0, 0, {}, help};
  const std::string* v = given(name, s);
  bool out = def;
  if (v != nullptr) {
    if (*v == "true" || *v == "1") {
      out = true;
    } else if (*v == "false" || *v == "0") {
      out = false;
    } else {
      fail(name, "'" + *v + "' is not a boolean (true|false)");
    }
  }
  effective_[name] = out ? "true" : "false";
  return out;
}

void CodecParams::finish() const {
  for (const auto& [name, value] : values_) {
    if (effective_.count(name)) continue;
    std::vector<std::string> valid;
    for (const auto& s : specs_) valid.push_back(s.name);
    fail(name, "unknown parameter '" + name + "'; valid parameters: " +
                   (valid.empty() ? std::string("(none)") : join(valid, ", ")));
  }
}

std::string CodecParams::stage_field() const {
  const std::string suffix = ".params";
  if (field_.size() > suffix.size() &&
      field_.compare(field_.size() - suffix.size(), suffix.size(), suffix) == 0)
    return field_.substr(0, field_.size() - suffix.size()) + ".name";
  return field_;
}

std::string CodecParams::canonical() const {
  std::string out;
  for (const auto& [k, v] : effective_) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

}  // namespace nocsim::compression
