#pragma once
// Test helper: one small config that every registered topology builder accepts (grid builders read
// the 4x3 size, the graph builder a six-router ring with a chord), so that tests can iterate
// topology_registry().names().
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "configs/schema/noc.pb.h"
#include "tests/temp_dir.h"

namespace nocsim::noc::testing {

inline config::TopologyConfig small_topology_config(const std::string& kind) {
  static const std::string graph = [] {
    // One file per process: ctest runs every test in its own process, two at a time, and a shared
    // path would be truncated by one while the other reads it.
    const std::string path =
        (nocsim::testing::fresh_temp_dir("small_topology") / "small_ring_with_chord.edges")
            .string();
    std::ofstream(path) << "0 1\n1 2\n2 3\n3 4\n4 5\n5 0\n0 3 2.0\n";
    return path;
  }();
  config::TopologyConfig cfg;
  cfg.set_kind(kind);
  cfg.set_k_x(4);
  cfg.set_k_y(3);
  cfg.set_graph_file(graph);
  return cfg;
}

}  // namespace nocsim::noc::testing
