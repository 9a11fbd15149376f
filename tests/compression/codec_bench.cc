// Encode and decode rate of every built-in codec on 1M Gaussian weights, cut into 4096-weight
// chunks (a PE share). Rates are reported as weights/s ("items_per_second").
#include <benchmark/benchmark.h>

#include "compression/codec_chain.h"
#include "configs/rng.h"

namespace nocsim::compression {
namespace {

constexpr size_t kWeights = 1 << 20, kChunk = 4096;

const std::vector<float>& weights() {
  static const std::vector<float> w = [] {
    Rng rng(1);
    std::vector<float> v(kWeights);
    for (auto& x : v) x = static_cast<float>(0.05 * rng.normal());
    return v;
  }();
  return w;
}

void encode(benchmark::State& state, const char* spec) {
  const auto codec = make_codec(spec);
  for (auto _ : state) benchmark::DoNotOptimize(codec->encode(weights(), kChunk));
  state.SetItemsProcessed(int64_t(state.iterations()) * kWeights);
}

void decode(benchmark::State& state, const char* spec) {
  const auto codec = make_codec(spec);
  const EncodedLayer e = codec->encode(weights(), kChunk);
  std::vector<float> out(kWeights);
  for (auto _ : state) {
    const auto dec = codec->open(e.header);
    for (size_t i = 0; i < e.chunks.size(); ++i) {
      dec->decode(e.chunks[i],
                  std::span<float>(out).subspan(e.bounds[i], e.bounds[i + 1] - e.bounds[i]));
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(int64_t(state.iterations()) * kWeights);
  state.counters["bits_per_weight"] = e.bits_per_weight();
}

#define NOCSIM_CODEC_BENCH(name, spec)                                  \
  BENCHMARK_CAPTURE(encode, name, spec)->Unit(benchmark::kMillisecond); \
  BENCHMARK_CAPTURE(decode, name, spec)->Unit(benchmark::kMillisecond)

NOCSIM_CODEC_BENCH(identity, "identity");
NOCSIM_CODEC_BENCH(fp16, "fp16");
NOCSIM_CODEC_BENCH(bf16, "bf16");
NOCSIM_CODEC_BENCH(truncate_m7, "truncate:mantissa_bits=7");
NOCSIM_CODEC_BENCH(quant8_tensor, "quant:bits=8");
NOCSIM_CODEC_BENCH(quant4_block64, "quant:bits=4,granularity=block,block=64");
NOCSIM_CODEC_BENCH(quant2_asym, "quant:bits=2,mode=asymmetric");
NOCSIM_CODEC_BENCH(kmeans4, "kmeans:bits=4");
NOCSIM_CODEC_BENCH(prune50, "prune:sparsity=0.5");
NOCSIM_CODEC_BENCH(bfp_m7_b16, "bfp:mantissa_bits=7,block=16");
NOCSIM_CODEC_BENCH(bfp_base_delta, "bfp:mantissa_bits=7,block=16,mode=base_delta");
NOCSIM_CODEC_BENCH(huffman_fp32_bytes, "huffman");
NOCSIM_CODEC_BENCH(kmeans4_huffman, "kmeans:bits=4+huffman");

}  // namespace
}  // namespace nocsim::compression
