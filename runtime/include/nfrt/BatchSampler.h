//===- BatchSampler.h - training and validation batches ---------*- C++ -*-===//
//
// A batch is B windows of T + 1 consecutive tokens: inputs are the first T,
// targets the last T (the next token at every position), both B x T int32
// row-major, as the generated step functions take them.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_BATCHSAMPLER_H
#define NFRT_BATCHSAMPLER_H

#include "nfrt/Random.h"
#include "nfrt/Status.h"
#include "nfrt/TokenStream.h"

#include <cstdint>

namespace nfrt {

/// All a sampler needs to continue exactly where it stopped; a checkpoint
/// stores it. `position` counts batches drawn (random sampler) or is the
/// next window (sequential sampler); `rng` is the generator's state
/// (nfrt::Random), unused by the sequential sampler.
struct SamplerState {
  uint64_t position = 0;
  uint64_t rng = 0;
};

/// B windows at uniformly random offsets, from a seeded nfrt::Random: the
/// same stream, shape, seed and rank give the same batches on every
/// machine.
class RandomBatchSampler {
public:
  /// Fails (naming the stream) when it is shorter than one window. Each
  /// rank of a data-parallel run gets its own generator stream.
  static Expected<RandomBatchSampler> create(TokenStream stream, int64_t batch,
                                             int64_t seqLen, uint64_t seed,
                                             uint32_t rank = 0);

  /// Fills inputs and targets, batch * seqLen values each.
  void next(int32_t *inputs, int32_t *targets);

  SamplerState state() const { return {drawn, rng.rawState()}; }
  /// Continues from a state that state() returned (same stream and shape).
  void restore(const SamplerState &state) {
    rng = Random(state.rng);
    drawn = state.position;
  }

  int64_t batchSize() const { return batch; }
  int64_t seqLen() const { return seq; }
  uint64_t batchesDrawn() const { return drawn; }
  const TokenStream &stream() const { return tokens; }

private:
  RandomBatchSampler(TokenStream tokens, int64_t batch, int64_t seq, Random rng)
      : tokens(std::move(tokens)), batch(batch), seq(seq), rng(rng) {}

  TokenStream tokens;
  int64_t batch, seq;
  Random rng;
  uint64_t drawn = 0;
};

/// Windows at 0, T, 2T, ... in order (each window's last token is the next
/// one's first, as in llm.c), grouped B at a time; a last partial batch is
/// dropped so every batch has the compiled shape. For validation: every
/// evaluation sees the same batches.
class SequentialBatchSampler {
public:
  /// Fails (naming the stream) when it does not hold one full batch.
  static Expected<SequentialBatchSampler> create(TokenStream stream,
                                                 int64_t batch, int64_t seqLen);

  /// Fills the next batch; false (and nothing written) after the last one.
  bool next(int32_t *inputs, int32_t *targets);
  void reset() { window = 0; }
  int64_t numBatches() const { return batches; }

  SamplerState state() const { return {window, 0}; }
  Status restore(const SamplerState &state);

private:
  SequentialBatchSampler(TokenStream tokens, int64_t batch, int64_t seq,
                         int64_t batches)
      : tokens(std::move(tokens)), batch(batch), seq(seq), batches(batches) {}

  TokenStream tokens;
  int64_t batch, seq, batches;
  uint64_t window = 0;
};

} // namespace nfrt

#endif // NFRT_BATCHSAMPLER_H
