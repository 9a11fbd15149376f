#include "models/dataset.h"

#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_streambuf.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "configs/input_file.h"
#include "configs/rng.h"
#include "configs/user_error.h"

namespace nocsim::models {

namespace {

const char* kInstallHint =
    "install the Debian package dataset-fashion-mnist (apt-get install dataset-fashion-mnist)";

// The most pixel bytes a data set may hold (Fashion-MNIST's training set has 47 M): the bound on
// what a header may ask for before anything is allocated.
constexpr uint64_t kMaxPixelBytes = uint64_t{1} << 29;
// A compressed file is never larger than what it holds (plus gzip's few bytes per block).
constexpr uint64_t kMaxCompressedBytes = 2 * kMaxPixelBytes;
constexpr uint32_t kImagesMagic = 0x00000803, kLabelsMagic = 0x00000801;

uint32_t be32(const std::string& s, size_t at) {
  return (static_cast<uint32_t>(static_cast<uint8_t>(s[at])) << 24) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<uint8_t>(s[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<uint8_t>(s[at + 3]));
}

// Decompresses an IDX file without trusting it: the header (magic and dimensions) first, then
// the number of bytes the dimensions give, in chunks so that memory follows the data actually
// there; a header asking for more than kMaxPixelBytes and a stream holding more than its header
// says (a gzip bomb) are refused without decompressing the rest.
std::string read_idx_gzip(std::istream& compressed, const std::string& path,
                          const std::string& field, uint32_t magic, int dims) {
  auto corrupt = [&](const std::string& why) {
    return UserError(field, path + ": not a valid IDX file (" + why + "); " + kInstallHint);
  };
  const size_t header = 4 + 4 * static_cast<size_t>(dims);
  std::string out(header, '\0');
  try {
    boost::iostreams::filtering_streambuf<boost::iostreams::input> buf;
    buf.push(boost::iostreams::gzip_decompressor());
    buf.push(compressed);
    std::istream in(&buf);
    in.exceptions(std::ios::badbit);
    in.read(out.data(), static_cast<std::streamsize>(header));
    if (static_cast<size_t>(in.gcount()) != header || be32(out, 0) != magic)
      throw corrupt("bad header, expected magic 0x0000080" + std::to_string(magic & 0xF));
    uint64_t body = 1;
    for (int d = 0; d < dims; ++d) {
      body *= be32(out, 4 + 4 * static_cast<size_t>(d));
      if (body > kMaxPixelBytes)
        throw corrupt("the header's dimensions ask for more than " +
                      std::to_string(kMaxPixelBytes) + " bytes");
    }
    constexpr uint64_t kChunk = 1 << 20;
    for (uint64_t got = 0; got < body;) {
      const uint64_t want = std::min(kChunk, body - got);
      out.resize(header + got + want);
      in.read(out.data() + header + got, static_cast<std::streamsize>(want));
      got += static_cast<uint64_t>(in.gcount());
      if (static_cast<uint64_t>(in.gcount()) != want)
        throw corrupt("the header says " + std::to_string(body) + " data bytes, the file has " +
                      std::to_string(got));
    }
    if (in.get() != std::char_traits<char>::eof())
      throw corrupt("more data than the header's " + std::to_string(body) + " bytes");
  } catch (const UserError&) {
    throw;
  } catch (const std::exception& e) {
    throw UserError(field, path + ": corrupt gzip data (" + e.what() + "); " + kInstallHint);
  }
  return out;
}

std::string read_idx_gzip_file(const std::string& path, const std::string& field, uint32_t magic,
                               int dims) {
  try {
    check_input_file(path, field, "gzip-compressed IDX file", kMaxCompressedBytes);
  } catch (const UserError& e) {
    throw UserError(field, e.reason() + "; " + kInstallHint);
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw UserError(field, path + ": cannot open; " + kInstallHint);
  return read_idx_gzip(file, path, field, magic, dims);
}

// The data set of two decompressed IDX files (magic and sizes already checked).
Dataset dataset_from_idx(const std::string& images, const std::string& images_path,
                         const std::string& labels, const std::string& labels_path,
                         const std::string& field) {
  auto corrupt = [&](const std::string& path, const std::string& why) {
    return UserError(field, path + ": not a valid IDX file (" + why + "); " + kInstallHint);
  };
  Dataset d;
  const uint32_t n = be32(images, 4), rows = be32(images, 8), cols = be32(images, 12);
  if (rows == 0 || cols == 0 || rows > 4096 || cols > 4096)
    throw corrupt(images_path, "image size " + std::to_string(rows) + "x" + std::to_string(cols));
  if (be32(labels, 4) != n)
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
  const std::string images = read_idx_gzip_file(images_path, field, kImagesMagic, 3);
  const std::string labels = read_idx_gzip_file(labels_path, field, kLabelsMagic, 1);
  return dataset_from_idx(images, images_path, labels, labels_path, field);
}

Dataset parse_idx_gzip(std::istream& images_gz, const std::string& images_path,
                       std::istream& labels_gz, const std::string& labels_path,
                       const std::string& field) {
  const std::string images = read_idx_gzip(images_gz, images_path, field, kImagesMagic, 3);
  const std::string labels = read_idx_gzip(labels_gz, labels_path, field, kLabelsMagic, 1);
  return dataset_from_idx(images, images_path, labels, labels_path, field);
}

Dataset synthetic_relu_inputs(int count, int features, uint64_t seed) {
  Dataset d;
  d.count = count;
  d.height = 1;
  d.width = features;
  Rng rng(seed);
  d.pixels.resize(static_cast<size_t>(count) * static_cast<size_t>(features));
  for (float& v : d.pixels) v = std::max(0.0f, static_cast<float>(rng.normal()));
  d.labels.assign(static_cast<size_t>(count), 0);
  return d;
}

}  // namespace nocsim::models
