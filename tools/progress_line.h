#pragma once
// Progress on stderr for the long commands (`nocsim run`, `nocsim train`): on a terminal one line
// redrawn in place (a bar, the stage's detail, the time left), elsewhere (a log file, a CI job)
// plain lines now and then, so a log is readable and not flooded. Never written into results.
// The clock is a parameter so that the throttling and the ETA are testable.
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>

#include "configs/progress.h"

namespace nocsim::tools {

// "0.4 s", "42 s", "3 min 05 s", "2 h 07 min".
std::string format_duration(double seconds);

// Seconds still to go if the rest goes at the pace `done` of `total` took in `elapsed`; negative
// when nothing is done yet (unknown).
double eta_seconds(double elapsed, uint64_t done, uint64_t total);

class ProgressLine : public Progress {
 public:
  using Clock = std::function<double()>;  // seconds on a monotonic clock
  static double steady_seconds();

  struct Pace {
    double redraw_seconds = 0.2;  // terminal: shortest time between two redraws
    double line_seconds = 5.0;    // plain: a line at least this often...
    double step_fraction = 0.1;   // ...and at every further 10% of the stage,
    double min_line_seconds = 1;  // but not more often than this
  };

  // `name` leads every line ("run", "train"). `terminal`: redraw one line (isatty(stderr)).
  ProgressLine(std::ostream& out, bool terminal, std::string name, Clock clock = steady_seconds);
  ProgressLine(std::ostream& out, bool terminal, std::string name, Clock clock, Pace pace);
  ~ProgressLine() override;

  // Not thread-safe: one computation reports to one ProgressLine.
  void update(std::string_view stage, uint64_t done, uint64_t total,
              std::string_view detail) override;
  // Erases a redrawn line, so that what is printed next starts on a clean line.
  void clear();

 private:
  void draw(std::string_view detail, uint64_t done, uint64_t total, double now);
  void plain(std::string_view detail, uint64_t done, uint64_t total, double now);
  double eta(uint64_t done, uint64_t total, double now) const;

  std::ostream& out_;
  bool terminal_;
  std::string name_;
  Clock clock_;
  Pace pace_;
  std::string stage_;
  double stage_start_ = 0, last_output_ = 0, last_fraction_ = 0;
  uint64_t start_done_ = 0;  // work already done at the stage's first report
  bool stage_done_ = false;
  size_t drawn_ = 0;  // characters of the line on screen (terminal)
};

}  // namespace nocsim::tools
