#pragma once
// A nocsim subcommand: `nocsim <name> args...`. Each lives in its own tools/<name>_command.cc and
// registers itself with NOCSIM_REGISTER(command_registry(), Class, "name", "one-line help").
#include <iosfwd>
#include <string>
#include <vector>

#include "configs/registry.h"

namespace nocsim::tools {

class Command {
 public:
  virtual ~Command() = default;
  // Returns the process exit code. UserErrors thrown out of here become "error: ..." and exit 2.
  virtual int run(const std::vector<std::string>& args, std::ostream& out) = 0;
  virtual std::string usage() const = 0;
};

using CommandRegistry = Registry<Command>;
CommandRegistry& command_registry();

// Runs `nocsim args...` in-process (used by main and by the CLI tests); reports errors on `err`.
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace nocsim::tools
