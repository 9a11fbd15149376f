#pragma once
// nocsim's version, as every result records it and `nocsim --version` prints it: `git describe`
// of the source tree at build time ("0.1+g0fa82e8-dirty" when the tree has no tag and uncommitted
// changes), else the CMake project version.

namespace nocsim {

const char* nocsim_version();

}  // namespace nocsim
