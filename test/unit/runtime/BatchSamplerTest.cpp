//===- BatchSamplerTest.cpp - seeded and sequential batches ---------------===//
#include "ShardWriter.h"
#include "TempDir.h"

#include "nfrt/BatchSampler.h"

#include <gtest/gtest.h>

using namespace nfrt;
using nfrt::test::iota;
using nfrt::test::shardBytes;
using nfrt::test::TempDir;

namespace {

/// Token i has id i % 65536: a window's first token tells its offset.
TokenStream countingStream(uint16_t n) {
  auto tokens = std::make_shared<std::vector<uint16_t>>(iota(0, n));
  return TokenStream({{tokens->data(), tokens->size(), tokens, "counting"}},
                     "counting");
}

struct Batch {
  std::vector<int32_t> inputs, targets;
  Batch(int64_t b, int64_t t) : inputs(b * t), targets(b * t) {}
  bool operator==(const Batch &o) const {
    return inputs == o.inputs && targets == o.targets;
  }
};

Batch draw(RandomBatchSampler &s) {
  Batch batch(s.batchSize(), s.seqLen());
  s.next(batch.inputs.data(), batch.targets.data());
  return batch;
}

} // namespace

TEST(RandomBatchSampler, TargetsAreInputsShiftedByOne) {
  Expected<RandomBatchSampler> s =
      RandomBatchSampler::create(countingStream(1000), 4, 16, 1234);
  ASSERT_TRUE(s) << s.message();
  for (int step = 0; step < 50; ++step) {
    Batch batch = draw(*s);
    for (int b = 0; b < 4; ++b) {
      int32_t start = batch.inputs[b * 16];
      ASSERT_GE(start, 0);
      ASSERT_LE(start, 1000 - 17); // the window's last target is in range
      for (int t = 0; t < 16; ++t) {
        EXPECT_EQ(batch.inputs[b * 16 + t], start + t);
        EXPECT_EQ(batch.targets[b * 16 + t], start + t + 1);
      }
    }
  }
  EXPECT_EQ(s->batchesDrawn(), 50u);
}

TEST(RandomBatchSampler, SameSeedSameBatches) {
  auto a = RandomBatchSampler::create(countingStream(5000), 8, 32, 42);
  auto b = RandomBatchSampler::create(countingStream(5000), 8, 32, 42);
  auto c = RandomBatchSampler::create(countingStream(5000), 8, 32, 43);
  auto r1 = RandomBatchSampler::create(countingStream(5000), 8, 32, 42, 1);
  ASSERT_TRUE(a && b && c && r1);
  bool differsFromOtherSeed = false, differsFromOtherRank = false;
  for (int i = 0; i < 20; ++i) {
    Batch x = draw(*a);
    EXPECT_EQ(x, draw(*b));
    differsFromOtherSeed |= !(x == draw(*c));
    differsFromOtherRank |= !(x == draw(*r1));
  }
  EXPECT_TRUE(differsFromOtherSeed);
  EXPECT_TRUE(differsFromOtherRank);
}

// The first window starts of seed 7 are pinned (computed independently in
// Python from splitmix64's definition): a change of generator or of how
// offsets are drawn would silently change every run's data order.
TEST(RandomBatchSampler, PinnedSequence) {
  auto s = RandomBatchSampler::create(countingStream(60000), 4, 8, 7);
  ASSERT_TRUE(s);
  Batch batch = draw(*s);
  std::vector<int32_t> starts;
  for (int b = 0; b < 4; ++b)
    starts.push_back(batch.inputs[b * 8]);
  EXPECT_EQ(starts, (std::vector<int32_t>{28933, 20410, 26459, 51239}));
}

TEST(RandomBatchSampler, RestoreContinuesExactly) {
  auto a = RandomBatchSampler::create(countingStream(3000), 2, 8, 99);
  ASSERT_TRUE(a);
  for (int i = 0; i < 7; ++i)
    draw(*a);
  SamplerState saved = a->state();
  EXPECT_EQ(saved.position, 7u);
  std::vector<Batch> expected;
  for (int i = 0; i < 5; ++i)
    expected.push_back(draw(*a));

  auto b = RandomBatchSampler::create(countingStream(3000), 2, 8, 99);
  ASSERT_TRUE(b);
  b->restore(saved);
  EXPECT_EQ(b->batchesDrawn(), 7u);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(draw(*b), expected[i]) << "batch " << i;
}

TEST(RandomBatchSampler, TooFewTokensIsAnError) {
  auto s = RandomBatchSampler::create(countingStream(16), 1, 16, 0);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "counting: 16 tokens, fewer than one window of "
                         "seq_len + 1 = 17");
  // Exactly one window is enough: every draw is that window.
  auto one = RandomBatchSampler::create(countingStream(17), 2, 16, 0);
  ASSERT_TRUE(one);
  Batch batch = draw(*one);
  EXPECT_EQ(batch.inputs[0], 0);
  EXPECT_EQ(batch.inputs[16], 0);
  EXPECT_EQ(batch.targets[31], 16);
}

TEST(RandomBatchSampler, BadShapeIsAnError) {
  auto s = RandomBatchSampler::create(countingStream(100), 0, 16, 0);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "counting: batch size and sequence length must be "
                         "positive (got 0 x 16)");
}

TEST(RandomBatchSampler, WindowsCrossShardBoundaries) {
  TempDir dir;
  std::string a = dir.write("a.bin", shardBytes(iota(0, 10)));
  std::string b = dir.write("b.bin", shardBytes(iota(10, 10)));
  Expected<TokenStream> stream =
      loadShardDataset(std::vector<std::string>{a, b});
  ASSERT_TRUE(stream);
  auto s = RandomBatchSampler::create(*stream, 8, 5, 3);
  ASSERT_TRUE(s);
  for (int i = 0; i < 20; ++i) {
    Batch batch = draw(*s);
    for (int r = 0; r < 8; ++r)
      for (int t = 0; t < 5; ++t)
        ASSERT_EQ(batch.targets[r * 5 + t], batch.inputs[r * 5] + t + 1);
  }
}

TEST(SequentialBatchSampler, CoversTheStreamInOrder) {
  // 41 tokens, T = 4: windows at 0, 4, ..., 36 (10), B = 3 -> 3 batches;
  // the tenth window is dropped.
  auto s = SequentialBatchSampler::create(countingStream(41), 3, 4);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->numBatches(), 3);
  std::vector<int32_t> in(12), tg(12);
  for (int batch = 0; batch < 3; ++batch) {
    ASSERT_TRUE(s->next(in.data(), tg.data()));
    for (int b = 0; b < 3; ++b)
      for (int t = 0; t < 4; ++t) {
        int32_t pos = (batch * 3 + b) * 4 + t;
        EXPECT_EQ(in[b * 4 + t], pos);
        EXPECT_EQ(tg[b * 4 + t], pos + 1);
      }
  }
  std::vector<int32_t> before = in;
  EXPECT_FALSE(s->next(in.data(), tg.data()));
  EXPECT_EQ(in, before); // nothing written after the last batch

  s->reset();
  ASSERT_TRUE(s->next(in.data(), tg.data()));
  EXPECT_EQ(in[0], 0);
}

TEST(SequentialBatchSampler, StateRoundTrip) {
  auto s = SequentialBatchSampler::create(countingStream(200), 2, 8);
  ASSERT_TRUE(s);
  std::vector<int32_t> in(16), tg(16);
  ASSERT_TRUE(s->next(in.data(), tg.data()));
  SamplerState state = s->state();
  EXPECT_EQ(state.position, 2u);
  ASSERT_TRUE(s->next(in.data(), tg.data()));
  int32_t second = in[0];

  auto t = SequentialBatchSampler::create(countingStream(200), 2, 8);
  ASSERT_TRUE(t);
  ASSERT_TRUE(t->restore(state));
  ASSERT_TRUE(t->next(in.data(), tg.data()));
  EXPECT_EQ(in[0], second);

  Status bad = t->restore({3, 0});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.message(), "invalid sampler state: window 3 is not the start "
                           "of one of the 12 batches");
}

TEST(SequentialBatchSampler, LessThanOneBatchIsAnError) {
  auto s = SequentialBatchSampler::create(countingStream(32), 4, 8);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), "counting: 32 tokens, fewer than one batch of 4 x 8 "
                         "+ 1 = 33 tokens");
  EXPECT_TRUE(SequentialBatchSampler::create(countingStream(33), 4, 8));
  auto empty = SequentialBatchSampler::create(TokenStream({}, "val"), 1, 8);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.message(), "val: 0 tokens, fewer than one batch of 1 x 8 "
                             "+ 1 = 9 tokens");
}
