#pragma once
// Runs the default study with one named part replaced, for the tests that iterate a registry.
#include <string>

#include "configs/user_error.h"
#include "pe_test_util.h"

namespace nocsim::pe::testing {

// The field's error when the run fails on it, "(no error)" otherwise.
inline std::string error_field_of(const config::Scenario& sc) {
  try {
    run(sc);
  } catch (const UserError& e) {
    return e.field();
  }
  return "(no error)";
}

}  // namespace nocsim::pe::testing
