#include <Eigen/Core>
#include <iostream>
#include <string>
#include <vector>

#include "tools/command.h"

int main(int argc, char** argv) {
  // Eigen's OpenMP GEMM would otherwise take every core for each inference, which oversubscribes
  // the machine under `sweep -j N` and is slower than one core on a busy one. `train --threads`
  // raises it where a big GEMM pays.
  Eigen::setNbThreads(1);
  std::vector<std::string> args(argv + 1, argv + argc);
  return nocsim::tools::run_cli(args, std::cout, std::cerr);
}
