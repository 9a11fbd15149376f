// The model-file, data-set and ONNX fuzzers' corpora, replayed through their harnesses.
#include <gtest/gtest.h>

#include "models/fuzz/dataset_harness.h"
#include "models/fuzz/model_file_harness.h"
#include "models/fuzz/onnx_harness.h"
#include "tests/fuzz_corpus.h"

namespace nocsim::models {
namespace {

TEST(ReaderFuzzCorpus, ModelFileSeedsLoadAndSavedInputsDoNotCrash) {
  nocsim::testing::replay_corpus("models/fuzz/corpus/model_file", fuzz::run_model_file, 3);
}

TEST(ReaderFuzzCorpus, DatasetSeedsLoadAndSavedInputsDoNotCrash) {
  nocsim::testing::replay_corpus("models/fuzz/corpus/dataset", fuzz::run_dataset);
}

TEST(ReaderFuzzCorpus, OnnxSeedsImportAndSavedInputsDoNotCrash) {
  nocsim::testing::replay_corpus("models/fuzz/corpus/onnx", fuzz::run_onnx);
}

TEST(ReaderFuzzCorpus, MutatedModelFileSeedsAreRefusedWithoutCrashing) {
  std::ifstream in(std::string(NOCSIM_SOURCE_DIR) + "/models/fuzz/corpus/model_file/seed_conv",
                   std::ios::binary);
  const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in),
                                   std::istreambuf_iterator<char>()};
  ASSERT_TRUE(fuzz::run_model_file(bytes.data(), bytes.size()));
  nocsim::testing::mutate_and_replay(bytes, fuzz::run_model_file);
}

}  // namespace
}  // namespace nocsim::models
