#include "models/layers/conv_geometry.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "configs/user_error.h"

namespace nocsim::models {

ConvGeometry conv_geometry(const config::LayerSpec& spec, TensorShape in, int default_stride) {
  ConvGeometry g;
  g.in_channels = in.channels;
  g.height = in.height;
  g.width = in.width;
  g.kernel = spec.kernel();
  g.stride = spec.stride() > 0 ? spec.stride() : default_stride;
  g.padding = spec.padding();
  require(g.kernel >= 1, "kernel", "kernel must be >= 1, got " + std::to_string(spec.kernel()));
  require(spec.stride() >= 0, "stride", "stride must be >= 1");
  require(g.padding >= 0 && g.padding < g.kernel, "padding",
          "padding must be in [0, kernel), got " + std::to_string(g.padding));
  require(g.height + 2 * g.padding >= g.kernel && g.width + 2 * g.padding >= g.kernel, "kernel",
          "kernel " + std::to_string(g.kernel) + " is larger than the padded input " +
              std::to_string(g.height) + "x" + std::to_string(g.width));
  g.out_height = (g.height + 2 * g.padding - g.kernel) / g.stride + 1;
  g.out_width = (g.width + 2 * g.padding - g.kernel) / g.stride + 1;
  return g;
}

int conv_chunk(const ConvGeometry& g) {
  const int64_t per_sample = static_cast<int64_t>(g.positions()) * g.patch_size();
  return static_cast<int>(
      std::clamp<int64_t>((1 << 20) / std::max<int64_t>(per_sample, 1), 1, 256));
}

void im2col(const ConvGeometry& g, const Matrix& x, int b0, int len, Matrix& patches) {
  const int64_t rows = static_cast<int64_t>(len) * g.positions();
  patches.resize(rows, g.patch_size());
  const int64_t batch = x.rows();
  for (int c = 0; c < g.in_channels; ++c)
    for (int ky = 0; ky < g.kernel; ++ky)
      for (int kx = 0; kx < g.kernel; ++kx) {
        const int q = (c * g.kernel + ky) * g.kernel + kx;
        float* col = patches.data() + q * rows;
        for (int oy = 0; oy < g.out_height; ++oy) {
          const int iy = oy * g.stride + ky - g.padding;
          for (int ox = 0; ox < g.out_width; ++ox) {
            const int ix = ox * g.stride + kx - g.padding;
            float* dst = col + static_cast<int64_t>(oy * g.out_width + ox) * len;
            if (iy < 0 || iy >= g.height || ix < 0 || ix >= g.width) {
              std::fill(dst, dst + len, 0.0f);
            } else {
              const int64_t f = (static_cast<int64_t>(c) * g.height + iy) * g.width + ix;
              std::memcpy(dst, x.data() + f * batch + b0, sizeof(float) * len);
            }
          }
        }
      }
}

void col2im_add(const ConvGeometry& g, const Matrix& dpatches, int b0, int len, Matrix& dx) {
  const int64_t rows = static_cast<int64_t>(len) * g.positions();
  const int64_t batch = dx.rows();
  for (int c = 0; c < g.in_channels; ++c)
    for (int ky = 0; ky < g.kernel; ++ky)
      for (int kx = 0; kx < g.kernel; ++kx) {
        const int q = (c * g.kernel + ky) * g.kernel + kx;
        const float* col = dpatches.data() + q * rows;
        for (int oy = 0; oy < g.out_height; ++oy) {
          const int iy = oy * g.stride + ky - g.padding;
          if (iy < 0 || iy >= g.height) continue;
          for (int ox = 0; ox < g.out_width; ++ox) {
            const int ix = ox * g.stride + kx - g.padding;
            if (ix < 0 || ix >= g.width) continue;
            const float* src = col + static_cast<int64_t>(oy * g.out_width + ox) * len;
            const int64_t f = (static_cast<int64_t>(c) * g.height + iy) * g.width + ix;
            float* dst = dx.data() + f * batch + b0;
            for (int b = 0; b < len; ++b) dst[b] += src[b];
          }
        }
      }
}

}  // namespace nocsim::models
