// `nocsim tune --model F --candidates "int8,int4,..." --budget 1.0 [--out codec.textproto]`: a
// codec per layer. Every layer is round-tripped through every candidate once, and the accuracy
// lost when one layer alone takes one candidate is measured for every pair. From every layer at
// its most precise candidate, two greedy searches each keep a step when the whole model stays
// within `budget` points of the original test accuracy: layers from the most sensitive, each to
// its cheapest candidate that fits; and single-layer moves in the order of bits saved per point
// the pair alone lost. Each has inputs where it loses to the other; the best single codec within
// the budget is a third result, and the fewest bits wins. Printed, and written as a codec block.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <numeric>

#include "compression/codec_chain.h"
#include "compression/codec_report.h"
#include "compression/codec_spec.h"
#include "configs/user_error.h"
#include "models/dataset.h"
#include "models/model_file.h"
#include "tools/command.h"
#include "tools/result_files.h"

namespace nocsim::tools {
namespace {

// "int8,quant:bits=4,granularity=block,int4" -> int8 | quant:bits=4,granularity=block | int4: a
// piece with '=' but no ':' is one more parameter of the spec before it.
std::vector<std::string> split_candidates(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    const size_t end = std::min(list.find(',', start), list.size());
    const std::string piece = list.substr(start, end - start);
    const bool param = piece.find('=') != std::string::npos && piece.find(':') == std::string::npos;
    if (param && !out.empty())
      out.back() += "," + piece;
    else if (!piece.empty())
      out.push_back(piece);
    start = end + 1;
  }
  return out;
}

struct Candidate {
  std::string spec;
  std::vector<std::vector<float>> decoded;  // per weight layer
  std::vector<uint64_t> bits;               // per weight layer, header + chunks
};

class TuneCommand : public Command {
 public:
  void define(CLI::App& app) override {
    app.add_option("--model", model_path_, "trained model file");
    app.add_option("--candidates", list_,
                   "comma-separated codec specs (\"int8,quant:bits=4,granularity=block,int4\")");
    app.add_option("--budget", budget_text_, "accuracy loss allowed, in points (default 1)");
    add_allow_plugin_option(app);
    app.add_option("--out", out_path_, "write the mapping as a codec { } block");
    app.add_option("--data", data_dir_, "Fashion-MNIST folder");
    app.footer(
        "Chooses a codec per layer (fewest bits, headers included) that keeps the model within "
        "--budget points of its original test accuracy on all 10,000 test images. Two greedy "
        "searches (layers from the most sensitive; single-layer moves by bits saved per point "
        "lost) and the best single codec: the fewest bits wins.");
  }

  int run(std::ostream& out) override {
    const std::string &model_path = model_path_, &list = list_, &out_path = out_path_,
                      &data_dir = data_dir_;
    double budget = 1.0;
    if (!budget_text_.empty()) {
      const std::string& v = budget_text_;
      size_t used = 0;
      try {
        budget = std::stod(v, &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used != v.size() || !(budget >= 0) || budget > 100)
        throw UserError("--budget", "must be a number of points in [0, 100], got '" + v + "'");
    }
    if (model_path.empty()) throw UserError("--model", "missing (a trained model file)");
    const std::vector<std::string> specs = split_candidates(list);
    if (specs.empty()) throw UserError("--candidates", "missing (e.g. \"int8,int4\")");
    std::vector<std::unique_ptr<compression::CodecChain>> codecs;
    for (const auto& s : specs)
      codecs.push_back(compression::make_codec(compression::parse_codec_spec(s, "--candidates"),
                                               "--candidates"));

    models::Model model = models::load_model(model_path);
    const models::Dataset test =
        models::load_fashion_mnist(data_dir, models::Split::kTest, "--data");
    std::vector<int> layers;  // the layers with weights
    std::vector<std::vector<float>> original;
    for (int i = 0; i < model.num_layers(); ++i)
      if (!model.layer(i).weights().empty()) {
        layers.push_back(i);
        original.emplace_back(model.layer(i).weights().begin(), model.layer(i).weights().end());
      }
    const size_t L = layers.size(), C = specs.size();
    if (L == 0) throw UserError("--model", model_path + ": no layer has weights");
    std::vector<Candidate> cands(C);
    for (size_t c = 0; c < C; ++c) {
      compression::RoundTrip rt = compression::round_trip(*codecs[c], original);
      cands[c].spec = codecs[c]->spec();
      cands[c].decoded = std::move(rt.decoded);
      for (const auto& lr : rt.report.layers)
        cands[c].bits.push_back(lr.header_bits + lr.chunk_bits);
    }
    int64_t total_weights = 0;
    for (const auto& w : original) total_weights += static_cast<int64_t>(w.size());

    // choice[k] = candidate of layer k; accuracy with that mapping.
    auto accuracy = [&](const std::vector<size_t>& choice) {
      for (size_t k = 0; k < L; ++k)
        model.layer(layers[k]).set_weights(choice[k] == C ? original[k]
                                                          : cands[choice[k]].decoded[k]);
      return model.accuracy(test);
    };
    auto bits_per_weight = [&](const std::vector<size_t>& choice) {
      uint64_t bits = 0;
      for (size_t k = 0; k < L; ++k) bits += cands[choice[k]].bits[k];
      return static_cast<double>(bits) / static_cast<double>(total_weights);
    };
    const double base = accuracy(std::vector<size_t>(L, C));
    auto loss = [&](double acc) { return 100.0 * (base - acc); };
    char line[400];
    std::snprintf(line, sizeof line,
                  "model %s: %zu layers with weights, original accuracy %.2f%%\n",
                  model_path.c_str(), L, 100 * base);
    out << line;

    // Every candidate on every layer: the references, and whether the start point fits.
    out << "single codec (every layer):\n";
    size_t best_single = C;  // the fewest bits within the budget; C = none fits
    std::vector<double> single_accuracy(C);
    for (size_t c = 0; c < C; ++c) {
      const std::vector<size_t> all(L, c);
      const double acc = accuracy(all);
      single_accuracy[c] = acc;
      if (loss(acc) <= budget &&
          (best_single == C ||
           bits_per_weight(all) < bits_per_weight(std::vector<size_t>(L, best_single))))
        best_single = c;
      std::snprintf(line, sizeof line, "  %-36s %7.3f bits/weight  accuracy %.2f%% (loss %.2f)%s\n",
                    cands[c].spec.c_str(), bits_per_weight(all), 100 * acc, loss(acc),
                    loss(acc) <= budget ? "" : "  over budget");
      out << line;
    }
    // Per layer, candidates from the most to the fewest bits.
    std::vector<std::vector<size_t>> by_bits(L);
    for (size_t k = 0; k < L; ++k) {
      by_bits[k].resize(C);
      std::iota(by_bits[k].begin(), by_bits[k].end(), size_t{0});
      std::stable_sort(by_bits[k].begin(), by_bits[k].end(),
                       [&](size_t a, size_t b) { return cands[a].bits[k] > cands[b].bits[k]; });
    }
    std::vector<size_t> choice(L);
    for (size_t k = 0; k < L; ++k) choice[k] = by_bits[k].front();
    const double start = accuracy(choice);
    if (loss(start) > budget)
      throw UserError("--budget", "even the most precise candidate of every layer loses " +
                                      std::to_string(loss(start)) + " points (budget " +
                                      std::to_string(budget) + ")");
    // solo[k][c]: points lost when layer k alone takes candidate c (the others original).
    std::vector<std::vector<double>> solo(L, std::vector<double>(C));
    for (size_t k = 0; k < L; ++k)
      for (size_t c = 0; c < C; ++c) {
        std::vector<size_t> one(L, C);
        one[k] = c;
        solo[k][c] = loss(accuracy(one));
      }
    std::vector<double> sensitivity(L);  // shown: the loss at the layer's cheapest candidate
    for (size_t k = 0; k < L; ++k) sensitivity[k] = solo[k][by_bits[k].back()];
    std::vector<size_t> order(L);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return sensitivity[a] > sensitivity[b]; });
    // Two greedy searches from the most precise mapping, each with its own failure (below), then
    // the best single codec as a floor; the fewest bits wins (ties: the earlier).
    struct Found {
      std::vector<size_t> choice;
      double acc = 0;
      std::string how;
    };
    std::vector<Found> found;
    size_t evaluations = 0;
    auto fits = [&](const std::vector<size_t>& m, double& acc_out) {
      ++evaluations;
      const double a = accuracy(m);
      if (loss(a) > budget) return false;
      acc_out = a;
      return true;
    };
    {
      // Layers from the most sensitive, each to its cheapest candidate that fits. Fails when a
      // small sensitive layer spends budget that a large layer would turn into more bits.
      Found f{choice, start, "layers from the most sensitive"};
      for (size_t k : order)
        for (auto it = by_bits[k].rbegin(); it != by_bits[k].rend() && *it != f.choice[k]; ++it) {
          const size_t kept = f.choice[k];
          f.choice[k] = *it;
          if (fits(f.choice, f.acc)) break;
          f.choice[k] = kept;
        }
      found.push_back(std::move(f));
    }
    {
      // Moves (one layer to a cheaper candidate) by bits saved per point the pair alone costs
      // beyond the layer's current candidate (ties: the first layer, then candidate). Fails when
      // cheap moves of small layers add up to the budget a large layer's last step needed.
      Found f{choice, start, "moves by bits saved per point"};
      std::vector<std::vector<bool>> refused(L, std::vector<bool>(C, false));
      for (;;) {
        double best_score = -1;
        size_t bk = L, bc = C;
        for (size_t k = 0; k < L; ++k)
          for (size_t c = 0; c < C; ++c) {
            const uint64_t now = cands[f.choice[k]].bits[k], then = cands[c].bits[k];
            if (then >= now || refused[k][c]) continue;
            const double cost = std::max(solo[k][c] - solo[k][f.choice[k]], 0.01);
            const double score = static_cast<double>(now - then) / cost;
            if (score > best_score) best_score = score, bk = k, bc = c;
          }
        if (bk == L) break;
        const size_t kept = f.choice[bk];
        f.choice[bk] = bc;
        if (!fits(f.choice, f.acc)) {
          f.choice[bk] = kept;
          refused[bk][bc] = true;
        }
      }
      found.push_back(std::move(f));
    }
    if (best_single < C)
      found.push_back({std::vector<size_t>(L, best_single), single_accuracy[best_single],
                       "the best single codec"});
    for (const Found& f : found) {
      std::snprintf(line, sizeof line, "  search %-34s %7.3f bits/weight  accuracy %.2f%%\n",
                    f.how.c_str(), bits_per_weight(f.choice), 100 * f.acc);
      out << line;
    }
    size_t win = 0;
    for (size_t i = 1; i < found.size(); ++i)
      if (bits_per_weight(found[i].choice) < bits_per_weight(found[win].choice)) win = i;
    choice = found[win].choice;
    const double acc = found[win].acc;
    std::snprintf(line, sizeof line,
                  "kept: %s (%zu single-layer and %zu whole-model accuracy evaluations)\n",
                  found[win].how.c_str(), L * C, evaluations);
    out << line;

    std::snprintf(line, sizeof line, "per-layer mapping (budget %.2f points):\n", budget);
    out << line;
    for (size_t k : order) {
      std::snprintf(
          line, sizeof line, "  %-20s %8zu weights  sensitivity %6.2f  %-36s %7.3f bits/weight\n",
          model.layer(layers[k]).name().c_str(), original[k].size(), sensitivity[k],
          cands[choice[k]].spec.c_str(),
          static_cast<double>(cands[choice[k]].bits[k]) / static_cast<double>(original[k].size()));
      out << line;
    }
    std::snprintf(line, sizeof line, "total %.3f bits/weight, accuracy %.2f%% (loss %.2f points)\n",
                  bits_per_weight(choice), 100 * acc, loss(acc));
    out << line;

    std::string snippet = "# nocsim tune --model " + model_path + " --candidates \"" + list +
                          "\" --budget " + std::to_string(budget) + "\n# " + line;
    snippet += "codec {\n  spec: \"" + cands[by_bits[0].front()].spec + "\"\n";
    for (size_t k = 0; k < L; ++k)
      snippet += "  layer { match: \"" + model.layer(layers[k]).name() + "\" spec: \"" +
                 cands[choice[k]].spec + "\" }\n";
    snippet += "}\n";
    if (!out_path.empty()) {
      write_file_atomic(out_path, snippet);
      out << "wrote " << out_path << "\n";
    } else {
      out << snippet;
    }
    return 0;
  }

 private:
  std::string model_path_, list_, budget_text_, out_path_, data_dir_;
};

NOCSIM_REGISTER(command_registry(), TuneCommand, "tune",
                "choose a codec per layer within an accuracy budget");

}  // namespace
}  // namespace nocsim::tools
