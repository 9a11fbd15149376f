#include "models/dataset.h"

#include <boost/iostreams/copy.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "configs/user_error.h"

namespace nocsim::models {

namespace {

const char* kInstallHint =
    "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)";

std::string read_gzip(const std::string& path, const std::string& field) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UserError(field, path + ": cannot open; " + kInstallHint);
  std::ostringstream out;
  try {
    boost::iostreams::filtering_streambuf<boost::iostreams::input> in;
    in.push(boost::iostreams::gzip_decompressor());
    in.push(file);
    boost::iostreams::copy(in, out);
  } catch (const std::exception& e) {
    throw UserError(field, path + ": corrupt gzip data (" + e.what() + "); " + kInstallHint);
  }
  return out.str();
}

uint32_t be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3]));
}

}  // namespace

void Dataset::gather(std::span<const int> indices, Matrix& x) const {
  const int n = static_cast<int>(indices.size());
  const int f = features();
  x.resize(n, f);
  for (int b = 0; b < n; ++b) {
    const float* src = pixels.data() + static_cast<int64_t>(indices[b]) * f;
    for (int j = 0; j < f; ++j) x(b, j) = src[j];
  }
}

void Dataset::slice(int begin, int len, Matrix& x) const {
  const int f = features();
  x.resize(len, f);
  for (int b = 0; b < len; ++b) {
    const float* src = pixels.data() + static_cast<int64_t>(begin + b) * f;
    for (int j = 0; j < f; ++j) x(b, j) = src[j];
  }
}

Dataset Dataset::head(int n) const {
  Dataset d;
  d.count = std::clamp(n, 0, count);
  d.height = height;
  d.width = width;
  d.pixels.assign(pixels.begin(), pixels.begin() + static_cast<size_t>(d.count) * features());
  d.labels.assign(labels.begin(), labels.begin() + d.count);
  return d;
}

Dataset load_fashion_mnist(const std::string& dir_in, Split split, const std::string& field) {
  const std::string dir = dir_in.empty() ? kDefaultDatasetDir : dir_in;
  const std::string stem = split == Split::kTrain ? "train" : "t10k";
  const std::string images_path =
      (std::filesystem::path(dir) / (stem + "-images-idx3-ubyte.gz")).string();
  const std::string labels_path =
      (std::filesystem::path(dir) / (stem + "-labels-idx1-ubyte.gz")).string();
  const std::string images = read_gzip(images_path, field);
  const std::string labels = read_gzip(labels_path, field);
  auto corrupt = [&](const std::string& path, const std::string& why) {
    return UserError(field, path + ": not a valid IDX file (" + why + "); " + kInstallHint);
  };
  if (images.size() < 16 || be32(images, 0) != 0x00000803)
    throw corrupt(images_path, "bad header, expected magic 0x00000803");
  if (labels.size() < 8 || be32(labels, 0) != 0x00000801)
    throw corrupt(labels_path, "bad header, expected magic 0x00000801");
  Dataset d;
  const uint32_t n = be32(images, 4), rows = be32(images, 8), cols = be32(images, 12);
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
    throw corrupt(images_path, "image size " + std::to_string(rows) + "x" + std::to_string(cols));
  if (images.size() != 16 + static_cast<size_t>(n) * rows * cols)
    throw corrupt(images_path, "header says " + std::to_string(n) + " images of " +
                                   std::to_string(rows) + "x" + std::to_string(cols) + " but has " +
                                   std::to_string(images.size() - 16) + " pixel bytes");
  if (be32(labels, 4) != n || labels.size() != 8 + static_cast<size_t>(n))
    throw corrupt(labels_path, "label count does not match the " + std::to_string(n) + " images");
  d.count = static_cast<int>(n);
  d.height = static_cast<int>(rows);
  d.width = static_cast<int>(cols);
  d.pixels.resize(static_cast<size_t>(n) * rows * cols);
  for (size_t i = 0; i < d.pixels.size(); ++i)
    d.pixels[i] = static_cast<float>(static_cast<uint8_t>(images[16 + i])) * (1.0f / 255.0f);
  d.labels.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    d.labels[i] = static_cast<uint8_t>(labels[8 + i]);
    if (d.labels[i] > 9)
      throw corrupt(labels_path, "label " + std::to_string(d.labels[i]) + " > 9");
  }
  return d;
}

}  // namespace nocsim::models
