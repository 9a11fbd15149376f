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
  std::string usage() const override {
    return "usage: nocsim results-doc [--schema DIR]\n"
           "  Prints the column dictionary of result tables, from the comments in the result\n"
           "  schema (DIR, default configs/schema of the source tree). tools/RESULTS.md is its\n"
           "  output: nocsim results-doc > tools/RESULTS.md\n";
  }
  int run(const std::vector<std::string>& args, std::ostream& out) override {
    std::string schema = (std::filesystem::path(source_dir()) / "configs" / "schema").string();
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--schema" && i + 1 < args.size())
        schema = args[++i];
      else
        throw UserError("results-doc: unexpected argument '" + args[i] + "'\n" + usage());
    }
    out << results_dictionary_markdown(schema);
    return 0;
  }
};

NOCSIM_REGISTER(command_registry(), ResultsDocCommand, "results-doc",
                "print the column dictionary of result tables (tools/RESULTS.md)");

}  // namespace
}  // namespace nocsim::tools
