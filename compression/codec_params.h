#pragma once
// Typed, validated codec parameters. A codec declares each parameter where it reads it, in one line
// with its default, range and help:
//
//   bits_(p.integer("bits", 8, 1, 16, "bits per weight")),
//
// The values come from a CodecStage's string map. A value that does not parse or is out of range is
// a UserError on "codec.stages[i].params[name]"; finish() rejects names nobody declared and lists
// the valid ones. Constructing a codec from an empty map yields the declarations for `nocsim
// codecs`.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace nocsim::compression {

enum class ParamType { kInt, kReal, kChoice, kBool };

struct ParamSpec {
  std::string name;
  ParamType type = ParamType::kInt;
  std::string default_value;
  double min = 0, max = 0;           // kInt, kReal
  std::vector<std::string> choices;  // kChoice
  std::string help;
  // "int in [1, 16]", "one of tensor|block", ...
  std::string range() const;
};

class CodecParams {
 public:
  // `field` is the dotted path of the params map ("codec.stages[0].params").
  explicit CodecParams(std::map<std::string, std::string> values = {},
                       std::string field = "codec.stages[0].params");

  int64_t integer(const std::string& name, int64_t def, int64_t min, int64_t max,
                  const std::string& help);
  double real(const std::string& name, double def, double min, double max, const std::string& help);
  std::string choice(const std::string& name, const std::string& def,
                     const std::vector<std::string>& choices, const std::string& help);
  bool flag(const std::string& name, bool def, const std::string& help);

  // A UserError on one parameter, for checks that involve several of them.
  [[noreturn]] void fail(const std::string& name, const std::string& reason) const;
  // Throws on any given parameter that no declaration read.
  void finish() const;

  const std::vector<ParamSpec>& specs() const { return specs_; }
  // Every declared parameter with its effective value, "a=1,b=x" sorted by name.
  std::string canonical() const;
  std::string field(const std::string& name) const { return field_ + "[" + name + "]"; }
  // The stage these parameters belong to, for errors about the stage as a whole.
  std::string stage_field() const;

 private:
  void check_declaration(const ParamSpec& s, bool ok) const;
  const std::string* given(const std::string& name, ParamSpec spec);
  std::map<std::string, std::string> values_;
  std::string field_;
  std::vector<ParamSpec> specs_;
  std::map<std::string, std::string> effective_;
};

}  // namespace nocsim::compression
