//===- FiniteCheckTest.cpp - stop on NaN or infinity ----------------------===//
#include "nfrt/FiniteCheck.h"

#include <gtest/gtest.h>

#include <limits>

using namespace nfrt;

TEST(FiniteCheck, FindsTheFirstNonFiniteValue) {
  std::vector<float> v(10000, 1.0f);
  EXPECT_FALSE(findNonFinite(v.data(), int64_t(v.size())));
  v[9000] = std::numeric_limits<float>::infinity();
  v[5000] = -std::numeric_limits<float>::infinity();
  EXPECT_EQ(findNonFinite(v.data(), int64_t(v.size())), 5000);
  v[4097] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(findNonFinite(v.data(), int64_t(v.size())), 4097);
  v[0] = -std::numeric_limits<float>::signaling_NaN();
  EXPECT_EQ(findNonFinite(v.data(), int64_t(v.size())), 0);
  EXPECT_FALSE(findNonFinite(v.data(), 0));
  // Extremes that are finite.
  std::vector<float> edge = {std::numeric_limits<float>::max(),
                             -std::numeric_limits<float>::max(),
                             std::numeric_limits<float>::denorm_min(), -0.0f};
  EXPECT_FALSE(findNonFinite(edge.data(), int64_t(edge.size())));
}

TEST(FiniteCheck, NamesStepTensorAndIndex) {
  std::vector<float> a(100, 0.5f), b(64, 0.5f);
  std::vector<TensorView> grads = {{"layers.0.attn.wq", {10, 10}, a.data()},
                                   {"layers.0.mlp.w1", {8, 8}, b.data()}};
  EXPECT_TRUE(checkFinite(123, "gradient", grads));
  b[3] = std::numeric_limits<float>::quiet_NaN();
  a[42] = std::numeric_limits<float>::infinity();
  Status s = checkFinite(123, "gradient", grads);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "step 123: non-finite value in gradient of "
                         "'layers.0.attn.wq' (first at index 42)");
  a[42] = 0;
  s = checkFinite(7, "parameter", grads);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "step 7: non-finite value in parameter of "
                         "'layers.0.mlp.w1' (first at index 3)");
}

TEST(FiniteCheck, Scalars) {
  EXPECT_TRUE(checkFinite(1, "loss", 2.5));
  EXPECT_EQ(checkFinite(9, "loss", std::numeric_limits<double>::quiet_NaN())
                .message(),
            "step 9: non-finite loss (nan)");
  EXPECT_EQ(
      checkFinite(9, "grad norm", -std::numeric_limits<double>::infinity())
          .message(),
      "step 9: non-finite grad norm (-inf)");
}
