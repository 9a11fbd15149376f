#pragma once
// What the data-set fuzzer runs on each input (and tests/models/fuzz_corpus_test.cc on each
// checked-in input): the Fashion-MNIST reader on a gzip-compressed images file and labels file.
// Input layout: 4 bytes (big-endian) n, then n bytes of images.gz, the rest labels.gz.
#include <cstddef>
#include <cstdint>
#include <sstream>

#include <boost/iostreams/device/back_inserter.hpp>
#include <boost/iostreams/filter/gzip.hpp>
#include <boost/iostreams/filtering_stream.hpp>
#include <string>

#include "configs/user_error.h"
#include "models/dataset.h"

namespace nocsim::models::fuzz {

// Building inputs (seeds, tests): gzip of some bytes, a big-endian 32-bit IDX field, and the
// fuzzer's input layout.
inline std::string gzip(const std::string& bytes) {
  std::string out;
  {
    boost::iostreams::filtering_ostream os;
    os.push(boost::iostreams::gzip_compressor());
    os.push(boost::iostreams::back_inserter(out));
    os.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  return out;
}

inline std::string be32(uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8),
          static_cast<char>(v)};
}

inline std::string dataset_input(const std::string& images_gz, const std::string& labels_gz) {
  return be32(static_cast<uint32_t>(images_gz.size())) + images_gz + labels_gz;
}

// True when the input read as a data set.
inline bool run_dataset(const uint8_t* data, size_t size) {
  if (size < 4) return false;
  const size_t n =
      (size_t{data[0]} << 24) | (size_t{data[1]} << 16) | (size_t{data[2]} << 8) | size_t{data[3]};
  const std::string rest(reinterpret_cast<const char*>(data) + 4, size - 4);
  const size_t split = std::min(n, rest.size());
  std::istringstream images(rest.substr(0, split)), labels(rest.substr(split));
  try {
    const Dataset d = parse_idx_gzip(images, "images.gz", labels, "labels.gz");
    return d.count >= 0;
  } catch (const UserError&) {
    return false;
  }
}

}  // namespace nocsim::models::fuzz
