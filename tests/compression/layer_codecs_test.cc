// Per-layer codecs (CodecConfig.layer): the first matching rule wins, globs match, other layers
// fall back to the default spec, and bad rules name their field.
#include <gtest/gtest.h>

#include "compression/codec_spec.h"
#include "compression/layer_codecs.h"
#include "configs/user_error.h"

namespace nocsim::compression {
namespace {

config::CodecConfig rules() {
  config::CodecConfig c;
  c.set_spec("int8");
  auto* a = c.add_layer();
  a->set_match("fc1");
  a->set_spec("int4:granularity=block");
  auto* b = c.add_layer();
  b->set_match("conv*");
  b->set_spec("kmeans:bits=3");
  auto* d = c.add_layer();
  d->set_match("fc?");
  d->set_spec("fp16");
  return c;
}

TEST(LayerCodecs, FirstMatchingRuleThenDefault) {
  const LayerCodecs codecs(rules(), "codec");
  EXPECT_TRUE(codecs.per_layer());
  EXPECT_EQ(codecs.for_layer("fc1").spec(), make_codec("int4:granularity=block")->spec());
  EXPECT_EQ(codecs.for_layer("conv2").spec(), make_codec("kmeans:bits=3")->spec());
  EXPECT_EQ(codecs.for_layer("fc2").spec(), make_codec("fp16")->spec());
  EXPECT_EQ(codecs.for_layer("fc10").spec(), make_codec("int8")->spec());  // ? is one character
  EXPECT_EQ(&codecs.for_layer("pool"), &codecs.default_codec());
}

TEST(LayerCodecs, WithoutRulesEveryLayerGetsTheDefault) {
  config::CodecConfig c;
  c.set_spec("fp16");
  const LayerCodecs codecs(c, "codec");
  EXPECT_FALSE(codecs.per_layer());
  EXPECT_EQ(codecs.for_layer("fc1").spec(), make_codec("fp16")->spec());
}

TEST(LayerCodecs, BadRulesNameTheirField) {
  config::CodecConfig c = rules();
  c.mutable_layer(1)->set_spec("nosuchcodec");
  try {
    LayerCodecs codecs(c, "codec");
    ADD_FAILURE() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field().rfind("codec.layer[1]", 0), 0u) << e.what();
  }
  c = rules();
  c.mutable_layer(2)->clear_match();
  EXPECT_THROW(LayerCodecs(c, "codec"), UserError);
}

}  // namespace
}  // namespace nocsim::compression
