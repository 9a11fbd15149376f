// `nocsim results-doc`: prints the column dictionary of result tables (tools/RESULTS.md).
#include <filesystem>
#include <ostream>

#include "configs/user_error.h"
#include "tools/command.h"
#include "tools/results_doc.h"
#include "tools/scenario_loader.h"

namespace nocsim::tools {
namespace {

class ResultsDocCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_option("--schema", schema_,
                   "schema folder (default: configs/schema of the source tree)");
    app.footer("tools/RESULTS.md is its output: nocsim results-doc > tools/RESULTS.md\n");
  }
  int run(std::ostream& out) override {
    const std::string schema =
        !schema_.empty() ? schema_
                         : (std::filesystem::path(source_dir()) / "configs" / "schema").string();
    out << results_dictionary_markdown(schema);
    return 0;
  }

 private:
  std::string schema_;
};

NOCSIM_REGISTER(command_registry(), ResultsDocCommand, "results-doc",
                "print the column dictionary of result tables (tools/RESULTS.md)");

}  // namespace
}  // namespace nocsim::tools
