// Small CNN for Fashion-MNIST: two (conv k x k, same padding) + ReLU + 2x2 max-pool stages, then
// permuted-diagonal fully-connected layers (options.hidden, p from options.block_sizes).
#include "models/architecture.h"

namespace nocsim::models {
namespace {

class Cnn : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    SpecBuilder b("cnn", "cnn", 1, 28, 28, o.num_classes);
    for (size_t i = 0; i < o.conv_channels.size(); ++i) {
      const std::string n = std::to_string(i + 1);
      b.conv("conv" + n, o.conv_channels[i], o.conv_kernel, 1, o.conv_kernel / 2,
             o.conv_block_size);
      b.relu("relu_conv" + n);
      b.max_pool("pool" + n, 2);
    }
    const int n = static_cast<int>(o.hidden.size()) + 1;
    for (int i = 0; i < n; ++i) {
      const int out = i + 1 < n ? o.hidden[i] : o.num_classes;
      const int p =
          o.block_sizes.empty() ? 4 : o.block_sizes[std::min<size_t>(i, o.block_sizes.size() - 1)];
      b.dense("fc" + std::to_string(i + 1), out, p);
      if (i + 1 < n) b.relu("relu_fc" + std::to_string(i + 1));
    }
    return b.build();
  }
};

NOCSIM_REGISTER(architecture_registry(), Cnn, "cnn",
                "2x (conv + ReLU + max-pool) then permuted-diagonal fully-connected layers");

}  // namespace
}  // namespace nocsim::models
