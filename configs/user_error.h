#pragma once
// Errors a user can cause (bad config values, unknown plugin names, missing files). They travel as
// exceptions up to the CLI, which adds the file and line of the offending field and exits non-zero.
// Asserts guard our own invariants; this type is for everything else.
#include <stdexcept>
#include <string>

namespace nocsim {

class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& message) : std::runtime_error(message) {}
  // `field` is the dotted path in the scenario ("noc.router.num_vcs"); the CLI maps it to a line.
  UserError(std::string field, const std::string& reason)
      : std::runtime_error(field + ": " + reason), field_(std::move(field)), reason_(reason) {}
  const std::string& field() const { return field_; }
  const std::string& reason() const { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

// Throws UserError(field, reason) unless `ok`.
void require(bool ok, const std::string& field, const std::string& reason);

}  // namespace nocsim
