// Every numeric codec parameter has a declared range that is checked before any weight is encoded:
// checked for every registered codec, so a new codec is covered the day it lands.
#include "compression/codec_params.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "compression/codec_registry.h"
#include "configs/user_error.h"

namespace nocsim::compression {
namespace {

// The UserError `name=value` gives on codec `codec`, or "" when the codec accepts it.
std::string refusal(const std::string& codec, const std::string& name, const std::string& value) {
  CodecParams p({{name, value}}, "codec.stages[0].params");
  try {
    codec_registry().create(codec, "codec.stages[0].name", p);
    p.finish();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "codec.stages[0].params[" + name + "]") << codec << ": " << e.what();
    return e.reason();
  }
  return "";
}

std::string text(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

TEST(CodecParams, EveryNumericParameterOfEveryCodecRefusesValuesOutsideItsRange) {
  int checked = 0;
  for (const std::string& codec : codec_registry().names()) {
    CodecParams defaults;
    codec_registry().create(codec, "codec", defaults);
    for (const ParamSpec& s : defaults.specs()) {
      if (s.type != ParamType::kInt && s.type != ParamType::kReal) continue;
      SCOPED_TRACE(codec + "." + s.name + " " + s.range());
      ASSERT_TRUE(std::isfinite(s.min) && std::isfinite(s.max) && s.min <= s.max);
      // The default, given explicitly, is accepted.
      EXPECT_EQ(refusal(codec, s.name, s.default_value), "");
      if (s.type == ParamType::kInt) {
        EXPECT_NE(refusal(codec, s.name, text(s.min - 1)).find("out of range"), std::string::npos);
        EXPECT_NE(refusal(codec, s.name, text(s.max + 1)).find("out of range"), std::string::npos);
        EXPECT_NE(refusal(codec, s.name, "1.5").find("is not an integer"), std::string::npos);
        EXPECT_NE(refusal(codec, s.name, "99999999999999999999999").find("is not an integer"),
                  std::string::npos);
      } else {
        const double step = 1e-6 * std::max(1.0, std::abs(s.max - s.min));
        EXPECT_NE(refusal(codec, s.name, text(s.min - step)).find("out of range"),
                  std::string::npos);
        EXPECT_NE(refusal(codec, s.name, text(s.max + step)).find("out of range"),
                  std::string::npos);
        for (const char* bad : {"nan", "inf", "-inf", "1e999"})
          EXPECT_NE(refusal(codec, s.name, bad).find("is not a number"), std::string::npos) << bad;
      }
      EXPECT_NE(refusal(codec, s.name, "x").find(s.range()), std::string::npos);
      ++checked;
    }
  }
  EXPECT_GE(checked, 8);  // the built-ins alone declare more than that
}

// Plugins and Python codecs declare their own parameters: a declaration whose default lies
// outside its range, or whose range is not finite, is an error naming the parameter.
TEST(CodecParams, ADeclarationWithItsDefaultOutsideItsRangeIsAnError) {
  CodecParams p({}, "codec.stages[1].params");
  try {
    p.integer("bits", 20, 1, 16, "bits");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "codec.stages[1].params[bits]");
    EXPECT_NE(e.reason().find("default 20 with the range int in [1, 16]"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(p.real("scale", 0.5, 1.0, 0.0, "reversed"), UserError);
  EXPECT_THROW(p.real("scale", 1.0, 0.0, std::numeric_limits<double>::infinity(), "open"),
               UserError);
  EXPECT_THROW(p.real("scale", std::nan(""), 0.0, 1.0, "nan default"), UserError);
  EXPECT_NO_THROW(p.real("scale", 1.0, 0.0, 1.0, "closed"));
  EXPECT_EQ(p.stage_field(), "codec.stages[1].name");
}

}  // namespace
}  // namespace nocsim::compression
