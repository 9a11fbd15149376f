#include <gtest/gtest.h>

#include <filesystem>

#include "compression/codec_chain.h"
#include "compression/codec_registry.h"
#include "compression/plugin_loader.h"
#include "configs/user_error.h"
#include "tests/compression/test_weights.h"

namespace nocsim::compression {
namespace {

std::string lib(const std::string& name) {
  return std::string(NOCSIM_BINARY_DIR) + "/compression/examples/lib" + name + ".so";
}

std::string load_error(const std::string& path) {
  try {
    load_codec_plugin(path, "codec.plugins[0]");
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "codec.plugins[0]");
    return e.reason();
  }
  return "";
}

TEST(CodecPlugin, ExamplePluginLoadsFromTheConfigAndRuns) {
  ASSERT_TRUE(std::filesystem::exists(lib("nocsim_example_codec")));
  config::CodecConfig cfg;
  cfg.add_plugins(lib("nocsim_example_codec"));
  auto* st = cfg.add_stages();
  st->set_name("example_binary");
  (*st->mutable_params())["scale"] = "2";
  const auto codec = make_codec(cfg);
  EXPECT_NE(codec_registry().find("example_binary"), nullptr);
  const std::vector<float> w{0.5f, -1.5f, 1.0f, -1.0f};
  const auto e = codec->encode(w, 3);
  EXPECT_EQ(e.chunk_bits(), 4u);
  EXPECT_EQ(codec->decode(e), (std::vector<float>{2.0f, -2.0f, 2.0f, -2.0f}));  // 2 * mean|w|
  // Loading again (here through the spec syntax) is a no-op, chains work, params are validated.
  EXPECT_NO_THROW(make_codec("@" + lib("nocsim_example_codec") + "+example_binary+huffman"));
  try {
    make_codec("@" + lib("nocsim_example_codec") + "+example_binary:scale=-1");
    FAIL();
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "codec.stages[0].params[scale]");
  }
}

TEST(CodecPlugin, ALibraryBuiltForAnotherApiVersionIsAClearError) {
  const std::string why = load_error(lib("nocsim_wrong_version_plugin"));
  EXPECT_NE(why.find("another plugin API (nocsim_codec_plugin_v2)"), std::string::npos) << why;
  EXPECT_NE(why.find("rebuild"), std::string::npos) << why;
}

TEST(CodecPlugin, ALibraryWithoutTheEntryPointIsAClearError) {
  const std::string why = load_error(lib("nocsim_not_a_plugin"));
  EXPECT_NE(why.find("is not a nocsim codec plugin: it does not export nocsim_codec_plugin_v1"),
            std::string::npos)
      << why;
}

TEST(CodecPlugin, APluginCannotTakeTheNameOfABuiltIn) {
  const std::string why = load_error(lib("nocsim_duplicate_name_plugin"));
  EXPECT_NE(why.find("failed to register"), std::string::npos) << why;
  EXPECT_NE(why.find("codec name 'quant' is already registered"), std::string::npos) << why;
  // The built-in is untouched.
  EXPECT_NO_THROW(make_codec("quant:bits=4"));
}

TEST(CodecPlugin, MissingOrUnloadableFilesAreClearErrors) {
  EXPECT_NE(load_error("/nonexistent/libx.so").find("does not exist"), std::string::npos);
  const std::string not_elf = std::string(NOCSIM_SOURCE_DIR) + "/tests/compression/test_weights.h";
  EXPECT_NE(load_error(not_elf).find("cannot load codec plugin"), std::string::npos);
}

}  // namespace
}  // namespace nocsim::compression
