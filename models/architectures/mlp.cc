// Multi-layer perceptrons for 28x28 Fashion-MNIST: `mlp` (dense) and `pd_mlp` (permuted-diagonal,
// options.block_sizes gives p per layer, or one p for all). ReLU between layers.
#include "models/architecture.h"

namespace nocsim::models {
namespace {

config::ModelFile build_mlp(const ArchitectureOptions& o, const std::string& arch, bool pd) {
  SpecBuilder b(arch, arch, 1, 28, 28, o.num_classes);
  const int n = static_cast<int>(o.hidden.size()) + 1;
  for (int i = 0; i < n; ++i) {
    const int out = i + 1 < n ? o.hidden[i] : o.num_classes;
    int p = 1;
    if (pd)
      p = o.block_sizes.empty() ? 4 : o.block_sizes[std::min<size_t>(i, o.block_sizes.size() - 1)];
    b.dense("fc" + std::to_string(i + 1), out, p);
    if (i + 1 < n) b.relu("relu" + std::to_string(i + 1));
  }
  return b.build();
}

class Mlp : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    return build_mlp(o, "mlp", false);
  }
};
class PdMlp : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    return build_mlp(o, "pd_mlp", true);
  }
};

NOCSIM_REGISTER(architecture_registry(), Mlp, "mlp", "dense MLP 784-hidden...-10");
NOCSIM_REGISTER(architecture_registry(), PdMlp, "pd_mlp",
                "permuted-diagonal MLP 784-hidden...-10 (block size p per layer)");

}  // namespace
}  // namespace nocsim::models
