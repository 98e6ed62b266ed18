//===- SweepCommand.cpp - nfc sweep ---------------------------------------===//
//
//   nfc sweep grid.json [-o DIR] [--jobs N] [--report-only]
//
// Plans the grid (lib/Sweep), writes one spec per variant (cell x learning
// rate), builds each variant's training binary once with `nfc build` and
// runs it once per seed (--seed, --out), several processes at a time. A run
// is finished when its binary exited 0 with the final step's validation
// loss in its metrics, or stopped on a NaN/Inf (a result, not an error);
// the sweep then writes done.json next to its metrics, atomically. A sweep
// started again skips finished runs; an unfinished run starts again and the
// binary resumes from its checkpoint. Then the report: tables and plots.
// The sweep holds DIR/.lock while it works: a second sweep on the same
// directory is refused.
//
//===----------------------------------------------------------------------===//
#include "SweepCommand.h"
#include "ProcessPool.h"

#include "normfuse/Sweep/FailureCheck.h"
#include "normfuse/Sweep/Grid.h"
#include "normfuse/Sweep/Plan.h"
#include "normfuse/Sweep/Report.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include "nfrt/DirLock.h"

#include <chrono>
#include <csignal>
#include <deque>
#include <map>
#include <thread>

using namespace llvm;
using namespace normfuse;
using namespace normfuse::sweep;

cl::SubCommand normfuse::sweepCmd(
    "sweep", "run a grid of specs x learning rates x seeds and summarise it "
             "(docs/sweep.md)");
cl::OptionCategory normfuse::sweepCategory("nfc sweep options");

static cl::opt<std::string> gridPath(cl::Positional, cl::Required,
                                     cl::desc("<grid.json>"),
                                     cl::cat(sweepCategory), cl::sub(sweepCmd));
static cl::opt<std::string>
    sweepOut("o",
             cl::desc("the sweep's directory (default: the grid's out_dir, "
                      "else out/sweep-<name>)"),
             cl::value_desc("dir"), cl::init(""), cl::cat(sweepCategory),
             cl::sub(sweepCmd));
static cl::opt<int>
    jobsFlag("jobs",
             cl::desc("processes at a time (default: the grid's jobs, else "
                      "cores / threads_per_run)"),
             cl::init(0), cl::cat(sweepCategory), cl::sub(sweepCmd));
static cl::opt<bool>
    reportOnly("report-only",
               cl::desc("run nothing; write the tables and plots from the "
                        "finished runs"),
               cl::init(false), cl::cat(sweepCategory), cl::sub(sweepCmd));

static int sweepFail(const Twine &message) {
  errs() << message << "\n";
  return 1;
}

static std::string pathIn(StringRef dir, StringRef relative) {
  SmallString<256> p(dir);
  sys::path::append(p, relative);
  return std::string(p);
}

static double nowSeconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

static std::string duration(double s) {
  int64_t t = int64_t(s + 0.5);
  if (t >= 3600)
    return formatv("{0}h{1:2}m", t / 3600, (t / 60) % 60).str();
  if (t >= 60)
    return formatv("{0}m{1:2}s", t / 60, t % 60).str();
  return formatv("{0}s", t).str();
}

/// Writes `text` to `path` atomically: a reader (or a resumed sweep) sees
/// the old file or the new one, never a part.
static Error writeAtomically(StringRef path, StringRef text) {
  std::string tmp = (path + ".tmp").str();
  {
    std::error_code ec;
    raw_fd_ostream os(tmp, ec, sys::fs::OF_Text);
    if (ec)
      return createStringError(ec, "%s: error: %s", tmp.c_str(),
                               ec.message().c_str());
    os << text;
    os.flush();
    if (os.has_error())
      return createStringError(os.error(), "%s: error: cannot write",
                               tmp.c_str());
  }
  if (std::error_code ec = sys::fs::rename(tmp, path))
    return createStringError(ec, "%s: error: %s", path.str().c_str(),
                             ec.message().c_str());
  return Error::success();
}

/// Writes `text` unless the file already holds it (keeps mtimes stable).
static Error writeIfChanged(StringRef path, StringRef text) {
  if (auto old = MemoryBuffer::getFile(path, /*IsText=*/true))
    if ((*old)->getBuffer() == text)
      return Error::success();
  return writeAtomically(path, text);
}

/// The last line of `log` that says "error" or "non-finite", for reports.
static std::string lastErrorLine(StringRef logPath) {
  auto file = MemoryBuffer::getFile(logPath, /*IsText=*/true);
  if (!file)
    return "";
  SmallVector<StringRef> lines;
  (*file)->getBuffer().split(lines, '\n', -1, false);
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    StringRef l = it->trim();
    if (l.contains("error") || l.contains("non-finite"))
      return l.str();
  }
  return lines.empty() ? "" : lines.back().trim().str();
}

namespace {

/// The sweep in progress: the plan, each run's state, the pool.
class Sweep {
public:
  Sweep(const Grid &grid, const Plan &plan, std::string dir, int jobs)
      : grid(grid), plan(plan), dir(std::move(dir)), jobs(jobs),
        results(plan.runs.size()) {}

  /// Reads done.json of every run: finished runs are not run again.
  void loadFinished();
  /// Builds and runs what is not finished. Returns the number of runs that
  /// failed (not finished).
  Expected<int> execute();
  std::vector<RunResult> &runResults() { return results; }
  /// Loads the metrics of finished runs and checks them.
  void loadMetrics(double unigram);

private:
  const Grid &grid;
  const Plan &plan;
  std::string dir;
  int jobs;
  std::vector<RunResult> results;
  size_t skipped = 0, done = 0, diverged = 0, failed = 0, total = 0;
  double started = 0, runSeconds = 0;
  bool tty = sys::Process::StandardErrIsDisplayed();

  std::string runDir(size_t r) const { return pathIn(dir, plan.runs[r].dir); }
  std::string binary(size_t v) const {
    return pathIn(dir, "builds/" + plan.variants[v].id + "/" + grid.name + "-" +
                           plan.variants[v].id);
  }
  void progress(size_t running, bool final = false, bool changed = false);
  Error finishRun(size_t r, const ProcessExit &exit);
};

void Sweep::loadFinished() {
  for (size_t r = 0; r < plan.runs.size(); ++r) {
    auto file = MemoryBuffer::getFile(pathIn(runDir(r), "done.json"));
    if (!file)
      continue;
    Expected<json::Value> v = json::parse((*file)->getBuffer());
    const json::Object *o = v ? v->getAsObject() : nullptr;
    if (!v)
      consumeError(v.takeError());
    std::optional<StringRef> state = o ? o->getString("state") : std::nullopt;
    if (!state)
      continue; // unreadable: run it again
    RunResult &res = results[r];
    if (*state == "ok") {
      res.state = RunState::Ok;
    } else if (*state == "diverged") {
      res.state = RunState::Diverged;
      res.stopStep = o->getInteger("step").value_or(0);
      res.message = o->getString("message").value_or("").str();
    } else {
      continue;
    }
    ++skipped;
  }
}

void Sweep::progress(size_t running, bool final, bool changed) {
  size_t finished = skipped + done + diverged;
  std::string eta;
  size_t left = total - done - diverged - failed;
  if (done + diverged > 0 && left > 0) {
    // Each slot finishes a run every runSeconds / finishedHere on average.
    double perRun = runSeconds / double(done + diverged);
    eta = ", ~" + duration(perRun * double(left) / std::max(1, jobs)) + " left";
  }
  std::string line = formatv(
      "sweep {0}: {1}/{2} runs finished ({3} from before), {4} running, {5} "
      "diverged, {6} failed; {7} elapsed{8}",
      grid.name, finished, plan.runs.size(), skipped, running, diverged, failed,
      duration(nowSeconds() - started), eta);
  if (tty)
    errs() << "\r\x1b[K" << line << (final ? "\n" : "");
  else if (final || changed)
    errs() << line << "\n"; // a log file gets a line per finished run
  errs().flush();
}

Error Sweep::finishRun(size_t r, const ProcessExit &exit) {
  RunResult &res = results[r];
  const Variant &v = plan.variants[plan.runs[r].variant];
  std::string log = pathIn(runDir(r), "log.txt");
  json::Object marker{{"variant", v.id},
                      {"seed", int64_t(plan.runs[r].seed)},
                      {"seconds", exit.seconds}};
  runSeconds += exit.seconds;
  if (exit.exitCode == 0) {
    Expected<RunMetrics> m = readMetrics(pathIn(runDir(r), "metrics.jsonl"));
    if (!m) {
      res.state = RunState::Failed;
      res.message = toString(m.takeError());
    } else if (!m->valLoss.count(v.steps)) {
      res.state = RunState::Failed;
      res.message = formatv("exited 0 but its metrics have no validation "
                            "loss at the last step {0}",
                            v.steps);
    } else {
      res.state = RunState::Ok;
      marker["state"] = "ok";
      marker["final_val_loss"] = m->valLoss[v.steps];
    }
  } else {
    std::string line = lastErrorLine(log);
    SmallVector<StringRef> m;
    if (exit.exitCode > 0 &&
        Regex("step ([0-9]+): non-finite").match(line, &m)) {
      res.state = RunState::Diverged;
      res.stopStep = std::stoll(m[1].str());
      res.message = line;
      marker["state"] = "diverged";
      marker["step"] = res.stopStep;
      marker["message"] = line;
    } else {
      res.state = RunState::Failed;
      res.message = exit.signal
                        ? formatv("killed by signal {0}", exit.signal).str()
                        : formatv("exit {0}: {1}", exit.exitCode, line).str();
    }
  }
  if (res.state == RunState::Failed) {
    ++failed;
    errs() << (tty ? "\r\x1b[K" : "") << "nfc sweep: run " << plan.runs[r].dir
           << " failed (" << res.message << "); log: " << log << "\n";
    return Error::success();
  }
  ++(res.state == RunState::Ok ? done : diverged);
  return writeAtomically(
      pathIn(runDir(r), "done.json"),
      formatv("{0}\n", json::Value(std::move(marker))).str());
}

Expected<int> Sweep::execute() {
  started = nowSeconds();
  std::vector<bool> needed(plan.variants.size(), false);
  std::deque<size_t> pending;
  for (size_t r = 0; r < plan.runs.size(); ++r)
    if (results[r].state == RunState::Missing) {
      pending.push_back(r);
      needed[plan.runs[r].variant] = true;
    }
  total = pending.size();
  if (pending.empty()) {
    progress(0, true);
    return 0;
  }
  std::string nfc = sys::fs::getMainExecutable(nullptr, nullptr);
  const int slots = std::max(1, jobs);
  // Fault injection for tests: SIGKILL the sweep once N runs have ended,
  // as a crash or kill -9 would (its runs die with it).
  const char *killAfter = std::getenv("NF_SWEEP_FAULT_KILL_AFTER_RUNS");
  int64_t killRuns = killAfter ? std::atoll(killAfter) : -1;

  // Builds first (each variant once: its seeds share the binary), then
  // runs; a failed build fails its runs.
  ProcessPool pool;
  std::vector<bool> built(plan.variants.size(), false);
  std::deque<size_t> builds;
  for (size_t v = 0; v < plan.variants.size(); ++v)
    if (needed[v])
      builds.push_back(v);
  size_t buildCount = builds.size(), buildsDone = 0;
  auto buildProgress = [&]() {
    std::string line = formatv("sweep {0}: building {1}/{2} binaries",
                               grid.name, buildsDone, buildCount);
    errs() << (tty ? "\r\x1b[K" : "") << line << (tty ? "" : "\n");
  };
  buildProgress();
  while (!builds.empty() || pool.running()) {
    while (!builds.empty() && int(pool.running()) < slots) {
      size_t v = builds.front();
      builds.pop_front();
      std::string out = pathIn(dir, "builds/" + plan.variants[v].id);
      if (std::error_code ec = sys::fs::create_directories(out))
        return createStringError(ec, "%s: error: %s", out.c_str(),
                                 ec.message().c_str());
      ProcessJob job;
      job.program = nfc;
      job.args = {"build",
                  pathIn(dir, "specs/" + plan.variants[v].id + ".json"), "-o",
                  out};
      job.args.insert(job.args.end(), plan.variants[v].buildFlags.begin(),
                      plan.variants[v].buildFlags.end());
      job.logFile = out + ".log";
      job.tag = v;
      if (Error e = pool.start(job))
        return std::move(e);
    }
    if (std::optional<ProcessExit> e = pool.waitAny()) {
      ++buildsDone;
      built[e->tag] = e->exitCode == 0;
      if (!built[e->tag])
        errs() << (tty ? "\r\x1b[K" : "") << "nfc sweep: building variant "
               << plan.variants[e->tag].id << " failed: "
               << lastErrorLine(pathIn(
                      dir, "builds/" + plan.variants[e->tag].id + ".log"))
               << "\n";
      buildProgress();
    }
  }
  if (tty)
    errs() << "\n";

  std::deque<size_t> queue;
  for (size_t r : pending) {
    if (built[plan.runs[r].variant]) {
      queue.push_back(r);
      continue;
    }
    results[r].state = RunState::Failed;
    results[r].message = "the build failed; see builds/" +
                         plan.variants[plan.runs[r].variant].id + ".log";
    ++failed;
  }
  int64_t ended = 0;
  bool finishedOne = false;
  while (true) {
    while (!queue.empty() && int(pool.running()) < slots) {
      size_t r = queue.front();
      queue.pop_front();
      std::string rd = runDir(r);
      if (std::error_code ec = sys::fs::create_directories(rd))
        return createStringError(ec, "%s: error: %s", rd.c_str(),
                                 ec.message().c_str());
      ProcessJob job;
      job.program = binary(plan.runs[r].variant);
      job.args = {"--seed", std::to_string(plan.runs[r].seed), "--out", rd};
      job.env = {{"OMP_NUM_THREADS", std::to_string(grid.threadsPerRun)},
                 {"OMP_WAIT_POLICY", "passive"}};
      job.logFile = pathIn(rd, "log.txt");
      job.tag = r;
      if (Error e = pool.start(job))
        return std::move(e);
    }
    if (!pool.running())
      break;
    // After the pool is refilled, so "running" counts the new runs.
    progress(pool.running(), /*final=*/false, finishedOne);
    finishedOne = false;
    std::optional<ProcessExit> e = pool.waitAny();
    if (!e)
      break;
    if (Error err = finishRun(e->tag, *e))
      return std::move(err);
    finishedOne = true;
    if (++ended == killRuns)
      std::raise(SIGKILL);
  }
  progress(0, /*final=*/true);
  return int(failed);
}

void Sweep::loadMetrics(double unigram) {
  for (size_t r = 0; r < plan.runs.size(); ++r) {
    RunResult &res = results[r];
    if (res.state != RunState::Ok)
      continue;
    int64_t steps = plan.variants[plan.runs[r].variant].steps;
    Expected<RunMetrics> m = readMetrics(pathIn(runDir(r), "metrics.jsonl"));
    if (!m) {
      res.state = RunState::Failed;
      res.message = toString(m.takeError());
      continue;
    }
    res.metrics = std::move(*m);
    auto it = res.metrics.valLoss.find(steps);
    res.finalValLoss = it == res.metrics.valLoss.end() ? NAN : it->second;
    res.check = checkRun(res.metrics, unigram, steps);
  }
}

} // namespace

/// The unigram loss of the text the variants train on (all share it in
/// practice; the first variant's is used). NaN for token shards.
static double unigramLoss(const Plan &plan) {
  if (plan.variants.empty() || plan.variants[0].trainData.empty() ||
      !plan.variants[0].textData)
    return NAN;
  auto file = MemoryBuffer::getFile(plan.variants[0].trainData);
  if (!file)
    return NAN;
  return unigramEntropy((*file)->getBuffer());
}

int normfuse::runSweep() {
  Expected<Grid> grid = loadGridFile(gridPath);
  if (!grid)
    return sweepFail(toString(grid.takeError()));
  Expected<json::Object> base = loadBaseSpec(grid->base);
  if (!base)
    return sweepFail(gridPath + ": base: " + toString(base.takeError()));
  Expected<Plan> plan = planSweep(*grid, *base);
  if (!plan)
    return sweepFail(toString(plan.takeError()));
  std::string dir = !sweepOut.empty()       ? sweepOut.getValue()
                    : !grid->outDir.empty() ? grid->outDir
                                            : "out/sweep-" + grid->name;
  if (std::error_code ec = sys::fs::create_directories(dir))
    return sweepFail(dir + ": error: cannot create directory: " + ec.message());
  // One sweep per directory: two would run the same runs in the same
  // directories and write the same tables.
  // The runtime's lock (nfrt/DirLock.h), held until the sweep returns; its
  // descriptor is close-on-exec, so the runs it starts do not hold it, and
  // each run locks its own directory.
  nfrt::Expected<nfrt::DirLock> lock =
      nfrt::DirLock::acquire(dir, "sweep", "-o");
  if (!lock)
    return sweepFail(lock.message());
  for (StringRef sub : {"specs", "builds", "runs"})
    if (std::error_code ec = sys::fs::create_directories(pathIn(dir, sub)))
      return sweepFail(dir +
                       ": error: cannot create directory: " + ec.message());
  for (const Variant &v : plan->variants)
    if (Error e = writeIfChanged(pathIn(dir, "specs/" + v.id + ".json"),
                                 v.specText + "\n"))
      return sweepFail(toString(std::move(e)));
  int threads = grid->threadsPerRun;
  int jobs =
      jobsFlag > 0 ? jobsFlag.getValue()
      : grid->jobs > 0
          ? grid->jobs
          : std::max(1, int(std::thread::hardware_concurrency()) / threads);
  Sweep sweep(*grid, *plan, dir, jobs);
  sweep.loadFinished();
  int failedRuns = 0;
  if (!reportOnly) {
    outs() << formatv("sweep {0}: {1} cells, {2} variants, {3} runs, {4} at "
                      "a time ({5} thread(s) each), in {6}\n",
                      grid->name, plan->cells.size(), plan->variants.size(),
                      plan->runs.size(), jobs, threads, dir);
    outs().flush();
    Expected<int> failed = sweep.execute();
    if (!failed)
      return sweepFail(toString(failed.takeError()));
    failedRuns = *failed;
  }
  double unigram = unigramLoss(*plan);
  sweep.loadMetrics(unigram);
  if (Error e = writeReport(*grid, *plan, sweep.runResults(), unigram, dir))
    return sweepFail(toString(std::move(e)));
  outs() << formatv("sweep {0}: tables {1}/summary.md, {1}/summary.csv, "
                    "{1}/lr.csv; plots in {1}/plots\n",
                    grid->name, dir);
  if (failedRuns)
    return sweepFail(formatv("nfc sweep: error: {0} run(s) failed; run the "
                             "same command again to retry them",
                             failedRuns));
  return 0;
}
