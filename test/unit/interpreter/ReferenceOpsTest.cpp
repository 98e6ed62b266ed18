//===- ReferenceOpsTest.cpp - properties of the reference kernels ---------===//
//
// Properties that hold for any input (the lit tests in test/lit/Eval pin
// closed-form values through nfc eval).
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/ReferenceOps.h"
#include "normfuse/Interpreter/TokenFile.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace normfuse::interp;

namespace {

Tensor ramp(std::vector<int64_t> shape) {
  Tensor t = Tensor::zeros(shape);
  for (size_t i = 0; i < t.data.size(); ++i)
    t.data[i] = std::sin(1.0 + 0.7 * double(i)) * 3.0;
  return t;
}

TEST(ReferenceOps, NormsNormalizeEveryRow) {
  Tensor x = ramp({3, 5, 8});
  Tensor r = rmsnorm(x, 0.0), l = layernorm(x, 0.0);
  for (int64_t row = 0; row < x.rows(); ++row) {
    double sumSq = 0, mean = 0, var = 0;
    for (int64_t j = 0; j < 8; ++j) {
      sumSq += r.data[row * 8 + j] * r.data[row * 8 + j];
      mean += l.data[row * 8 + j];
    }
    for (int64_t j = 0; j < 8; ++j)
      var += l.data[row * 8 + j] * l.data[row * 8 + j];
    EXPECT_NEAR(sumSq / 8, 1.0, 1e-14);
    EXPECT_NEAR(mean / 8, 0.0, 1e-14);
    EXPECT_NEAR(var / 8, 1.0, 1e-14);
  }
}

TEST(ReferenceOps, DerfEmaWithBlendZeroIsDerf) {
  Tensor x = ramp({4, 6});
  DerfEMAResult ema = derfEma(x, 0.7, 0.1, 5.0, 0.9, 0.0);
  EXPECT_EQ(ema.y.data, derf(x, 0.7, 0.1).data);
  // The running RMS still moves: 0.9 * 5 + 0.1 * mean row rms.
  double meanRms = 0;
  for (int64_t r = 0; r < 4; ++r) {
    double s = 0;
    for (int64_t j = 0; j < 6; ++j)
      s += x.data[r * 6 + j] * x.data[r * 6 + j];
    meanRms += std::sqrt(s / 6) / 4;
  }
  EXPECT_NEAR(ema.newRunning, 0.9 * 5.0 + 0.1 * meanRms, 1e-14);
}

TEST(ReferenceOps, AttentionIsCausal) {
  // Changing keys and values at later positions never changes earlier
  // outputs; position 0 always returns v_0.
  Tensor q = ramp({2, 5, 3, 4}), k = ramp({2, 5, 3, 4}), v = ramp({2, 5, 3, 4});
  for (double &x : k.data)
    x *= 0.5;
  Tensor o = attention(q, k, v, 10000.0);
  Tensor k2 = k, v2 = v;
  int64_t lastRow = 4 * 3 * 4; // position 4 of batch 0 starts here
  for (int64_t c = 0; c < 12; ++c) {
    k2.data[lastRow + c] += 10;
    v2.data[lastRow + c] -= 10;
  }
  Tensor o2 = attention(q, k2, v2, 10000.0);
  for (int64_t i = 0; i < lastRow; ++i)
    EXPECT_EQ(o.data[i], o2.data[i]);
  for (int64_t c = 0; c < 12; ++c)
    EXPECT_NEAR(o.data[c], v.data[c], 1e-15);
}

TEST(ReferenceOps, RopeIsARotation) {
  // Norms of each pair are kept; position 0 is unchanged.
  Tensor x = ramp({1, 4, 2, 6});
  Tensor y = rope(x, 100.0);
  for (int64_t i = 0; i < x.numel(); i += 2) {
    double before = std::hypot(x.data[i], x.data[i + 1]);
    double after = std::hypot(y.data[i], y.data[i + 1]);
    EXPECT_NEAR(before, after, 1e-14);
  }
  for (int64_t i = 0; i < 12; ++i)
    EXPECT_EQ(x.data[i], y.data[i]);
}

TEST(ReferenceOps, CrossEntropyOfEqualLogitsIsLnV) {
  // 32 rows: compensated summation makes the mean exact (N a power of 2).
  Tensor z = Tensor::zeros({4, 8, 50});
  for (double &v : z.data)
    v = 123.0;
  std::vector<int32_t> targets(32, 49);
  auto loss = crossEntropy(z, targets);
  ASSERT_TRUE(bool(loss));
  EXPECT_EQ(*loss, std::log(50.0));
  targets[5] = 50;
  auto bad = crossEntropy(z, targets);
  ASSERT_FALSE(bool(bad));
  EXPECT_EQ(llvm::toString(bad.takeError()),
            "target 50 at position 5 is outside the vocabulary [0, 50)");
}

TEST(TokenFile, RandomIdsAreSeededAndInRange) {
  TokenBatch a = randomTokens(1000, 17, 5), b = randomTokens(1000, 17, 5);
  EXPECT_EQ(a.tokens, b.tokens);
  EXPECT_EQ(a.targets, b.targets);
  EXPECT_NE(a.tokens, a.targets);
  EXPECT_NE(a.tokens, randomTokens(1000, 17, 6).tokens);
  for (int32_t id : a.tokens) {
    EXPECT_GE(id, 0);
    EXPECT_LT(id, 17);
  }
}

} // namespace
