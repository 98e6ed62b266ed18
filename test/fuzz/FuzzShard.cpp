//===- FuzzShard.cpp - libFuzzer target: llm.c token shards -----*- C++ -*-===//
//
// The input is the shard file: header (256 int32) and uint16 tokens. A
// shard that loads goes the way a training run takes it: the vocabulary
// check, the train/validation split and both batch samplers, with a window
// and batch chosen from the header's spare bytes so that short and long
// windows are both tried.
//
//===----------------------------------------------------------------------===//
#include "FuzzCheck.h"
#include "FuzzFile.h"

#include "nfrt/BatchSampler.h"
#include "nfrt/DataSplit.h"
#include "nfrt/ShardDataset.h"

#include <vector>

using namespace nfrt;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const std::string &path = nffuzz::scratchPath("shard");
  nffuzz::writeScratch(path, data, size);

  Expected<TokenStream> stream =
      loadShardDataset(std::vector<std::string>{path});
  if (!stream) {
    nffuzz::requireOneLineNaming(stream.message(), path);
    return 0;
  }
  nffuzz::require(stream->numTokens() <= (size - kShardHeaderBytes) / 2,
                  "more tokens than the file holds", path);
  int32_t maxToken = stream->maxToken();
  Status vocab = stream->checkVocabulary(256);
  nffuzz::require(vocab.isOk() == (maxToken < 256),
                  "checkVocabulary disagrees with maxToken", vocab.message());
  if (!vocab.isOk())
    nffuzz::requireOneLineNaming(vocab.message(), path);

  // Header bytes 12..15 are unused by the format: they pick the shape.
  int64_t seqLen = 1 + data[12] % 64, batch = 1 + data[13] % 4;
  double valFraction = (data[14] % 10) / 10.0;
  Expected<TrainValData> split = splitTrainVal(*stream, valFraction);
  if (!split) {
    nffuzz::requireOneLineNaming(split.message(), path);
    return 0;
  }
  std::vector<int32_t> inputs(batch * seqLen), targets(batch * seqLen);
  auto checkWindow = [&] {
    for (size_t i = 0; i < inputs.size(); ++i)
      nffuzz::require(inputs[i] >= 0 && inputs[i] <= maxToken &&
                          targets[i] >= 0 && targets[i] <= maxToken,
                      "a sampled token that is not in the shard", path);
  };
  if (auto random =
          RandomBatchSampler::create(split->train, batch, seqLen, data[15])) {
    for (int i = 0; i < 4; ++i) {
      random->next(inputs.data(), targets.data());
      checkWindow();
    }
  } else {
    nffuzz::requireOneLineNaming(random.message(), path);
  }
  if (!split->val.empty()) {
    if (auto seq = SequentialBatchSampler::create(split->val, batch, seqLen)) {
      for (int i = 0; i < 4 && seq->next(inputs.data(), targets.data()); ++i)
        checkWindow();
    } else {
      nffuzz::requireOneLineNaming(seq.message(), path);
    }
  }
  return 0;
}
