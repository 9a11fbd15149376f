#include "pe/accelerator.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <queue>
#include <stdexcept>
#include <vector>

#include "compression/codec_chain.h"
#include "compression/codec_spec.h"
#include "configs/rng.h"
#include "configs/user_error.h"
#include "models/model.h"
#include "models/model_file.h"
#include "noc/energy_model.h"
#include "noc/network.h"
#include "noc/sim_params.h"
#include "pe/accelerator_params.h"
#include "pe/layer_plan.h"
#include "pe/mapping/mapping.h"

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

constexpr uint32_t kWeightClass = 0;
constexpr uint32_t kActivationClass = 1;
constexpr uint64_t kDecodedWeightBits = 32;  // the weight buffer holds decoded fp32 weights

uint64_t ceil_div(uint64_t a, uint64_t b) {
  return (a + b - 1) / b;
}

// A tile's part of one stage: its block-rows as contiguous runs and what they weigh.
struct Share {
  std::vector<std::pair<int, int>> runs;  // [b0, b1)
  std::vector<int> chunks;                // index of each run's chunk in the encoded layer
  int block_rows = 0;
  int64_t weights = 0;
  uint64_t weight_bits = 0;  // on the NoC: codec header + the runs' chunks
  int64_t out_elems = 0;     // output values after the fused layers
  bool active() const { return block_rows > 0; }
};

// One multi-packet transfer; packets carry its index as their tag.
struct Message {
  enum Kind : uint8_t { kWeights, kActivations, kInput, kOutput } kind = kWeights;
  uint32_t dst = 0;  // tile index (weights, activations, input) or MC index (output)
  uint32_t stage = 0;
  uint32_t image = 0;
  uint32_t fetch = 0;  // weights: fetch index on the tile
  uint32_t packets_left = 0;
  uint32_t src_node = 0, dst_node = 0;
  uint64_t payload_bits = 0;
  // DRAM-fed transfers: when the bits start to flow and how many have been sent.
  uint64_t data_start = 0;
  uint64_t sent_bits = 0;
  double bits_per_cycle = 0;  // 0 = all bits available at data_start
  uint64_t first_arrival = std::numeric_limits<uint64_t>::max();  // first packet delivered
};

struct Event {
  enum Kind : uint8_t { kSendPacket, kDecodeDone, kComputeDone } kind = kSendPacket;
  uint64_t time = 0;
  uint64_t seq = 0;
  uint32_t a = 0, b = 0;
  bool operator>(const Event& o) const { return time != o.time ? time > o.time : seq > o.seq; }
};

struct TileState {
  std::vector<int> stages;  // stages with block-rows on this tile, in order
  bool resident = true;     // all its weights fit the buffer: fetched once
  uint64_t buffer_used = 0;
  uint32_t next_fetch = 0, total_fetches = 0;
  std::vector<uint8_t> fetch_ready;  // per fetch: decoded
  uint64_t decoder_free = 0;
  uint32_t next_task = 0, total_tasks = 0;
  bool busy = false;
  std::vector<uint32_t> inputs;  // per task: input messages arrived
};

class CoSimulation {
 public:
  explicit CoSimulation(const RunInputs& in) : in_(in), sc_(*in.scenario) {}

  config::AcceleratorResult run();

 private:
  void setup_model();
  void setup_mapping();
  void encode_weights();
  void simulate();
  void finish_result();

  // Simulation steps.
  void schedule(Event::Kind kind, uint64_t time, uint32_t a, uint32_t b = 0) {
    events_.push(Event{kind, time, seq_++, a, b});
  }
  uint32_t new_message(Message m);
  void send_dram(uint32_t msg, uint32_t mc, uint64_t now);
  void send_now(uint32_t msg, uint64_t now);
  void emit_packet(uint32_t msg);
  bool issue_fetch(uint32_t tile, uint64_t now);
  void issue_fetches(uint32_t tile, uint64_t now);
  void start_image(uint32_t image, uint64_t now);
  void on_message(uint32_t msg, uint64_t now);
  void on_decoded(uint32_t tile, uint32_t fetch, uint64_t now);
  void try_start(uint32_t tile, uint64_t now);
  void on_computed(uint32_t tile, uint32_t task, uint64_t now);
  uint32_t task_stage(const TileState& t, uint32_t task) const {
    return t.stages[task % t.stages.size()];
  }
  uint32_t fetch_stage(const TileState& t, uint32_t fetch) const {
    return t.stages[fetch % t.stages.size()];
  }
  uint32_t expected_inputs(uint32_t stage) const {
    return stage == 0 ? 1 : static_cast<uint32_t>(producers_[stage - 1].size());
  }

  const RunInputs& in_;
  const config::Scenario& sc_;
  std::unique_ptr<noc::Network> net_;
  AcceleratorParams p_;
  std::unique_ptr<compression::CodecChain> codec_;
  compression::DecoderCost decoder_;
  LayerPlan plan_;
  bool functional_ = false;
  config::AcceleratorResult result_;

  // Functional state.
  models::Model assembled_;  // the weights the tiles decoded (NaN until they arrive)
  models::Model reference_;  // every layer's decoded weights: the functional model
  std::vector<std::vector<float>> staging_;  // per stage: assembled weights
  std::vector<compression::EncodedLayer> encoded_;
  std::vector<std::unique_ptr<compression::LayerDecoder>> decoders_;
  std::vector<uint8_t> decoded_once_;     // per (stage, tile)
  std::vector<std::vector<float>> acts_;  // acts_[s] = input of stage s; acts_[S] = outputs
  std::vector<std::vector<float>> raw_;   // weight layer outputs before the fused layers
  std::vector<float> scratch_;
  bool outputs_match_ = true;

  // Placement.
  std::vector<std::vector<Share>> shares_;        // [stage][tile]
  std::vector<std::vector<uint32_t>> producers_;  // [stage]: tiles with block-rows
  uint32_t input_mc_ = 0;

  // Simulation state.
  std::vector<Message> messages_;
  std::vector<TileState> tiles_;
  std::vector<uint64_t> mc_bus_free_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> events_;
  uint64_t seq_ = 0;
  std::vector<uint32_t> stage_done_;  // per stage: producers done with the current image
  uint32_t outputs_arrived_ = 0;
  uint32_t images_done_ = 0;
  uint64_t image_start_ = 0;

  // Counters.
  uint64_t weight_flits_ = 0, activation_flits_ = 0, weight_packets_ = 0, activation_packets_ = 0;
  uint64_t weight_hops_ = 0, activation_hops_ = 0;
  uint64_t dram_bits_ = 0, macs_ = 0, weight_fetches_ = 0, decoded_weights_ = 0;
  uint64_t activation_bits_received_ = 0;
  uint64_t first_image_cycles_ = 0;
  std::vector<config::LayerReport> layers_;
};

uint32_t CoSimulation::new_message(Message m) {
  m.packets_left = static_cast<uint32_t>(
      std::max<uint64_t>(1, ceil_div(m.payload_bits, p_.packet_payload_bits())));
  messages_.push_back(m);
  return static_cast<uint32_t>(messages_.size() - 1);
}

// The memory controller streams the transfer out of DRAM: after the access latency the bits flow
// at the DRAM bandwidth, behind whatever this controller is already streaming; each packet leaves
// once its last payload bit has been read.
void CoSimulation::send_dram(uint32_t msg, uint32_t mc, uint64_t now) {
  Message& m = messages_[msg];
  const uint64_t start = std::max(now + p_.dram_latency_cycles, mc_bus_free_[mc]);
  m.data_start = start;
  m.bits_per_cycle = p_.dram_bits_per_cycle;
  mc_bus_free_[mc] =
      start + static_cast<uint64_t>(std::ceil(m.payload_bits / p_.dram_bits_per_cycle));
  dram_bits_ += m.payload_bits;
  const uint64_t first = std::min(m.payload_bits, p_.packet_payload_bits());
  schedule(Event::kSendPacket, start + static_cast<uint64_t>(std::ceil(first / m.bits_per_cycle)),
           msg);
}

void CoSimulation::send_now(uint32_t msg, uint64_t now) {
  Message& m = messages_[msg];
  m.data_start = now;
  m.bits_per_cycle = 0;
  do {
    emit_packet(msg);
  } while (m.sent_bits < m.payload_bits);
}

void CoSimulation::emit_packet(uint32_t msg) {
  Message& m = messages_[msg];
  const uint64_t bits = std::min(m.payload_bits - m.sent_bits, p_.packet_payload_bits());
  m.sent_bits += bits;
  const uint32_t flits = 1 + static_cast<uint32_t>(ceil_div(bits, p_.flit_width_bits));
  const uint32_t cls = m.kind == Message::kWeights ? kWeightClass : kActivationClass;
  net_->inject({.source = m.src_node,
                .dest = m.dst_node,
                .size_flits = flits,
                .traffic_class = cls,
                .tag = msg});
  if (m.bits_per_cycle > 0 && m.sent_bits < m.payload_bits) {
    const uint64_t next = std::min(m.payload_bits, m.sent_bits + p_.packet_payload_bits());
    schedule(Event::kSendPacket,
             m.data_start + static_cast<uint64_t>(std::ceil(next / m.bits_per_cycle)), msg);
  }
}

bool CoSimulation::issue_fetch(uint32_t tile, uint64_t now) {
  TileState& t = tiles_[tile];
  if (t.next_fetch >= t.total_fetches) return false;
  const uint32_t s = fetch_stage(t, t.next_fetch);
  const Share& sh = shares_[s][tile];
  const uint64_t need = static_cast<uint64_t>(sh.weights) * kDecodedWeightBits;
  // A share larger than the whole buffer is streamed through it once the buffer is empty.
  if (t.buffer_used != 0 && t.buffer_used + need > p_.weight_buffer_bits) return false;
  t.buffer_used += need;
  Message m;
  m.kind = Message::kWeights;
  m.dst = tile;
  m.stage = s;
  m.fetch = t.next_fetch;
  m.image = t.resident ? 0 : t.next_fetch / static_cast<uint32_t>(t.stages.size());
  m.src_node = p_.mc_nodes[p_.tile_mc[tile]];
  m.dst_node = p_.pe_nodes[tile];
  m.payload_bits = sh.weight_bits;
  const uint32_t id = new_message(m);
  ++weight_fetches_;
  send_dram(id, p_.tile_mc[tile], now);
  ++t.next_fetch;
  return true;
}

void CoSimulation::issue_fetches(uint32_t tile, uint64_t now) {
  while (issue_fetch(tile, now)) {
  }
}

void CoSimulation::start_image(uint32_t image, uint64_t now) {
  image_start_ = now;
  outputs_arrived_ = 0;
  std::fill(stage_done_.begin(), stage_done_.end(), 0);
  if (functional_) {
    const float* px = in_.test->pixels.data() +
                      static_cast<size_t>(image) * static_cast<size_t>(in_.test->features());
    std::vector<float> x(px, px + in_.test->features());
    for (int l : plan_.prefix) {
      std::vector<float> y(assembled_.layer(l).output_shape().size());
      assembled_.layer(l).forward_one(x, y);
      x.swap(y);
    }
    acts_[0] = std::move(x);
  }
  // The controller reads the image once; every first-layer tile gets its own copy.
  const uint64_t bits = static_cast<uint64_t>(plan_.input_elems) * p_.activation_bits;
  bool first = true;
  for (uint32_t tile : producers_[0]) {
    Message m;
    m.kind = Message::kInput;
    m.dst = tile;
    m.stage = 0;
    m.image = image;
    m.src_node = p_.mc_nodes[input_mc_];
    m.dst_node = p_.pe_nodes[tile];
    m.payload_bits = bits;
    const uint32_t id = new_message(m);
    if (first) {
      send_dram(id, input_mc_, now);
      first = false;
    } else {
      // Same timing as the first copy, without a second DRAM read.
      Message& c = messages_[id];
      const Message& f = messages_[id - 1];
      c.data_start = f.data_start;
      c.bits_per_cycle = f.bits_per_cycle;
      const uint64_t first_bits = std::min(c.payload_bits, p_.packet_payload_bits());
      schedule(Event::kSendPacket,
               c.data_start + static_cast<uint64_t>(std::ceil(first_bits / c.bits_per_cycle)), id);
    }
  }
}

void CoSimulation::on_message(uint32_t msg, uint64_t now) {
  const Message& m = messages_[msg];
  switch (m.kind) {
    case Message::kWeights: {
      TileState& t = tiles_[m.dst];
      const Share& sh = shares_[m.stage][m.dst];
      // The decoder consumes the stream as packets arrive: it finishes no earlier than its whole
      // share takes from the first packet (or from the end of the previous transfer), nor
      // earlier than the last packet's weights take after that packet.
      const double wpc = decoder_.weights_per_cycle;
      const uint64_t start = std::max(m.first_arrival, t.decoder_free);
      const uint64_t last_bits =
          m.payload_bits - (m.payload_bits == 0
                                ? 0
                                : (ceil_div(m.payload_bits, p_.packet_payload_bits()) - 1) *
                                      p_.packet_payload_bits());
      const double last_weights = m.payload_bits == 0 ? 0.0
                                                      : static_cast<double>(sh.weights) *
                                                            static_cast<double>(last_bits) /
                                                            static_cast<double>(m.payload_bits);
      const uint64_t busy_until =
          std::max(start + static_cast<uint64_t>(std::ceil(sh.weights / wpc)),
                   now + static_cast<uint64_t>(std::ceil(last_weights / wpc)));
      t.decoder_free = busy_until;
      schedule(Event::kDecodeDone, busy_until + decoder_.latency_cycles, m.dst, m.fetch);
      break;
    }
    case Message::kInput:
    case Message::kActivations: {
      TileState& t = tiles_[m.dst];
      activation_bits_received_ += m.payload_bits;
      // Tasks of one tile run in order, so the task of (image, stage) is found by position.
      const auto pos =
          std::find(t.stages.begin(), t.stages.end(), static_cast<int>(m.stage)) - t.stages.begin();
      const uint32_t task =
          m.image * static_cast<uint32_t>(t.stages.size()) + static_cast<uint32_t>(pos);
      ++t.inputs[task];
      try_start(m.dst, now);
      break;
    }
    case Message::kOutput: {
      if (++outputs_arrived_ < producers_.back().size()) break;
      const uint32_t image = m.image;
      if (image == 0) first_image_cycles_ = now - image_start_;
      if (functional_) {
        const float* px = in_.test->pixels.data() +
                          static_cast<size_t>(image) * static_cast<size_t>(in_.test->features());
        const std::vector<float> expect =
            reference_.forward_one(std::span<const float>(px, in_.test->features()));
        if (expect != acts_.back()) outputs_match_ = false;
      }
      ++images_done_;
      if (images_done_ < p_.images) start_image(images_done_, now);
      break;
    }
  }
}

void CoSimulation::on_decoded(uint32_t tile, uint32_t fetch, uint64_t now) {
  TileState& t = tiles_[tile];
  const uint32_t s = fetch_stage(t, fetch);
  const Share& sh = shares_[s][tile];
  decoded_weights_ += static_cast<uint64_t>(sh.weights);
  uint8_t& once = decoded_once_[static_cast<size_t>(s) * tiles_.size() + tile];
  if (functional_ && !once) {
    // The tile's chunks, decoded with the layer's header: the weights it will compute with.
    // Refetches carry the same bits, so decoding them again would give the same values.
    const Stage& st = plan_.stages[s];
    for (size_t r = 0; r < sh.runs.size(); ++r) {
      const auto [b0, b1] = sh.runs[r];
      std::span<float> out(staging_[s].data() + b0 * st.weights_per_block_row,
                           static_cast<size_t>(b1 - b0) * st.weights_per_block_row);
      decoders_[s]->decode(encoded_[s].chunks[sh.chunks[r]], out);
    }
    assembled_.layer(st.layer).set_weights(staging_[s]);
  }
  once = 1;
  t.fetch_ready[fetch] = 1;
  try_start(tile, now);
}

void CoSimulation::try_start(uint32_t tile, uint64_t now) {
  TileState& t = tiles_[tile];
  if (t.busy || t.next_task >= t.total_tasks) return;
  const uint32_t task = t.next_task;
  const uint32_t s = task_stage(t, task);
  const uint32_t fetch = t.resident ? task % static_cast<uint32_t>(t.stages.size()) : task;
  if (!t.fetch_ready[fetch] || t.inputs[task] < expected_inputs(s)) return;
  const Share& sh = shares_[s][tile];
  const Stage& st = plan_.stages[s];
  uint64_t macs = 0;
  if (functional_) {
    const models::Layer& layer = assembled_.layer(st.layer);
    for (const auto& [b0, b1] : sh.runs) macs += layer.forward_rows(acts_[s], raw_[s], b0, b1);
  } else {
    macs = static_cast<uint64_t>(st.macs / st.block_rows) * sh.block_rows;
  }
  macs_ += macs;
  const uint32_t image = task / static_cast<uint32_t>(t.stages.size());
  if (image == 0) {
    config::LayerReport& lr = layers_[s];
    if (lr.start_cycle() == 0 || now < lr.start_cycle()) lr.set_start_cycle(now);
    lr.set_macs(lr.macs() + macs);
  }
  t.busy = true;
  schedule(Event::kComputeDone, now + std::max<uint64_t>(1, ceil_div(macs, p_.macs_per_cycle)),
           tile, task);
}

void CoSimulation::on_computed(uint32_t tile, uint32_t task, uint64_t now) {
  TileState& t = tiles_[tile];
  const uint32_t s = task_stage(t, task);
  const uint32_t image = task / static_cast<uint32_t>(t.stages.size());
  const Share& sh = shares_[s][tile];
  const Stage& st = plan_.stages[s];
  const bool last = s + 1 == plan_.stages.size();
  if (image == 0) {
    config::LayerReport& lr = layers_[s];
    lr.set_end_cycle(std::max<uint64_t>(lr.end_cycle(), now));
  }
  if (++stage_done_[s] == producers_[s].size() && functional_) {
    // Every block-row of the stage is computed: the fused layers (channel-local, so each tile
    // could have applied them to its own channels) turn it into the next stage's input.
    std::vector<float>* x = &raw_[s];
    for (int l : st.fused) {
      scratch_.assign(assembled_.layer(l).output_shape().size(), 0.0f);
      assembled_.layer(l).forward_one(*x, scratch_);
      acts_[s + 1].swap(scratch_);
      x = &acts_[s + 1];
    }
    if (st.fused.empty()) acts_[s + 1] = raw_[s];
  }
  const uint64_t bits = static_cast<uint64_t>(sh.out_elems) * p_.activation_bits;
  if (last) {
    Message m;
    m.kind = Message::kOutput;
    m.dst = p_.tile_mc[tile];
    m.stage = s;
    m.image = image;
    m.src_node = p_.pe_nodes[tile];
    m.dst_node = p_.mc_nodes[p_.tile_mc[tile]];
    m.payload_bits = bits;
    dram_bits_ += bits;
    send_now(new_message(m), now);
  } else {
    for (uint32_t c : producers_[s + 1]) {
      Message m;
      m.kind = Message::kActivations;
      m.dst = c;
      m.stage = s + 1;
      m.image = image;
      m.src_node = p_.pe_nodes[tile];
      m.dst_node = p_.pe_nodes[c];
      m.payload_bits = bits;
      if (c == tile) {
        // Its own outputs stay in the tile.
        messages_.push_back(m);
        on_message(static_cast<uint32_t>(messages_.size() - 1), now);
        continue;
      }
      send_now(new_message(m), now);
    }
  }
  if (!t.resident) t.buffer_used -= static_cast<uint64_t>(sh.weights) * kDecodedWeightBits;
  t.busy = false;
  ++t.next_task;
  issue_fetches(tile, now);
  try_start(tile, now);
}

void CoSimulation::setup_model() {
  const config::ModelFile& spec = *in_.model;
  const std::vector<models::LayerInfo> info = models::describe_layers(spec);
  plan_ = plan_layers(info, "model");
  functional_ = has_parameters(spec);
  result_.set_model(in_.model_name.empty() ? spec.name() : in_.model_name);
  result_.set_nominal_sizes(!functional_);
  if (!functional_) return;
  require(in_.test != nullptr, "model.dataset_dir", "a functional run needs the test set");
  require(plan_.input_elems == in_.test->features(), "model",
          "the model takes " + std::to_string(plan_.input_elems) +
              " inputs but the data set's images have " + std::to_string(in_.test->features()) +
              " pixels");
  require(p_.images <= static_cast<uint32_t>(in_.test->count), "accelerator.images",
          "the test set has only " + std::to_string(in_.test->count) + " images");
  assembled_ = models::Model::from_spec(spec, sc_.sim().seed(), "model");
  reference_ = models::Model::from_spec(spec, sc_.sim().seed(), "model");
}

void CoSimulation::setup_mapping() {
  const uint32_t num_tiles = static_cast<uint32_t>(p_.pe_nodes.size());
  auto mapping = mapping_registry().create(p_.mapping, "accelerator.mapping");
  shares_.assign(plan_.stages.size(), std::vector<Share>(num_tiles));
  producers_.assign(plan_.stages.size(), {});
  int64_t before = 0;
  for (size_t s = 0; s < plan_.stages.size(); ++s) {
    const Stage& st = plan_.stages[s];
    MappingInput mi;
    mi.layer = static_cast<int>(s);
    mi.block_rows = st.block_rows;
    mi.weights_per_block_row = st.weights_per_block_row;
    mi.block_rows_before = before;
    mi.tile_hops = p_.tile_hops;
    const std::vector<int> owner = mapping->assign(mi);
    if (owner.size() != static_cast<size_t>(st.block_rows))
      throw std::logic_error("mapping '" + p_.mapping + "' returned a wrong number of owners");
    for (int b = 0; b < st.block_rows; ++b) {
      const int o = owner[b];
      if (o < 0 || o >= static_cast<int>(num_tiles))
        throw std::logic_error("mapping '" + p_.mapping + "' returned tile " + std::to_string(o));
      Share& sh = shares_[s][o];
      if (!sh.runs.empty() && sh.runs.back().second == b) {
        ++sh.runs.back().second;
      } else {
        sh.runs.push_back({b, b + 1});
      }
      ++sh.block_rows;
      sh.weights += st.weights_per_block_row;
      sh.out_elems += st.out_end(b + 1) - st.out_begin(b);
    }
    for (uint32_t t = 0; t < num_tiles; ++t)
      if (shares_[s][t].active()) producers_[s].push_back(t);
    before += st.block_rows;
  }
  // The input enters from the controller nearest (fewest total hops) to the first layer's tiles.
  uint64_t best = std::numeric_limits<uint64_t>::max();
  const noc::Topology& topo = net_->topology();
  for (uint32_t m = 0; m < p_.mc_nodes.size(); ++m) {
    uint64_t sum = 0;
    for (uint32_t t : producers_[0]) sum += topo.distance(p_.mc_nodes[m], p_.pe_nodes[t]);
    if (sum < best) best = sum, input_mc_ = m;
  }
}

void CoSimulation::encode_weights() {
  const size_t S = plan_.stages.size();
  const uint32_t num_tiles = static_cast<uint32_t>(p_.pe_nodes.size());
  uint64_t total_bits = 0;
  int64_t total_weights = 0;
  double sq_err = 0, max_err = 0;
  if (!functional_) {
    // No weights: the codec's nominal size, plus the header it makes for a typical layer.
    std::vector<float> synthetic(4096);
    Rng rng(1);
    for (float& v : synthetic) v = static_cast<float>(0.05 * rng.normal());
    const uint64_t header = codec_->encode(synthetic).header.bits;
    const double bpw = codec_->nominal_bits_per_weight();
    for (size_t s = 0; s < S; ++s)
      for (uint32_t t = 0; t < num_tiles; ++t) {
        Share& sh = shares_[s][t];
        if (!sh.active()) continue;
        sh.weight_bits =
            header + static_cast<uint64_t>(std::ceil(bpw * static_cast<double>(sh.weights)));
        total_bits += sh.weight_bits;
      }
    for (const Stage& st : plan_.stages) total_weights += st.weights;
  } else {
    encoded_.resize(S);
    decoders_.resize(S);
    staging_.resize(S);
    for (size_t s = 0; s < S; ++s) {
      const Stage& st = plan_.stages[s];
      models::Layer& layer = reference_.layer(st.layer);
      const std::span<const float> w = layer.weights();
      // Chunk boundaries at every run of every tile, so each tile's share decodes on its own.
      std::vector<std::pair<int, int>> runs;
      for (uint32_t t = 0; t < num_tiles; ++t)
        for (const auto& r : shares_[s][t].runs) runs.push_back(r);
      std::sort(runs.begin(), runs.end());
      std::vector<size_t> bounds = {0};
      for (const auto& r : runs)
        bounds.push_back(static_cast<size_t>(r.second) *
                         static_cast<size_t>(st.weights_per_block_row));
      compression::LayerContext ctx;
      ctx.name = st.name;
      try {
        encoded_[s] = codec_->encode(w, bounds, ctx);
      } catch (const UserError& e) {
        throw UserError("codec", "encoding layer '" + st.name + "': " + e.what());
      }
      decoders_[s] = codec_->open(encoded_[s].header);
      for (uint32_t t = 0; t < num_tiles; ++t) {
        Share& sh = shares_[s][t];
        if (!sh.active()) continue;
        sh.weight_bits = encoded_[s].header.bits;
        for (const auto& r : sh.runs) {
          const int c =
              static_cast<int>(std::lower_bound(runs.begin(), runs.end(), r) - runs.begin());
          sh.chunks.push_back(c);
          sh.weight_bits += encoded_[s].chunks[c].bits;
        }
        total_bits += sh.weight_bits;
      }
      // The functional model: every layer with the decoded weights.
      const std::vector<float> decoded = codec_->decode(encoded_[s]);
      for (size_t i = 0; i < decoded.size(); ++i) {
        const double e = static_cast<double>(decoded[i]) - w[i];
        sq_err += e * e;
        max_err = std::max(max_err, std::abs(e));
      }
      total_weights += st.weights;
      layer.set_weights(decoded);
      staging_[s].assign(decoded.size(), std::numeric_limits<float>::quiet_NaN());
      assembled_.layer(st.layer).set_weights(staging_[s]);
    }
    result_.set_weight_rmse(total_weights ? std::sqrt(sq_err / total_weights) : 0.0);
    result_.set_weight_max_error(max_err);
  }
  result_.set_bits_per_weight(total_weights ? static_cast<double>(total_bits) / total_weights : 0);
  result_.set_compression_ratio(total_bits ? 32.0 / result_.bits_per_weight() : 0);
}

void CoSimulation::simulate() {
  const size_t S = plan_.stages.size();
  const uint32_t num_tiles = static_cast<uint32_t>(p_.pe_nodes.size());
  tiles_.assign(num_tiles, {});
  for (uint32_t t = 0; t < num_tiles; ++t) {
    TileState& ts = tiles_[t];
    uint64_t need = 0;
    for (size_t s = 0; s < S; ++s)
      if (shares_[s][t].active()) {
        ts.stages.push_back(static_cast<int>(s));
        need += static_cast<uint64_t>(shares_[s][t].weights) * kDecodedWeightBits;
      }
    ts.resident = need <= p_.weight_buffer_bits;
    const uint32_t ns = static_cast<uint32_t>(ts.stages.size());
    ts.total_tasks = ns * p_.images;
    ts.total_fetches = ts.resident ? ns : ts.total_tasks;
    ts.fetch_ready.assign(ts.total_fetches, 0);
    ts.inputs.assign(ts.total_tasks, 0);
    if (!ts.resident) result_.set_tiles_refetching(result_.tiles_refetching() + 1);
  }
  mc_bus_free_.assign(p_.mc_nodes.size(), 0);
  stage_done_.assign(S, 0);
  decoded_once_.assign(S * num_tiles, 0);
  if (functional_) {
    acts_.resize(S + 1);
    raw_.resize(S);
    for (size_t s = 0; s < S; ++s)
      raw_[s].assign(assembled_.layer(plan_.stages[s].layer).output_shape().size(), 0.0f);
  }
  layers_.resize(S);

  start_image(0, 0);
  // Controllers stream layer by layer (every tile's first layer before anyone's second), so the
  // first layer can start while later layers are still arriving.
  for (bool issued = true; issued;) {
    issued = false;
    for (uint32_t t = 0; t < num_tiles; ++t) issued |= issue_fetch(t, 0);
  }

  noc::Network& net = *net_;
  for (;;) {
    const uint64_t now = net.cycle();
    while (!events_.empty() && events_.top().time <= now) {
      const Event e = events_.top();
      events_.pop();
      switch (e.kind) {
        case Event::kSendPacket:
          emit_packet(e.a);
          break;
        case Event::kDecodeDone:
          on_decoded(e.a, e.b, now);
          break;
        case Event::kComputeDone:
          on_computed(e.a, e.b, now);
          break;
      }
    }
    if (images_done_ == p_.images) break;
    if (p_.max_cycles != 0 && now > p_.max_cycles)
      throw UserError("sim.max_cycles", "the inference did not finish within " +
                                            std::to_string(p_.max_cycles) + " cycles");
    if (net.empty()) {
      if (events_.empty())
        throw std::logic_error("accelerator co-simulation stalled at cycle " + std::to_string(now) +
                               " with " + std::to_string(images_done_) + " images done");
      if (events_.top().time > now) {
        net.skip_idle_until(events_.top().time);
        continue;
      }
    }
    net.step();
    for (const noc::Delivery& d : net.delivered()) {
      const uint64_t fh = static_cast<uint64_t>(d.hops) * d.size_flits;
      Message& m = messages_[d.tag];
      config::LayerReport& lr = layers_[m.stage];
      if (d.traffic_class == kWeightClass) {
        weight_flits_ += d.size_flits;
        ++weight_packets_;
        weight_hops_ += fh;
        lr.set_weight_flits(lr.weight_flits() + d.size_flits);
      } else {
        activation_flits_ += d.size_flits;
        ++activation_packets_;
        activation_hops_ += fh;
        lr.set_activation_flits(lr.activation_flits() + d.size_flits);
      }
      m.first_arrival = std::min(m.first_arrival, net.cycle());
      if (--m.packets_left == 0) on_message(static_cast<uint32_t>(d.tag), net.cycle());
    }
  }
}

void CoSimulation::finish_result() {
  const config::TechConfig& tech = sc_.tech();
  const uint64_t cycles = net_->cycle();
  const uint32_t num_tiles = static_cast<uint32_t>(p_.pe_nodes.size());
  result_.set_codec(codec_->spec());
  result_.set_mapping(p_.mapping);
  result_.set_num_tiles(num_tiles);
  result_.set_num_mcs(static_cast<uint32_t>(p_.mc_nodes.size()));
  result_.set_images(p_.images);
  result_.set_total_cycles(cycles);
  result_.set_cycles((cycles + p_.images / 2) / p_.images);
  result_.set_first_image_cycles(first_image_cycles_);
  result_.set_time_us(static_cast<double>(result_.cycles()) / (p_.clock_ghz * 1000.0));
  result_.set_weight_flits(weight_flits_);
  result_.set_activation_flits(activation_flits_);
  result_.set_weight_packets(weight_packets_);
  result_.set_activation_packets(activation_packets_);
  result_.set_weight_flit_hops(weight_hops_);
  result_.set_activation_flit_hops(activation_hops_);
  result_.set_weight_fetches(weight_fetches_);
  result_.set_dram_bits(dram_bits_);
  result_.set_macs(macs_);
  result_.set_outputs_match(functional_ && outputs_match_);

  for (size_t s = 0; s < plan_.stages.size(); ++s) {
    const Stage& st = plan_.stages[s];
    config::LayerReport& lr = layers_[s];
    lr.set_name(st.name);
    lr.set_kind(st.kind);
    lr.set_weights(static_cast<uint64_t>(st.weights));
    uint64_t bits = 0;
    for (const Share& sh : shares_[s]) bits += sh.weight_bits;
    lr.set_weight_bits(bits);
    lr.set_tiles(static_cast<uint32_t>(producers_[s].size()));
    *result_.add_layers() = lr;
  }

  // Energy. The network's dynamic energy is split between the classes by flit-hops (every
  // per-flit event of a router and link is proportional to them); leakage is kept apart.
  const config::EnergyBreakdown noc =
      noc::network_energy(net_->counters(), net_->topology(), net_->params(), cycles, tech);
  config::AcceleratorEnergy& e = *result_.mutable_energy();
  const double noc_dynamic = noc.total_pj() - noc.leakage_pj();
  const double hops = static_cast<double>(weight_hops_ + activation_hops_);
  e.set_noc_pj(noc_dynamic);
  e.set_noc_weight_pj(hops > 0 ? noc_dynamic * static_cast<double>(weight_hops_) / hops : 0);
  e.set_noc_activation_pj(noc_dynamic - e.noc_weight_pj());
  e.set_dram_pj(static_cast<double>(dram_bits_) * tech.dram_pj_per_bit());
  // Weight buffer: decoded fp32 weights written once per fetch, one weight read per MAC; the
  // activation buffer: received values written once, one activation read per MAC.
  const double sram_write_bits = static_cast<double>(decoded_weights_) * kDecodedWeightBits +
                                 static_cast<double>(activation_bits_received_);
  const double sram_read_bits =
      static_cast<double>(macs_) * static_cast<double>(kDecodedWeightBits + p_.activation_bits);
  e.set_sram_pj(sram_write_bits * tech.sram_write_pj_per_bit() +
                sram_read_bits * tech.sram_read_pj_per_bit());
  e.set_mac_pj(static_cast<double>(macs_) * tech.mac_pj());
  const double scale = tech.has_decoder_energy_scale() ? tech.decoder_energy_scale() : 1.0;
  e.set_decoder_pj(static_cast<double>(decoded_weights_) * decoder_.energy_pj_per_weight * scale);
  e.set_pe_leakage_pj(static_cast<double>(cycles) * num_tiles * tech.pe_leakage_pj_per_cycle());
  e.set_noc_leakage_pj(noc.leakage_pj());
  e.set_leakage_pj(e.pe_leakage_pj() + e.noc_leakage_pj());
  e.set_total_pj(e.dram_pj() + e.noc_pj() + e.sram_pj() + e.mac_pj() + e.decoder_pj() +
                 e.leakage_pj());

  const auto& chans = net_->topology().channels();
  const auto& flits = net_->counters().channel_flits;
  for (size_t c = 0; c < chans.size() && c < flits.size(); ++c) {
    config::LinkLoad* l = result_.add_links();
    l->set_src(chans[c].src);
    l->set_dst(chans[c].dst);
    l->set_utilization(cycles ? static_cast<double>(flits[c]) / static_cast<double>(cycles) : 0.0);
  }
}

config::AcceleratorResult CoSimulation::run() {
  const auto wall0 = std::chrono::steady_clock::now();
  net_ = std::make_unique<noc::Network>(sc_.noc(), sc_.sim().has_watchdog_cycles()
                                                       ? sc_.sim().watchdog_cycles()
                                                       : noc::SimParams{}.watchdog_cycles);
  p_ = AcceleratorParams::from_scenario(sc_, net_->topology());
  codec_ = compression::make_codec(sc_.codec(), "codec");
  decoder_ = codec_->decoder_cost();
  if (decoder_.weights_per_cycle <= 0) decoder_.weights_per_cycle = 1;
  setup_model();
  setup_mapping();
  encode_weights();
  simulate();
  finish_result();
  result_.set_wall_seconds(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count());

  if (functional_ && in_.measure_accuracy) {
    // Accuracy of the functional model (decoded weights) on the whole test set.
    result_.set_accuracy(reference_.accuracy(*in_.test));
    if (in_.baseline_accuracy) {
      result_.set_baseline_accuracy(*in_.baseline_accuracy);
    } else {
      const models::Model original = models::Model::from_spec(*in_.model, sc_.sim().seed());
      result_.set_baseline_accuracy(original.accuracy(*in_.test));
    }
    result_.set_accuracy_change(result_.accuracy() - result_.baseline_accuracy());
  }
  return result_;
}

}  // namespace

config::AcceleratorResult run_accelerator(const RunInputs& in) {
  if (in.scenario == nullptr || in.model == nullptr)
    throw std::invalid_argument("run_accelerator needs a scenario and a model");
  CoSimulation sim(in);
  return sim.run();
}

}  // namespace nocsim::pe
