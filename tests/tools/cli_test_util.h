#pragma once
// Test helper: runs `nocsim args...` in-process and keeps what it printed.
#include <sstream>
#include <string>
#include <vector>

#include "tools/command.h"

namespace nocsim::tools {

inline int cli(const std::vector<std::string>& args, std::string* out_text = nullptr,
               std::string* err_text = nullptr) {
  std::ostringstream out, err;
  const int rc = run_cli(args, out, err);
  if (out_text) *out_text = out.str();
  if (err_text) *err_text = err.str();
  return rc;
}

}  // namespace nocsim::tools
