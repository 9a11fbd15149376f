#pragma once
// Shared geometry of 2-D convolutions and pooling (square kernels, symmetric zero padding), and
// the im2col / col2im transforms that turn a batched conv into one GEMM per chunk of samples.
#include <cstdint>

#include "configs/schema/model_file.pb.h"
#include "models/layer.h"
#include "models/tensor.h"

namespace nocsim::models {

struct ConvGeometry {
  int in_channels = 1, height = 1, width = 1;
  int kernel = 1, stride = 1, padding = 0;
  int out_height = 1, out_width = 1;

  int positions() const { return out_height * out_width; }
  int64_t in_size() const { return static_cast<int64_t>(in_channels) * height * width; }
  // Columns of one im2col row: (channel, ky, kx), channel-major.
  int patch_size() const { return in_channels * kernel * kernel; }
};

// Checks kernel/stride/padding of `spec` against input `in` (UserError naming the field) and
// returns the geometry; `default_stride` applies when the spec's stride is 0.
ConvGeometry conv_geometry(const config::LayerSpec& spec, TensorShape in, int default_stride);

// Samples per im2col chunk so that one chunk's patch matrix stays near 1M floats.
int conv_chunk(const ConvGeometry& g);

// patches ((len * positions) x patch_size): row pos * len + b holds the receptive field of output
// position pos of sample b0 + b; out-of-image taps are zero.
void im2col(const ConvGeometry& g, const Matrix& x, int b0, int len, Matrix& patches);
// Adds the patch gradients back onto dx rows [b0, b0 + len).
void col2im_add(const ConvGeometry& g, const Matrix& dpatches, int b0, int len, Matrix& dx);

}  // namespace nocsim::models
