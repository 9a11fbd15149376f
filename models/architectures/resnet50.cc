// ResNet-50 (He et al. 2016) layer shapes, 224x224x3 input: conv1 7x7/2, max-pool 3x3/2, four
// stages of bottleneck blocks (3, 4, 6, 3) with 1x1-3x3-1x1 convs, a 1x1 projection on the first
// block of each stage (stride 2 on the first 1x1 from stage 3 on, as in the paper), global average
// pool, FC 1000. Batch-norm (folded into convs) and the residual additions carry no weights and are
// not listed; each projection shortcut reads the block input. A catalog for traffic studies.
#include "models/architecture.h"

namespace nocsim::models {
namespace {

class ResNet50 : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions&) const override {
    SpecBuilder b("resnet50", "resnet50", 3, 224, 224, 1000);
    b.conv("conv1", 64, 7, 2, 3).relu("relu1").max_pool("pool1", 3, 2, 1);
    const int blocks[4] = {3, 4, 6, 3};
    const int width[4] = {64, 128, 256, 512};
    for (int s = 0; s < 4; ++s)
      for (int i = 0; i < blocks[s]; ++i) {
        const std::string n = "conv" + std::to_string(s + 2) + "_" + std::to_string(i + 1);
        const int stride = (i == 0 && s > 0) ? 2 : 1;
        const config::LayerSpec in = b.shape();
        if (i == 0) {
          b.conv(n + "_proj", width[s] * 4, 1, stride, 0);
          b.set_shape(in.out_channels(), in.out_height(), in.out_width());
        }
        b.conv(n + "_a", width[s], 1, stride, 0).relu(n + "_relu_a");
        b.conv(n + "_b", width[s], 3, 1, 1).relu(n + "_relu_b");
        b.conv(n + "_c", width[s] * 4, 1, 1, 0).relu(n + "_relu_c");
      }
    b.avg_pool("pool5", 7).dense("fc", 1000);
    return b.build();
  }
};

NOCSIM_REGISTER(architecture_registry(), ResNet50, "resnet50",
                "ResNet-50 layer shapes (catalog, 224x224x3, 1000 classes)");

}  // namespace
}  // namespace nocsim::models
