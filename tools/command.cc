#include "tools/command.h"

#include <algorithm>
#include <atomic>
#include <iostream>

#include "compression/plugin_loader.h"
#include "configs/user_error.h"
#include "configs/version.h"

namespace nocsim::tools {

CommandRegistry& command_registry() {
  static CommandRegistry registry("subcommand");
  return registry;
}

namespace {

std::atomic<int> g_verbosity{0};

void print_help(std::ostream& out) {
  out << "usage: nocsim [-q|-v] <command> [args]\n\ncommands:\n";
  for (const auto& [name, entry] : command_registry().entries()) {
    out << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ')
        << entry.description << "\n";
  }
  out << "\n`nocsim help <command>` or `nocsim <command> --help` shows a command's options;\n"
         "`nocsim --version` prints the version.\n";
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::vector<std::string> command_names() {
  std::vector<std::string> names;
  for (const auto& [name, entry] : command_registry().entries()) names.push_back(name);
  return names;
}

// Every long and short option name of `app` ("--kind", "-j").
std::vector<std::string> option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::Option* o : app.get_options()) {
    for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    for (const auto& s : o->get_snames()) names.push_back("-" + s);
  }
  return names;
}

// CLI11's message, plus a suggestion for an option that looks like a typo of a real one.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e,
                                const std::vector<std::string>& args) {
  std::string msg = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    for (const auto& a : args) {
      if (a.size() < 2 || a[0] != '-') continue;
      const std::string name = a.substr(0, a.find('='));
      const auto names = option_names(app);
      if (std::find(names.begin(), names.end(), name) != names.end()) continue;
      const std::string guess = did_you_mean(name, names);
      msg = "unknown option '" + name + "'" +
            (guess.empty() ? "" : "; did you mean '" + guess + "'?");
      break;
    }
  }
  return msg;
}

}  // namespace

void add_allow_plugin_option(CLI::App& app) {
  app.add_option_function<std::vector<std::string>>(
         "--allow-plugin",
         [](const std::vector<std::string>& paths) {
           for (const auto& p : paths) compression::allow_codec_plugin(p);
         },
         "let the codec plugin library PATH load (repeatable); a plugin runs with your rights "
         "from the moment it is loaded")
      ->type_name("PATH")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

int verbosity() {
  return g_verbosity;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    const size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

int run_cli(const std::vector<std::string>& all_args, std::ostream& out, std::ostream& err) {
  // Global flags may come before the command.
  std::vector<std::string> args;
  int level = 0;
  bool before_command = true;
  for (const auto& a : all_args) {
    if (before_command && (a == "-q" || a == "--quiet")) {
      level = -1;
    } else if (before_command && (a == "-v" || a == "--verbose")) {
      level = 1;
    } else {
      before_command = before_command && !a.empty() && a[0] == '-' && a != "--help" && a != "-h" &&
                       a != "--version" && a != "-V";
      args.push_back(a);
    }
  }
  g_verbosity = level;
  if (args.empty()) {
    print_help(err);
    return 2;
  }
  if (args[0] == "--version" || args[0] == "-V") {
    out << "nocsim " << nocsim_version() << "\n";
    return 0;
  }
  if (args[0] == "--help" || args[0] == "-h" || (args[0] == "help" && args.size() == 1)) {
    print_help(out);
    return 0;
  }
  if (args[0] == "help") args = {args[1], "--help"};
  const auto* entry = command_registry().find(args[0]);
  if (entry == nullptr) {
    const std::string guess = did_you_mean(args[0], command_names());
    err << "error: " << command_registry().unknown_message(args[0])
        << (guess.empty() ? "" : "\n  did you mean '" + guess + "'?") << "\n";
    return 2;
  }
  auto command = entry->make();
  compression::clear_allowed_codec_plugins();  // only what this command line allows
  CLI::App app(entry->description, "nocsim " + args[0]);
  // A repeated option takes its last value, as shell scripts that append options expect.
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
  app.add_flag_callback(
      "-q,--quiet", [] { g_verbosity = -1; }, "no progress lines on stderr");
  app.add_flag_callback(
      "-v,--verbose", [] { g_verbosity = 1; }, "say more about what is done");
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    command->define(app);
    std::vector<std::string> reversed(rest.rbegin(), rest.rend());  // CLI11 parses from the back
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "error: " << parse_error_message(app, e, rest) << "\n  (`nocsim " << args[0]
        << " --help` lists the options)\n";
    return 2;
  } catch (const UserError& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
  try {
    return command->run(out);
  } catch (const UserError& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    err << "error: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace nocsim::tools
