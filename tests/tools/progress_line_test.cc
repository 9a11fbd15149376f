// Progress lines on stderr: durations and ETA, the terminal's redrawn line and the plain lines of
// a log, driven by a fake clock.
#include "tools/progress_line.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>

namespace nocsim::tools {
namespace {

struct FakeClock {
  double now = 100;
  ProgressLine::Clock clock() {
    return [this] { return now; };
  }
};

size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

TEST(ProgressLine, DurationsReadAsAPersonWouldSayThem) {
  EXPECT_EQ(format_duration(0.42), "0.4 s");
  EXPECT_EQ(format_duration(42), "42 s");
  EXPECT_EQ(format_duration(185), "3 min 05 s");
  EXPECT_EQ(format_duration(7620), "2 h 07 min");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(ProgressLine, EtaAssumesTheRestGoesAtThePaceSoFar) {
  EXPECT_DOUBLE_EQ(eta_seconds(10, 1, 4), 30);
  EXPECT_DOUBLE_EQ(eta_seconds(10, 50, 100), 10);
  EXPECT_DOUBLE_EQ(eta_seconds(10, 100, 100), 0);
  EXPECT_LT(eta_seconds(10, 0, 100), 0) << "nothing done: unknown";
}

TEST(ProgressLine, LogGetsPlainLinesEverySoOftenAndADoneLine) {
  FakeClock t;
  std::ostringstream out;
  {
    ProgressLine p(out, false, "run", t.clock());
    p.update("simulation", 0, 100, "cycle 0");
    t.now += 0.5;
    p.update("simulation", 50, 100, "cycle 500");  // half done, but under a second: quiet
    EXPECT_EQ(out.str(), "");
    t.now += 0.5;
    p.update("simulation", 55, 100, "cycle 550");  // a second since the start, 10% further
    EXPECT_EQ(out.str(), "run: simulation 55% (cycle 550), 1.0 s so far, ETA 0.8 s\n");
    t.now += 3;
    p.update("simulation", 60, 100, "cycle 600");  // only 5% further, 3 s: quiet
    EXPECT_EQ(count(out.str(), "\n"), 1u);
    t.now += 2;
    p.update("simulation", 61, 100, "cycle 610");  // 5 s since the last line
    EXPECT_EQ(count(out.str(), "\n"), 2u);
    t.now += 1;
    p.update("simulation", 100, 100, "cycle 1000");
    p.update("simulation", 100, 100, "cycle 1000");  // said once
  }
  const std::string s = out.str();
  EXPECT_EQ(count(s, "\n"), 3u) << s;
  EXPECT_NE(s.find("run: simulation done in 7.0 s (cycle 1000)\n"), std::string::npos) << s;
  EXPECT_EQ(s.find('\r'), std::string::npos) << "no redrawing in a log";
}

TEST(ProgressLine, TerminalRedrawsOneLineWithABarAndErasesIt) {
  FakeClock t;
  std::ostringstream out;
  ProgressLine p(out, true, "run", t.clock());
  p.update("accuracy", 0, 1000, "");
  t.now += 10;
  p.update("accuracy", 500, 1000, "500/1000 images");
  const std::string half = out.str().substr(out.str().rfind('\r'));
  EXPECT_EQ(half, "\rrun: accuracy [##########..........] 50% 500/1000 images, ETA 10 s");
  t.now += 0.1;
  p.update("accuracy", 600, 1000, "600/1000 images");  // within 0.2 s of the last redraw
  EXPECT_EQ(out.str().find("600/1000"), std::string::npos);
  t.now += 0.2;
  p.update("accuracy", 700, 1000, "7/10");  // shorter: the rest of the old line is blanked
  const std::string last = out.str().substr(out.str().rfind('\r'));
  EXPECT_EQ(last.size(), half.size()) << last;
  p.update("accuracy", 1000, 1000, "");
  const std::string s = out.str();
  EXPECT_EQ(s.find('\n'), std::string::npos) << "the line is redrawn, never scrolled";
  const std::string erased = s.substr(s.rfind('\r', s.size() - 2));
  const size_t visible = last.find_last_not_of(' ');  // the text of the last line, '\r' included
  EXPECT_EQ(erased, "\r" + std::string(visible, ' ') + "\r") << "erased when done";
}

TEST(ProgressLine, EtaCountsFromTheFirstReportNotFromBeforeIt) {
  FakeClock t;
  std::ostringstream out;
  ProgressLine p(out, true, "run", t.clock());
  p.update("accuracy", 256, 10000, "");  // a first chunk already done, in unknown time
  EXPECT_NE(out.str().find("ETA ?"), std::string::npos) << out.str();
  t.now += 1;
  p.update("accuracy", 512, 10000, "");  // 256 images a second since then
  EXPECT_NE(out.str().find("ETA 37 s"), std::string::npos) << out.str();
}

TEST(ProgressLine, EachStageHasItsOwnClock) {
  FakeClock t;
  std::ostringstream out;
  ProgressLine p(out, false, "run", t.clock());
  p.update("simulation", 0, 10, "");
  t.now += 30;
  p.update("simulation", 10, 10, "");
  p.update("accuracy", 0, 100, "");
  t.now += 2;
  p.update("accuracy", 50, 100, "");
  const std::string s = out.str();
  EXPECT_NE(s.find("run: simulation done in 30 s\n"), std::string::npos) << s;
  EXPECT_NE(s.find("run: accuracy 50%, 2.0 s so far, ETA 2.0 s\n"), std::string::npos) << s;
}

}  // namespace
}  // namespace nocsim::tools
