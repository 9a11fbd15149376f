#pragma once
// Fixed-point text for the command line's tables and summaries.
#include <iomanip>
#include <sstream>
#include <string>

namespace nocsim::tools {

// `v` with exactly `digits` digits after the point ("34.20").
inline std::string fixed(double v, int digits = 2) {
  std::ostringstream os;
  os << std::fixed << std::setprecision(digits) << v;
  return os.str();
}

// `v` with at most `digits` significant digits ("0.125", "1.2e+03").
inline std::string significant(double v, int digits) {
  std::ostringstream os;
  os << std::setprecision(digits) << v;
  return os.str();
}

}  // namespace nocsim::tools
