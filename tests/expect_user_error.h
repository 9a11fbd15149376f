#pragma once
// Test helper: expects `f()` to throw a UserError on `field` whose message contains `part`.
#include <string>

#include <gtest/gtest.h>

#include "configs/user_error.h"

namespace nocsim::testing {

template <class F>
void expect_user_error(F&& f, const std::string& field, const std::string& part) {
  try {
    f();
    FAIL() << "no UserError; expected one on " << field << " mentioning '" << part << "'";
  } catch (const UserError& e) {
    EXPECT_EQ(e.field(), field) << e.what();
    EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

}  // namespace nocsim::testing
