//===- TokenIdCheckTest.cpp - kernels refuse token ids outside the vocab --===//
//
// With NFRT_CHECK_TOKEN_IDS (on in debug and sanitized builds; forced on
// here, since the unit tests build with NDEBUG in Release), the embedding
// and cross-entropy kernels abort with one line naming the kernel, the
// index and the id instead of reading or writing past their tables.
//
//===----------------------------------------------------------------------===//
#undef NFRT_CHECK_TOKEN_IDS
#define NFRT_CHECK_TOKEN_IDS 1
#include "nfrt/cpu/ElementwiseKernels.h"
#include "nfrt/cpu/LossKernels.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace nfrt::cpu;

namespace {

constexpr int64_t N = 4, V = 8, D = 3;

TEST(TokenIdCheck, InRangeIdsPass) {
  std::vector<int32_t> tokens = {0, 7, 3, 1};
  std::vector<float> table(V * D, 1.f), out(N * D), dtable(V * D);
  embeddingForward<N, D, V>(tokens.data(), table.data(), out.data());
  embeddingBackward<N, V, D>(tokens.data(), out.data(), dtable.data());
  std::vector<float> logits(N * V, 0.f), dlogits(N * V);
  float loss = 0, dloss = 1;
  crossEntropyForward<N, V>(logits.data(), tokens.data(), &loss);
  crossEntropyBackward<N, V>(logits.data(), tokens.data(), &dloss,
                             dlogits.data());
  EXPECT_NEAR(loss, std::log(8.0), 1e-6);
}

TEST(TokenIdCheckDeathTest, EmbeddingForwardAbortsOnIdPastTheTable) {
  std::vector<int32_t> tokens = {0, 1, 300, 2};
  std::vector<float> table(V * D), out(N * D);
  EXPECT_DEATH(
      (embeddingForward<N, D, V>(tokens.data(), table.data(), out.data())),
      "nfrt: embeddingForward: token id 300 at index 2 is outside the "
      "model's vocabulary \\[0, 8\\)");
}

// Without the vocabulary (the two-argument form), a negative id is still
// caught.
TEST(TokenIdCheckDeathTest, EmbeddingForwardWithoutVocabCatchesNegative) {
  std::vector<int32_t> tokens = {0, -5, 1, 2};
  std::vector<float> table(V * D), out(N * D);
  EXPECT_DEATH(
      (embeddingForward<N, D>(tokens.data(), table.data(), out.data())),
      "nfrt: embeddingForward: token id -5 at index 1 is negative");
}

TEST(TokenIdCheckDeathTest, EmbeddingBackwardAbortsOnIdPastTheTable) {
  std::vector<int32_t> tokens = {0, 1, 2, 8};
  std::vector<float> dy(N * D), dtable(V * D);
  EXPECT_DEATH(
      (embeddingBackward<N, V, D>(tokens.data(), dy.data(), dtable.data())),
      "nfrt: embeddingBackward: token id 8 at index 3 is outside");
}

TEST(TokenIdCheckDeathTest, CrossEntropyAbortsOnTargetPastTheLogits) {
  std::vector<int32_t> targets = {9, 1, 2, 3};
  std::vector<float> logits(N * V), dlogits(N * V);
  float loss = 0, dloss = 1;
  EXPECT_DEATH(
      (crossEntropyForward<N, V>(logits.data(), targets.data(), &loss)),
      "nfrt: crossEntropyForward: token id 9 at index 0 is outside");
  EXPECT_DEATH((crossEntropyBackward<N, V>(logits.data(), targets.data(),
                                           &dloss, dlogits.data())),
               "nfrt: crossEntropyBackward: token id 9 at index 0 is outside");
}

} // namespace
