//===- CheckpointTest.cpp - save, load, refuse, never clobber -------------===//
#include "TempDir.h"

#include "nfrt/Checkpoint.h"
#include "nfrt/Crc32.h"

#include <gtest/gtest.h>

#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>

using namespace nfrt;
using nfrt::test::TempDir;

namespace {

/// A small model's worth of tensors with recognisable values.
struct Model {
  std::vector<float> wq = std::vector<float>(12), scale = std::vector<float>(4),
                     m = std::vector<float>(12), alpha = std::vector<float>(1);

  explicit Model(float base) {
    for (size_t i = 0; i < wq.size(); ++i)
      wq[i] = base + 0.25f * float(i);
    for (size_t i = 0; i < scale.size(); ++i)
      scale[i] = base * 2 + float(i);
    for (size_t i = 0; i < m.size(); ++i)
      m[i] = -base - float(i) / 7.0f;
    alpha[0] = base / 3.0f;
  }

  std::vector<TensorView> params() {
    return {{"layers.0.attn.wq", {3, 4}, wq.data()},
            {"layers.0.norm.scale", {4}, scale.data()},
            {"layers.0.norm.alpha", {}, alpha.data()}};
  }
  std::vector<TensorView> optState() {
    return {{"layers.0.attn.wq.m", {3, 4}, m.data()}};
  }

  CheckpointState state(int64_t step) {
    CheckpointState s;
    s.modelFingerprint = "fp-1234";
    s.modelName = "tiny";
    s.step = step;
    s.tokensSeen = 4096 * uint64_t(step);
    s.trainSampler = {uint64_t(step), 0xDEADBEEFCAFEF00Dull};
    s.params = params();
    s.optimizerState = optState();
    return s;
  }
};

bool sameValues(Model &a, Model &b) {
  return a.wq == b.wq && a.scale == b.scale && a.m == b.m && a.alpha == b.alpha;
}

std::string errorOf(const std::string &path) {
  Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(path);
  return c ? "loaded" : c.message();
}

} // namespace

TEST(Crc32, KnownValues) {
  EXPECT_EQ(crc32("123456789", 9), 0xCBF43926u);
  EXPECT_EQ(crc32("", 0), 0u);
  EXPECT_EQ(crc32("The quick brown fox jumps over the lazy dog", 43),
            0x414FA339u);
  // Incremental equals one-shot, at every split (covers the 8-byte loop and
  // the byte tail).
  std::string text = "The quick brown fox jumps over the lazy dog";
  for (size_t cut = 0; cut <= text.size(); ++cut)
    EXPECT_EQ(
        crc32(text.data() + cut, text.size() - cut, crc32(text.data(), cut)),
        0x414FA339u);
}

TEST(Checkpoint, RoundTrip) {
  TempDir dir;
  std::string path = dir.path("ckpt.nfck");
  Model saved(1.5f);
  Status s = saveCheckpoint(path, saved.state(250));
  ASSERT_TRUE(s) << s.message();
  struct stat st;
  EXPECT_NE(::stat((path + ".tmp").c_str(), &st), 0) << "temp file left";

  Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(path);
  ASSERT_TRUE(c) << c.message();
  EXPECT_EQ(c->formatVersion(), kCheckpointFormatVersion);
  EXPECT_EQ(c->modelFingerprint(), "fp-1234");
  EXPECT_EQ(c->modelName(), "tiny");
  EXPECT_EQ(c->step(), 250);
  EXPECT_EQ(c->tokensSeen(), 4096u * 250);
  EXPECT_EQ(c->trainSampler().position, 250u);
  EXPECT_EQ(c->trainSampler().rng, 0xDEADBEEFCAFEF00Dull);
  ASSERT_EQ(c->params().size(), 3u);
  EXPECT_EQ(c->params()[0].name, "layers.0.attn.wq");
  EXPECT_EQ(c->params()[0].shape, (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(c->params()[2].shape, (std::vector<int64_t>{}));
  EXPECT_EQ(c->optimizerState()[0].name, "layers.0.attn.wq.m");

  Model loaded(0.0f);
  Status r = c->restore("fp-1234", loaded.params(), loaded.optState());
  ASSERT_TRUE(r) << r.message();
  EXPECT_TRUE(sameValues(saved, loaded)); // bit-exact

  // Order does not matter, names do.
  Model reordered(0.0f);
  std::vector<TensorView> params = reordered.params();
  std::swap(params[0], params[2]);
  ASSERT_TRUE(c->restore("", params, reordered.optState()));
  EXPECT_TRUE(sameValues(saved, reordered));
}

// The run's seed travels with the checkpoint (a resume compares it), and
// seed 0 is a seed, not "absent"; a checkpoint saved without one (as every
// checkpoint before the field existed) has none.
TEST(Checkpoint, SeedRoundTrips) {
  TempDir dir;
  Model m(1.0f);
  for (uint64_t seed : {uint64_t(1337), uint64_t(0), ~uint64_t(0)}) {
    CheckpointState st = m.state(3);
    st.seed = seed;
    ASSERT_TRUE(saveCheckpoint(dir.path("s.nfck"), st));
    Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(dir.path("s.nfck"));
    ASSERT_TRUE(c) << c.message();
    ASSERT_TRUE(c->seed().has_value());
    EXPECT_EQ(*c->seed(), seed);
  }
  ASSERT_TRUE(saveCheckpoint(dir.path("none.nfck"), m.state(3)));
  Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(dir.path("none.nfck"));
  ASSERT_TRUE(c) << c.message();
  EXPECT_FALSE(c->seed().has_value());
}

TEST(Checkpoint, OverwritesAtomically) {
  TempDir dir;
  std::string path = dir.path("ckpt.nfck");
  Model first(1.0f), second(2.0f);
  ASSERT_TRUE(saveCheckpoint(path, first.state(10)));
  ASSERT_TRUE(saveCheckpoint(path, second.state(20)));
  Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(path);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->step(), 20);
  Model loaded(0.0f);
  ASSERT_TRUE(c->restore("fp-1234", loaded.params(), loaded.optState()));
  EXPECT_TRUE(sameValues(second, loaded));
}

TEST(Checkpoint, FailedSaveKeepsThePreviousOne) {
  TempDir dir;
  std::string path = dir.path("ckpt.nfck");
  Model first(1.0f), second(2.0f);
  ASSERT_TRUE(saveCheckpoint(path, first.state(10)));
  std::string before = TempDir::read(path);

  // The temporary file cannot be created: a directory is in its place.
  ASSERT_EQ(::mkdir((path + ".tmp").c_str(), 0755), 0);
  Status s = saveCheckpoint(path, second.state(20));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind(path + ".tmp: cannot create the checkpoint: ", 0),
            0u)
      << s.message();
  EXPECT_EQ(TempDir::read(path), before);
  ::rmdir((path + ".tmp").c_str());

  // Invalid input is refused before anything is written.
  CheckpointState bad = second.state(20);
  bad.params.push_back(bad.params[0]);
  s = saveCheckpoint(path, bad);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ": cannot save parameter 'layers.0.attn.wq' "
                                "twice");
  EXPECT_EQ(TempDir::read(path), before);
  EXPECT_EQ(errorOf(path), "loaded");
}

TEST(Checkpoint, SaveIntoMissingDirectoryIsAnError) {
  TempDir dir;
  Model m(1.0f);
  std::string path = dir.path("none/ckpt.nfck");
  Status s = saveCheckpoint(path, m.state(1));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ".tmp: cannot create the checkpoint: No such "
                                "file or directory");
}

TEST(Checkpoint, TruncatedIsRefused) {
  TempDir dir;
  std::string good = dir.path("good.nfck");
  Model m(1.0f);
  ASSERT_TRUE(saveCheckpoint(good, m.state(5)));
  std::string bytes = TempDir::read(good);
  ASSERT_GT(bytes.size(), 100u);

  for (size_t cut :
       {size_t(0), size_t(4), size_t(8), size_t(20), size_t(31), size_t(32),
        size_t(33), bytes.size() / 2, bytes.size() - 1}) {
    std::string p = dir.write("cut.nfck", bytes.substr(0, cut));
    std::string e = errorOf(p);
    EXPECT_EQ(e.rfind(p + ": ", 0), 0u) << "cut at " << cut << ": " << e;
    if (cut < 8)
      EXPECT_EQ(e, p + ": not a NormFuse checkpoint (no NFRTCKPT magic at "
                       "its start)");
    else if (cut < 32)
      EXPECT_EQ(e, p + ": truncated checkpoint: " + std::to_string(cut) +
                       " bytes, shorter than its 32-byte header");
    else
      EXPECT_NE(e.find("truncated checkpoint: the header announces"),
                std::string::npos)
          << e;
  }
  EXPECT_EQ(errorOf(good), "loaded");
}

/// A payload that FlatBuffers' verifier accepts although a tensor's shape
/// (a vector of 8-byte ints) starts at an address that is only 4-aligned;
/// reading it was undefined behaviour. Found by nf-fuzz-checkpoint; the
/// input is test/fuzz/regressions/checkpoint/misaligned-shape (byte 0 odd:
/// the rest is the payload, given a correct header here).
TEST(Checkpoint, MisalignedShapeIsRefused) {
  std::string input = TempDir::read(std::string(NF_FUZZ_REGRESSIONS_DIR) +
                                    "/checkpoint/misaligned-shape");
  ASSERT_GT(input.size(), 1u);
  std::string payload = input.substr(1);
  auto header = checkpointHeader(
      reinterpret_cast<const uint8_t *>(payload.data()), payload.size());
  TempDir dir;
  std::string p = dir.write(
      "misaligned.nfck", std::string(header.begin(), header.end()) + payload);
  std::string e = errorOf(p);
  EXPECT_EQ(e.rfind(p + ": corrupt checkpoint: ", 0), 0u) << e;
  EXPECT_NE(e.find("has a misaligned shape"), std::string::npos) << e;
}

TEST(Checkpoint, EveryFlippedBitIsRefused) {
  TempDir dir;
  std::string good = dir.path("good.nfck");
  Model m(1.0f);
  ASSERT_TRUE(saveCheckpoint(good, m.state(5)));
  std::string bytes = TempDir::read(good);
  // Every byte of the file, one bit each (rotating which bit).
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string flipped = bytes;
    flipped[i] = char(flipped[i] ^ (1 << (i % 8)));
    std::string p = dir.write("flip.nfck", flipped);
    std::string e = errorOf(p);
    ASSERT_NE(e, "loaded") << "flipped bit in byte " << i << " not detected";
    ASSERT_EQ(e.rfind(p + ": ", 0), 0u) << e;
  }
  // A flip in the payload is a checksum mismatch.
  std::string flipped = bytes;
  flipped[bytes.size() - 40] ^= 0x10;
  std::string p = dir.write("flip.nfck", flipped);
  EXPECT_NE(errorOf(p).find("corrupt checkpoint: checksum mismatch (stored 0x"),
            std::string::npos);
  EXPECT_EQ(errorOf(good), "loaded");
}

TEST(Checkpoint, TrailingBytesAreRefused) {
  TempDir dir;
  std::string good = dir.path("good.nfck");
  Model m(1.0f);
  ASSERT_TRUE(saveCheckpoint(good, m.state(5)));
  std::string p = dir.write("long.nfck", TempDir::read(good) + "xyz");
  EXPECT_EQ(errorOf(p),
            p + ": corrupt checkpoint: 3 unexpected bytes after the payload");
}

TEST(Checkpoint, NotACheckpointOrMissing) {
  TempDir dir;
  std::string p = dir.write("text.nfck", "hello, this is not a checkpoint");
  EXPECT_EQ(errorOf(p),
            p + ": not a NormFuse checkpoint (no NFRTCKPT magic at its start)");
  std::string q = dir.path("missing.nfck");
  EXPECT_EQ(errorOf(q), q + ": cannot open: No such file or directory");
}

TEST(Checkpoint, MismatchesAreNamedAndNothingIsWritten) {
  TempDir dir;
  std::string path = dir.path("ckpt.nfck");
  Model saved(1.0f);
  ASSERT_TRUE(saveCheckpoint(path, saved.state(7)));
  Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(path);
  ASSERT_TRUE(c);

  Model target(9.0f);
  Model untouched(9.0f);

  // Another model's fingerprint.
  Status s = c->restore("fp-other", target.params(), target.optState());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ": the checkpoint was written for model 'tiny' "
                                "with fingerprint 'fp-1234', this model's is "
                                "'fp-other': the spec does not fit the "
                                "checkpoint");

  // A shape that differs (d_model changed).
  std::vector<TensorView> params = target.params();
  params[1].shape = {2, 2};
  s = c->restore("fp-1234", params, target.optState());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ": parameter 'layers.0.norm.scale' has shape "
                                "[4] in the checkpoint, the model expects "
                                "[2, 2]: the spec does not fit it");

  // A parameter the checkpoint lacks.
  params = target.params();
  params[2].name = "layers.0.norm.beta";
  s = c->restore("fp-1234", params, target.optState());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ": parameter 'layers.0.norm.beta' is missing "
                                "from the checkpoint: the spec does not fit "
                                "it");

  // A parameter the model lacks.
  params = target.params();
  params.pop_back();
  s = c->restore("fp-1234", params, target.optState());
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ": the checkpoint has parameter "
                                "'layers.0.norm.alpha', which the model does "
                                "not have: the spec does not fit it");

  // Optimizer state that does not fit (AdamW checkpoint, Muon run).
  std::vector<TensorView> state = target.optState();
  state[0].name = "layers.0.attn.wq.momentum";
  s = c->restore("fp-1234", target.params(), state);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ": optimizer state "
                                "'layers.0.attn.wq.momentum' is missing from "
                                "the checkpoint: the spec does not fit it");

  EXPECT_TRUE(sameValues(target, untouched)) << "a failed restore wrote";
}

TEST(Checkpoint, EmptyAndScalarTensors) {
  TempDir dir;
  std::string path = dir.path("e.nfck");
  float x = 3.25f;
  CheckpointState s;
  s.params = {{"empty", {0, 5}, nullptr}, {"scalar", {}, &x}};
  ASSERT_TRUE(saveCheckpoint(path, s));
  Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(path);
  ASSERT_TRUE(c) << c.message();
  float y = 0;
  ASSERT_TRUE(
      c->restore("", {{"empty", {0, 5}, nullptr}, {"scalar", {}, &y}}, {}));
  EXPECT_EQ(y, 3.25f);
  EXPECT_EQ(c->step(), 0);
}

// Fault injection: the process dies or the disk fills while a checkpoint is
// being written. Both run in a forked child so that the test process keeps
// its own signals and limits.

namespace {

/// A 16 MB state whose every value is `base`: large enough that a write
/// takes a while, and checkable after a crash.
struct BigModel {
  std::vector<float> w = std::vector<float>(size_t(4) << 20);
  explicit BigModel(float base) { std::fill(w.begin(), w.end(), base); }
  CheckpointState state(int64_t step) {
    CheckpointState s;
    s.modelFingerprint = "fp-big";
    s.modelName = "big";
    s.step = step;
    s.params = {{"w", {int64_t(w.size())}, w.data()}};
    return s;
  }
};

/// Loads `path` and checks it is one whole save: every value equals the
/// step it was saved at.
::testing::AssertionResult wholeCheckpoint(const std::string &path) {
  Expected<LoadedCheckpoint> c = LoadedCheckpoint::load(path);
  if (!c)
    return ::testing::AssertionFailure() << c.message();
  std::vector<float> w(size_t(4) << 20, -1.f);
  BigModel probe(0.f);
  std::vector<TensorView> into = {{"w", {int64_t(w.size())}, w.data()}};
  Status s = c->restore(probe.state(0).modelFingerprint, into, {});
  if (!s)
    return ::testing::AssertionFailure() << s.message();
  for (float v : w)
    if (v != float(c->step()))
      return ::testing::AssertionFailure()
             << "mixed values: " << v << " in the checkpoint of step "
             << c->step();
  return ::testing::AssertionSuccess();
}

} // namespace

TEST(CheckpointFaults, KilledDuringWriteLeavesALoadableCheckpoint) {
  TempDir dir;
  std::string path = dir.path("ckpt.nfck");
  BigModel first(1.f);
  ASSERT_TRUE(saveCheckpoint(path, first.state(1)));
  std::srand(20261123);
  int midWrite = 0; // kills that left a half-written temporary behind
  for (int round = 0; round < 12; ++round) {
    // A temporary left by the last kill would count this round as mid-write.
    ::unlink((path + ".tmp").c_str());
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // Save steps 2, 3, ... as fast as possible until killed.
      for (int64_t step = 2;; ++step) {
        BigModel m{float(step)};
        (void)saveCheckpoint(path, m.state(step)); // killed mid-way
      }
    }
    // Wait for the child's first write to start (a sanitized build takes
    // long to get there), then kill it 0-20 ms later: mid-write mostly.
    struct stat st;
    for (int i = 0; i < 50000 && ::stat((path + ".tmp").c_str(), &st) != 0; ++i)
      ::usleep(200);
    ::usleep(useconds_t(std::rand() % 20000));
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFSIGNALED(status));
    midWrite += ::stat((path + ".tmp").c_str(), &st) == 0;
    EXPECT_TRUE(wholeCheckpoint(path)) << "round " << round;
  }
  // Most kills land inside a write (a 16 MB write and fsync take longer
  // than the time between them); at least one must, or nothing was tested.
  EXPECT_GE(midWrite, 1);
  std::printf("%d of 12 kills interrupted a write\n", midWrite);
}

TEST(CheckpointFaults, FullDiskIsReportedAndLosesNothing) {
  TempDir dir;
  std::string path = dir.path("ckpt.nfck");
  BigModel first(1.f);
  ASSERT_TRUE(saveCheckpoint(path, first.state(1)));
  std::string before = TempDir::read(path);
  std::string message = dir.path("message");
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // A 1 MB file-size limit stands in for a full disk; with SIGXFSZ
    // ignored the write fails with EFBIG instead of killing the process.
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit = {1 << 20, 1 << 20};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    BigModel second(2.f);
    Status s = saveCheckpoint(path, second.state(2));
    FILE *f = std::fopen(message.c_str(), "w");
    std::fputs(s ? "saved" : s.message().c_str(), f);
    std::fclose(f);
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(TempDir::read(message),
            path + ".tmp: cannot write: File too large");
  EXPECT_EQ(TempDir::read(path), before);
  EXPECT_TRUE(wholeCheckpoint(path));
  struct stat st;
  EXPECT_NE(::stat((path + ".tmp").c_str(), &st), 0) << "temporary left";
}
