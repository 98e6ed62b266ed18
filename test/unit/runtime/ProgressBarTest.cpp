//===- ProgressBarTest.cpp - training progress on stderr ------------------===//
#include "TempDir.h"

#include "nfrt/ProgressBar.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace nfrt;
using nfrt::test::TempDir;

TEST(ProgressBar, Durations) {
  EXPECT_EQ(formatDuration(0), "0s");
  EXPECT_EQ(formatDuration(59.4), "59s");
  EXPECT_EQ(formatDuration(62), "1:02");
  EXPECT_EQ(formatDuration(4 * 3600 + 13 * 60 + 5), "4:13:05");
  EXPECT_EQ(formatDuration(2 * 86400 + 3 * 3600), "2d 03:00:00");
  EXPECT_EQ(formatDuration(-1), "?");
}

TEST(ProgressBar, Line) {
  ProgressInfo info;
  info.step = 120;
  info.total = 5000;
  info.loss = 2.34561;
  info.tokensPerSecond = 12345;
  info.elapsedSeconds = 62;
  info.etaSeconds = 4 * 3600 + 13 * 60 + 5;
  EXPECT_EQ(formatProgress(info, false),
            "step 120/5000   2.4% | loss 2.3456 | 12.3k tok/s | 1:02 elapsed "
            "| ETA 4:13:05");
  info.step = 2500;
  info.tokensPerSecond = 2.5e6;
  info.etaSeconds = -1;
  EXPECT_EQ(formatProgress(info, true),
            "step 2500/5000 [##########----------]  50.0% | loss 2.3456 | "
            "2.50M tok/s | 1:02 elapsed | ETA ?");
}

TEST(ProgressBar, LogModePrintsEveryNSteps) {
  TempDir dir;
  std::string path = dir.path("log");
  FILE *f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  {
    ProgressBar bar(25, 0, f, 10, /*interactive=*/false);
    for (int step = 1; step <= 25; ++step)
      bar.update(step, 1.0, 100);
    bar.finish();
  }
  std::fclose(f);
  std::string log = TempDir::read(path);
  // Steps 10, 20 and the last one, each on its own line, no \r.
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 3) << log;
  EXPECT_EQ(log.find('\r'), std::string::npos);
  EXPECT_EQ(log.rfind("step 10/25", 0), 0u) << log;
  EXPECT_NE(log.find("\nstep 20/25"), std::string::npos) << log;
  EXPECT_NE(log.find("\nstep 25/25 100.0%"), std::string::npos) << log;
  EXPECT_NE(log.find("ETA 0s\n"), std::string::npos) << log;
}

TEST(ProgressBar, TerminalModeRedrawsOneLine) {
  TempDir dir;
  std::string path = dir.path("tty");
  FILE *f = std::fopen(path.c_str(), "w");
  ASSERT_NE(f, nullptr);
  {
    ProgressBar bar(3, 0, f, 10, /*interactive=*/true);
    bar.update(1, 1.0, 100); // drawn (first)
    bar.update(2, 1.0, 100); // skipped: within 100 ms of the last draw
    bar.clear();
    bar.update(3, 1.0, 100); // drawn (last)
    bar.finish();
  }
  std::fclose(f);
  std::string out = TempDir::read(path);
  EXPECT_EQ(out.rfind("\rstep 1/3 [", 0), 0u) << out;
  EXPECT_EQ(out.find("step 2/3"), std::string::npos) << out;
  EXPECT_NE(out.find("\x1b[K\r\x1b[K\rstep 3/3 ["), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  EXPECT_EQ(out.back(), '\n');
}
