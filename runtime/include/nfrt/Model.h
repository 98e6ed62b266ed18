//===- Model.h - the ABI between generated code and the runtime -*- C++ -*-===//
//
// nfc emits one translation unit per model that defines `nf_model`: the
// parameter table and the three step functions. The runtime (train loop,
// checkpoints, evaluation) only ever sees this struct. All buffers are
// float32; `params` holds parameters and state tensors, `grads` the
// gradients of the trained parameters in table order.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_MODEL_H
#define NFRT_MODEL_H

#include "nfrt/Device.h"

#include <cstdint>

namespace nfrt {

enum class InitKind : int32_t { Normal = 0, Ones = 1, Zeros = 2, Constant = 3 };
enum class OptimizerKind : int32_t { None = -1, AdamW = 0, Muon = 1 };

struct ParamInfo {
  const char *name;
  int64_t offset; // floats into the params buffer
  int64_t numel;
  int32_t rank;
  int64_t shape[4];
  const char *group; // matrix, embedding, head, scale, bias, scalar, state, ...
  InitKind init;
  double initValue;   // std for normal, the value for constant
  int64_t gradOffset; // floats into the grads buffer, -1 for state tensors
  OptimizerKind optimizer;
  double weightDecay;
};

using ForwardFn = void (*)(float *params, char *arena, const int32_t *tokens,
                           const int32_t *targets, float *loss);
using TrainStepFn = void (*)(float *params, char *arena, const int32_t *tokens,
                             const int32_t *targets, float *loss, float *grads);
using OptimizerStepFn = void (*)(float *params, char *arena, float *grads,
                                 float *gradNorm, float *lr);

struct ModelInfo {
  const char *name;
  int64_t batch, seqLen, vocab;
  const ParamInfo *params;
  int64_t numParams;
  int64_t paramFloats, gradFloats;
  int64_t arenaBytes;      // the largest of the three functions' plans
  int64_t naiveArenaBytes; // without buffer reuse, for the report
  ForwardFn forward;
  TrainStepFn trainStep;
  OptimizerStepFn optimizerStep;
  // docs/math.md#diagnostics: a @train_step run while
  // *diagnosticsRequest is non-zero writes, for every DyT/Derf layer, the
  // saturation fractions (|alpha x + s| > 2, then > 1.5) and the scale
  // blindness (slope of log RMS out against log RMS in over the rows) here,
  // under the names below ("sat_frac.<layer>", "sat_frac_1.5.<layer>",
  // "scale_blind.<layer>"). The request starts at 1; the training binary
  // sets it only for the steps it logs (null: computed at every step).
  const float *diagnostics;
  const char *const *diagnosticNames;
  int64_t numDiagnostics;
  int *diagnosticsRequest;
  // false: every buffer the step functions take is host memory (the CPU
  // target). true (--target=cuda): params, arena, tokens, targets, loss,
  // grads, gradNorm and lr are device memory, the functions queue their
  // work on nfrt::cuda::context().stream, and `diagnostics` is host memory
  // valid once that stream is synchronized.
  bool deviceBuffers = false;
  // With deviceBuffers: how the training main allocates, copies, checks and
  // joins a data-parallel group on the device (nfrt/Device.h).
  const DeviceApi *device = nullptr;
};

} // namespace nfrt

extern "C" const nfrt::ModelInfo nf_model;

#endif // NFRT_MODEL_H
