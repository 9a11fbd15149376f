#pragma once
// BookSim2's reference curves: the team's shared copy beside the checkout when it is there (rows
// added to it are checked too), else the copy kept in configs/reference/booksim/.
#include <filesystem>
#include <string>

namespace nocsim::testing {

inline std::string booksim_curves_csv() {
  const std::string shared = NOCSIM_SHARED_DIR "/reference/booksim/mesh_curves.csv";
  if (std::filesystem::exists(shared)) return shared;
  return NOCSIM_SOURCE_DIR "/configs/reference/booksim/mesh_curves.csv";
}

}  // namespace nocsim::testing
