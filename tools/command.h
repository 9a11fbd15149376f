#pragma once
// A nocsim subcommand: `nocsim <name> args...`. Each lives in its own tools/<name>_command.cc and
// registers itself with NOCSIM_REGISTER(command_registry(), Class, "name", "one-line help").
// Options are declared with CLI11 (define), so every command takes `--opt value` and
// `--opt=value`, prints the same kind of help and reports a bad value naming the option.
#include <CLI/CLI.hpp>

#include <iosfwd>
#include <string>
#include <vector>

#include "configs/registry.h"

namespace nocsim::tools {

class Command {
 public:
  virtual ~Command() = default;
  // Declares the command's positionals and options on `app`, bound to members of the command;
  // a longer description goes in app.footer().
  virtual void define(CLI::App& app) = 0;
  // Runs after the command line parsed. Returns the process exit code. UserErrors thrown out of
  // here become "error: ..." and exit 2.
  virtual int run(std::ostream& out) = 0;
};

using CommandRegistry = Registry<Command>;
CommandRegistry& command_registry();

// Runs `nocsim args...` in-process (used by main and by the CLI tests); reports errors on `err`.
// Besides the commands: `nocsim --version`, `nocsim help [CMD]`, and -q/--quiet, -v/--verbose
// (before or after the command).
int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// --allow-plugin PATH (repeatable): lets the codec plugin library PATH load; without it (or
// NOCSIM_ALLOW_PLUGINS) a config naming a plugin is an error (compression/plugin_loader.h). Every
// command that can load a plugin declares it (add_scenario_args does); run_cli starts each command
// line with nothing allowed.
void add_allow_plugin_option(CLI::App& app);

// -1 with -q (no progress lines), 1 with -v (say more), else 0. Set by run_cli.
int verbosity();

// The candidate closest to `word` by edit distance, when close enough to be a likely typo; "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace nocsim::tools
