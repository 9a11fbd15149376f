// tools/RESULTS.md is the generator's output for the schema as it is: change a result field or its
// comment and this fails until the file is regenerated.
#include "tools/results_doc.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "configs/schema/result.pb.h"
#include "tests/file_text.h"
#include "tools/csv_table.h"
#include "tools/result_files.h"

namespace nocsim::tools {
namespace {

const std::string kSchema = NOCSIM_SOURCE_DIR "/configs/schema";

TEST(ResultsDoc, CheckedInDictionaryMatchesTheSchema) {
  EXPECT_EQ(nocsim::testing::slurp(NOCSIM_SOURCE_DIR "/tools/RESULTS.md"),
            results_dictionary_markdown(kSchema))
      << "tools/RESULTS.md is stale: run `build/tools/nocsim results-doc > tools/RESULTS.md`";
}

TEST(ResultsDoc, EveryResultColumnIsListedWithItsSchemaComment) {
  const std::string md = results_dictionary_markdown(kSchema);
  const std::string header = csv_header(config::RunResult());
  size_t pos = 0;
  for (const std::string& column : next_csv_record(header, pos))
    EXPECT_NE(md.find("| `" + column + "` |"), std::string::npos) << column;
  EXPECT_NE(md.find("| `noc.injection_rate` | number | offered, flits/node/cycle |"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| `noc.packet_latency.p99` | number | packet creation to tail delivery"),
            std::string::npos)
      << md;
}

}  // namespace
}  // namespace nocsim::tools
