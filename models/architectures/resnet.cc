// ResNet for 28x28x1 inputs (He et al.'s CIFAR family, 6n + 2 layers): a 3x3 stem conv, three
// stages of n basic blocks (3x3 conv + ReLU + 3x3 conv, added to the block's input, ReLU) at
// widths w, 2w, 4w and 28, 14, 7 pixels, global average pooling and a fully-connected layer.
// Within a stage the shortcut is the identity; the first block of stages 2 and 3 halves the
// resolution with a stride-2 conv, and its shortcut is a stride-2 1x1 conv to the new width (a
// projection). No BatchNorm: nocsim's trainer has none (models/README.md). Widths come from
// options.conv_channels (three values, or the first one as w); convs after the stem are
// permuted-diagonal at options.conv_block_size (the stem's single input channel stays dense), the
// fully-connected layer at options.block_sizes[0].
#include <string>

#include "configs/user_error.h"
#include "models/architecture.h"

namespace nocsim::models {
namespace {

template <int kBlocksPerStage>
class ResNet : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    const std::vector<int>& c = o.conv_channels;
    const std::vector<int> widths =
        c.size() == 3 ? c : std::vector<int>{c.at(0), 2 * c.at(0), 4 * c.at(0)};
    const int p = o.conv_block_size;
    const std::string arch = "resnet" + std::to_string(6 * kBlocksPerStage + 2);
    SpecBuilder b(arch, arch, 1, 28, 28, o.num_classes);
    b.conv("stem", widths[0], 3, 1, 1);
    b.relu("stem.relu");
    for (int stage = 0; stage < 3; ++stage)
      for (int block = 0; block < kBlocksPerStage; ++block) {
        const std::string n = "stage" + std::to_string(stage + 1) + "." + std::to_string(block);
        const std::string in = b.last();
        const int in_channels = b.shape().out_channels();
        const int stride = stage > 0 && block == 0 ? 2 : 1;
        b.conv(n + ".conv1", widths[stage], 3, stride, 1, p).relu(n + ".relu1");
        b.conv(n + ".conv2", widths[stage], 3, 1, 1, p);
        const std::string main = b.last();
        std::string shortcut = in;
        if (stride != 1 || in_channels != widths[stage]) {
          b.from(in).conv(n + ".shortcut", widths[stage], 1, stride, 0, p);
          shortcut = b.last();
        }
        b.add(n + ".add", {main, shortcut}).relu(n + ".relu2");
      }
    b.avg_pool("pool", b.shape().out_height());
    b.dense("fc", o.num_classes, o.block_sizes.empty() ? 1 : o.block_sizes[0]);
    return b.build();
  }
};

NOCSIM_REGISTER(architecture_registry(), ResNet<1>, "resnet8",
                "ResNet-8: 3x3 stem, 3 stages x 1 residual block (w, 2w, 4w), avg-pool, FC");
NOCSIM_REGISTER(architecture_registry(), ResNet<2>, "resnet14",
                "ResNet-14: 3x3 stem, 3 stages x 2 residual blocks (w, 2w, 4w), avg-pool, FC");

}  // namespace
}  // namespace nocsim::models
