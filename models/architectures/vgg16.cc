// VGG-16 (Simonyan & Zisserman 2015, configuration D): 13 conv 3x3 (same padding) in five stages
// with 2x2 max-pools, then FC 4096-4096-1000; 224x224x3 input. A catalog for traffic studies;
// `vgg16_fc` is its FC-heavy part alone (fc6-fc8 on pool5's 512x7x7 = 25,088 features).
#include "models/architectures/imagenet_fc_head.h"

namespace nocsim::models {
namespace {

class Vgg16 : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    SpecBuilder b("vgg16", "vgg16", 3, 224, 224, 1000);
    const int stages[5][2] = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
    for (int s = 0; s < 5; ++s) {
      for (int i = 0; i < stages[s][1]; ++i) {
        const std::string n = std::to_string(s + 1) + "_" + std::to_string(i + 1);
        b.conv("conv" + n, stages[s][0], 3, 1, 1).relu("relu" + n);
      }
      b.max_pool("pool" + std::to_string(s + 1), 2);
    }
    add_imagenet_fc_head(b, o);
    return b.build();
  }
};

class Vgg16Fc : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    return imagenet_fc_head_only("vgg16_fc", 512 * 7 * 7, o);
  }
};

NOCSIM_REGISTER(architecture_registry(), Vgg16, "vgg16",
                "VGG-16 layer shapes (catalog, 224x224x3, 1000 classes)");
NOCSIM_REGISTER(architecture_registry(), Vgg16Fc, "vgg16_fc",
                "VGG-16 fc6-fc8 alone (catalog, 25088 input features, 1000 classes)");

}  // namespace
}  // namespace nocsim::models
