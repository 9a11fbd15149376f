#include "tools/command.h"

#include <google/protobuf/stubs/common.h>

#include <iostream>

#include "configs/user_error.h"

namespace nocsim::tools {

CommandRegistry& command_registry() {
  static CommandRegistry registry("subcommand");
  return registry;
}

namespace {
void print_help(std::ostream& out) {
  out << "usage: nocsim <command> [args]\n\ncommands:\n";
  for (const auto& [name, entry] : command_registry().entries()) {
    out << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ')
        << entry.description << "\n";
  }
  out << "\n`nocsim <command> --help` shows a command's options.\n";
}
}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help(args.empty() ? err : out);
    return args.empty() ? 2 : 0;
  }
  const auto* entry = command_registry().find(args[0]);
  if (entry == nullptr) {
    err << "error: " << command_registry().unknown_message(args[0]) << "\n";
    return 2;
  }
  auto command = entry->make();
  std::vector<std::string> rest(args.begin() + 1, args.end());
  for (const auto& a : rest) {
    if (a == "--help" || a == "-h") {
      out << command->usage();
      return 0;
    }
  }
  try {
    return command->run(rest, out);
  } catch (const UserError& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace nocsim::tools
