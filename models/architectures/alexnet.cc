// AlexNet (Krizhevsky et al. 2012) layer shapes, 227x227x3 input, 1000 classes. The two-GPU
// grouping of conv2/4/5 is taken as full connectivity (the one-tower form); LRN carries no weights
// and is left out. A catalog for traffic studies; `alexnet_fc` is its FC-heavy part alone
// (fc6-fc8 on pool5's 256x6x6 = 9,216 features), the workload EIE and PermDNN report.
#include "models/architectures/imagenet_fc_head.h"

namespace nocsim::models {
namespace {

class AlexNet : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    SpecBuilder b("alexnet", "alexnet", 3, 227, 227, 1000);
    b.conv("conv1", 96, 11, 4, 0).relu("relu1").max_pool("pool1", 3, 2);
    b.conv("conv2", 256, 5, 1, 2).relu("relu2").max_pool("pool2", 3, 2);
    b.conv("conv3", 384, 3, 1, 1).relu("relu3");
    b.conv("conv4", 384, 3, 1, 1).relu("relu4");
    b.conv("conv5", 256, 3, 1, 1).relu("relu5").max_pool("pool5", 3, 2);
    add_imagenet_fc_head(b, o);
    return b.build();
  }
};

class AlexNetFc : public Architecture {
 public:
  config::ModelFile build(const ArchitectureOptions& o) const override {
    return imagenet_fc_head_only("alexnet_fc", 256 * 6 * 6, o);
  }
};

NOCSIM_REGISTER(architecture_registry(), AlexNet, "alexnet",
                "AlexNet layer shapes (catalog, 227x227x3, 1000 classes)");
NOCSIM_REGISTER(architecture_registry(), AlexNetFc, "alexnet_fc",
                "AlexNet fc6-fc8 alone (catalog, 9216 input features, 1000 classes)");

}  // namespace
}  // namespace nocsim::models
