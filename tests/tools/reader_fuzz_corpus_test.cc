// The scenario and sweep fuzzers' corpora, replayed through their harnesses.
#include <gtest/gtest.h>

#include "tests/fuzz_corpus.h"
#include "tools/fuzz/scenario_harness.h"
#include "tools/fuzz/sweep_harness.h"

namespace nocsim::tools {
namespace {

TEST(ReaderFuzzCorpus, ScenarioSeedsLoadAndSavedInputsDoNotCrash) {
  nocsim::testing::replay_corpus("tools/fuzz/corpus/scenario", fuzz::run_scenario, 3);
}

TEST(ReaderFuzzCorpus, SweepSeedsLoadAndSavedInputsDoNotCrash) {
  nocsim::testing::replay_corpus("tools/fuzz/corpus/sweep", fuzz::run_sweep_file);
}

}  // namespace
}  // namespace nocsim::tools
