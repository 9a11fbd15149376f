#include "tools/progress_line.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ostream>

namespace nocsim::tools {

std::string format_duration(double seconds) {
  char buf[48];
  if (!(seconds >= 0)) return "?";
  if (seconds < 10) {
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  } else if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  } else if (seconds < 3600) {
    const long s = std::lround(seconds);
    std::snprintf(buf, sizeof buf, "%ld min %02ld s", s / 60, s % 60);
  } else {
    const long m = std::lround(seconds / 60);
    std::snprintf(buf, sizeof buf, "%ld h %02ld min", m / 60, m % 60);
  }
  return buf;
}

double eta_seconds(double elapsed, uint64_t done, uint64_t total) {
  if (done == 0 || total == 0) return -1;
  if (done >= total) return 0;
  return elapsed * static_cast<double>(total - done) / static_cast<double>(done);
}

double ProgressLine::steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

ProgressLine::ProgressLine(std::ostream& out, bool terminal, std::string name, Clock clock)
    : ProgressLine(out, terminal, std::move(name), std::move(clock), Pace{}) {}

ProgressLine::ProgressLine(std::ostream& out, bool terminal, std::string name, Clock clock,
                           Pace pace)
    : out_(out),
      terminal_(terminal),
      name_(std::move(name)),
      clock_(std::move(clock)),
      pace_(pace) {}

ProgressLine::~ProgressLine() {
  clear();
}

void ProgressLine::clear() {
  if (drawn_ == 0) return;
  out_ << '\r' << std::string(drawn_, ' ') << '\r' << std::flush;
  drawn_ = 0;
}

void ProgressLine::update(std::string_view stage, uint64_t done, uint64_t total,
                          std::string_view detail) {
  const double now = clock_();
  if (stage != stage_ || (stage_done_ && done < total)) {
    clear();
    stage_ = stage;
    stage_start_ = last_output_ = now;
    start_done_ = done;
    last_fraction_ = 0;
    stage_done_ = false;
  }
  if (stage_done_) return;
  if (terminal_) {
    draw(detail, done, total, now);
  } else {
    plain(detail, done, total, now);
  }
  stage_done_ = done >= total;
}

// The pace since the stage's first report: the work done before it (a first chunk of images) took
// an unknown time.
double ProgressLine::eta(uint64_t done, uint64_t total, double now) const {
  return eta_seconds(now - stage_start_, done - start_done_, total - start_done_);
}

void ProgressLine::draw(std::string_view detail, uint64_t done, uint64_t total, double now) {
  const bool finished = done >= total;
  if (finished) {
    clear();
    return;
  }
  if (drawn_ != 0 && now - last_output_ < pace_.redraw_seconds) return;
  last_output_ = now;
  constexpr int kWidth = 20;
  const double f = total == 0 ? 0.0 : static_cast<double>(done) / static_cast<double>(total);
  const int filled = static_cast<int>(f * kWidth);
  std::string line = name_ + ": " + stage_ + " [" + std::string(filled, '#') +
                     std::string(kWidth - filled, '.') + "] " +
                     std::to_string(static_cast<int>(100 * f)) + "%";
  if (!detail.empty()) line += " " + std::string(detail);
  line += ", ETA " + format_duration(eta(done, total, now));
  const size_t shown = line.size();
  if (shown < drawn_) line += std::string(drawn_ - shown, ' ');
  out_ << '\r' << line << std::flush;
  drawn_ = shown;
}

void ProgressLine::plain(std::string_view detail, uint64_t done, uint64_t total, double now) {
  const double elapsed = now - stage_start_;
  const std::string where = detail.empty() ? "" : " (" + std::string(detail) + ")";
  if (done >= total) {
    out_ << name_ << ": " << stage_ << " done in " << format_duration(elapsed) << where << "\n"
         << std::flush;
    return;
  }
  const double f = total == 0 ? 0.0 : static_cast<double>(done) / static_cast<double>(total);
  const double since = now - last_output_;
  const bool due = since >= pace_.line_seconds ||
                   (since >= pace_.min_line_seconds && f - last_fraction_ >= pace_.step_fraction);
  if (!due) return;
  last_output_ = now;
  last_fraction_ = f;
  out_ << name_ << ": " << stage_ << " " << static_cast<int>(100 * f) << "%" << where << ", "
       << format_duration(elapsed) << " so far, ETA " << format_duration(eta(done, total, now))
       << "\n"
       << std::flush;
}

}  // namespace nocsim::tools
