#include "models/onnx/pd_structure.h"

#include <algorithm>

namespace nocsim::models::onnx_import {

namespace {
// Calls f(r, c, value) for the in-range elements of block (bi, bj) of matrix q.
template <class F>
void for_block(const StackedMatrices& a, int p, int q, int bi, int bj, F&& f) {
  const int r1 = std::min(p, a.m - bi * p), c1 = std::min(p, a.n - bj * p);
  for (int r = 0; r < r1; ++r)
    for (int c = 0; c < c1; ++c) f(r, c, a.at(q, bi * p + r, bj * p + c));
}

bool fits(const StackedMatrices& a, int p) {
  const int mb = (a.m + p - 1) / p, nb = (a.n + p - 1) / p;
  for (int q = 0; q < a.nq; ++q)
    for (int bi = 0; bi < mb; ++bi)
      for (int bj = 0; bj < nb; ++bj) {
        int diagonal = -1;
        bool ok = true;
        for_block(a, p, q, bi, bj, [&](int r, int c, float v) {
          if (v == 0.0f || !ok) return;
          const int k = ((c - r) % p + p) % p;
          if (diagonal < 0) diagonal = k;
          ok = diagonal == k;
        });
        if (!ok) return false;
      }
  return true;
}
}  // namespace

int find_pd_block(const StackedMatrices& a, int max_p) {
  if (std::all_of(a.w.begin(), a.w.end(), [](float v) { return v == 0.0f; })) return 0;
  for (int p = std::min(max_p, std::max(a.m, a.n)); p >= 2; --p)
    if (fits(a, p)) return p;
  return 0;
}

PdWeights project_to_pd(const StackedMatrices& a, int p) {
  const int mb = (a.m + p - 1) / p, nb = (a.n + p - 1) / p;
  PdWeights out;
  out.p = p;
  out.values.assign(static_cast<size_t>(mb) * a.nq * nb * p, 0.0f);
  out.offsets.assign(static_cast<size_t>(mb) * a.nq * nb, 0);
  std::vector<double> energy(p);
  for (int bi = 0; bi < mb; ++bi)
    for (int q = 0; q < a.nq; ++q)
      for (int bj = 0; bj < nb; ++bj) {
        std::fill(energy.begin(), energy.end(), 0.0);
        for_block(a, p, q, bi, bj, [&](int r, int c, float v) {
          energy[((c - r) % p + p) % p] += static_cast<double>(v) * v;
        });
        const int k =
            static_cast<int>(std::max_element(energy.begin(), energy.end()) - energy.begin());
        const size_t block = (static_cast<size_t>(bi) * a.nq + q) * nb + bj;
        out.offsets[block] = static_cast<uint32_t>(k);
        for_block(a, p, q, bi, bj, [&](int r, int c, float v) {
          if (((c - r) % p + p) % p == k) out.values[block * p + r] = v;
        });
      }
  return out;
}

}  // namespace nocsim::models::onnx_import
