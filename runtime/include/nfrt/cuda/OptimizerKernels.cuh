//===- OptimizerKernels.cuh - AdamW, Muon pieces, norms, schedules -*- CUDA
//-*-===//
//
// The optimizer step on the device: every scalar (step, lr, grad norm,
// clip coefficient) lives in device memory, so a whole step runs without a
// host round trip and can be captured in a CUDA graph. The per-element
// formulas are the CPU kernels' own (nfrt/ScalarMath.h, docs/math.md#muon,
// #adamw): AdamW as torch.optim.AdamW, Muon's EMA Nesterov momentum and
// decoupled decay. `gradScalePtr` is the ops'
// grad_scale (the clip coefficient; null: none): the gradient is g * scale
// in fp32, rounded once, as torch.nn.utils.clip_grad_norm_ leaves it.
// The non-template kernels are static ([[maybe_unused]]): a header's kernel, in
// every unit that includes it, must not be one external symbol (the SIMT
// build compiles `__global__` to nothing).
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_OPTIMIZERKERNELS_CUH
#define NFRT_CUDA_OPTIMIZERKERNELS_CUH

#include "nfrt/AdamWTensor.h"
#include "nfrt/ScalarMath.h"
#include "nfrt/cuda/OptimizerScratch.h"
#include "nfrt/cuda/Reduce.cuh"

namespace nfrt::cuda {

using math::Schedule;

/// p <- p (1 - lr wd); m, v <- EMAs of g, g^2; p <- p - (lr / bc1) m /
/// (sqrt(v) / sqrt(bc2) + eps).
template <int64_t S>
__global__ void __launch_bounds__(256)
    adamw(const float *p, const float *g, const float *m, const float *v,
          const float *lrPtr, const float *stepPtr, const float *gradScalePtr,
          float beta1, float beta2, float eps, float wd, float *pOut,
          float *mOut, float *vOut) {
  float lr = *lrPtr, step = *stepPtr;
  float gradScale = gradScalePtr ? *gradScalePtr : 1.f;
  math::AdamWScalars c = math::adamwScalars(lr, step, beta1, beta2);
  float decay = 1.f - lr * wd;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < S;
       i += int64_t(gridDim.x) * blockDim.x) {
    float pi = p[i], mi = m[i], vi = v[i];
    math::adamwElement(pi, mi, vi, g[i] * gradScale, decay, c, beta1, beta2,
                       eps);
    pOut[i] = pi;
    mOut[i] = mi;
    vOut[i] = vi;
  }
}

/// One tensor of a multi-tensor AdamW launch, updated in place.
using nfrt::AdamWTensor;
/// Up to kAdamWBatch (OptimizerScratch.h) tensors per launch; tensor k
/// owns the launch's blocks [firstBlock[k], firstBlock[k + 1]).
struct AdamWBatch {
  AdamWTensor t[kAdamWBatch];
  int32_t firstBlock[kAdamWBatch + 1];
  int32_t count;
};

/// The tensor whose blocks include `block`: the last k with firstBlock[k]
/// <= block (a binary search over the batch's block starts).
template <int32_t N>
__device__ int batchTensorOf(const int32_t (&firstBlock)[N], int32_t count,
                             int32_t block) {
  int lo = 0, hi = count - 1;
  while (lo < hi) {
    int mid = (lo + hi + 1) / 2;
    if (firstBlock[mid] <= block)
      lo = mid;
    else
      hi = mid - 1;
  }
  return lo;
}

/// AdamW on up to kAdamWBatch tensors in one launch (multi-tensor apply):
/// the tensors' grid-stride grids (adamWBlocks each) side by side, so a
/// 38.6M-value embedding gets as many blocks as its own launch would and a
/// bias no idle ones; the same update as `adamw`, written in place into the
/// parameter and state buffers.
[[maybe_unused]] static __global__ void __launch_bounds__(256)
    adamwMulti(AdamWBatch batch, const float *lrPtr, const float *stepPtr,
               const float *gradScalePtr, float beta1, float beta2, float eps) {
  int k = batchTensorOf(batch.firstBlock, batch.count, int32_t(blockIdx.x));
  const AdamWTensor &t = batch.t[k];
  int64_t block = int64_t(blockIdx.x) - batch.firstBlock[k];
  int64_t blocks = batch.firstBlock[k + 1] - batch.firstBlock[k];
  float lr = *lrPtr, step = *stepPtr;
  float gradScale = gradScalePtr ? *gradScalePtr : 1.f;
  math::AdamWScalars c = math::adamwScalars(lr, step, beta1, beta2);
  float decay = 1.f - lr * t.wd;
  for (int64_t i = block * blockDim.x + threadIdx.x; i < t.n;
       i += blocks * blockDim.x) {
    float pi = t.p[i], mi = t.m[i], vi = t.v[i];
    math::adamwElement(pi, mi, vi, t.g[i] * gradScale, decay, c, beta1, beta2,
                       eps);
    t.p[i] = pi;
    t.m[i] = mi;
    t.v[i] = vi;
  }
}

/// Fills batches of at most MAX of the `count` tensors, each tensor's
/// blocks (blocksOf(n)) side by side after the previous ones', and calls
/// launch(batch, blocks) for each: the host side of the multi-tensor
/// launches (Batch has t[], firstBlock[] and count, as AdamWBatch).
template <class Batch, int MAX, class T, class BlocksOf, class Launch>
void forEachTensorBatch(const T *t, int64_t count, BlocksOf blocksOf,
                        Launch launch) {
  for (int64_t k0 = 0; k0 < count; k0 += MAX) {
    Batch batch{};
    batch.count = int32_t(count - k0 < MAX ? count - k0 : MAX);
    int32_t blocks = 0;
    for (int32_t k = 0; k < batch.count; ++k) {
      batch.t[k] = t[k0 + k];
      batch.firstBlock[k] = blocks;
      blocks += int32_t(blocksOf(t[k0 + k].n));
    }
    batch.firstBlock[batch.count] = blocks;
    launch(batch, blocks);
  }
}

/// AdamW with shared lr, step, gradient scale and betas on `count` tensors
/// (each its own weight decay), updated in place: ceil(count /
/// kAdamWBatch) launches of adamwMulti, each tensor adamWBlocks(n) blocks.
inline void launchAdamWMulti(cudaStream_t stream, const AdamWTensor *t,
                             int64_t count, const float *lr, const float *step,
                             const float *gradScale, float beta1, float beta2,
                             float eps) {
  forEachTensorBatch<AdamWBatch, kAdamWBatch>(
      t, count, adamWBlocks, [&](const AdamWBatch &batch, int32_t blocks) {
        NF_LAUNCH(adamwMulti, dim3(unsigned(blocks)), dim3(256), 0, stream,
                  batch, lr, step, gradScale, beta1, beta2, eps);
      });
}

/// buf <- beta buf + (1 - beta) g; update = nesterov ? (1 - beta) g +
/// beta buf : buf.
template <int64_t S>
__global__ void __launch_bounds__(256)
    momentum(const float *g, const float *buf, const float *gradScalePtr,
             float beta, bool nesterov, float *bufOut, float *update) {
  float gradScale = gradScalePtr ? *gradScalePtr : 1.f;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < S;
       i += int64_t(gridDim.x) * blockDim.x) {
    float b = buf[i];
    update[i] = math::momentumElement(b, g[i] * gradScale, beta, nesterov);
    bufOut[i] = b;
  }
}

/// p <- p (1 - lr wd) - lr factor O.
template <int64_t S>
__global__ void __launch_bounds__(256)
    muonApply(const float *p, const float *ortho, const float *lrPtr,
              float factor, float wd, float *out) {
  float lr = *lrPtr;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < S;
       i += int64_t(gridDim.x) * blockDim.x)
    out[i] = math::muonApplyElement(p[i], ortho[i], lr, factor, wd);
}

/// partials[block] = the block's share of sum x^2.
template <int64_t S>
__global__ void __launch_bounds__(256)
    sumSquaresPartials(const float *x, float *partials) {
  float s = 0.f;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < S;
       i += int64_t(gridDim.x) * blockDim.x)
    s += x[i] * x[i];
  s = blockSum(s);
  if (threadIdx.x == 0)
    partials[blockIdx.x] = s;
}

/// out = sqrt(sum of the P partials), added in double in a fixed order.
template <int64_t P>
__global__ void sqrtOfPartials(const float *partials, float *out) {
  double s = 0.0;
  for (int64_t i = threadIdx.x; i < P; i += 32)
    s += double(partials[i]);
  s = warpSum(s);
  if (threadIdx.x == 0)
    *out = float(sqrt(s));
}

/// sqrtOfPartials with the count at run time (the same order, so the same
/// bits).
[[maybe_unused]] static __global__ void sqrtOfPartialsN(const float *partials,
                                                        int64_t p, float *out) {
  double s = 0.0;
  for (int64_t i = threadIdx.x; i < p; i += 32)
    s += double(partials[i]);
  s = warpSum(s);
  if (threadIdx.x == 0)
    *out = float(sqrt(s));
}

/// One tensor of the global norm: n floats at x.
struct SumSquaresTensor {
  const float *x;
  int64_t n;
};
/// Up to kGlobalNormBatch tensors of one sumSquaresMulti launch; tensor k
/// owns the launch's blocks [firstBlock[k], firstBlock[k + 1]).
struct SumSquaresBatch {
  SumSquaresTensor t[kGlobalNormBatch];
  int32_t firstBlock[kGlobalNormBatch + 1];
  int32_t count;
};

/// partials[block] = the block's share of sum x^2 of its tensor, for every
/// tensor of the batch in one launch (multi-tensor apply). The blocks are
/// the tensors' grid-stride grids side by side (no idle blocks), each
/// summing exactly what sumSquaresPartials's block of the same index did.
[[maybe_unused]] static __global__ void __launch_bounds__(kGlobalNormThreads)
    sumSquaresMulti(SumSquaresBatch batch, float *partials) {
  int lo = batchTensorOf(batch.firstBlock, batch.count, int32_t(blockIdx.x));
  const SumSquaresTensor &t = batch.t[lo];
  int64_t block = int64_t(blockIdx.x) - batch.firstBlock[lo];
  int64_t blocks = batch.firstBlock[lo + 1] - batch.firstBlock[lo];
  float s = 0.f;
  for (int64_t i = block * blockDim.x + threadIdx.x; i < t.n;
       i += blocks * blockDim.x)
    s += t.x[i] * t.x[i];
  s = blockSum(s);
  if (threadIdx.x == 0)
    partials[blockIdx.x] = s;
}

/// *out = sqrt(sum of squares of every element of the `count` tensors), on
/// `stream`: sumSquaresMulti over batches of kGlobalNormBatch tensors,
/// their partials side by side in `partials` (globalNormScratchFloats
/// floats, OptimizerScratch.h), then sqrtOfPartialsN adds them in double.
/// ceil(count / kGlobalNormBatch) + 1 launches.
inline void launchGlobalNorm(cudaStream_t stream, const SumSquaresTensor *t,
                             int64_t count, float *partials, float *out) {
  int64_t at = 0;
  forEachTensorBatch<SumSquaresBatch, kGlobalNormBatch>(
      t, count, globalNormBlocks,
      [&](const SumSquaresBatch &batch, int32_t blocks) {
        NF_LAUNCH(sumSquaresMulti, dim3(unsigned(blocks)),
                  dim3(kGlobalNormThreads), 0, stream, batch, partials + at);
        at += blocks;
      });
  NF_LAUNCH(sqrtOfPartialsN, dim3(1), dim3(32), 0, stream, partials, at, out);
}

/// torch.nn.utils.clip_grad_norm_: min(1, max_norm / (norm + 1e-6)).
[[maybe_unused]] static __global__ void clipCoef(const float *norm, float *out,
                                                 float maxNorm) {
  *out = math::clipCoef(*norm, maxNorm);
}

/// The multiplier of the base lr at `step` (counted from 1), the CPU's
/// formula (math::lrFactor: the cosine in double, as the CPU took it).
[[maybe_unused]] static __global__ void
lrFactor(const float *stepPtr, float *out, Schedule kind, int64_t warmup,
         int64_t total, int64_t decay, float minRatio) {
  *out = math::lrFactor(*stepPtr, kind, warmup, total, decay, minRatio);
}

/// Newton-Schulz helpers (LinearKernels.cuh runs the GEMMs). X [R, C]
/// row-major is G (or G^T when G is tall) / (||G||_F + 1e-7).
template <int64_t ROWS, int64_t COLS>
__global__ void __launch_bounds__(256)
    nsNormalize(const float *g, const float *sumSq, float *x) {
  constexpr bool tall = ROWS > COLS;
  constexpr int64_t C = tall ? ROWS : COLS;
  float inv = 1.f / float(sqrt(double(*sumSq)) + 1e-7);
  for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       idx < ROWS * COLS; idx += int64_t(gridDim.x) * blockDim.x) {
    int64_t i = idx / COLS, j = idx % COLS;
    x[tall ? j * C + i : i * C + j] = g[idx] * inv;
  }
}

/// out = a * in (S elements).
template <int64_t S>
__global__ void __launch_bounds__(256)
    scaleCopy(const float *in, float a, float *out) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < S;
       i += int64_t(gridDim.x) * blockDim.x)
    out[i] = a * in[i];
}

/// out [ROWS, COLS] from X [R, C] (transposed back when G was tall).
template <int64_t ROWS, int64_t COLS>
__global__ void __launch_bounds__(256) nsOutput(const float *x, float *out) {
  constexpr bool tall = ROWS > COLS;
  constexpr int64_t C = tall ? ROWS : COLS;
  for (int64_t idx = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
       idx < ROWS * COLS; idx += int64_t(gridDim.x) * blockDim.x) {
    int64_t i = idx / COLS, j = idx % COLS;
    out[idx] = tall ? x[j * C + i] : x[i * C + j];
  }
}

// Launchers of the single-tensor updates and the step's scalars: the
// generated code calls these; each owns its grid (LaunchShapes.h).

template <int64_t S>
void launchAdamW(cudaStream_t stream, const float *p, const float *g,
                 const float *m, const float *v, const float *lrPtr,
                 const float *stepPtr, const float *gradScalePtr, float beta1,
                 float beta2, float eps, float wd, float *pOut, float *mOut,
                 float *vOut) {
  NF_LAUNCH_STRIDE((adamw<S>), S, stream, p, g, m, v, lrPtr, stepPtr,
                   gradScalePtr, beta1, beta2, eps, wd, pOut, mOut, vOut);
}
template <int64_t S>
void launchMomentum(cudaStream_t stream, const float *g, const float *buf,
                    const float *gradScalePtr, float beta, bool nesterov,
                    float *bufOut, float *update) {
  NF_LAUNCH_STRIDE((momentum<S>), S, stream, g, buf, gradScalePtr, beta,
                   nesterov, bufOut, update);
}
template <int64_t S>
void launchMuonApply(cudaStream_t stream, const float *p, const float *ortho,
                     const float *lrPtr, float factor, float wd, float *out) {
  NF_LAUNCH_STRIDE((muonApply<S>), S, stream, p, ortho, lrPtr, factor, wd,
                   out);
}
inline void launchClipCoef(cudaStream_t stream, const float *norm, float *out,
                           float maxNorm) {
  NF_LAUNCH(clipCoef, dim3(1), dim3(1), 0, stream, norm, out, maxNorm);
}
inline void launchLrFactor(cudaStream_t stream, const float *stepPtr,
                           float *out, Schedule kind, int64_t warmup,
                           int64_t total, int64_t decay, float minRatio) {
  NF_LAUNCH(lrFactor, dim3(1), dim3(1), 0, stream, stepPtr, out, kind, warmup,
            total, decay, minRatio);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_OPTIMIZERKERNELS_CUH
