//===- DatasetTest.cpp - text files, token shards, train/val split --------===//
#include "ShardWriter.h"
#include "TempDir.h"

#include "nfrt/DataSplit.h"
#include "nfrt/ShardDataset.h"
#include "nfrt/TextDataset.h"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace nfrt;
using nfrt::test::iota;
using nfrt::test::shardBytes;
using nfrt::test::TempDir;

namespace {

std::vector<int32_t> all(const TokenStream &s) {
  std::vector<int32_t> out(s.numTokens());
  s.copy(0, s.numTokens(), out.data());
  return out;
}

} // namespace

//===--- Text -------------------------------------------------------------===//

TEST(TextDataset, BytesAreTokens) {
  TempDir dir;
  // "h", "é" (two UTF-8 bytes), "\n", and a byte >= 128 on its own.
  std::string path = dir.write("t.txt", "h\xC3\xA9\n\xFF");
  Expected<TokenStream> s = loadTextDataset(path);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->source(), path);
  EXPECT_EQ(all(*s), (std::vector<int32_t>{'h', 0xC3, 0xA9, '\n', 0xFF}));
  EXPECT_EQ(s->maxToken(), 255);
}

TEST(TextDataset, EmptyFileIsAnError) {
  TempDir dir;
  std::string path = dir.write("empty.txt", "");
  Expected<TokenStream> s = loadTextDataset(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            path + ": the text file is empty: there are no tokens to train on");
}

TEST(TextDataset, MissingFileIsAnError) {
  TempDir dir;
  std::string path = dir.path("nope.txt");
  Expected<TokenStream> s = loadTextDataset(path);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), path + ": cannot open: No such file or directory");
}

TEST(TextDataset, DirectoryIsAnError) {
  TempDir dir;
  Expected<TokenStream> s = loadTextDataset(dir.path(""));
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find("cannot read: is a directory"), std::string::npos)
      << s.message();
}

//===--- Shards -----------------------------------------------------------===//

TEST(ShardDataset, ReadsTokensAcrossShards) {
  TempDir dir;
  std::string a = dir.write("train_000.bin", shardBytes(iota(0, 5)));
  std::string b = dir.write("train_001.bin", shardBytes(iota(100, 3)));
  Expected<TokenStream> s = loadShardDataset(std::vector<std::string>{a, b});
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(s->numTokens(), 8u);
  EXPECT_EQ(all(*s), (std::vector<int32_t>{0, 1, 2, 3, 4, 100, 101, 102}));
  // A copy that crosses the boundary between the shards.
  int32_t window[4];
  s->copy(3, 4, window);
  EXPECT_EQ(std::vector<int32_t>(window, window + 4),
            (std::vector<int32_t>{3, 4, 100, 101}));
  EXPECT_EQ(s->maxToken(), 102);
}

TEST(ShardDataset, LargeTokenIds) {
  TempDir dir;
  std::string a = dir.write("s.bin", shardBytes({50256, 65535, 0}));
  Expected<TokenStream> s = loadShardDataset(a);
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(all(*s), (std::vector<int32_t>{50256, 65535, 0}));
}

TEST(ShardDataset, VocabularyCheck) {
  TempDir dir;
  std::string a = dir.write("s.bin", shardBytes({1, 2, 255, 256, 50256}));
  Expected<TokenStream> s = loadShardDataset(a);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->checkVocabulary(50257));
  Status st = s->checkVocabulary(256);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), a + ": error: token 256 at offset 3 does not fit "
                              "the model's vocab_size 256");
}

// The offset is the token's index in its own file: here the second shard,
// after five good tokens in the first.
TEST(ShardDataset, VocabularyCheckNamesTheShard) {
  TempDir dir;
  std::string a = dir.write("a.bin", shardBytes({1, 2, 3, 4, 5}));
  std::string b = dir.write("b.bin", shardBytes({7, 8, 300, 9}));
  Expected<TokenStream> s = loadShardDataset(std::vector<std::string>{a, b});
  ASSERT_TRUE(s);
  Status st = s->checkVocabulary(256);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), b + ": error: token 300 at offset 2 does not fit "
                              "the model's vocab_size 256");
}

// A slice (the held-out tail of a split) still names the file and the
// offset in it, not in the slice.
TEST(TextDataset, VocabularyCheckOfASliceCountsFromTheFile) {
  TempDir dir;
  std::string path = dir.write("t.txt", "abcdefgh\xC3\xA9");
  Expected<TokenStream> s = loadTextDataset(path);
  ASSERT_TRUE(s);
  TokenStream tail = s->slice(6, 10, "tail");
  EXPECT_TRUE(s->slice(0, 8, "head").checkVocabulary(128));
  Status st = tail.checkVocabulary(128);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.message(), path + ": error: token 195 at offset 8 does not "
                                 "fit the model's vocab_size 128");
}

TEST(ShardDataset, GlobAndListAreExpandedInOrder) {
  TempDir dir;
  dir.write("train_001.bin", shardBytes(iota(10, 2)));
  dir.write("train_000.bin", shardBytes(iota(0, 2)));
  dir.write("val_000.bin", shardBytes(iota(90, 2)));
  Expected<std::vector<std::string>> paths =
      expandShardPaths(dir.path("train_*.bin") + "," + dir.path("val_000.bin"));
  ASSERT_TRUE(paths) << paths.message();
  EXPECT_EQ(*paths, (std::vector<std::string>{dir.path("train_000.bin"),
                                              dir.path("train_001.bin"),
                                              dir.path("val_000.bin")}));
  Expected<TokenStream> s = loadShardDataset(dir.path("train_*.bin"));
  ASSERT_TRUE(s) << s.message();
  EXPECT_EQ(all(*s), (std::vector<int32_t>{0, 1, 10, 11}));
  EXPECT_EQ(s->source(), dir.path("train_*.bin"));
}

TEST(ShardDataset, PatternMatchingNothingIsAnError) {
  TempDir dir;
  Expected<TokenStream> s = loadShardDataset(dir.path("x_*.bin"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            dir.path("x_*.bin") + ": no file matches this pattern");
}

TEST(ShardDataset, MissingFileIsAnError) {
  TempDir dir;
  Expected<TokenStream> s = loadShardDataset(dir.path("gone.bin"));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(),
            dir.path("gone.bin") + ": cannot open: No such file or directory");
}

TEST(ShardDataset, WrongMagicIsAnError) {
  TempDir dir;
  std::string p = dir.write("m.bin", shardBytes(iota(0, 4), 20240801));
  Expected<TokenStream> s = loadShardDataset(p);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), p + ": not an llm.c token shard: magic number "
                             "20240801, expected 20240520");
}

TEST(ShardDataset, WrongVersionIsAnError) {
  TempDir dir;
  std::string p = dir.write("v.bin", shardBytes(iota(0, 4), kShardMagic, 2));
  Expected<TokenStream> s = loadShardDataset(p);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), p + ": unsupported shard version 2 (only version 1, "
                             "uint16 tokens, is read)");
}

TEST(ShardDataset, CountLargerThanFileIsAnError) {
  TempDir dir;
  std::string p =
      dir.write("c.bin", shardBytes(iota(0, 4), kShardMagic, kShardVersion, 6));
  Expected<TokenStream> s = loadShardDataset(p);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), p + ": the header says 6 tokens (12 bytes after the "
                             "header) but the file has 8 bytes after the "
                             "header (truncated?)");
}

TEST(ShardDataset, CountSmallerThanFileIsAnError) {
  TempDir dir;
  std::string p =
      dir.write("c.bin", shardBytes(iota(0, 4), kShardMagic, kShardVersion, 3));
  Expected<TokenStream> s = loadShardDataset(p);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), p + ": the header says 3 tokens (6 bytes after the "
                             "header) but the file has 8 bytes after the "
                             "header");
}

TEST(ShardDataset, TruncatedShardIsAnError) {
  TempDir dir;
  std::string full = shardBytes(iota(0, 100));
  // Cut inside the tokens, and inside the header.
  std::string p = dir.write("t.bin", full.substr(0, full.size() - 51));
  Expected<TokenStream> s = loadShardDataset(p);
  ASSERT_FALSE(s);
  EXPECT_NE(s.message().find(p + ": the header says 100 tokens"),
            std::string::npos)
      << s.message();
  std::string q = dir.write("h.bin", full.substr(0, 100));
  s = loadShardDataset(q);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), q + ": not an llm.c token shard: 100 bytes, shorter "
                             "than the 1024-byte header");
}

TEST(ShardDataset, ShardShrinkingMidRunStopsWithItsName) {
  // Training maps shards; one truncated behind its back (rewritten by
  // another tool) loses pages. Reading them stops the process with the
  // shard's name instead of a SIGBUS crash.
  TempDir dir;
  std::string path = dir.write("train_000.bin", shardBytes(iota(0, 100000)));
  Expected<TokenStream> s = loadShardDataset(std::vector<std::string>{path});
  ASSERT_TRUE(s) << s.message();
  ASSERT_EQ(::truncate(path.c_str(), 4096), 0);
  int32_t window[8];
  EXPECT_EXIT(s->copy(90000, 8, window), ::testing::ExitedWithCode(1),
              "train_000.bin: the token shard shrank or vanished while "
              "training read it");
  // Pages still backed by the file read as before.
  s->copy(0, 8, window);
  EXPECT_EQ(window[7], 7);
}

TEST(ShardDataset, NegativeCountIsAnError) {
  TempDir dir;
  std::string p =
      dir.write("n.bin", shardBytes({}, kShardMagic, kShardVersion, -5));
  Expected<TokenStream> s = loadShardDataset(p);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), p + ": the header's token count is negative (-5)");
}

TEST(ShardDataset, BadShardAmongGoodOnesIsNamed) {
  TempDir dir;
  std::string a = dir.write("a.bin", shardBytes(iota(0, 4)));
  std::string b = dir.write("b.bin", "not a shard");
  Expected<TokenStream> s = loadShardDataset(std::vector<std::string>{a, b});
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message().rfind(b + ": ", 0), 0u) << s.message();
}

TEST(ShardDataset, OnlyEmptyShardsIsAnError) {
  TempDir dir;
  std::string a = dir.write("e.bin", shardBytes({}));
  Expected<TokenStream> s = loadShardDataset(a);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.message(), a + ": the shards hold no tokens");
}

//===--- Split ------------------------------------------------------------===//

TEST(DataSplit, TailIsValidation) {
  TempDir dir;
  std::string a = dir.write("a.bin", shardBytes(iota(0, 6)));
  std::string b = dir.write("b.bin", shardBytes(iota(6, 4)));
  Expected<TokenStream> s = loadShardDataset(std::vector<std::string>{a, b});
  ASSERT_TRUE(s);
  // 10 tokens, 25% -> the last 2 (floor) for validation; the boundary
  // falls inside the second shard.
  Expected<TrainValData> split = splitTrainVal(*s, 0.25);
  ASSERT_TRUE(split) << split.message();
  EXPECT_EQ(all(split->train), (std::vector<int32_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(all(split->val), (std::vector<int32_t>{8, 9}));
  EXPECT_EQ(split->val.source(), s->source() + " (validation part)");

  Expected<TrainValData> none = splitTrainVal(*s, 0.0);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->train.numTokens(), 10u);
  EXPECT_TRUE(none->val.empty());
}

TEST(DataSplit, FractionOutOfRangeIsAnError) {
  TokenStream empty;
  for (double bad : {-0.1, 1.0, 2.0}) {
    Expected<TrainValData> split = splitTrainVal(empty, bad);
    ASSERT_FALSE(split);
    EXPECT_EQ(split.message().rfind("the validation fraction must be in "
                                    "[0, 1), not ",
                                    0),
              0u);
  }
}

TEST(TokenStream, SliceKeepsStorageAlive) {
  TokenStream slice;
  {
    TempDir dir;
    std::string p = dir.write("t.txt", "abcdef");
    Expected<TokenStream> s = loadTextDataset(p);
    ASSERT_TRUE(s);
    slice = s->slice(2, 5, "middle");
  }
  EXPECT_EQ(all(slice), (std::vector<int32_t>{'c', 'd', 'e'}));
  EXPECT_EQ(slice.source(), "middle");
}
