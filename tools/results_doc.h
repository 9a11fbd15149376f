#pragma once
// tools/RESULTS.md, the column dictionary of result tables, generated from the comments in the
// result schema (configs/schema/*.proto) so that it follows every schema change: a test compares
// the checked-in file with this text, and `nocsim results-doc > tools/RESULTS.md` regenerates it.
#include <string>

namespace nocsim::tools {

// The markdown text, reading the .proto files under `schema_dir` for field comments.
std::string results_dictionary_markdown(const std::string& schema_dir);

}  // namespace nocsim::tools
