//===- ProgressBar.h - training progress on stderr --------------*- C++ -*-===//
//
// On a terminal one line is redrawn in place (\r, at most ten times a
// second); in a log file or pipe a plain line is printed every N steps, so
// logs stay readable. Either way the last step is always shown.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_PROGRESSBAR_H
#define NFRT_PROGRESSBAR_H

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

namespace nfrt {

struct ProgressInfo {
  int64_t step = 0;  // steps done
  int64_t total = 0; // steps in the run
  double loss = 0;
  double tokensPerSecond = 0;
  double elapsedSeconds = 0; // since the run (or its resumption) started
  double etaSeconds = -1;    // negative: unknown
};

/// "step 120/5000 [##------]   2.4% | loss 2.3456 | 12.3k tok/s |
/// 1:02 elapsed | ETA 4:13:05" (the bar only when `withBar`).
std::string formatProgress(const ProgressInfo &info, bool withBar);

/// "59s", "1:02", "4:13:05", "2d 03:00:00"; "?" when negative.
std::string formatDuration(double seconds);

class ProgressBar {
public:
  /// `totalSteps` in the run and the step it starts from (non-zero on
  /// resume, so the ETA uses only this process's speed). `interactive`
  /// defaults to whether `out` is a terminal; `everyN` is the line
  /// interval when it is not.
  ProgressBar(int64_t totalSteps, int64_t startStep = 0, FILE *out = stderr,
              int64_t everyN = 10);
  ProgressBar(int64_t totalSteps, int64_t startStep, FILE *out, int64_t everyN,
              bool interactive);

  /// Reports that `step` steps are done.
  void update(int64_t step, double loss, double tokensPerSecond);
  /// Erases the bar (terminal only) so other output starts on a clean line;
  /// the next update draws it again.
  void clear();
  /// Ends the bar's line (terminal only).
  void finish();

  bool isInteractive() const { return interactive; }

private:
  using Clock = std::chrono::steady_clock;

  int64_t total, start;
  FILE *out;
  int64_t everyN;
  bool interactive;
  bool drawn = false;
  Clock::time_point startTime, lastDraw;
};

} // namespace nfrt

#endif // NFRT_PROGRESSBAR_H
