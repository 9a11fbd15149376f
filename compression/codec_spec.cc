#include "compression/codec_spec.h"

#include <map>

#include "configs/user_error.h"

namespace nocsim::compression {

namespace {
std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t at = 0;
  for (;;) {
    const size_t next = s.find(sep, at);
    out.push_back(s.substr(at, next == std::string::npos ? std::string::npos : next - at));
    if (next == std::string::npos) return out;
    at = next + 1;
  }
}
std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}
// Spec-only shorthands: intN = quant:bits=N (N = 1..16), fp32 = identity.
void expand_shorthand(config::CodecStage& stage) {
  const std::string& n = stage.name();
  if (n == "fp32") {
    stage.set_name("identity");
    return;
  }
  if (n.size() < 4 || n.size() > 5 || n.compare(0, 3, "int") != 0) return;
  int bits = 0;
  for (size_t i = 3; i < n.size(); ++i) {
    if (n[i] < '0' || n[i] > '9') return;
    bits = bits * 10 + (n[i] - '0');
  }
  if (bits < 1 || bits > 16) return;
  stage.set_name("quant");
  (*stage.mutable_params())["bits"] = std::to_string(bits);
}
}  // namespace

config::CodecConfig parse_codec_spec(const std::string& spec, const std::string& field) {
  config::CodecConfig out;
  const std::string hint = " (expected name[:key=value,...][+name...], e.g. kmeans:bits=4+huffman)";
  if (trim(spec).empty()) throw UserError(field, "empty codec spec" + hint);
  for (const std::string& raw : split(spec, '+')) {
    const std::string part = trim(raw);
    if (part.empty()) throw UserError(field, "empty stage in '" + spec + "'" + hint);
    if (part[0] == '@') {
      if (out.stages_size() > 0) {
        throw UserError(field, "plugin '" + part + "' must come before the stages");
      }
      if (part.size() == 1) throw UserError(field, "'@' needs a plugin path");
      out.add_plugins(part.substr(1));
      continue;
    }
    auto* stage = out.add_stages();
    const size_t colon = part.find(':');
    stage->set_name(trim(part.substr(0, colon)));
    if (stage->name().empty()) throw UserError(field, "stage '" + part + "' has no name" + hint);
    expand_shorthand(*stage);
    if (colon == std::string::npos) continue;
    for (const std::string& kv : split(part.substr(colon + 1), ',')) {
      const size_t eq = kv.find('=');
      const std::string key = trim(kv.substr(0, eq));
      if (eq == std::string::npos || key.empty()) {
        throw UserError(
            field, "parameter '" + trim(kv) + "' of " + stage->name() + " is not key=value" + hint);
      }
      if (stage->params().count(key)) {
        throw UserError(field, "parameter '" + key + "' of " + stage->name() + " given twice");
      }
      (*stage->mutable_params())[key] = trim(kv.substr(eq + 1));
    }
  }
  if (out.stages_size() == 0) throw UserError(field, "no codec stage in '" + spec + "'" + hint);
  return out;
}

std::string format_codec_spec(const config::CodecConfig& config) {
  std::string out;
  for (const auto& p : config.plugins()) out += "@" + p + "+";
  for (int i = 0; i < config.stages_size(); ++i) {
    const auto& st = config.stages(i);
    out += (i ? "+" : "") + st.name();
    std::map<std::string, std::string> sorted(st.params().begin(), st.params().end());
    bool first = true;
    for (const auto& [k, v] : sorted) {
      out += (first ? ":" : ",") + k + "=" + v;
      first = false;
    }
  }
  return out;
}

std::string rewrite_spec_plugins(const std::string& spec,
                                 const std::function<std::string(const std::string&)>& path,
                                 const std::string& field) {
  std::string out;
  bool first = true;
  for (const std::string& raw : split(spec, '+')) {
    std::string part = raw;
    const std::string t = trim(raw);
    if (t.size() > 1 && t[0] == '@') {
      const std::string now = path(t.substr(1));
      if (now.find('+') != std::string::npos)
        throw UserError(field, "plugin path '" + now +
                                   "' contains '+', which a spec cannot hold; name the library "
                                   "in codec.plugins instead");
      part = "@" + now;
    }
    out += (first ? "" : "+") + part;
    first = false;
  }
  return out;
}

}  // namespace nocsim::compression
