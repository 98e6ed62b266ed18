//===- ParamFileTest.cpp - the NFPARAM1 format ----------------------------===//
//
// The byte layout the PyTorch reference model reads, round trips, and one
// case per way a file can be wrong.
//
//===----------------------------------------------------------------------===//
#include "normfuse/Interpreter/ParamFile.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

using namespace normfuse::interp;

namespace {

std::string errorOf(llvm::StringRef bytes) {
  auto decoded = decodeParamFile(bytes, "p.nfp");
  if (decoded)
    return "<accepted>";
  return llvm::toString(decoded.takeError());
}

std::string le32(uint32_t v) { return std::string((const char *)&v, 4); }
std::string le64(int64_t v) { return std::string((const char *)&v, 8); }

TEST(ParamFile, ByteLayoutIsDocumented) {
  // One 0-D tensor "a" = 1.5: magic, count, name, rank 0, one f64.
  std::string bytes = encodeParamFile({{"a", {{}, {1.5}}}});
  double v = 1.5;
  std::string want = "NFPARAM1" + le32(1) + le32(1) + "a" + le32(0) +
                     std::string((const char *)&v, 8);
  EXPECT_EQ(bytes, want);
  // A [2, 3] tensor: its dims as i64 after the rank.
  bytes = encodeParamFile({{"w", Tensor::zeros({2, 3})}});
  EXPECT_EQ(bytes.substr(8, 24),
            le32(1) + le32(1) + "w" + le32(2) + le64(2) + le64(3).substr(0, 3));
  EXPECT_EQ(bytes.size(), 8u + 4 + 4 + 1 + 4 + 16 + 48);
}

TEST(ParamFile, RoundTripsNamesShapesAndEveryBit) {
  Tensor w{{2, 2}, {1.0, -0.0, 1e-300, -3.25}};
  Tensor s{{}, {std::nan("")}};
  Tensor empty{{0, 4}, {}};
  std::vector<NamedTensor> tensors = {
      {"layers.0.attn.wq", w}, {"embed.scale", s}, {"empty", empty}};
  auto decoded = decodeParamFile(encodeParamFile(tensors), "p.nfp");
  ASSERT_TRUE(bool(decoded)) << llvm::toString(decoded.takeError());
  ASSERT_EQ(decoded->size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*decoded)[i].name, tensors[i].name);
    EXPECT_EQ((*decoded)[i].value.shape, tensors[i].value.shape);
    ASSERT_EQ((*decoded)[i].value.data.size(), tensors[i].value.data.size());
    if (tensors[i].value.data.empty())
      continue; // memcmp's pointers must not be null, even for 0 bytes
    EXPECT_EQ(std::memcmp((*decoded)[i].value.data.data(),
                          tensors[i].value.data.data(),
                          8 * tensors[i].value.data.size()),
              0);
  }
}

TEST(ParamFile, NamesEveryWayAFileIsWrong) {
  std::string good = encodeParamFile({{"w", Tensor::zeros({2, 3})}});
  EXPECT_EQ(errorOf("NFPARAM2" + good.substr(8)),
            "p.nfp: error: not a parameter file (it does not start with "
            "NFPARAM1)");
  EXPECT_EQ(errorOf("NFPARAM1"),
            "p.nfp: error: truncated: no tensor count after the header");
  EXPECT_EQ(errorOf(good.substr(0, 12)),
            "p.nfp: error: truncated before tensor #1 of 1");
  EXPECT_EQ(errorOf(good.substr(0, 17)),
            "p.nfp: error: truncated in the name of tensor #1 of 1");
  EXPECT_EQ(errorOf(good.substr(0, 25)),
            "p.nfp: error: truncated in the shape of tensor 'w'");
  EXPECT_EQ(errorOf(good.substr(0, good.size() - 1)),
            "p.nfp: error: truncated in the values of tensor 'w' (shape "
            "[2, 3] needs 48 bytes, 47 are left)");
  EXPECT_EQ(errorOf(good + "x"),
            "p.nfp: error: corrupt: 1 bytes after the last of 1 tensors");
  EXPECT_EQ(errorOf("NFPARAM1" + le32(1) + le32(1) + "w" + le32(9)),
            "p.nfp: error: corrupt: tensor 'w' has rank 9 (at most 8)");
  EXPECT_EQ(errorOf("NFPARAM1" + le32(1) + le32(1) + "w" + le32(1) + le64(-2)),
            "p.nfp: error: corrupt: tensor 'w' has shape [-2]");
  // Dimensions whose product overflows int64 are corrupt, not a huge read.
  EXPECT_EQ(errorOf("NFPARAM1" + le32(1) + le32(1) + "w" + le32(2) +
                    le64(int64_t(1) << 40) + le64(int64_t(1) << 40)),
            "p.nfp: error: corrupt: tensor 'w' has shape [1099511627776, "
            "1099511627776]");
  std::string twice =
      encodeParamFile({{"w", Tensor::zeros({1})}, {"w", Tensor::zeros({1})}});
  EXPECT_EQ(errorOf(twice), "p.nfp: error: corrupt: tensor 'w' appears twice");
}

TEST(ParamFile, MissingFileNamesIt) {
  auto read = readParamFile("/nonexistent/dir/p.nfp");
  ASSERT_FALSE(bool(read));
  EXPECT_EQ(llvm::toString(read.takeError()),
            "/nonexistent/dir/p.nfp: error: cannot read the parameter file: "
            "No such file or directory");
}

} // namespace
