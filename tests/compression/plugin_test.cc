#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "compression/codec_chain.h"
#include "compression/codec_registry.h"
#include "compression/plugin_loader.h"
#include "configs/user_error.h"
#include "tests/compression/test_weights.h"
#include "tests/temp_dir.h"

namespace nocsim::compression {
namespace {

std::string lib(const std::string& name) {
  return std::string(NOCSIM_BINARY_DIR) + "/compression/examples/lib" + name + ".so";
}

std::string load_error(const std::string& path) {
  allow_codec_plugin(path);
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
  allow_codec_plugin(lib("nocsim_example_codec"));
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

// A refused library must never be mapped: its static constructors would already have run.
TEST(CodecPluginPermission, ARefusedLibraryIsNeverOpened) {
  const auto marker = nocsim::testing::fresh_temp_dir("plugin_marker") / "constructor_ran";
  ASSERT_EQ(setenv("NOCSIM_TEST_PLUGIN_MARKER", marker.c_str(), 1), 0);
  unsetenv("NOCSIM_ALLOW_PLUGINS");
  clear_allowed_codec_plugins();
  const std::string path = lib("nocsim_constructor_marker_plugin");
  try {
    load_codec_plugin(path, "codec.plugins[0]");
    FAIL() << "a library nobody allowed was loaded";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), "codec.plugins[0]");
    const std::string canonical = std::filesystem::canonical(path).string();
    EXPECT_NE(e.reason().find("'" + canonical + "' is not allowed"), std::string::npos) << e.what();
    EXPECT_NE(e.reason().find("--allow-plugin " + canonical), std::string::npos) << e.what();
    EXPECT_NE(e.reason().find("NOCSIM_ALLOW_PLUGINS"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(marker));
  // Allowed, the same library is opened (and its constructor runs), so the check above can fail.
  allow_codec_plugin(path);
  EXPECT_THROW(load_codec_plugin(path, "codec.plugins[0]"), UserError);  // not a codec plugin
  EXPECT_TRUE(std::filesystem::exists(marker));
}

TEST(CodecPluginPermission, PathsAreComparedCanonically) {
  clear_allowed_codec_plugins();
  unsetenv("NOCSIM_ALLOW_PLUGINS");
  const auto dir = nocsim::testing::fresh_temp_dir("plugin_links");
  const std::string real = lib("nocsim_example_codec");
  std::filesystem::create_symlink(real, dir / "link.so");
  // Allowed through a symlink, the real file counts as allowed, and the other way round.
  allow_codec_plugin((dir / "link.so").string());
  EXPECT_NO_THROW(check_codec_plugin_allowed(real, "f"));
  clear_allowed_codec_plugins();
  allow_codec_plugin(real);
  EXPECT_NO_THROW(check_codec_plugin_allowed((dir / "link.so").string(), "f"));
  EXPECT_NO_THROW(check_codec_plugin_allowed(
      (std::filesystem::path(real).parent_path() / "." / std::filesystem::path(real).filename())
          .string(),
      "f"));
  // Another file of the same folder is not.
  EXPECT_THROW(check_codec_plugin_allowed(lib("nocsim_not_a_plugin"), "f"), UserError);
  clear_allowed_codec_plugins();
  EXPECT_THROW(check_codec_plugin_allowed(real, "f"), UserError);
}

TEST(CodecPluginPermission, TheEnvironmentListAllowsColonSeparatedPaths) {
  clear_allowed_codec_plugins();
  const std::string list = "/nonexistent/a.so::" + lib("nocsim_example_codec");
  ASSERT_EQ(setenv("NOCSIM_ALLOW_PLUGINS", list.c_str(), 1), 0);
  EXPECT_NO_THROW(check_codec_plugin_allowed(lib("nocsim_example_codec"), "f"));
  EXPECT_THROW(check_codec_plugin_allowed(lib("nocsim_not_a_plugin"), "f"), UserError);
  unsetenv("NOCSIM_ALLOW_PLUGINS");
  EXPECT_THROW(check_codec_plugin_allowed(lib("nocsim_example_codec"), "f"), UserError);
}

TEST(CodecPlugin, APluginThatRegistersNothingIsAClearError) {
  const std::string why = load_error(lib("nocsim_empty_plugin"));
  EXPECT_NE(why.find("registered no codec"), std::string::npos) << why;
  EXPECT_NE(why.find("libnocsim_empty_plugin.so"), std::string::npos) << why;
}

TEST(CodecPlugin, AnEntryPointThatThrowsIsAClearError) {
  const std::string why = load_error(lib("nocsim_throwing_entry_plugin"));
  EXPECT_NE(why.find("libnocsim_throwing_entry_plugin.so' threw while registering: entry point "
                     "gave up"),
            std::string::npos)
      << why;
}

// A factory that returns null or throws leaves its codec in the registry, so each case runs in a
// child process of its own (which prints the error it got) and the registry of this one stays
// clean.
void expect_factory_error(const std::string& codec, const std::string& error_regex) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        const std::string plugin = lib("nocsim_misbehaving_factory_plugin");
        allow_codec_plugin(plugin);
        std::string why;
        try {
          make_codec("@" + plugin + "+" + codec);
        } catch (const UserError& e) {
          why = e.what();
        }
        std::fprintf(stderr, "%s\n", why.c_str());
        std::exit(why.empty() ? 1 : 0);
      },
      ::testing::ExitedWithCode(0), error_regex);
}

TEST(CodecPluginDeathTest, AFactoryThatReturnsNullIsAClearError) {
  expect_factory_error("null_factory",
                       "codec.stages\\[0\\].name: codec plugin "
                       "'.*libnocsim_misbehaving_factory_plugin.so': the factory of "
                       "'null_factory' returned no codec");
}

TEST(CodecPluginDeathTest, AFactoryThatThrowsIsAClearError) {
  expect_factory_error("throwing_factory",
                       "libnocsim_misbehaving_factory_plugin.so': the factory of "
                       "'throwing_factory' threw: out of ideas");
}

}  // namespace
}  // namespace nocsim::compression
