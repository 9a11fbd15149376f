#include <gtest/gtest.h>

#include "compression/codec_chain.h"
#include "compression/codec_registry.h"
#include "compression/codec_spec.h"
#include "configs/user_error.h"

namespace nocsim::compression {
namespace {

UserError error_of(const std::string& spec) {
  try {
    make_codec(spec);
  } catch (const UserError& e) {
    return e;
  }
  ADD_FAILURE() << spec << " did not throw";
  return UserError("none");
}

TEST(CodecSpec, ParsesStagesParametersAndPlugins) {
  const auto c = parse_codec_spec("@/tmp/x.so+kmeans:bits=4, iterations=5+huffman");
  ASSERT_EQ(c.plugins_size(), 1);
  EXPECT_EQ(c.plugins(0), "/tmp/x.so");
  ASSERT_EQ(c.stages_size(), 2);
  EXPECT_EQ(c.stages(0).name(), "kmeans");
  EXPECT_EQ(c.stages(0).params().at("bits"), "4");
  EXPECT_EQ(c.stages(0).params().at("iterations"), "5");
  EXPECT_EQ(c.stages(1).name(), "huffman");
  EXPECT_EQ(format_codec_spec(c), "@/tmp/x.so+kmeans:bits=4,iterations=5+huffman");
}

TEST(CodecSpec, ShorthandsExpandToTheRegisteredCodec) {
  EXPECT_EQ(format_codec_spec(parse_codec_spec("int8")), "quant:bits=8");
  EXPECT_EQ(format_codec_spec(parse_codec_spec("int4:granularity=block+huffman")),
            "quant:bits=4,granularity=block+huffman");
  EXPECT_EQ(format_codec_spec(parse_codec_spec("fp32")), "identity");
  EXPECT_EQ(make_codec("int2:mode=asymmetric")->nominal_bits_per_weight(), 2.0);
  // The shorthand sets bits; giving it again is a conflict, not a silent override.
  EXPECT_THROW(parse_codec_spec("int8:bits=4"), UserError);
  // Not shorthands: left to the registry, which rejects them by name.
  EXPECT_EQ(parse_codec_spec("int17").stages(0).name(), "int17");
  EXPECT_EQ(parse_codec_spec("intx").stages(0).name(), "intx");
}

TEST(CodecSpec, MalformedSpecsAreUserErrors) {
  for (const char* bad : {"", "+", "quant:bits", "quant:=4", "quant:bits=4,bits=5",
                          "kmeans++huffman", ":bits=4", "quant+@/x.so"}) {
    EXPECT_THROW(parse_codec_spec(bad), UserError) << bad;
  }
}

TEST(CodecConfig, SpecFieldIsTheSameChainAsItsStages) {
  config::CodecConfig by_spec;
  by_spec.set_spec("kmeans:bits=3+huffman");
  EXPECT_EQ(make_codec(by_spec)->spec(), make_codec("kmeans:bits=3+huffman")->spec());
  // Both forms at once are ambiguous; a bad spec names the field.
  config::CodecConfig both = by_spec;
  both.add_stages()->set_name("identity");
  try {
    make_codec(both, "codec");
    ADD_FAILURE() << "spec and stages together did not throw";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("codec.spec"), std::string::npos) << e.what();
  }
  config::CodecConfig bad;
  bad.set_spec("quant:bits=99");
  try {
    make_codec(bad, "codec");
    ADD_FAILURE() << "quant:bits=99 did not throw";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("codec.spec"), std::string::npos) << e.what();
  }
}

TEST(CodecChain, CanonicalSpecListsEffectiveParameters) {
  EXPECT_EQ(make_codec("quant")->spec(), "quant:bits=8,block=64,granularity=tensor,mode=symmetric");
  EXPECT_EQ(make_codec("kmeans:bits=3+huffman")->spec(),
            "kmeans:bits=3,iterations=30+huffman:symbol_bits=0");
  EXPECT_EQ(make_codec("quant")->tag(), make_codec("quant:bits=8")->tag());
  EXPECT_EQ(make_codec(config::CodecConfig{})->spec(), "identity");
}

TEST(CodecChain, UnknownCodecNameListsTheValidOnes) {
  const UserError e = error_of("quantise:bits=4");
  EXPECT_EQ(e.field(), "codec.stages[0].name");
  EXPECT_NE(e.reason().find("unknown codec 'quantise'"), std::string::npos) << e.what();
  EXPECT_NE(e.reason().find("kmeans"), std::string::npos);
}

TEST(CodecChain, UnknownParameterListsTheValidOnes) {
  const UserError e = error_of("kmeans:bits=4+huffman:width=4");
  EXPECT_EQ(e.field(), "codec.stages[1].params[width]");
  EXPECT_NE(e.reason().find("valid parameters: symbol_bits"), std::string::npos) << e.what();
}

TEST(CodecChain, OutOfRangeAndMistypedParametersAreUserErrorsOnTheParameter) {
  EXPECT_EQ(error_of("quant:bits=17").field(), "codec.stages[0].params[bits]");
  EXPECT_NE(error_of("quant:bits=17").reason().find("[1, 16]"), std::string::npos);
  EXPECT_EQ(error_of("quant:bits=four").field(), "codec.stages[0].params[bits]");
  EXPECT_EQ(error_of("prune:sparsity=1.5").field(), "codec.stages[0].params[sparsity]");
  EXPECT_EQ(error_of("quant:granularity=row").field(), "codec.stages[0].params[granularity]");
  EXPECT_EQ(error_of("fp16:saturate=maybe").field(), "codec.stages[0].params[saturate]");
  EXPECT_EQ(error_of("quant:bits=1").field(), "codec.stages[0].params[bits]");  // symmetric
}

TEST(CodecChain, OnlyBitstreamCodersMayFollowTheFirstStage) {
  const UserError e = error_of("kmeans+quant");
  EXPECT_EQ(e.field(), "codec.stages[1].name");
  EXPECT_NE(e.reason().find("huffman"), std::string::npos) << e.what();
  EXPECT_NO_THROW(make_codec("huffman"));
  EXPECT_NO_THROW(make_codec("quant:bits=4+huffman+huffman"));
}

TEST(CodecRegistry, EveryBuiltInDeclaresDocumentedParametersWithValidDefaults) {
  for (const auto& [name, entry] : codec_registry().entries()) {
    CodecParams p;
    auto codec = entry.make(p);
    EXPECT_FALSE(entry.description.empty()) << name;
    EXPECT_FALSE(codec->error_bound().empty()) << name;
    EXPECT_GT(codec->nominal_bits_per_weight(), 0) << name;
    const DecoderCost cost = codec->decoder_cost();
    EXPECT_GT(cost.weights_per_cycle, 0) << name;
    EXPECT_GE(cost.energy_pj_per_weight, 0) << name;
    for (const auto& s : p.specs()) EXPECT_FALSE(s.help.empty()) << name << "." << s.name;
  }
  for (const char* name :
       {"identity", "fp16", "bf16", "truncate", "quant", "kmeans", "prune", "bfp", "huffman"}) {
    EXPECT_NE(codec_registry().find(name), nullptr) << name;
  }
}

TEST(CodecChain, ChainCostAddsLatencyAndEnergyAndTakesTheSlowerThroughput) {
  const auto km = make_codec("kmeans:bits=4");
  const auto chain = make_codec("kmeans:bits=4+huffman");
  EXPECT_GT(chain->decoder_cost().latency_cycles, km->decoder_cost().latency_cycles);
  EXPECT_GT(chain->decoder_cost().energy_pj_per_weight, km->decoder_cost().energy_pj_per_weight);
  EXPECT_LE(chain->decoder_cost().weights_per_cycle, 1.0);
  EXPECT_TRUE(make_codec("huffman")->lossless());
  EXPECT_FALSE(chain->lossless());
}

}  // namespace
}  // namespace nocsim::compression
