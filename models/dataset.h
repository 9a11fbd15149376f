#pragma once
// Fashion-MNIST (or MNIST) in IDX format, gzip-compressed as shipped by the Debian package
// dataset-fashion-mnist: images as floats in [0, 1] (zeros stay zeros, so input sparsity survives).
#include <cstdint>
#include <istream>
#include <span>
#include <string>
#include <vector>

#include "models/tensor.h"

namespace nocsim::models {

inline constexpr const char* kDefaultDatasetDir = "/usr/share/datasets/fashion-mnist";

struct Dataset {
  int count = 0;
  int height = 0;
  int width = 0;
  std::vector<float> pixels;    // count x (height * width), row-major, one image per row
  std::vector<uint8_t> labels;  // count, in [0, 10)

  int features() const { return height * width; }
  // x (indices.size() x features): the images at `indices`, one per row.
  void gather(std::span<const int> indices, Matrix& x) const;
  // x: images [begin, begin + len).
  void slice(int begin, int len, Matrix& x) const;
  // The first `n` samples (a subset for quick tests).
  Dataset head(int n) const;
};

// `count` synthetic samples of `features` values for models with random weights and no data set
// (the FC-only ImageNet heads): max(0, x) of a standard normal x, seeded, so about half the
// values are exact zeros as after a ReLU; labels 0 (there is no accuracy to measure).
Dataset synthetic_relu_inputs(int count, int features, uint64_t seed);

enum class Split { kTrain, kTest };

// Loads `dir`/{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz ("" = kDefaultDatasetDir). A missing,
// unreadable or corrupt file is a UserError on `field` naming the file and the Debian package.
Dataset load_fashion_mnist(const std::string& dir, Split split,
                           const std::string& field = "model.dataset_dir");

// The same reader on gzip-compressed IDX streams (images, labels); the paths name them in errors.
Dataset parse_idx_gzip(std::istream& images_gz, const std::string& images_path,
                       std::istream& labels_gz, const std::string& labels_path,
                       const std::string& field = "model.dataset_dir");

}  // namespace nocsim::models
