#pragma once
// gnuplot as a child process fed through a pipe, with no shell anywhere: the program is started
// with posix_spawnp, its figure goes to its stdout (redirected to a file by the spawn itself, so
// no path ever appears in the script) and its messages to a file. Anything a plot takes from a
// user (labels from results.csv, titles, paths) reaches the script only through gnuplot_string.
#include <string>

namespace nocsim::tools {

// A gnuplot string literal holding `text` verbatim: single-quoted, where gnuplot substitutes
// nothing (no backquote commands, no macros, no escapes); control characters become spaces so
// that the text cannot end the command.
std::string gnuplot_string(const std::string& text);

// Runs `gnuplot` on `script`, its stdout written to `stdout_path` and its stderr to
// `stderr_path` (both created or truncated). Returns gnuplot's exit status (127 when it could not
// be started). Throws UserError when a file cannot be opened.
int run_gnuplot(const std::string& script, const std::string& stdout_path,
                const std::string& stderr_path);

}  // namespace nocsim::tools
