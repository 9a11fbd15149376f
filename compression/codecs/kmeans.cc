// kmeans: weight sharing (Deep Compression). The layer's weights are clustered into 2^b centroids
// by 1-D k-means (linear initialisation between min and max, Lloyd iterations); the codebook goes
// in the layer header, each weight is sent as the b-bit index of its nearest centroid.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "compression/bit_reader.h"
#include "compression/bit_writer.h"
#include "compression/codec_registry.h"

namespace nocsim::compression {
namespace {

class KMeans : public Codec {
 public:
  explicit KMeans(CodecParams& p)
      : bits_(static_cast<unsigned>(p.integer("bits", 4, 1, 8, "index bits (2^bits centroids)"))),
        iterations_(static_cast<int>(
            p.integer("iterations", 30, 0, 1000, "Lloyd iterations (0 = linear codebook)"))) {}

  EncodedLayer encode(std::span<const float> w, std::span<const size_t> bounds,
                      const LayerContext&) const override {
    check_bounds(bounds, w.size());
    const std::vector<float> book = cluster(w);
    EncodedLayer out;
    out.bounds.assign(bounds.begin(), bounds.end());
    BitWriter h;
    for (float c : book) h.write_float(c);
    out.header = h.finish();

    // Nearest centroid: binary search on the midpoints, then settle ties and rounding exactly.
    std::vector<double> mid(book.size() - 1);
    for (size_t j = 0; j + 1 < book.size(); ++j) mid[j] = (double(book[j]) + book[j + 1]) / 2;
    size_t nan_index = 0;
    for (size_t j = 0; j < book.size(); ++j) {
      if (std::abs(book[j]) < std::abs(book[nan_index])) nan_index = j;
    }
    auto nearest = [&](float x) -> size_t {
      if (std::isnan(x)) return nan_index;
      size_t j = std::upper_bound(mid.begin(), mid.end(), double(x)) - mid.begin();
      size_t best = j;
      for (size_t k = j > 0 ? j - 1 : 0; k <= std::min(j + 1, book.size() - 1); ++k) {
        if (std::abs(double(x) - book[k]) < std::abs(double(x) - book[best])) best = k;
      }
      return best;
    };
    for (size_t c = 0; c + 1 < bounds.size(); ++c) {
      BitWriter wr;
      wr.reserve_bits((bounds[c + 1] - bounds[c]) * bits_);
      for (size_t i = bounds[c]; i < bounds[c + 1]; ++i) wr.write(nearest(w[i]), bits_);
      out.chunks.push_back(wr.finish());
    }
    return out;
  }

  std::unique_ptr<LayerDecoder> open(const Bitstream& header) const override {
    BitReader r(header);
    auto dec = std::make_unique<Decoder>(bits_);
    for (float& c : dec->book) {
      c = r.read_float("k-means codebook");
      if (!std::isfinite(c)) throw DecodeError("k-means codebook entry is not finite");
    }
    r.expect_end("k-means header");
    return dec;
  }

  bool lossless() const override { return false; }
  // One codebook (register file) read per weight; four read ports.
  DecoderCost decoder_cost() const override {
    return {2, 4.0, energy_pj::kShiftMask + energy_pj::kSmallTableRead};
  }
  double nominal_bits_per_weight() const override { return bits_; }
  std::string error_bound() const override {
    return "each weight decodes to its nearest centroid: |err| <= half the largest gap between "
           "adjacent centroids inside [min, max]; NaN -> centroid nearest 0, +-Inf -> extreme "
           "centroid";
  }
  unsigned symbol_bits() const override { return bits_; }

 private:
  struct Decoder : LayerDecoder {
    explicit Decoder(unsigned bits) : bits(bits), book(size_t{1} << bits) {}
    void decode(const Bitstream& chunk, std::span<float> out) const override {
      BitReader in(chunk);
      in.require(uint64_t{bits} * out.size(), "k-means indices");
      const float* table = book.data();
      for (float& x : out) x = table[in.read_unchecked(bits)];
      in.expect_end("k-means chunk");
    }
    unsigned bits;
    std::vector<float> book;
  };

  // Lloyd's algorithm on sorted data: every cluster is a contiguous run, found by binary search,
  // and its mean comes from prefix sums, so an iteration costs O(k log n).
  std::vector<float> cluster(std::span<const float> w) const {
    const size_t k = size_t{1} << bits_;
    std::vector<double> v;
    v.reserve(w.size());
    for (float x : w) {
      if (std::isfinite(x)) v.push_back(x);
    }
    std::vector<float> book(k, 0.0f);
    if (v.empty()) return book;
    std::sort(v.begin(), v.end());
    std::vector<double> prefix(v.size() + 1, 0.0);
    for (size_t i = 0; i < v.size(); ++i) prefix[i + 1] = prefix[i] + v[i];
    std::vector<double> c(k);
    const double lo = v.front(), hi = v.back();
    for (size_t j = 0; j < k; ++j) c[j] = lo + (hi - lo) * double(j) / double(k - 1);
    for (int it = 0; it < iterations_; ++it) {
      bool changed = false;
      size_t begin = 0;
      for (size_t j = 0; j < k; ++j) {
        size_t end = v.size();
        if (j + 1 < k) {
          const double m = (c[j] + c[j + 1]) / 2;
          end = std::lower_bound(v.begin() + begin, v.end(), m) - v.begin();
        }
        if (end > begin) {
          const double mean = (prefix[end] - prefix[begin]) / double(end - begin);
          changed = changed || mean != c[j];
          c[j] = mean;
        }
        begin = end;
      }
      if (!changed) break;
    }
    for (size_t j = 0; j < k; ++j) book[j] = static_cast<float>(c[j]);
    std::sort(book.begin(), book.end());
    return book;
  }

  unsigned bits_;
  int iterations_;
};

NOCSIM_REGISTER(codec_registry(), KMeans, "kmeans",
                "k-means weight sharing: 2^b-entry codebook per layer, b-bit indices");

}  // namespace
}  // namespace nocsim::compression
