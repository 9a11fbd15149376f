#include "pe/co_simulation.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "configs/user_error.h"

namespace nocsim::pe {

CoSimulation::CoSimulation(SimContext& ctx, const MachineParts& parts)
    : ctx_(ctx),
      p_(ctx.p),
      plan_(*parts.plan),
      pl_(*parts.placement),
      dataflow_(*parts.dataflow),
      tile_(*parts.tile),
      encoding_(*parts.encoding),
      dram_(*parts.dram),
      decoder_(parts.decoder),
      functional_(parts.functional),
      encoded_(parts.encoded),
      transfer_(ctx) {}

bool CoSimulation::issue_fetch(uint32_t tile, uint64_t now) {
  TileState& t = tiles_[tile];
  if (t.next_fetch >= t.fetches.size()) return false;
  const Fetch f = t.fetches[t.next_fetch];
  const uint32_t s = t.stages[f.pos];
  const Share& sh = pl_.shares[s][tile];
  if (!t.kept[f.pos]) {
    // Streamed shares take what the kept ones leave; a share larger than that is streamed
    // through it once it is empty.
    const uint64_t need = tile_.stored_bits(plan_.stages[s], sh);
    if (t.stream_used != 0 && t.resident_bits + t.stream_used + need > p_.weight_buffer_bits)
      return false;
    t.stream_used += need;
  }
  Message m;
  m.kind = Message::kWeights;
  m.dst = tile;
  m.stage = s;
  m.fetch = t.next_fetch;
  m.image = f.image;
  m.src_node = p_.mc_nodes[p_.tile_mc[tile]];
  m.dst_node = p_.pe_nodes[tile];
  m.payload_bits = sh.weight_bits;
  const uint32_t id = transfer_.create(m);
  count(m.image, [&](Counters& c) {
    ++c.weight_fetches;
    c.dram_bits += m.payload_bits;
  });
  transfer_.stream(
      id, read_dram(p_.tile_mc[tile], {DramRegion::kWeights, s, tile}, m.payload_bits, now));
  ++t.next_fetch;
  return true;
}

void CoSimulation::issue_fetches(uint32_t tile, uint64_t now) {
  while (issue_fetch(tile, now)) {
  }
}

void CoSimulation::maybe_start_next_image(uint64_t now) {
  const uint32_t k = images_started_;
  if (k >= p_.images) return;
  const uint32_t receivers = static_cast<uint32_t>(dataflow_.input_receivers(pl_).size());
  if (input_arrived_[k - 1] < receivers) return;
  if (k >= 2 && first_stage_done_[k - 2] < receivers) return;
  start_image(k, now);
}

void CoSimulation::start_image(uint32_t image, uint64_t now) {
  images_started_ = image + 1;
  image_start_[image] = now;
  if (functional_ != nullptr) functional_->load_input(image);
  // The controller reads the image once; one multicast message, or one unicast copy per tile in
  // step with the first (no second DRAM read).
  // DRAM holds the image as it travels (encoded by whoever wrote it there).
  Message m;
  m.kind = Message::kInput;
  m.stage = 0;
  m.image = image;
  m.src_node = p_.mc_nodes[pl_.input_mc];
  const std::vector<uint32_t>& receivers = dataflow_.input_receivers(pl_);
  const std::span<const float> values =
      functional_ != nullptr ? functional_->stage_input(image, 0) : std::span<const float>{};
  size_activations(m, static_cast<uint64_t>(plan_.input_elems), values);
  const uint64_t bits = m.payload_bits;
  const auto ids = transfer_.create_for(m, receivers);
  count_activations(m, ids.size());
  if (ids.empty()) return;
  count(image, [&](Counters& c) { c.dram_bits += bits; });
  const DramStream stream = read_dram(pl_.input_mc, {DramRegion::kInput, image, 0}, bits, now);
  for (uint32_t id : ids) transfer_.stream(id, stream);
}

// `m` is a copy: handling it may add messages (and move the vector).
void CoSimulation::on_message(Message m, uint64_t now) {
  switch (m.kind) {
    case Message::kWeights: {
      TileState& t = tiles_[m.dst];
      const Share& sh = pl_.shares[m.stage][m.dst];
      // The decoder consumes the stream as packets arrive: it finishes no earlier than its whole
      // share takes from the first packet (or from the end of the previous transfer), nor
      // earlier than the last packet's weights take after that packet.
      const double wpc = decoder_.weights_per_cycle;
      const uint64_t start = std::max(m.first_arrival, t.decoder_free);
      const double last_weights = m.payload_bits == 0
                                      ? 0.0
                                      : static_cast<double>(sh.coded_weights) *
                                            static_cast<double>(transfer_.last_packet_bits(m)) /
                                            static_cast<double>(m.payload_bits);
      const uint64_t work = static_cast<uint64_t>(std::ceil(sh.coded_weights / wpc));
      const uint64_t busy_until =
          std::max(start + work, now + static_cast<uint64_t>(std::ceil(last_weights / wpc)));
      t.decoder_free = busy_until;
      decoder_busy_[m.dst] += work;
      ctx_.events.push(Event::kDecodeDone, busy_until + decoder_.latency_cycles, m.dst, m.fetch);
      break;
    }
    case Message::kInput:
    case Message::kActivations: {
      TileState& t = tiles_[m.dst];
      count(m.image, [&](Counters& c) { c.activation_bits_received += m.dense_bits; });
      const auto pos =
          std::find(t.stages.begin(), t.stages.end(), static_cast<int>(m.stage)) - t.stages.begin();
      const uint32_t task =
          m.image * static_cast<uint32_t>(t.stages.size()) + static_cast<uint32_t>(pos);
      ++t.inputs[task];
      if (m.kind == Message::kInput) {
        ++input_arrived_[m.image];
        maybe_start_next_image(now);
      }
      try_start(m.dst, now);
      break;
    }
    case Message::kSpillOut: {
      Message back = m;
      back.kind = Message::kSpillIn;
      back.dst = m.tile;
      back.src_node = m.dst_node;
      back.dst_node = m.src_node;
      back.sent_bits = 0;
      back.first_arrival = std::numeric_limits<uint64_t>::max();
      const uint32_t id = transfer_.create(back);
      transfer_.stream(id,
                       read_dram(m.dst, {DramRegion::kSpill, m.tile, 0}, back.payload_bits, now));
      break;
    }
    case Message::kSpillIn:
      start_task(m.tile, m.task, now);
      break;
    case Message::kOutput:
      if (++outputs_arrived_[m.image] == pl_.producers.back().size()) on_image_done(m.image, now);
      break;
  }
}

// The task's activations that do not fit the tile's buffer go to its memory controller and come
// back before it computes (the tile is busy meanwhile).
void CoSimulation::spill(uint32_t tile, uint32_t task, uint64_t now) {
  TileState& t = tiles_[tile];
  const uint32_t ns = static_cast<uint32_t>(t.stages.size());
  t.busy = true;
  Message m;
  m.kind = Message::kSpillOut;
  m.dst = p_.tile_mc[tile];
  m.stage = t.stages[task % ns];
  m.image = task / ns;
  m.tile = tile;
  m.task = task;
  m.src_node = p_.pe_nodes[tile];
  m.dst_node = p_.mc_nodes[m.dst];
  m.payload_bits = t.spill_bits[task % ns];
  count(m.image, [&](Counters& c) {
    c.spill_bits += m.payload_bits;
    c.dram_bits += 2 * m.payload_bits;  // written, then read back
  });
  transfer_.send_now(transfer_.create(m), now);
}

void CoSimulation::size_activations(Message& m, uint64_t elems,
                                    std::span<const float> values) const {
  m.dense_bits = elems * p_.activation_bits;
  m.payload_bits = encoding_.bits(elems, values);
}

void CoSimulation::count_activations(const Message& m, size_t copies) {
  const uint64_t n = copies;
  count(m.image, [&](Counters& c) {
    c.activation_wire_bits += n * m.payload_bits;
    c.activation_dense_bits += n * m.dense_bits;
  });
  if (m.image == 0 && m.kind != Message::kOutput) {
    ctx_.layers[m.stage].input_bits += n * m.payload_bits;
    ctx_.layers[m.stage].input_dense_bits += n * m.dense_bits;
  }
}

std::span<const float> CoSimulation::share_values(uint32_t tile, uint32_t s, uint32_t image) {
  if (functional_ == nullptr || !encoding_.needs_values()) return {};
  functional_->share_outputs(image, s, pl_.shares[s][tile], share_values_);
  return share_values_;
}

CoSimulation::UnitWork CoSimulation::work() const {
  return {dram_busy_, ctx_.injected_flits, ctx_.net.counters().channel_flits, decoder_busy_,
          mac_busy_};
}

DramStream CoSimulation::read_dram(uint32_t mc, const DramRegion& region, uint64_t bits,
                                   uint64_t now) {
  const DramStream stream = dram_.read(mc, region, bits, now);
  dram_busy_[mc] +=
      static_cast<uint64_t>(std::ceil(static_cast<double>(bits) / stream.bits_per_cycle));
  return stream;
}

void CoSimulation::on_image_done(uint32_t image, uint64_t now) {
  if (images_done_ == 0) {
    cold_.cycles = now;
    work_at_cold_ = work();
  }
  if (functional_ != nullptr && !functional_->check_and_release(image)) outputs_match_ = false;
  if (image > 0) later_latency_sum_ += now - image_start_[image];
  ++images_done_;
}

void CoSimulation::on_decoded(uint32_t tile, uint32_t fetch, uint64_t now) {
  TileState& t = tiles_[tile];
  const uint32_t s = t.stages[t.fetches[fetch].pos];
  const Share& sh = pl_.shares[s][tile];
  const uint32_t image = t.fetches[fetch].image;
  count(image, [&](Counters& c) {
    c.decoded_weights += static_cast<uint64_t>(sh.coded_weights);
    c.stored_weight_bits += tile_.stored_bits(plan_.stages[s], sh);
  });
  uint8_t& once = decoded_once_[static_cast<size_t>(s) * tiles_.size() + tile];
  // Refetches carry the same bits, so decoding them again would give the same values.
  if (functional_ != nullptr && !once) functional_->decode_share(s, sh, *encoded_);
  once = 1;
  t.fetch_ready[fetch] = 1;
  try_start(tile, now);
}

void CoSimulation::try_start(uint32_t tile, uint64_t now) {
  TileState& t = tiles_[tile];
  if (t.busy) return;
  const uint32_t ns = static_cast<uint32_t>(t.stages.size());
  // All weights kept: any task whose inputs are there, earliest first; tiles that stream some
  // weights follow the order those stream in. No task of an image whose input was not sent can be
  // ready.
  const uint32_t end = t.resident ? std::min(t.total_tasks, images_started_ * ns)
                                  : std::min(t.total_tasks, t.next_task + 1);
  for (uint32_t task = t.next_task; task < end; ++task) {
    if (t.done[task]) continue;
    const uint32_t s = t.stages[task % ns];
    if (!t.fetch_ready[t.task_fetch[task]] ||
        t.inputs[task] < dataflow_.expected_inputs(pl_, s, tile))
      continue;
    if (!outputs_have_room(task / ns, s)) continue;
    if (t.spill_bits[task % ns] > 0) {
      spill(tile, task, now);
    } else {
      start_task(tile, task, now);
    }
    return;
  }
}

bool CoSimulation::outputs_have_room(uint32_t image, uint32_t s) const {
  // Two input buffers per tile and stage: image i's outputs of stage s may be produced once
  // every tile of every stage that reads them (s + 1 in a chain) has finished image i - 2.
  if (image < 2) return true;
  for (int c : plan_.stages[s].consumers)
    if (stage_done_[static_cast<size_t>(image - 2) * num_stages() + static_cast<uint32_t>(c)] !=
        pl_.producers[c].size())
      return false;
  return true;
}

void CoSimulation::start_task(uint32_t tile, uint32_t task, uint64_t now) {
  TileState& t = tiles_[tile];
  const uint32_t ns = static_cast<uint32_t>(t.stages.size());
  const uint32_t s = t.stages[task % ns];
  const uint32_t image = task / ns;
  TileTask tt;
  tt.stage = &plan_.stages[s];
  tt.share = &pl_.shares[s][tile];
  if (functional_ != nullptr) {
    tt.layer = &functional_->kernel(s);
    tt.input = functional_->stage_input(image, s);
    tt.output = functional_->stage_raw(image, s);
  }
  TaskCost c = tile_.compute(tt);
  // The residual adds fused into the stage, on the share's own output channels: one addition per
  // MAC lane and cycle whatever the tile kind, each reading its side operand from the buffer.
  const uint64_t adds =
      static_cast<uint64_t>(tt.stage->adds_per_channel) *
      static_cast<uint64_t>(tt.share->out_elems /
                            std::max<int64_t>(1, tt.stage->out_elems_per_channel));
  if (adds > 0) {
    c.cycles += ceil_div(adds, p_.macs_per_cycle);
    c.activation_read_bits += adds * p_.activation_bits;
  }
  count(image, [&](Counters& k) {
    k.macs += c.macs;
    k.weight_read_bits += c.weight_read_bits;
    k.activation_read_bits += c.activation_read_bits;
  });
  if (image == 0) {
    LayerCounters& lr = ctx_.layers[s];
    if (lr.start_cycle == 0 || now < lr.start_cycle) lr.start_cycle = now;
    lr.macs += c.macs;
    lr.busiest_tile_cycles = std::max(lr.busiest_tile_cycles, c.cycles);
    lr.tile_cycles += c.cycles;
    lr.adds += adds;
  }
  t.busy = true;
  mac_busy_[tile] += c.cycles;
  ctx_.events.push(Event::kComputeDone, now + c.cycles, tile, task);
}

void CoSimulation::on_computed(uint32_t tile, uint32_t task, uint64_t now) {
  TileState& t = tiles_[tile];
  const uint32_t ns = static_cast<uint32_t>(t.stages.size());
  const uint32_t s = t.stages[task % ns];
  const uint32_t image = task / ns;
  const Share& sh = pl_.shares[s][tile];
  const bool last = s + 1 == num_stages();
  if (image == 0) ctx_.layers[s].end_cycle = std::max(ctx_.layers[s].end_cycle, now);
  const size_t sd = static_cast<size_t>(image) * num_stages() + s;
  const bool stage_complete = ++stage_done_[sd] == pl_.producers[s].size();
  if (stage_complete && functional_ != nullptr) functional_->finish_stage(image, s);
  const uint64_t elems = static_cast<uint64_t>(sh.out_elems);
  if (last) {
    Message m;
    m.kind = Message::kOutput;
    m.dst = p_.tile_mc[tile];
    m.stage = s;
    m.image = image;
    m.src_node = p_.pe_nodes[tile];
    m.dst_node = p_.mc_nodes[p_.tile_mc[tile]];
    size_activations(m, elems, share_values(tile, s, image));
    count_activations(m, 1);
    count(image, [&](Counters& c) { c.dram_bits += m.payload_bits; });
    transfer_.send_now(transfer_.create(m), now);
  } else {
    // One message per stage that reads the outputs (stage s + 1 in a chain; the stage of a
    // residual add that reads them too).
    std::span<const float> values;
    bool have_values = false;
    for (int consumer : plan_.stages[s].consumers) {
      Message m;
      m.kind = Message::kActivations;
      m.stage = static_cast<uint32_t>(consumer);
      m.image = image;
      m.src_node = p_.pe_nodes[tile];
      const std::vector<uint32_t>& receivers = dataflow_.receivers(pl_, s, m.stage, tile);
      others_.clear();
      bool self = false;
      for (uint32_t c : receivers) {
        if (c == tile)
          self = true;
        else
          others_.push_back(c);
      }
      if (!others_.empty() && !have_values) {
        values = share_values(tile, s, image);
        have_values = true;
      }
      size_activations(m, elems, others_.empty() ? std::span<const float>{} : values);
      const auto ids = transfer_.create_for(m, others_);
      count_activations(m, ids.size());
      for (uint32_t id : ids) transfer_.send_now(id, now);
      if (self) {
        // Its own outputs stay in the tile (after the others are on their way, as before).
        m.dst = tile;
        m.dst_node = p_.pe_nodes[tile];
        on_message(m, now);
      }
    }
  }
  if (!t.kept[task % ns]) t.stream_used -= tile_.stored_bits(plan_.stages[s], sh);
  t.busy = false;
  t.done[task] = 1;
  while (t.next_task < t.total_tasks && t.done[t.next_task]) ++t.next_task;
  if (s == 0) {
    ++first_stage_done_[image];
    maybe_start_next_image(now);
  }
  issue_fetches(tile, now);
  try_start(tile, now);
  // The stage's input buffers of image `image` are free again: its producers may go on.
  if (stage_complete)
    for (int k : plan_.stages[s].sources)
      if (k >= 0)
        for (uint32_t p : pl_.producers[k]) try_start(p, now);
}

void CoSimulation::on_delivery(const noc::Delivery& d, uint64_t now) {
  const uint64_t fh = static_cast<uint64_t>(d.hops) * d.size_flits;
  Message& m = ctx_.messages[d.tag];
  if (d.last) latencies_.add(m.kind, d);
  LayerCounters& lr = ctx_.layers[m.stage];
  const bool weights = d.traffic_class == kWeightClass;
  count(m.image, [&](Counters& c) {
    if (weights) {
      c.weight_flits += d.size_flits;
      ++c.weight_packets;
      c.weight_hops += fh;
    } else {
      c.activation_flits += d.size_flits;
      ++c.activation_packets;
      (d.multicast ? c.multicast_dest_hops : c.activation_hops) += fh;
    }
  });
  (weights ? lr.weight_flits : lr.activation_flits) += d.size_flits;
  work_done_ += static_cast<uint64_t>(d.size_flits - 1) * p_.flit_width_bits;
  m.first_arrival = std::min(m.first_arrival, now);
  if (m.dests_count == 0) {
    if (--m.packets_left == 0) on_message(m, now);
    return;
  }
  // A multicast message is complete at a tile once every packet reached that tile.
  for (uint32_t i = m.dests_first; i < m.dests_first + m.dests_count; ++i) {
    MulticastDest& md = ctx_.dests[i];
    if (md.node != d.dest) continue;
    if (--md.packets_left == 0) {
      Message at = m;
      at.dst = md.tile;
      at.dst_node = md.node;
      at.dests_count = 0;
      on_message(at, now);
    }
    return;
  }
  throw std::logic_error("multicast delivery to a terminal outside its message's destinations");
}

// A flit crossing h routers uses h - 1 links, and a multicast flit's tree of L links visits L + 1
// routers, so the run's flit-hops are the network's link traversals plus the flits injected. Only
// multicast packets (activations) are not known one by one: they get the rest. The first image's
// share of it is in proportion to its per-destination hops.
void CoSimulation::settle_multicast_hops() {
  Counters& run = ctx_.counters;
  if (run.multicast_dest_hops == 0) return;
  uint64_t links = 0;
  for (uint64_t f : ctx_.net.counters().channel_flits) links += f;
  const uint64_t tree = links + run.flits_injected - run.weight_hops - run.activation_hops;
  cold_.counters.activation_hops += static_cast<uint64_t>(std::llround(
      static_cast<double>(tree) * static_cast<double>(cold_.counters.multicast_dest_hops) /
      static_cast<double>(run.multicast_dest_hops)));
  run.activation_hops += tree;
}

// What stays: in layer order, a stage's share is kept when it fits beside the shares already
// kept and the room the streamed shares need. The others are fetched for every image.
void CoSimulation::setup_tile(uint32_t tile) {
  TileState& ts = tiles_[tile];
  std::vector<uint64_t> need;
  for (uint32_t s = 0; s < num_stages(); ++s)
    if (pl_.shares[s][tile].active()) {
      ts.stages.push_back(static_cast<int>(s));
      need.push_back(tile_.stored_bits(plan_.stages[s], pl_.shares[s][tile]));
    }
  const uint32_t ns = static_cast<uint32_t>(ts.stages.size());
  const uint64_t all = std::accumulate(need.begin(), need.end(), uint64_t{0});
  ts.kept.assign(ns, all <= p_.weight_buffer_bits ? 1 : 0);
  if (all > p_.weight_buffer_bits)
    for (uint32_t i = 0; i < ns; ++i) {
      uint64_t largest_streamed = 0;
      for (uint32_t j = 0; j < ns; ++j)
        if (j != i && !ts.kept[j]) largest_streamed = std::max(largest_streamed, need[j]);
      // A share larger than the buffer streams through what is left; half the buffer is kept
      // free for it (double buffering).
      const uint64_t reserve =
          largest_streamed <= p_.weight_buffer_bits ? largest_streamed : p_.weight_buffer_bits / 2;
      if (ts.resident_bits + need[i] + reserve <= p_.weight_buffer_bits) {
        ts.kept[i] = 1;
        ts.resident_bits += need[i];
      }
    }
  ts.resident = std::all_of(ts.kept.begin(), ts.kept.end(), [](uint8_t k) { return k != 0; });
  if (ts.resident) ts.resident_bits = all;
  ts.total_tasks = ns * p_.images;
  ts.task_fetch.resize(ts.total_tasks);
  for (uint32_t image = 0; image < p_.images; ++image)
    for (uint32_t i = 0; i < ns; ++i) {
      if (image > 0 && ts.kept[i]) {
        ts.task_fetch[image * ns + i] = i;
        continue;
      }
      ts.task_fetch[image * ns + i] = static_cast<uint32_t>(ts.fetches.size());
      ts.fetches.push_back({i, image});
    }
  ts.fetch_ready.assign(ts.fetches.size(), 0);
  ts.inputs.assign(ts.total_tasks, 0);
  ts.done.assign(ts.total_tasks, 0);
  ts.spill_bits.assign(ns, 0);
  for (uint32_t i = 0; i < ns; ++i) {
    const Stage& st = plan_.stages[ts.stages[i]];
    const uint64_t bits =
        static_cast<uint64_t>(st.in_elems + pl_.shares[ts.stages[i]][tile].out_elems) *
        p_.activation_bits;
    if (bits > p_.activation_buffer_bits) ts.spill_bits[i] = bits - p_.activation_buffer_bits;
  }
  if (!ts.resident) ++tiles_refetching_;
}

// A task's share of the run's work for progress reports: the bits it waits for (its weights, when
// fetched for it, and its input), which is what the simulation spends its time moving; the work
// done is the payload delivered so far (every destination of a multicast counts, as every
// consuming task counts its input).
uint64_t CoSimulation::task_work(uint32_t tile, uint32_t task) const {
  const TileState& t = tiles_[tile];
  const uint32_t ns = static_cast<uint32_t>(t.stages.size());
  const uint32_t s = t.stages[task % ns];
  const bool fetched = t.fetches[t.task_fetch[task]].image == task / ns;
  return 1 + (fetched ? pl_.shares[s][tile].weight_bits : 0) +
         static_cast<uint64_t>(plan_.stages[s].in_elems) * p_.activation_bits;
}

void CoSimulation::report_progress(Progress* progress, uint64_t now) const {
  const uint32_t S = num_stages();
  uint32_t layer = S;
  if (images_done_ < p_.images)
    for (uint32_t s = 0; s < S && layer == S; ++s)
      if (stage_done_[static_cast<size_t>(images_done_) * S + s] < pl_.producers[s].size())
        layer = s;
  std::string detail = "cycle " + std::to_string(now);
  if (layer < S)
    detail += ", layer " + std::to_string(layer + 1) + "/" + std::to_string(S) + " (" +
              plan_.stages[layer].name + ")";
  detail += ", " + std::to_string(images_done_) + "/" + std::to_string(p_.images) + " images";
  // Payload that never crosses the network (a tile's own slice) leaves the estimate short, and
  // head-flit rounding long: only the end of the run says done.
  const bool finished = images_done_ == p_.images;
  nocsim::report_progress(progress, "simulation",
                          finished ? work_total_ : std::min(work_done_, work_total_ - 1),
                          work_total_, detail);
}

void CoSimulation::run(Progress* progress) {
  const uint32_t S = num_stages();
  const uint32_t num_tiles = static_cast<uint32_t>(p_.pe_nodes.size());
  tiles_.assign(num_tiles, {});
  for (uint32_t t = 0; t < num_tiles; ++t) setup_tile(t);
  for (uint32_t t = 0; t < num_tiles; ++t)
    for (uint32_t k = 0; k < tiles_[t].total_tasks; ++k) work_total_ += task_work(t, k);
  decoded_once_.assign(static_cast<size_t>(S) * num_tiles, 0);
  dram_busy_.assign(p_.mc_nodes.size(), 0);
  decoder_busy_.assign(num_tiles, 0);
  mac_busy_.assign(num_tiles, 0);
  input_arrived_.assign(p_.images, 0);
  first_stage_done_.assign(p_.images, 0);
  outputs_arrived_.assign(p_.images, 0);
  image_start_.assign(p_.images, 0);
  stage_done_.assign(static_cast<size_t>(p_.images) * S, 0);
  ctx_.layers.assign(S, {});

  start_image(0, 0);
  // Controllers stream layer by layer (every tile's first layer before anyone's second), so the
  // first layer can start while later layers are still arriving.
  for (bool issued = true; issued;) {
    issued = false;
    for (uint32_t t = 0; t < num_tiles; ++t) issued |= issue_fetch(t, 0);
  }

  noc::Network& net = ctx_.net;
  uint64_t next_report = 0;
  for (;;) {
    const uint64_t now = net.cycle();
    while (!ctx_.events.empty() && ctx_.events.top().time <= now) {
      const Event e = ctx_.events.top();
      ctx_.events.pop();
      switch (e.kind) {
        case Event::kSendPacket:
          transfer_.emit_packet(e.a);
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
    if (progress != nullptr && now >= next_report) {
      report_progress(progress, now);
      next_report = now + kProgressCycles;
    }
    if (p_.max_cycles != 0 && now > p_.max_cycles)
      throw UserError("sim.max_cycles", "the inference did not finish within " +
                                            std::to_string(p_.max_cycles) + " cycles");
    if (net.empty()) {
      if (ctx_.events.empty())
        throw std::logic_error("accelerator co-simulation stalled at cycle " + std::to_string(now) +
                               " with " + std::to_string(images_done_) + " images done");
      if (ctx_.events.top().time > now) {
        net.skip_idle_until(ctx_.events.top().time);
        continue;
      }
    }
    net.step();
    for (const noc::Delivery& d : net.delivered()) on_delivery(d, net.cycle());
  }
  settle_multicast_hops();
  report_progress(progress, net.cycle());
}

}  // namespace nocsim::pe
