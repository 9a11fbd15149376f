// The trace fuzzer's corpus, replayed through its harness.
#include <gtest/gtest.h>

#include "noc/traffic/fuzz/trace_harness.h"
#include "tests/fuzz_corpus.h"

namespace nocsim::noc {
namespace {

TEST(ReaderFuzzCorpus, TraceSeedsLoadAndSavedInputsDoNotCrash) {
  testing::replay_corpus("noc/traffic/fuzz/corpus/trace", fuzz::run_trace);
}

}  // namespace
}  // namespace nocsim::noc
