//===- ProgressBar.cpp - training progress on stderr ----------------------===//
#include "nfrt/ProgressBar.h"

#include <algorithm>
#include <cmath>
#include <unistd.h>

using namespace nfrt;

std::string nfrt::formatDuration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds))
    return "?";
  auto s = int64_t(seconds + 0.5);
  char text[48];
  if (s < 60)
    std::snprintf(text, sizeof(text), "%llds", (long long)s);
  else if (s < 3600)
    std::snprintf(text, sizeof(text), "%lld:%02lld", (long long)(s / 60),
                  (long long)(s % 60));
  else if (s < 86400)
    std::snprintf(text, sizeof(text), "%lld:%02lld:%02lld",
                  (long long)(s / 3600), (long long)(s / 60 % 60),
                  (long long)(s % 60));
  else
    std::snprintf(text, sizeof(text), "%lldd %02lld:%02lld:%02lld",
                  (long long)(s / 86400), (long long)(s / 3600 % 24),
                  (long long)(s / 60 % 60), (long long)(s % 60));
  return text;
}

/// 1234567 -> "1.23M".
static std::string formatRate(double rate) {
  char text[32];
  if (!std::isfinite(rate) || rate < 0)
    return "?";
  if (rate >= 1e6)
    std::snprintf(text, sizeof(text), "%.2fM", rate / 1e6);
  else if (rate >= 1e3)
    std::snprintf(text, sizeof(text), "%.1fk", rate / 1e3);
  else
    std::snprintf(text, sizeof(text), "%.0f", rate);
  return text;
}

std::string nfrt::formatProgress(const ProgressInfo &info, bool withBar) {
  char text[256];
  std::string line;
  std::snprintf(text, sizeof(text), "step %lld/%lld", (long long)info.step,
                (long long)info.total);
  line += text;
  double fraction =
      info.total > 0 ? std::min(1.0, double(info.step) / info.total) : 0.0;
  if (withBar) {
    constexpr int kWidth = 20;
    int filled = int(fraction * kWidth);
    line += " [" + std::string(filled, '#') +
            std::string(kWidth - filled, '-') + "]";
  }
  std::snprintf(text, sizeof(text),
                " %5.1f%% | loss %.4f | %s tok/s | %s "
                "elapsed | ETA %s",
                100.0 * fraction, info.loss,
                formatRate(info.tokensPerSecond).c_str(),
                formatDuration(info.elapsedSeconds).c_str(),
                formatDuration(info.etaSeconds).c_str());
  line += text;
  return line;
}

ProgressBar::ProgressBar(int64_t totalSteps, int64_t startStep, FILE *out,
                         int64_t everyN)
    : ProgressBar(totalSteps, startStep, out, everyN,
                  ::isatty(::fileno(out)) == 1) {}

ProgressBar::ProgressBar(int64_t totalSteps, int64_t startStep, FILE *out,
                         int64_t everyN, bool interactive)
    : total(totalSteps), start(startStep), out(out),
      everyN(everyN > 0 ? everyN : 1), interactive(interactive),
      startTime(Clock::now()), lastDraw(startTime) {}

void ProgressBar::update(int64_t step, double loss, double tokensPerSecond) {
  Clock::time_point now = Clock::now();
  bool last = step >= total;
  if (interactive) {
    if (!last && drawn && now - lastDraw < std::chrono::milliseconds(100))
      return;
  } else if (!last && step % everyN != 0) {
    return;
  }
  ProgressInfo info;
  info.step = step;
  info.total = total;
  info.loss = loss;
  info.tokensPerSecond = tokensPerSecond;
  info.elapsedSeconds = std::chrono::duration<double>(now - startTime).count();
  int64_t done = step - start;
  if (done > 0)
    info.etaSeconds = info.elapsedSeconds / done * double(total - step);
  std::string line = formatProgress(info, interactive);
  if (interactive)
    // \r returns to the line's start, ESC[K erases what a longer line left.
    std::fprintf(out, "\r%s\x1b[K", line.c_str());
  else
    std::fprintf(out, "%s\n", line.c_str());
  std::fflush(out);
  drawn = true;
  lastDraw = now;
}

void ProgressBar::clear() {
  if (interactive && drawn) {
    std::fprintf(out, "\r\x1b[K");
    std::fflush(out);
    drawn = false;
  }
}

void ProgressBar::finish() {
  if (interactive && drawn) {
    std::fprintf(out, "\n");
    std::fflush(out);
    drawn = false;
  }
}
