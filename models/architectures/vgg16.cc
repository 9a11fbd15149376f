// VGG-16 (Simonyan & Zisserman 2015, configuration D): 13 conv 3x3 (same padding) in five stages
// with 2x2 max-pools, then FC 4096-4096-1000; 224x224x3 input. A catalog for traffic studies.
#include "models/architecture.h"

namespace nocsim::models {
namespace {

class Vgg16 : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions&) const override {
    SpecBuilder b("vgg16", "vgg16", 3, 224, 224, 1000);
    const int stages[5][2] = {{64, 2}, {128, 2}, {256, 3}, {512, 3}, {512, 3}};
    for (int s = 0; s < 5; ++s) {
      for (int i = 0; i < stages[s][1]; ++i) {
        const std::string n = std::to_string(s + 1) + "_" + std::to_string(i + 1);
        b.conv("conv" + n, stages[s][0], 3, 1, 1).relu("relu" + n);
      }
      b.max_pool("pool" + std::to_string(s + 1), 2);
    }
    b.dense("fc6", 4096).relu("relu6").dense("fc7", 4096).relu("relu7").dense("fc8", 1000);
    return b.build();
  }
};

NOCSIM_REGISTER(architecture_registry(), Vgg16, "vgg16",
                "VGG-16 layer shapes (catalog, 224x224x3, 1000 classes)");

}  // namespace
}  // namespace nocsim::models
