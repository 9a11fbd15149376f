// The trace fuzzers' corpora, replayed through their harnesses.
#include <gtest/gtest.h>

#include "noc/traffic/fuzz/trace_harness.h"
#include "tests/fuzz_corpus.h"

namespace nocsim::noc {
namespace {

TEST(ReaderFuzzCorpus, TraceSeedsLoadAndSavedInputsDoNotCrash) {
  nocsim::testing::replay_corpus("noc/traffic/fuzz/corpus/trace", fuzz::run_trace);
}

TEST(ReaderFuzzCorpus, TextTraceSeedsLoadAndSavedInputsDoNotCrash) {
  nocsim::testing::replay_corpus("noc/traffic/fuzz/corpus/trace_text", fuzz::run_trace_text);
}

}  // namespace
}  // namespace nocsim::noc
