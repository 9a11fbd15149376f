#pragma once
// The error every decoder throws on a stream it cannot trust: truncated, with trailing bits, an
// invalid table, a non-finite scale, a header made by another codec. It derives from UserError so
// that the CLI reports it like any other bad input ("bitstream: ...") instead of crashing.
#include <string>

#include "configs/user_error.h"

namespace nocsim::compression {

class DecodeError : public UserError {
 public:
  explicit DecodeError(const std::string& reason) : UserError("bitstream", reason) {}
};

}  // namespace nocsim::compression
