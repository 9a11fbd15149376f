#pragma once
// ONNX import: a trained network exported from PyTorch (or any ONNX producer) becomes a nocsim
// model (config::ModelFile), so `model { file: "x.onnx" }` and `nocsim import` work on it. The
// graph is supported ops (kSupportedOnnxOps) on a Fashion-MNIST input (1x28x28), a chain or with
// residual Adds of two computed tensors.
// Any problem is a UserError naming the file, the node and the reason.
#include <string>

#include "configs/schema/model_file.pb.h"

namespace nocsim::models {

inline constexpr const char* kSupportedOnnxOps =
    "Gemm, MatMul (+ Add of a constant bias), Add of two computed tensors of one shape "
    "(residual), Conv (groups = 1), Relu, MaxPool, AveragePool, "
    "GlobalAveragePool, Flatten, Reshape (to 2-D), BatchNormalization (after Conv or Gemm), "
    "Softmax (last node), Constant";

struct OnnxImportOptions {
  // p > 1: fully-connected layers that are not permuted-diagonal already are projected onto
  // p x p permuted-diagonal blocks (per block, the diagonal with the largest energy is kept).
  int pd_block = 0;
};

// True when `path` names an ONNX file (by its .onnx extension).
bool is_onnx_path(const std::string& path);

config::ModelFile import_onnx_file(const std::string& path, const OnnxImportOptions& options = {});
// The same from the file's bytes; `where` names the source in errors.
config::ModelFile import_onnx_bytes(const std::string& bytes, const std::string& where,
                                    const OnnxImportOptions& options = {});

}  // namespace nocsim::models
