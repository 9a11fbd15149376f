#pragma once
// The fully-connected head AlexNet and VGG-16 share (fc6 4096, fc7 4096, fc8 1000, ReLU between),
// in the form the options ask for: dense, permuted-diagonal (one block size for all three) or
// pruned (options.density). Used by the full catalogs and their `_fc` forms.
#include "models/architecture.h"

namespace nocsim::models {

inline void add_imagenet_fc_head(SpecBuilder& b, const ArchitectureOptions& o) {
  const int p = o.block_sizes.empty() ? 1 : o.block_sizes.front();
  b.dense("fc6", 4096, p, o.density).relu("relu6");
  b.dense("fc7", 4096, p, o.density).relu("relu7");
  b.dense("fc8", 1000, p, o.density);
}

// The head alone on `features` inputs (a `_fc` catalog: the FC-heavy part of the network).
inline config::ModelFile imagenet_fc_head_only(const char* name, int features,
                                               const ArchitectureOptions& o) {
  SpecBuilder b(name, name, features, 1, 1, 1000);
  add_imagenet_fc_head(b, o);
  return b.build();
}

}  // namespace nocsim::models
