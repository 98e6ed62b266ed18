//===- BatchSampler.cpp - training and validation batches -----------------===//
#include "nfrt/BatchSampler.h"

#include <string>

using namespace nfrt;

static Status checkShape(const TokenStream &stream, int64_t batch,
                         int64_t seqLen) {
  if (batch <= 0 || seqLen <= 0)
    return Status::error(stream.source() + ": batch size and sequence " +
                         "length must be positive (got " +
                         std::to_string(batch) + " x " +
                         std::to_string(seqLen) + ")");
  return Status::ok();
}

/// Copies the window at `start` into one row of inputs and targets.
static void copyWindow(const TokenStream &stream, uint64_t start,
                       int64_t seqLen, int32_t *inputs, int32_t *targets) {
  stream.copy(start, uint64_t(seqLen), inputs);
  stream.copy(start + 1, uint64_t(seqLen), targets);
}

Expected<RandomBatchSampler>
RandomBatchSampler::create(TokenStream stream, int64_t batch, int64_t seqLen,
                           uint64_t seed, uint32_t rank) {
  if (Status shape = checkShape(stream, batch, seqLen); !shape)
    return shape;
  uint64_t window = uint64_t(seqLen) + 1;
  if (stream.numTokens() < window)
    return Status::error(stream.source() + ": " +
                         std::to_string(stream.numTokens()) +
                         " tokens, fewer than one window of seq_len + 1 = " +
                         std::to_string(window));
  // Hashing the rank in (rather than seed + rank) keeps the ranks' streams
  // far apart in splitmix64's sequence.
  std::string streamName = "train_sampler/rank" + std::to_string(rank);
  Random rng = Random::forName(streamName.c_str(), seed);
  return RandomBatchSampler(std::move(stream), batch, seqLen, rng);
}

void RandomBatchSampler::next(int32_t *inputs, int32_t *targets) {
  // Window starts are uniform in [0, N - T - 1]: the last window ends on
  // the stream's last token.
  uint64_t starts = tokens.numTokens() - uint64_t(seq);
  for (int64_t b = 0; b < batch; ++b)
    copyWindow(tokens, rng.below(starts), seq, inputs + b * seq,
               targets + b * seq);
  ++drawn;
}

Expected<SequentialBatchSampler>
SequentialBatchSampler::create(TokenStream stream, int64_t batch,
                               int64_t seqLen) {
  if (Status shape = checkShape(stream, batch, seqLen); !shape)
    return shape;
  uint64_t n = stream.numTokens();
  uint64_t windows = n == 0 ? 0 : (n - 1) / uint64_t(seqLen);
  auto batches = int64_t(windows / uint64_t(batch));
  if (batches == 0)
    return Status::error(
        stream.source() + ": " + std::to_string(n) + " tokens, fewer than " +
        "one batch of " + std::to_string(batch) + " x " +
        std::to_string(seqLen) +
        " + 1 = " + std::to_string(batch * seqLen + 1) + " tokens");
  return SequentialBatchSampler(std::move(stream), batch, seqLen, batches);
}

bool SequentialBatchSampler::next(int32_t *inputs, int32_t *targets) {
  if (window + uint64_t(batch) > uint64_t(batches * batch))
    return false;
  for (int64_t b = 0; b < batch; ++b, ++window)
    copyWindow(tokens, window * uint64_t(seq), seq, inputs + b * seq,
               targets + b * seq);
  return true;
}

Status SequentialBatchSampler::restore(const SamplerState &state) {
  if (state.position > uint64_t(batches * batch) ||
      state.position % uint64_t(batch) != 0)
    return Status::error("invalid sampler state: window " +
                         std::to_string(state.position) +
                         " is not the start of one of the " +
                         std::to_string(batches) + " batches");
  window = state.position;
  return Status::ok();
}
