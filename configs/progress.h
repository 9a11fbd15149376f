#pragma once
// How far a long computation is (a simulation's cycles, an accuracy pass's images, training's
// batches), told by the layer doing the work to whoever listens (the command line draws it on
// stderr, tools/progress_line.h). Here, below every layer, so that pe/ and models/ report without
// knowing who draws. Callers report every so many events or cycles, never per flit; the sink
// throttles further by time. A null Progress* means nobody listens.
#include <cstdint>
#include <string_view>

namespace nocsim {

class Progress {
 public:
  virtual ~Progress() = default;
  // `done` of `total` units of work of `stage` ("simulation", "accuracy", "training"); `detail`
  // says where it is in the user's terms ("cycle 120000, layer 3/16, image 1/1"). done == total
  // ends the stage.
  virtual void update(std::string_view stage, uint64_t done, uint64_t total,
                      std::string_view detail) = 0;
};

inline void report_progress(Progress* p, std::string_view stage, uint64_t done, uint64_t total,
                            std::string_view detail = {}) {
  if (p != nullptr) p->update(stage, done, total, detail);
}

}  // namespace nocsim
