// LeNet-5 (LeCun et al. 1998): C1 6@5x5, S2 pool, C3 16@5x5, S4 pool, C5 120@5x5, F6 84, output
// 10. The 32x32 input is the 28x28 image with 2 pixels of padding in C1, so it runs on
// Fashion-MNIST. Subsampling is average pooling; C3's partial connection table is taken as full.
#include "models/architecture.h"

namespace nocsim::models {
namespace {

class LeNet5 : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    SpecBuilder b("lenet5", "lenet5", 1, 28, 28, o.num_classes);
    b.conv("c1", 6, 5, 1, 2).relu("relu1").avg_pool("s2", 2);
    b.conv("c3", 16, 5, 1, 0).relu("relu3").avg_pool("s4", 2);
    b.conv("c5", 120, 5, 1, 0).relu("relu5");
    b.dense("f6", 84).relu("relu6").dense("output", o.num_classes);
    return b.build();
  }
};

NOCSIM_REGISTER(architecture_registry(), LeNet5, "lenet5", "LeNet-5 (LeCun 1998), 28x28 input");

}  // namespace
}  // namespace nocsim::models
