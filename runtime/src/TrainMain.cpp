//===- TrainMain.cpp - the training binary's main
//----------------------------===//
//
// Linked with one generated model (nfrt/Model.h) and its run settings
// (nfrt/RunConfig.h). Reads the data, initialises or resumes, and runs the
// train loop: a batch, @train_step, a NaN/Inf guard, @optimizer_step,
// metrics as JSON lines, a progress bar, periodic evaluation on held-out
// data and atomic checkpoints. Read it top to bottom: main() is the loop.
// A device model (nfc build --target=cuda) runs the same loop on device
// copies of its buffers through the table it brings (nfrt/Device.h): the
// host copies serve initialisation, checkpoints and diagnostics, and the
// data-parallel all-reduce is the step's own (NCCL).
//
// Before the first step it refuses what would fail later: flags outside the
// spec's ranges, --steps past the compiled schedule, a run larger than the
// machine's (or the GPU's) memory, a second run on the same directory
// (DIR/.lock), a token the model cannot embed. A signal stops the loop
// between steps with a checkpoint (docs/training.md).
//
//===----------------------------------------------------------------------===//
#include "nfrt/BatchSampler.h"
#include "nfrt/Checkpoint.h"
#include "nfrt/Comm.h"
#include "nfrt/DataSplit.h"
#include "nfrt/Diagnostics.h"
#include "nfrt/DirLock.h"
#include "nfrt/FiniteCheck.h"
#include "nfrt/JsonLines.h"
#include "nfrt/MachineMemory.h"
#include "nfrt/Model.h"
#include "nfrt/ParamInit.h"
#include "nfrt/ProgressBar.h"
#include "nfrt/Random.h"
#include "nfrt/RunConfig.h"
#include "nfrt/Sanitizers.h"
#include "nfrt/ShardDataset.h"
#include "nfrt/TextDataset.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#if defined(NFRT_WITH_MPI) && NFRT_ASAN
// OpenMPI allocates in components it later dlcloses, so LeakSanitizer
// reports memory it can no longer attribute. The MPI flavour of this main
// is therefore not leak-checked; the single-process flavour, the same code
// without MPI, is (the sanitized build, scripts/test-sanitized.sh).
extern "C" const char *__lsan_default_options() { return "detect_leaks=0"; }
#endif

// OpenBLAS's thread count, where OpenBLAS is linked (the CPU target's
// GEMMs, the SIMT harness's cuBLAS); a CUDA binary links none.
extern "C" void openblas_set_num_threads(int) __attribute__((weak));

using namespace nfrt;

namespace {

/// Settings: the baked-in defaults, then the command line.
struct Options {
  std::string train, val, outDir;
  DataFormat format;
  double valFraction;
  int64_t steps, evalEvery, evalBatches, logEvery, checkpointEvery;
  uint64_t seed;
  double checkpointMinutes;
  bool fresh = false;
  bool seedFromFlag = false;   // names --seed, not run.seed, in messages
  bool extendSchedule = false; // --steps past run.steps allowed
  bool ignoreMemoryLimit = false;
  std::string groupIdFile = {}; // --nccl-id-file
};

const char *kUsage =
    "usage: %s [--steps N] [--data FILE] [--val FILE] [--out DIR]\n"
    "          [--eval-every N] [--eval-batches N] [--log-every N]\n"
    "          [--checkpoint-every N] [--checkpoint-minutes X] [--seed N]\n"
    "          [--fresh] [--extend-schedule] [--ignore-memory-limit]\n"
    "          [--nccl-id-file FILE] [--help]\n"
    "Trains the model it was built for (nfc build); the defaults are the\n"
    "spec's (run.steps %lld, run.seed %llu, out %s).\n"
    "\n"
    "  --steps N             optimizer steps in all, N > 0; at most\n"
    "                        run.steps, the length the learning-rate\n"
    "                        schedule was compiled for, unless\n"
    "  --extend-schedule     which lets --steps pass run.steps: those\n"
    "                        steps train at the schedule's final rate\n"
    "  --data FILE           training data; --val FILE: validation data\n"
    "                        (every token below the model's vocab_size)\n"
    "  --out DIR             checkpoint.nfck and metrics.jsonl; one run\n"
    "                        per directory at a time (DIR/.lock)\n"
    "  --eval-every N        steps between evaluations (0: none)\n"
    "  --eval-batches N      validation batches per evaluation, N > 0\n"
    "  --log-every N         steps between metrics records, N > 0\n"
    "  --checkpoint-every N  steps between checkpoints (0: at the end)\n"
    "  --checkpoint-minutes X  also one when X minutes have passed since\n"
    "                        the last (0: off; default %g)\n"
    "  --seed N              parameter init and batch order; a resumed\n"
    "                        run must keep the seed it started with\n"
    "  --fresh               start over, ignoring a checkpoint\n"
    "  --ignore-memory-limit run even when the memory estimate exceeds\n"
    "                        the machine's (NFRT_MEMORY_LIMIT_BYTES\n"
    "                        replaces what the machine reports)\n"
    "  --nccl-id-file FILE   see below\n"
    "  --help, -h            this text\n"
    "\n"
    "A run resumes from DIR/checkpoint.nfck when it exists, unless\n"
    "--fresh; metrics.jsonl loses the records after the checkpoint's step.\n"
    "SIGINT, SIGTERM or SIGHUP: the run finishes its step, writes a\n"
    "checkpoint and exits with 128 + the signal's number (130 for Ctrl-C);\n"
    "run the same command again to resume. A second signal ends it at once.\n"
    "Data parallel: launch one process per rank with mpirun, or with RANK\n"
    "and WORLD_SIZE set; without MPI, rank 0 of a CUDA-target model passes\n"
    "the NCCL id to the others through --nccl-id-file (or NFRT_NCCL_ID_FILE),\n"
    "a path all ranks see that does not exist yet.\n";

/// Every flag, for the suggestion after a typo.
const char *const kFlags[] = {"--steps",
                              "--data",
                              "--val",
                              "--out",
                              "--eval-every",
                              "--eval-batches",
                              "--log-every",
                              "--checkpoint-every",
                              "--checkpoint-minutes",
                              "--seed",
                              "--fresh",
                              "--extend-schedule",
                              "--ignore-memory-limit",
                              "--nccl-id-file",
                              "--help"};

/// Edit distance with adjacent transpositions (a typo such as "--stpes"
/// is one edit from "--steps").
size_t editDistance(const std::string &a, const std::string &b) {
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1,
                          d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

/// Prints "<model>: error: <message>" and exits 2, as for any misuse of
/// the command line.
[[noreturn]] void usageError(const std::string &message) {
  std::fprintf(stderr, "%s: error: %s\n", nf_model.name, message.c_str());
  std::exit(2);
}

void parseOptions(int argc, char **argv, Options &o) {
  const RunConfig &c = nf_run_config;
  o = {c.trainPath,   c.valPath,         c.outDir,    c.format,
       c.valFraction, c.steps,           c.evalEvery, c.evalBatches,
       c.logEvery,    c.checkpointEvery, c.seed,      c.checkpointMinutes};
  if (const char *f = std::getenv("NFRT_NCCL_ID_FILE"))
    o.groupIdFile = f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char *flag) -> const char * {
      if (i + 1 >= argc)
        usageError(std::string(flag) + " needs a value");
      return argv[++i];
    };
    // An integer >= min. strtoll saturates at INT64_MAX and says so only
    // in errno: a value past it is refused, never clamped.
    auto integer = [&](const char *flag, int64_t min) -> int64_t {
      const char *v = value(flag);
      const char *kind = min > 0 ? "a positive" : "a non-negative";
      char *end = nullptr;
      errno = 0;
      long long n = std::strtoll(v, &end, 10);
      if (*v == '\0' || *end != '\0' || (errno != ERANGE && n < min))
        usageError(std::string(flag) + " needs " + kind + " integer, got '" +
                   v + "'");
      if (errno == ERANGE)
        usageError(std::string(flag) + " " + v +
                   " is out of range (at most 9223372036854775807)");
      return n;
    };
    if (a == "--help" || a == "-h") {
      std::printf(kUsage, nf_model.name, (long long)c.steps,
                  (unsigned long long)c.seed, c.outDir, c.checkpointMinutes);
      std::exit(0);
    } else if (a == "--steps") {
      o.steps = integer("--steps", 1);
    } else if (a == "--data") {
      o.train = value("--data");
    } else if (a == "--val") {
      o.val = value("--val");
    } else if (a == "--out") {
      o.outDir = value("--out");
    } else if (a == "--eval-every") {
      o.evalEvery = integer("--eval-every", 0);
    } else if (a == "--eval-batches") {
      o.evalBatches = integer("--eval-batches", 1);
    } else if (a == "--log-every") {
      o.logEvery = integer("--log-every", 1);
    } else if (a == "--checkpoint-every") {
      o.checkpointEvery = integer("--checkpoint-every", 0);
    } else if (a == "--checkpoint-minutes") {
      const char *v = value("--checkpoint-minutes");
      char *end = nullptr;
      errno = 0;
      double x = std::strtod(v, &end);
      if (*v == '\0' || *end != '\0' || errno == ERANGE || !std::isfinite(x) ||
          x < 0)
        usageError(std::string("--checkpoint-minutes needs a non-negative "
                               "number of minutes (0: off), got '") +
                   v + "'");
      o.checkpointMinutes = x;
    } else if (a == "--seed") {
      // The seed is a uint64 (run.seed): strtoull, which would wrap a
      // leading minus sign around, so that is refused first.
      const char *v = value("--seed");
      char *end = nullptr;
      errno = 0;
      unsigned long long n = std::strtoull(v, &end, 10);
      if (*v == '\0' || *end != '\0' || *v == '-' || *v == '+')
        usageError(std::string("--seed needs a non-negative integer, got '") +
                   v + "'");
      if (errno == ERANGE)
        usageError(std::string("--seed ") + v +
                   " is out of range (at most 18446744073709551615)");
      o.seed = n;
      o.seedFromFlag = true;
    } else if (a == "--fresh") {
      o.fresh = true;
    } else if (a == "--extend-schedule") {
      o.extendSchedule = true;
    } else if (a == "--ignore-memory-limit") {
      o.ignoreMemoryLimit = true;
    } else if (a == "--nccl-id-file") {
      o.groupIdFile = value("--nccl-id-file");
    } else if (a.size() > 1 && a[0] == '-') {
      std::string best;
      size_t bestDistance = 4; // farther than 3 edits is no suggestion
      for (const char *f : kFlags)
        if (size_t d = editDistance(a, f); d < bestDistance) {
          best = f;
          bestDistance = d;
        }
      usageError("unknown flag '" + a + "'" +
                 (best.empty() ? "" : "; did you mean '" + best + "'?") +
                 " (see --help)");
    } else {
      usageError("unexpected argument '" + a + "'; every setting is a flag " +
                 "(see --help)");
    }
  }
}

Comm *comm = nullptr; // set first thing in main()

/// Prints the error and stops every rank.
[[noreturn]] void die(const std::string &message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  if (comm)
    comm->abort(1);
  std::exit(1);
}

Expected<TokenStream> loadTokens(const std::string &path, DataFormat format) {
  if (format == DataFormat::LlmcShards)
    return loadShardDataset(path);
  return loadTextDataset(path);
}

double now() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

/// The model's buffers and views of its tensors by name. The host vectors
/// always exist; a device model's steps run on device copies (`P`, `G`,
/// `arena`, the batch and the step's scalars), and the host copies are
/// brought up to date where the host reads them.
struct Buffers {
  const DeviceApi *dev = nullptr;
  std::vector<float> params, grads;
  std::vector<char> arenaStorage;
  std::vector<TensorView> trained, state, gradViews;
  // What the step functions take: host memory, or device memory.
  float *P = nullptr, *G = nullptr;
  char *arena = nullptr;
  // Device only: the batch (tokens, then targets), a parameter copy for
  // evaluation and the scalars: loss, grad norm, lr, evaluation loss.
  int32_t *batch = nullptr;
  float *evalParams = nullptr, *scalars = nullptr;

  Buffers() = default;
  Buffers(const Buffers &) = delete;
  Buffers &operator=(const Buffers &) = delete;
  ~Buffers() {
    if (dev)
      for (void *p : {(void *)P, (void *)G, (void *)arena, (void *)batch,
                      (void *)evalParams, (void *)scalars})
        dev->release(p);
  }
  void paramsToDevice() {
    if (dev)
      dev->toDevice(P, params.data(), params.size() * 4);
  }
  void paramsToHost() {
    if (dev)
      dev->toHost(params.data(), P, params.size() * 4);
  }
  void gradsToHost() {
    if (dev)
      dev->toHost(grads.data(), G, grads.size() * 4);
  }
  /// A device scalar (index into `scalars`) on the host.
  float scalar(int i) {
    float v = 0.f;
    dev->toHost(&v, scalars + i, 4);
    return v;
  }
};

void allocate(const ModelInfo &m, Buffers &b) {
  b.params.assign(m.paramFloats, 0.f);
  b.grads.assign(m.gradFloats, 0.f);
  if (m.deviceBuffers) {
    b.dev = m.device;
    b.P = static_cast<float *>(b.dev->alloc(m.paramFloats * 4));
    b.G = static_cast<float *>(b.dev->alloc(m.gradFloats * 4));
    b.arena = static_cast<char *>(b.dev->alloc(m.arenaBytes));
    b.batch = static_cast<int32_t *>(
        b.dev->alloc(2 * m.batch * m.seqLen * sizeof(int32_t)));
    b.evalParams = static_cast<float *>(b.dev->alloc(m.paramFloats * 4));
    b.scalars = static_cast<float *>(b.dev->alloc(4 * 4));
  } else {
    b.arenaStorage.resize(m.arenaBytes + 64);
    b.arena = b.arenaStorage.data() +
              (64 - uintptr_t(b.arenaStorage.data()) % 64) % 64;
    b.P = b.params.data();
    b.G = b.grads.data();
  }
  for (int64_t i = 0; i < m.numParams; ++i) {
    const ParamInfo &p = m.params[i];
    std::vector<int64_t> shape(p.shape, p.shape + p.rank);
    TensorView v{p.name, shape, b.params.data() + p.offset};
    if (p.gradOffset < 0) {
      b.state.push_back(v);
      continue;
    }
    b.trained.push_back(v);
    b.gradViews.push_back({p.name, shape, b.grads.data() + p.gradOffset});
  }
}

/// The mean loss over the validation batches. @forward updates running
/// statistics, so it runs on a copy of the parameters: evaluation uses the
/// stored state and changes nothing.
double evaluate(const ModelInfo &m, Buffers &b, SequentialBatchSampler &val,
                int64_t maxBatches, std::vector<float> &scratch,
                std::vector<int32_t> &in, std::vector<int32_t> &tgt) {
  val.reset();
  double total = 0;
  int64_t n = 0;
  const int64_t tokens = m.batch * m.seqLen;
  while (n < maxBatches && val.next(in.data(), tgt.data())) {
    float loss = 0;
    if (b.dev) {
      b.dev->deviceCopy(b.evalParams, b.P, m.paramFloats * 4);
      b.dev->toDevice(b.batch, in.data(), tokens * 4);
      b.dev->toDevice(b.batch + tokens, tgt.data(), tokens * 4);
      m.forward(b.evalParams, b.arena, b.batch, b.batch + tokens,
                b.scalars + 3);
      loss = b.scalar(3);
    } else {
      scratch = b.params;
      m.forward(scratch.data(), b.arena, in.data(), tgt.data(), &loss);
    }
    total += loss;
    ++n;
  }
  return n ? total / n : NAN;
}

/// Rank 0's data-parallel group id to every rank: over MPI when the
/// processes have it, else through `file` (written to a temporary name and
/// renamed, so a reader sees all of it or nothing). Returns "" or an error.
std::string shareGroupId(Comm &processes, const std::string &file,
                         char id[kGroupIdBytes]) {
  if (processes.connected()) {
    processes.broadcast(id, int(kGroupIdBytes));
    return "";
  }
  if (file.empty())
    return "error: " + std::to_string(processes.world()) +
           " ranks started by " + processes.launcher() +
           " without MPI need --nccl-id-file FILE (or NFRT_NCCL_ID_FILE), "
           "a path every rank sees, to pass the NCCL id";
  if (processes.isRoot()) {
    if (access(file.c_str(), F_OK) == 0)
      return file +
             ": error: the NCCL id file exists already (left by an earlier "
             "run?); remove it: every rank would read the old id";
    std::string tmp = file + ".tmp." + std::to_string(getpid());
    FILE *f = std::fopen(tmp.c_str(), "wb");
    bool ok = f && std::fwrite(id, 1, kGroupIdBytes, f) == kGroupIdBytes;
    ok = f && std::fclose(f) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), file.c_str()) != 0)
      return file +
             ": error: cannot write the NCCL id: " + std::strerror(errno);
    return "";
  }
  const char *t = std::getenv("NFRT_NCCL_ID_TIMEOUT");
  double timeout = t && std::atof(t) > 0 ? std::atof(t) : 300.0;
  for (double start = now(); now() - start < timeout;) {
    if (FILE *f = std::fopen(file.c_str(), "rb")) {
      size_t got = std::fread(id, 1, kGroupIdBytes, f);
      std::fclose(f);
      if (got == kGroupIdBytes)
        return "";
    }
    usleep(20000);
  }
  return file + ": error: rank " + std::to_string(processes.rank()) +
         " waited " + std::to_string(int(timeout)) +
         " s for rank 0 to write the NCCL id";
}

/// Binds this process to its device and joins the data-parallel group;
/// returns the device's description or dies.
std::string joinDevice(const ModelInfo &m, Comm &processes, const Options &o) {
  const DeviceApi &dev = *m.device;
  const char *why = "";
  int count = dev.deviceCount(&why);
  if (count == 0)
    die(std::string(m.name) +
        ": error: this binary trains on a CUDA GPU "
        "and finds none: " +
        why);
  int local = processes.localRank();
  // One GPU per process (NCCL refuses two ranks on one device); every
  // process of the harness is a device of its own.
  if (std::string(dev.platform) == "cuda" && local >= count)
    die(std::string(m.name) + ": error: rank " +
        std::to_string(processes.rank()) + " is local rank " +
        std::to_string(local) + " but this node has " + std::to_string(count) +
        " GPU(s); start at most one process per GPU");
  int ordinal = std::string(dev.platform) == "cuda" ? local : 0;
  char name[256] = "";
  dev.select(ordinal, name, sizeof name);
  if (processes.world() > 1) {
    char id[kGroupIdBytes] = {};
    if (processes.isRoot())
      dev.groupId(id);
    if (std::string err = shareGroupId(processes, o.groupIdFile, id);
        !err.empty())
      die(err);
    dev.joinGroup(processes.rank(), processes.world(), id);
    // Every rank has joined, so every rank has read the file.
    if (processes.isRoot() && !o.groupIdFile.empty() && !processes.connected())
      std::remove(o.groupIdFile.c_str());
  }
  return std::string(name) + " (" + dev.platform + ", device " +
         std::to_string(ordinal) + ")";
}

/// The first SIGINT, SIGTERM or SIGHUP this process received (0: none).
/// The handler only stores it; the loop reads it between steps.
volatile std::sig_atomic_t stopSignal = 0;

extern "C" void onStopSignal(int signo) {
  if (stopSignal == 0) {
    stopSignal = signo;
    return;
  }
  // A second signal: the default action (termination) at once. Only
  // async-signal-safe calls here: sigaction and raise.
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(signo, &dfl, nullptr);
  raise(signo); // delivered when the handler returns (it is blocked in it)
}

void installStopHandlers() {
  struct sigaction sa = {};
  sa.sa_handler = onStopSignal;
  sigemptyset(&sa.sa_mask);
  // Interrupted reads and writes resume: the handler only sets a flag.
  sa.sa_flags = SA_RESTART;
  for (int signo : {SIGINT, SIGTERM, SIGHUP}) {
    // A signal the launcher ignores stays ignored: nohup's SIGHUP, a
    // background job's SIGINT.
    struct sigaction old = {};
    if (sigaction(signo, nullptr, &old) == 0 && old.sa_handler == SIG_IGN)
      continue;
    sigaction(signo, &sa, nullptr);
  }
}

const char *signalName(int signo) {
  switch (signo) {
  case SIGINT:
    return "SIGINT";
  case SIGTERM:
    return "SIGTERM";
  case SIGHUP:
    return "SIGHUP";
  default:
    return "a signal";
  }
}

/// The bytes a text file becomes in memory (one uint16 per byte), 0 for
/// token shards (memory-mapped: the page cache holds them, and can evict
/// them) or a file that cannot be read (loading it says why).
uint64_t textDataBytes(const std::string &path, DataFormat format) {
  struct stat st;
  if (format != DataFormat::Text || path.empty() ||
      ::stat(path.c_str(), &st) != 0)
    return 0;
  return uint64_t(st.st_size) * sizeof(uint16_t);
}

/// What a device model allocates on its GPU (allocate() below), by purpose;
/// the libraries' own workspaces (cuBLAS, NCCL) come on top.
std::vector<std::pair<std::string, uint64_t>>
deviceMemoryNeeds(const ModelInfo &m) {
  const uint64_t paramBytes = uint64_t(m.paramFloats) * sizeof(float);
  return {{"parameters", paramBytes},
          {"gradients", uint64_t(m.gradFloats) * sizeof(float)},
          {"arena", uint64_t(m.arenaBytes)},
          {"evaluation copy of the parameters", paramBytes},
          {"batch", 2 * uint64_t(m.batch * m.seqLen) * sizeof(int32_t)}};
}

/// What this process will allocate on the host, by purpose. A device
/// model's arena and evaluation copy live on the GPU only (checked against
/// the device's memory with deviceMemoryNeeds); its parameters and
/// gradients have host copies too.
std::vector<std::pair<std::string, uint64_t>>
memoryNeeds(const ModelInfo &m, const Options &o, int64_t world) {
  const uint64_t paramBytes = uint64_t(m.paramFloats) * sizeof(float);
  // saveCheckpoint builds the whole FlatBuffer in memory before writing it,
  // and a resume reads the whole file: every parameter and state tensor,
  // with its name and shape and 64 bytes of FlatBuffers framing each, plus
  // the 4096 bytes of header slack saveCheckpoint reserves.
  uint64_t checkpointBytes = paramBytes + 4096;
  for (int64_t i = 0; i < m.numParams; ++i)
    checkpointBytes += std::strlen(m.params[i].name) +
                       uint64_t(m.params[i].rank) * sizeof(int64_t) + 64;
  const bool host = !m.deviceBuffers;
  const bool evaluates = o.evalEvery > 0;
  // Inputs and targets of the global batch (int32 each).
  const uint64_t batchBytes =
      2 * uint64_t(m.batch * world * m.seqLen) * sizeof(int32_t);
  return {
      {"parameters", paramBytes},
      {"gradients", uint64_t(m.gradFloats) * sizeof(float)},
      {"arena", host ? uint64_t(m.arenaBytes) + 64 : 0},
      {"evaluation copy of the parameters", host && evaluates ? paramBytes : 0},
      {"checkpoint buffer", checkpointBytes},
      {"batches", batchBytes},
      {"text data",
       textDataBytes(o.train, o.format) + textDataBytes(o.val, o.format)}};
}

} // namespace

int main(int argc, char **argv) {
  // Idle OpenMP threads that spin steal the sibling vCPU (bench/README.md:
  // 151 -> 130 ms per gpt-tiny step on 2 vCPUs). libgomp reads the policy
  // when it loads, so set it and start again, before anything else runs.
  if (!std::getenv("OMP_WAIT_POLICY")) {
    setenv("OMP_WAIT_POLICY", "passive", 1);
    execv("/proc/self/exe", argv);
    // execv failed (no /proc): go on with the default policy.
  }
  // A file-size limit (ulimit -f) makes writes fail with EFBIG, reported
  // like a full disk, instead of killing the process mid-checkpoint.
  std::signal(SIGXFSZ, SIG_IGN);
  Comm processes(&argc, &argv);
  comm = &processes;
  Options o;
  parseOptions(argc, argv, o);
  const ModelInfo &m = nf_model;
  const bool root = processes.isRoot();
  if (!processes.launchError().empty())
    die(std::string(m.name) + ": " + processes.launchError());
  if (processes.world() != nf_run_config.ranks)
    die(std::string(m.name) + ": error: this binary was built for " +
        std::to_string(nf_run_config.ranks) +
        " data-parallel rank(s) but "
        "runs as " +
        std::to_string(processes.world()) +
        (nf_run_config.ranks > 1
             ? "; launch it with mpirun -np " +
                   std::to_string(nf_run_config.ranks) +
                   (m.deviceBuffers ? std::string(", or as that many "
                                                  "processes with RANK and "
                                                  "WORLD_SIZE set and "
                                                  "--nccl-id-file")
                                    : std::string())
             : std::string("")));
  if (!m.deviceBuffers && !processes.connected())
    die(std::string(m.name) + ": error: " + processes.launcher() + " says " +
        std::to_string(processes.world()) +
        " ranks, but a CPU-target binary talks between ranks over MPI only: "
        "build it with nfc build --ranks N and launch it with mpirun");
  if (m.deviceBuffers && !m.device)
    die(std::string(m.name) + ": error: the model has device buffers but no "
                              "device table (regenerate it with this nfc)");
  if (o.steps > nf_run_config.steps && !o.extendSchedule)
    usageError(
        "--steps " + std::to_string(o.steps) +
        " runs past the learning-rate schedule, which was compiled for the "
        "spec's run.steps " +
        std::to_string(nf_run_config.steps) + " (" + nf_run_config.specPath +
        "); set run.steps and rebuild, or pass --extend-schedule to train "
        "the steps past it at the schedule's final learning rate");

  // Memory: what this run will allocate, before anything is allocated.
  if (!o.ignoreMemoryLimit) {
    MachineMemory machine = machineMemory();
    std::string shortfall =
        memoryShortfall(memoryNeeds(m, o, processes.world()), machine);
    if (!shortfall.empty())
      die(std::string(m.name) + ": error: " + shortfall +
          "; pass --ignore-memory-limit to try anyway");
  }

  // One run per output directory: rank 0 locks it before it reads or
  // writes the checkpoint or the metrics, and holds it until it exits.
  std::optional<DirLock> lock;
  if (root) {
    mkdir(o.outDir.c_str(), 0755);
    Expected<DirLock> l = DirLock::acquire(o.outDir);
    if (!l)
      die(l.message());
    lock.emplace(std::move(*l));
  }
  // From here a signal stops the run between steps with a checkpoint.
  installStopHandlers();

  std::string deviceName =
      m.deviceBuffers ? joinDevice(m, processes, o) : std::string();
  // The device's memory, once the device is selected, before allocate().
  if (m.deviceBuffers && !o.ignoreMemoryLimit) {
    uint64_t freeBytes = 0, totalBytes = 0;
    m.device->memory(&freeBytes, &totalBytes);
    std::string shortfall =
        memoryShortfall(deviceMemoryNeeds(m), freeBytes, "GPU memory",
                        deviceName + " has " + formatBytes(freeBytes) +
                            " free of " + formatBytes(totalBytes));
    if (!shortfall.empty())
      die(std::string(m.name) + ": error: " + shortfall +
          "; pass --ignore-memory-limit to try anyway");
  }
  // GEMMs are split into row blocks by OpenMP; OpenBLAS runs one thread.
  if (openblas_set_num_threads)
    openblas_set_num_threads(1);
  if (o.train.empty())
    die(std::string(nf_run_config.specPath) +
        ": error: the spec has no data table; pass --data FILE");

  // Data: the training stream and a held-out validation stream. Every
  // token of every file must fit the model's tables, the held-out tail of
  // a split and a separate validation file included: the kernels index the
  // embedding and the logits with them.
  Expected<TokenStream> all = loadTokens(o.train, o.format);
  if (!all)
    die(all.message());
  if (Status s = all->checkVocabulary(m.vocab); !s)
    die(s.message());
  TrainValData data;
  if (!o.val.empty()) {
    Expected<TokenStream> val = loadTokens(o.val, o.format);
    if (!val)
      die(val.message());
    if (Status s = val->checkVocabulary(m.vocab); !s)
      die(s.message());
    data = {*all, *val};
  } else {
    Expected<TrainValData> split = splitTrainVal(*all, o.valFraction);
    if (!split)
      die(split.message());
    data = *split;
  }
  // Every rank draws the same global batch and trains on its slice, so a
  // run on R ranks sees exactly the batches of a run on one.
  const int64_t world = processes.world();
  Expected<RandomBatchSampler> sampler =
      RandomBatchSampler::create(data.train, m.batch * world, m.seqLen, o.seed);
  if (!sampler)
    die(sampler.message());
  std::optional<SequentialBatchSampler> valSampler;
  if (o.evalEvery > 0 && !data.val.empty()) {
    Expected<SequentialBatchSampler> v =
        SequentialBatchSampler::create(data.val, m.batch, m.seqLen);
    if (!v)
      die(v.message());
    valSampler.emplace(std::move(*v));
  }

  // Parameters: resume from the checkpoint when there is one.
  Buffers b;
  allocate(m, b);
  initialiseParams(m, o.seed, b.params.data());
  std::string ckpt = o.outDir + "/checkpoint.nfck";
  std::string metricsPath = o.outDir + "/metrics.jsonl";
  int64_t step = 0;
  uint64_t tokensSeen = 0;
  bool resumed = false;
  if (!o.fresh && access(ckpt.c_str(), F_OK) == 0) {
    Expected<LoadedCheckpoint> loaded = LoadedCheckpoint::load(ckpt);
    if (!loaded)
      die(loaded.message() + " (run with --fresh to start over; the file "
                             "is left as it is)");
    Status s = loaded->restore(nf_run_config.fingerprint, b.trained, b.state);
    if (!s)
      die(s.message());
    // The checkpoint restores the sampler, so another seed would change
    // nothing but the meaning of the run's records: refuse it.
    if (std::optional<uint64_t> started = loaded->seed();
        started && *started != o.seed)
      die(std::string(m.name) +
          ": error: " + (o.seedFromFlag ? "--seed " : "the spec's run.seed ") +
          std::to_string(o.seed) + " differs from the seed " +
          std::to_string(*started) + " this run started with (" + ckpt +
          "); use --fresh to start over");
    step = loaded->step();
    tokensSeen = loaded->tokensSeen();
    sampler->restore(loaded->trainSampler());
    resumed = true;
  }
  // A resumed run writes the steps after its checkpoint again: the records
  // a crash left after it (and a line it tore) go first, so every step
  // appears once, in order.
  if (root && resumed)
    if (Expected<KeptRecords> k = keepRecordsUpTo(metricsPath, step); !k)
      die(k.message());
  b.paramsToDevice();
  Expected<JsonLinesWriter> metrics =
      JsonLinesWriter::open(root ? metricsPath : "/dev/null", resumed);
  if (!metrics)
    die(metrics.message());
  int64_t savedStep = resumed ? step : -1;
  double savedAt = now();
  auto save = [&](int64_t atStep) {
    savedStep = atStep;
    savedAt = now();
    if (!root)
      return;
    b.paramsToHost();
    CheckpointState cs{
        nf_run_config.fingerprint, m.name,    atStep,  tokensSeen,
        sampler->state(),          b.trained, b.state, o.seed};
    if (Status s = saveCheckpoint(ckpt, cs); !s)
      die(s.message());
  };
  // Whether any rank was signalled, agreed by all ranks (every rank must
  // stop at the same step: the next step's all-reduce needs them all).
  // Returns the signal, or 0 to go on.
  bool peerSignal = false; // stopped for another rank's unknown signal
  auto agreedStop = [&]() -> int {
    int signo = stopSignal;
    if (processes.world() == 1)
      return signo;
    if (!b.dev || processes.connected())
      return processes.allReduceMax(signo);
    // A device model's ranks without MPI share only the NCCL group, whose
    // allEqual says whether they agree, not who was signalled: a rank that
    // was not stops as if by SIGTERM.
    if (b.dev->allEqual(uint64_t(signo)))
      return signo;
    peerSignal = signo == 0;
    return signo ? signo : SIGTERM;
  };

  int64_t localTokens = m.batch * m.seqLen;
  int64_t tokensPerStep = localTokens * world;
  if (root)
    std::fprintf(
        stderr,
        "%s: %lld steps of %lld tokens, %s %s (%llu train / %llu val "
        "tokens), arena %.1f MB%s\n",
        m.name, (long long)o.steps, (long long)tokensPerStep,
        o.format == DataFormat::Text ? "text" : "shards", o.train.c_str(),
        (unsigned long long)data.train.numTokens(),
        (unsigned long long)data.val.numTokens(), m.arenaBytes / 1048576.0,
        resumed ? (", resumed at step " + std::to_string(step)).c_str() : "");
  if (root && !deviceName.empty())
    std::fprintf(stderr, "%s: on %s\n", m.name, deviceName.c_str());
  if (root && world > 1)
    std::fprintf(stderr,
                 "%s: data parallel over %lld ranks (%s), %lld sequences "
                 "each\n",
                 m.name, (long long)world, processes.launcher().c_str(),
                 (long long)m.batch);
  ProgressBar bar(o.steps, step); // drawn by the root rank only
  ParamDiagnostics diagnostics(m);
  std::vector<int32_t> in(tokensPerStep), tgt(tokensPerStep);
  const int64_t slice = processes.rank() * localTokens;
  std::vector<float> scratch;
  double windowStart = now(), windowTokens = 0, tokensPerSecond = 0;

  // Fault injection for tests: SIGKILL this process once step N is done
  // (and its checkpoint, if one was due), as a crash or `kill -9` would.
  const char *killAfter = std::getenv("NFRT_FAULT_KILL_AFTER_STEP");
  int64_t killStep = killAfter ? std::atoll(killAfter) : -1;
  int interrupted = 0; // the signal that stopped the loop

  while (step < o.steps) {
    sampler->next(in.data(), tgt.data());
    float loss = 0, gradNorm = 0, lr = 0;
    // The layer diagnostics cost a pass over activations: only the steps
    // that are logged compute them.
    if (m.diagnosticsRequest)
      *m.diagnosticsRequest =
          nf_run_config.diagnostics &&
          ((step + 1) % o.logEvery == 0 || step + 1 == o.steps);
    bool logged = step + 1 == o.steps || (step + 1) % o.logEvery == 0;
    if (b.dev) {
      b.dev->toDevice(b.batch, in.data() + slice, localTokens * 4);
      b.dev->toDevice(b.batch + localTokens, tgt.data() + slice,
                      localTokens * 4);
      // The step averages loss and gradients over the ranks itself (NCCL).
      m.trainStep(b.P, b.arena, b.batch, b.batch + localTokens, b.scalars, b.G);
      loss = b.scalar(0);
    } else {
      m.trainStep(b.P, b.arena, in.data() + slice, tgt.data() + slice, &loss,
                  b.G);
      // The mean over ranks of per-rank means: the global batch's mean.
      processes.allReduceMean(&loss, 1);
      processes.allReduceMean(b.grads.data(), int64_t(b.grads.size()));
    }
    // The guard runs before the update, so the parameters stay finite.
    if (Status s = checkFinite(step + 1, "loss", double(loss)); !s)
      die(s.message());
    // On a device, a flag kernel looks first; the host copy names the
    // tensor and element only when there is something to name.
    if (!b.dev || b.dev->anyNonFinite(b.G, m.gradFloats)) {
      b.gradsToHost();
      if (Status s = checkFinite(step + 1, "gradient", b.gradViews); !s)
        die(s.message());
    }
    if (b.dev) {
      m.optimizerStep(b.P, b.arena, b.G, b.scalars + 1, b.scalars + 2);
      if (root && logged) {
        gradNorm = b.scalar(1);
        lr = b.scalar(2);
        if (nf_run_config.diagnostics)
          b.paramsToHost(); // ParamDiagnostics reads them
      }
    } else {
      m.optimizerStep(b.P, b.arena, b.G, &gradNorm, &lr);
    }
    ++step;
    tokensSeen += tokensPerStep;
    windowTokens += tokensPerStep;

    if (root && (step % o.logEvery == 0 || step == o.steps)) {
      double t = now();
      tokensPerSecond = windowTokens / (t - windowStart);
      windowStart = t;
      windowTokens = 0;
      JsonRecord r;
      r.add("step", step)
          .add("loss", loss)
          .add("lr", lr)
          .add("grad_norm", gradNorm)
          .add("tokens_per_s", tokensPerSecond)
          .add("tokens", tokensSeen);
      if (nf_run_config.diagnostics) {
        // Of the last step: saturation per DyT/Derf layer (this rank's
        // slice), then sigma_max and gamma_rms from the parameters.
        for (int64_t i = 0; i < m.numDiagnostics; ++i)
          r.add(m.diagnosticNames[i], m.diagnostics[i]);
        diagnostics.add(b.params.data(), r);
      }
      if (Status s = metrics->write(r); !s)
        die(s.message());
    }
    if (root)
      bar.update(step, loss, tokensPerSecond);
    if (root && valSampler && (step % o.evalEvery == 0 || step == o.steps)) {
      // The same sequences as one process with the global batch: a rank's
      // model holds batch / world of them, so it takes world times as many
      // batches (of equal size: the mean of their means is the same).
      double valLoss =
          evaluate(m, b, *valSampler, o.evalBatches * world, scratch, in, tgt);
      JsonRecord r;
      r.add("step", step).add("val_loss", valLoss);
      if (Status s = metrics->write(r); !s)
        die(s.message());
      bar.clear();
      std::fprintf(stderr, "step %lld: val loss %.4f\n", (long long)step,
                   valLoss);
    }
    // Time-based checkpoints are rank 0's own decision: only it writes.
    if (o.checkpointEvery > 0 && step % o.checkpointEvery == 0)
      save(step);
    else if (o.checkpointMinutes > 0 &&
             now() - savedAt >= o.checkpointMinutes * 60)
      save(step);
    if (step == killStep)
      std::raise(SIGKILL);
    if (step < o.steps && (interrupted = agreedStop()) != 0)
      break;
  }
  // A finished run always writes its final checkpoint (also when resumed
  // at or past --steps); a stopped one only when it has not just saved.
  if (!interrupted || savedStep != step)
    save(step);
  b.paramsToHost();
  // Identical updates keep identical parameters: check it.
  uint64_t hash = 1469598103934665603ull;
  for (float v : b.params) {
    uint32_t bits;
    std::memcpy(&bits, &v, 4);
    hash = (hash ^ bits) * 1099511628211ull;
  }
  bool same = b.dev ? b.dev->allEqual(hash) : processes.allEqual(hash);
  if (!same)
    die(std::string(m.name) + ": error: parameters differ between ranks");
  // The shell's convention for a process ended by a signal: 130 for
  // SIGINT, 143 for SIGTERM.
  const int code = interrupted ? 128 + interrupted : 0;
  if (!root)
    return code;
  if (interrupted) {
    bar.clear();
    std::fprintf(stderr,
                 "%s: interrupted by %s at step %lld; checkpoint %s; run the "
                 "same command again to resume\n",
                 m.name,
                 peerSignal ? "a signal to another rank"
                            : signalName(interrupted),
                 (long long)step, ckpt.c_str());
    return code;
  }
  bar.finish();
  if (world > 1)
    std::fprintf(stderr, "%s: parameters identical on all %lld ranks\n", m.name,
                 (long long)world);
  std::fprintf(stderr, "%s: done; checkpoint %s, metrics %s/metrics.jsonl\n",
               m.name, ckpt.c_str(), o.outDir.c_str());
  return code;
}
