#include "pe/accelerator.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <stdexcept>

#include "compression/codec_spec.h"
#include "configs/user_error.h"
#include "models/model_file.h"
#include "noc/sim_params.h"
#include "noc/traffic/trace_recorder.h"
#include "pe/area.h"
#include "pe/co_simulation.h"
#include "pe/datapath.h"
#include "pe/energy.h"
#include "pe/sparse_structure.h"

namespace nocsim::pe {

bool has_parameters(const config::ModelFile& model) {
  bool any = false;
  for (const auto& l : model.layers()) {
    if (l.weights_size() > 0) any = true;
    const bool weight_kind = l.kind() == "dense" || l.kind() == "pd_dense" ||
                             l.kind() == "conv2d" || l.kind() == "pd_conv2d";
    if (weight_kind && l.weights_size() == 0) return false;
  }
  return any;
}

namespace {

void check_functional_inputs(const RunInputs& in, const LayerPlan& plan,
                             const AcceleratorParams& p) {
  require(in.test != nullptr, "model.dataset_dir", "a functional run needs the test set");
  require(plan.input_elems == in.test->features(), "model",
          "the model takes " + std::to_string(plan.input_elems) +
              " inputs but the data set's images have " + std::to_string(in.test->features()) +
              " pixels");
  require(p.images <= static_cast<uint32_t>(in.test->count), "accelerator.images",
          "the test set has only " + std::to_string(in.test->count) + " images");
}

// Every buffer must hold at least one block-row: its decoded weights, its outputs.
void check_buffers(const LayerPlan& plan, const AcceleratorParams& p, const Tile& tile) {
  for (const Stage& st : plan.stages) {
    Share one;
    one.block_rows = 1;
    one.runs = {{0, 1}};
    one.weights = st.weights_per_block_row;
    one.out_elems = st.out_end(1) - st.out_begin(0);
    const uint64_t w = tile.stored_bits(st, one);
    require(w <= p.weight_buffer_bits, "accelerator.pe.weight_buffer_kib",
            "one block-row of layer '" + st.name + "' needs " + std::to_string(w) +
                " bits of weight buffer, more than the " + std::to_string(p.weight_buffer_bits) +
                " it has");
    const uint64_t a = static_cast<uint64_t>(one.out_elems) * p.activation_bits;
    require(a <= p.activation_buffer_bits, "accelerator.pe.activation_buffer_kib",
            "one block-row of layer '" + st.name + "' produces " + std::to_string(a) +
                " bits of activations, more than the " + std::to_string(p.activation_buffer_bits) +
                " the buffer holds");
  }
}

// The weight buffer at its size; the activation buffer at its size, or, when unbounded, at the
// largest footprint a task has (its whole input and its outputs).
BufferCosts buffer_costs(const LayerPlan& plan, const Placement& pl, const AcceleratorParams& p,
                         const config::TechConfig& tech) {
  constexpr double kBitsPerKib = 8.0 * 1024.0;
  uint64_t peak = 0;
  for (size_t s = 0; s < plan.stages.size(); ++s)
    for (const Share& sh : pl.shares[s])
      if (sh.active())
        peak = std::max(peak, static_cast<uint64_t>(plan.stages[s].in_elems + sh.out_elems) *
                                  p.activation_bits);
  const uint64_t act = std::min(peak, p.activation_buffer_bits);
  return {sram_cost(tech, static_cast<double>(p.weight_buffer_bits) / kBitsPerKib),
          sram_cost(tech, static_cast<double>(act) / kBitsPerKib)};
}

void report_layers(const LayerPlan& plan, const Placement& pl,
                   const std::vector<LayerCounters>& layers, const Tile& tile,
                   config::AcceleratorResult& r) {
  for (size_t s = 0; s < plan.stages.size(); ++s) {
    const Stage& st = plan.stages[s];
    const LayerCounters& c = layers[s];
    config::LayerReport& lr = *r.add_layers();
    lr.set_name(st.name);
    lr.set_start_cycle(c.start_cycle);
    lr.set_end_cycle(c.end_cycle);
    lr.set_weight_flits(c.weight_flits);
    lr.set_activation_flits(c.activation_flits);
    lr.set_macs(c.macs);
    if (c.adds > 0) lr.set_adds(c.adds);
    lr.set_weights(static_cast<uint64_t>(st.weights));
    uint64_t bits = 0;
    for (const Share& sh : pl.shares[s]) bits += sh.weight_bits;
    lr.set_weight_bits(bits);
    lr.set_input_bits(c.input_bits);
    lr.set_input_dense_bits(c.input_dense_bits);
    uint64_t index = 0, stored = 0;
    for (const Share& sh : pl.shares[s])
      if (sh.active()) {
        index += tile.index_bits(st, sh);
        stored += tile.stored_bits(st, sh);
      }
    lr.set_index_bits(index);
    lr.set_stored_bits(stored);
    lr.set_busiest_tile_cycles(c.busiest_tile_cycles);
    lr.set_mean_tile_cycles(pl.producers[s].empty()
                                ? 0.0
                                : static_cast<double>(c.tile_cycles) /
                                      static_cast<double>(pl.producers[s].size()));
    lr.set_tiles(static_cast<uint32_t>(pl.producers[s].size()));
    lr.set_kind(st.kind);
  }
}

void report_counters(const Counters& c, config::AcceleratorResult& r) {
  r.set_weight_flits(c.weight_flits);
  r.set_activation_flits(c.activation_flits);
  r.set_weight_packets(c.weight_packets);
  r.set_activation_packets(c.activation_packets);
  r.set_weight_flit_hops(c.weight_hops);
  r.set_activation_flit_hops(c.activation_hops);
  r.set_weight_fetches(c.weight_fetches);
  r.set_dram_bits(c.dram_bits);
  r.set_macs(c.macs);
}

// Work per unit (cycles busy, or flits for the network), by kind, as config::Utilization lists
// them; `at_cold` is the same when the first image finished, so that the steady state's share is
// the difference.
void report_utilization(const CoSimulation::UnitWork& total, const CoSimulation::UnitWork* at_cold,
                        uint64_t cycles, config::Utilization& u) {
  auto busiest = [&](const std::vector<uint64_t>& units, const std::vector<uint64_t>* before) {
    uint64_t m = 0;
    for (size_t i = 0; i < units.size(); ++i)
      m = std::max(m, units[i] - (before != nullptr && i < before->size() ? (*before)[i] : 0));
    return cycles ? static_cast<double>(m) / static_cast<double>(cycles) : 0.0;
  };
  const bool steady = at_cold != nullptr;
  u.set_dram(busiest(total.dram, steady ? &at_cold->dram : nullptr));
  u.set_injection(busiest(total.injection, steady ? &at_cold->injection : nullptr));
  u.set_link(busiest(total.link, steady ? &at_cold->link : nullptr));
  u.set_decoder(busiest(total.decoder, steady ? &at_cold->decoder : nullptr));
  u.set_mac(busiest(total.mac, steady ? &at_cold->mac : nullptr));
  const std::pair<double, const char*> kinds[] = {{u.dram(), "dram"},
                                                  {u.injection(), "injection"},
                                                  {u.link(), "link"},
                                                  {u.decoder(), "decoder"},
                                                  {u.mac(), "mac"}};
  // Ties go to the first kind listed (memory before the network before the tiles).
  const auto* top =
      std::max_element(std::begin(kinds), std::end(kinds),
                       [](const auto& a, const auto& c) { return a.first < c.first; });
  u.set_bound(top->second);
}

config::AcceleratorResult run(const RunInputs& in) {
  const auto wall0 = std::chrono::steady_clock::now();
  const config::Scenario& sc = *in.scenario;
  noc::Network net(sc.noc(), sc.sim().has_watchdog_cycles() ? sc.sim().watchdog_cycles()
                                                            : noc::SimParams{}.watchdog_cycles);
  const AcceleratorParams p = AcceleratorParams::from_scenario(sc, net.topology());
  const auto codec = compression::make_codec(sc.codec(), "codec");
  // codec.layer rules: each layer's own codec (the decoder cost model stays the default's).
  const compression::LayerCodecs layer_codecs(sc.codec(), "codec");
  compression::DecoderCost decoder = codec->decoder_cost();
  if (decoder.weights_per_cycle <= 0) decoder.weights_per_cycle = 1;
  const auto tile = tile_registry().create(p.tile_kind, "accelerator.tile.kind", p);
  const auto dram =
      dram_registry().create(p.dram_model, "accelerator.dram.model", p, sc.accelerator().dram());
  const auto dataflow = dataflow_registry().create(p.dataflow, "accelerator.dataflow");
  const auto encoding = activation_encoding_registry().create(
      p.activation_encoding, "accelerator.activation_encoding.format", p);

  config::AcceleratorResult r;
  const config::ModelFile& spec = *in.model;
  const LayerPlan plan = plan_layers(models::describe_layers(spec), "model");
  for (const Stage& st : plan.stages) tile->check(st);
  check_buffers(plan, p, *tile);
  for (const Stage& st : plan.stages)
    require_codec_feeds(layer_codecs.for_layer(st.name), p.datapath.weights,
                        "accelerator.datapath.weight_precision",
                        layer_codecs.per_layer() ? st.name : "");
  const bool functional = has_parameters(spec);
  require(functional || !tile->sparse_weights(), "accelerator.tile.kind",
          "\"" + p.tile_kind +
              "\" stores the weights' non-zeros, and a model without weights has none: give "
              "it a model with weights");
  r.set_model(in.model_name.empty() ? spec.name() : in.model_name);
  r.set_nominal_sizes(!functional);
  require(functional || !encoding->needs_values(), "accelerator.activation_encoding.format",
          "\"" + p.activation_encoding +
              "\" sizes messages from the activations' values, and a traffic-only run (a model "
              "without trained weights) has none: use \"dense\"");
  std::unique_ptr<FunctionalModel> fm;
  if (functional) {
    check_functional_inputs(in, plan, p);
    fm = std::make_unique<FunctionalModel>(spec, sc.sim().seed(), plan, *in.test, p.images,
                                           p.datapath);
  }

  Placement pl = dataflow->place(plan, p, net.topology());
  EncodedWeights encoded;
  EncodingStats enc;
  if (functional) {
    if (tile->sparse_weights())
      for (size_t s = 0; s < plan.stages.size(); ++s)
        for (Share& sh : pl.shares[s])
          if (sh.active())
            fill_sparse_structure(plan.stages[s], sh,
                                  fm->reference().layer(plan.stages[s].layer).weights(),
                                  p.sparse_index_bits);
    enc = encode_weights(plan, pl, layer_codecs, fm->reference(), encoded, tile->sparse_weights());
    for (const Stage& st : plan.stages)
      tile->check_weights(st, fm->reference().layer(st.layer).weights());
    fm->reset_assembled();
    r.set_weight_rmse(enc.rmse);
    r.set_weight_max_error(enc.max_error);
  } else {
    enc = size_nominal(plan, pl, layer_codecs);
  }
  add_index_bits(plan, pl, *tile, enc);
  r.set_weight_index_bits(enc.index_bits);
  r.set_bits_per_weight(enc.bits_per_weight);
  r.set_compression_ratio(enc.bits_per_weight > 0 ? 32.0 / enc.bits_per_weight : 0);

  SimContext ctx(p, net);
  ctx.trace = in.trace;
  if (in.trace) in.trace->set_kinds(message_kind_names());
  MachineParts parts;
  parts.plan = &plan;
  parts.placement = &pl;
  parts.dataflow = dataflow.get();
  parts.tile = tile.get();
  parts.encoding = encoding.get();
  parts.dram = dram.get();
  parts.decoder = decoder;
  parts.functional = fm.get();
  parts.encoded = &encoded;
  CoSimulation sim(ctx, parts);
  sim.run(in.progress);

  const uint64_t cycles = net.cycle();
  const uint32_t num_tiles = static_cast<uint32_t>(p.pe_nodes.size());
  r.set_tiles_refetching(sim.tiles_refetching());
  if (dram->stats().has_rows) {
    r.set_dram_row_hits(dram->stats().row_hits);
    r.set_dram_row_misses(dram->stats().row_misses);
  }
  r.set_codec(codec->spec());
  r.set_mapping(p.mapping);
  r.set_num_tiles(num_tiles);
  r.set_num_mcs(static_cast<uint32_t>(p.mc_nodes.size()));
  r.set_images(p.images);
  r.set_total_cycles(cycles);
  r.set_cycles((cycles + p.images / 2) / p.images);
  r.set_first_image_cycles(sim.cold().cycles);
  r.set_time_us(static_cast<double>(r.cycles()) / (p.clock_ghz * 1000.0));
  report_counters(ctx.counters, r);
  // Spills need a bounded activation buffer; with an unbounded one the count does not apply.
  if (sc.accelerator().pe().has_activation_buffer_kib())
    r.set_activation_spill_bits(ctx.counters.spill_bits);
  *r.mutable_noc_latency() = sim.latencies().report();
  r.set_flits_injected(ctx.counters.flits_injected);
  r.set_multicast(p.multicast);
  r.set_weight_precision(p.datapath.weights.name);
  r.set_activation_precision(p.datapath.activations.name);
  r.set_activation_encoding(p.activation_encoding == "index"
                                ? "index" + std::to_string(p.activation_index_bits)
                                : p.activation_encoding);
  r.set_pd_offsets(p.pd_offsets_sent ? "sent" : "on_chip");
  r.set_tile_kind(p.tile_kind);
  uint64_t stored_weights = 0;
  for (const auto& shares : pl.shares)
    for (const Share& sh : shares) stored_weights += static_cast<uint64_t>(sh.coded_weights);
  r.set_stored_weights(stored_weights);
  r.set_activation_wire_bits(ctx.counters.activation_wire_bits);
  r.set_activation_dense_bits(ctx.counters.activation_dense_bits);
  if (functional) r.set_outputs_match(sim.outputs_match());
  report_layers(plan, pl, ctx.layers, *tile, r);
  const NocEnergy noc = run_noc_energy(net, cycles, sc.tech());
  const BufferCosts buffers = buffer_costs(plan, pl, p, sc.tech());
  *r.mutable_area() = accelerator_area(sc.tech(), p, buffers, net.topology().num_routers());
  const double mac_pj = mac_energy_pj(sc.tech(), p.datapath);
  *r.mutable_energy() =
      accelerator_energy(ctx.counters, noc, cycles, sc.tech(), num_tiles, decoder, buffers, mac_pj);
  const ColdSnapshot& cold = sim.cold();
  r.mutable_cold()->set_cycles(cold.cycles);
  r.mutable_cold()->set_energy_pj(
      accelerator_energy(cold.counters,
                         noc_share(noc, ctx.counters, cycles, cold.counters, cold.cycles),
                         cold.cycles, sc.tech(), num_tiles, decoder, buffers, mac_pj)
          .total_pj());
  if (p.images >= 2) {
    const double n = p.images - 1;
    config::SteadyState& st = *r.mutable_steady();
    st.set_cycles_per_inference(static_cast<double>(cycles - cold.cycles) / n);
    st.set_energy_pj_per_inference((r.energy().total_pj() - r.cold().energy_pj()) / n);
    st.set_inferences_per_second(p.clock_ghz * 1e9 / st.cycles_per_inference());
    st.set_latency_cycles(static_cast<double>(sim.later_latency_sum()) / n);
  }
  const double per_second = p.images >= 2 ? r.steady().inferences_per_second()
                                          : p.clock_ghz * 1e9 / static_cast<double>(cold.cycles);
  r.set_inferences_per_second_per_mm2(per_second / r.area().total_mm2());

  const auto& chans = net.topology().channels();
  const auto& flits = net.counters().channel_flits;
  for (size_t c = 0; c < chans.size() && c < flits.size(); ++c) {
    config::LinkLoad* l = r.add_links();
    l->set_src(chans[c].src);
    l->set_dst(chans[c].dst);
    l->set_utilization(cycles ? static_cast<double>(flits[c]) / static_cast<double>(cycles) : 0.0);
  }
  const CoSimulation::UnitWork work = sim.work();
  report_utilization(work, nullptr, cycles, *r.mutable_utilization());
  if (p.images >= 2)
    report_utilization(work, &sim.work_at_cold(), cycles - cold.cycles,
                       *r.mutable_steady()->mutable_utilization());
  r.set_wall_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count());

  if (functional && in.measure_accuracy) {
    // Accuracy of the functional model (decoded weights) on the test set, or on its first
    // accelerator.accuracy_images images; the baseline on the same images.
    const uint32_t count = static_cast<uint32_t>(in.test->count);
    const uint32_t k = p.accuracy_images == 0 ? count : p.accuracy_images;
    require(k <= count, "accelerator.accuracy_images",
            "the test set has only " + std::to_string(count) + " images, asked for " +
                std::to_string(k));
    const models::Dataset subset =
        k < count ? in.test->head(static_cast<int>(k)) : models::Dataset{};
    const models::Dataset& data = k < count ? subset : *in.test;
    r.set_accuracy_images(k);
    r.set_accuracy(fm->accuracy(data, in.progress));
    if (in.baseline_accuracy && k == count) {
      r.set_baseline_accuracy(*in.baseline_accuracy);
    } else {
      const models::Model original = models::Model::from_spec(spec, sc.sim().seed());
      r.set_baseline_accuracy(original.accuracy(data));
    }
    r.set_accuracy_change(r.accuracy() - r.baseline_accuracy());
  }
  return r;
}

}  // namespace

config::AcceleratorResult run_accelerator(const RunInputs& in) {
  if (in.scenario == nullptr || in.model == nullptr)
    throw std::invalid_argument("run_accelerator needs a scenario and a model");
  return run(in);
}

}  // namespace nocsim::pe
