#include "configs/user_error.h"

namespace nocsim {

void require(bool ok, const std::string& field, const std::string& reason) {
  if (!ok) throw UserError(field, reason);
}

}  // namespace nocsim
