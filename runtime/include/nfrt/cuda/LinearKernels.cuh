//===- LinearKernels.cuh - GEMMs on cuBLAS ----------------------*- CUDA
//-*-===//
//
// nf.linear is y = x W^T with W [OUT, IN] (torch.nn.Linear), row-major.
// cuBLAS is column-major: a row-major [R, C] matrix is its transpose
// [C, R] column-major, so y^T = W x^T becomes gemm(T, N) on the stored
// buffers. fp32 here uses cublasSgemm (fp32 math; TF32 is not enabled).
// Newton-Schulz (docs/math.md#newton-schulz) runs its three products per step
// on the same GEMM, with the scalar pieces in OptimizerKernels.cuh.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_LINEARKERNELS_CUH
#define NFRT_CUDA_LINEARKERNELS_CUH

#include "nfrt/cuda/LinearScratch.h"
#include "nfrt/cuda/OptimizerKernels.cuh"

#include <type_traits>

namespace nfrt::cuda {

/// y[N, OUT] = x[N, IN] W[OUT, IN]^T.
template <int64_t N, int64_t IN, int64_t OUT>
void linearForward(cublasHandle_t h, const float *x, const float *w, float *y) {
  const float one = 1.f, zero = 0.f;
  NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, OUT, N, IN, &one, w,
                              IN, x, IN, &zero, y, OUT));
}

/// dx[N, IN] = dy[N, OUT] W (ACC: dx += dy W, cuBLAS's beta = 1: an
/// input's gradients summed by their GEMMs, nf-fuse-grad-accumulate);
/// dW[OUT, IN] = dy^T x.
template <int64_t N, int64_t IN, int64_t OUT, bool ACC = false>
void linearBackward(cublasHandle_t h, const float *x, const float *w,
                    const float *dy, float *dx, float *dw) {
  ProfileScope profile("cublasSgemm x2 (linear backward)", context().stream);
  const float one = 1.f, zero = 0.f, beta = ACC ? 1.f : 0.f;
  NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, IN, N, OUT, &one, w,
                              IN, dy, OUT, &beta, dx, IN));
  NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_T, IN, OUT, N, &one, x,
                              IN, dy, OUT, &zero, dw, IN));
}

// bf16 mode (nfc build --precision=bf16): cuBLAS multiplies bf16 inputs
// with fp32 accumulation (cublasGemmEx, CUBLAS_COMPUTE_32F). Activations
// and their gradients are stored in bf16 already (Storage.cuh) and go in
// as they are. The fp32 master weights a step's GEMMs read are rounded to
// bf16 (nearest even) once, at the step's start, into the arena's cache
// (weightsToBf16: one launch for all of them, shared by the forward and
// backward GEMMs); a weight computed in the step, and any fp32 operand (a
// fused norm + linear's normalized rows), is rounded into scratch by the
// launcher that reads it. The result is written in its storage type: bf16
// for an activation or its gradient, fp32 for a weight gradient (it goes
// to the fp32 optimizer). Master weights and optimizer state stay fp32
// (docs/design.md#the-cuda-path: accumulate in fp32, cast once, and say
// where). Paddings and scratch sizes: LinearScratch.h.

template <int64_t S>
__global__ void __launch_bounds__(256)
    toBf16(const float *in, __nv_bfloat16 *out) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < S;
       i += int64_t(gridDim.x) * blockDim.x)
    out[i] = __float2bfloat16(in[i]);
}

/// The bf16 copy of an fp32 buffer of S values in scratch.
template <int64_t S>
__nv_bfloat16 *bf16Copy(cudaStream_t stream, const float *in,
                        __nv_bfloat16 *out) {
  NF_LAUNCH((toBf16<S>), dim3(strideBlocks(S)), dim3(256), 0, stream, in, out);
  return out;
}
/// A buffer stored in bf16 already is used as it is.
template <int64_t S>
const __nv_bfloat16 *bf16Copy(cudaStream_t, const __nv_bfloat16 *in,
                              __nv_bfloat16 *) {
  return in;
}

/// One fp32 master weight W [rows, cols] and where its bf16 copy goes
/// (rows padded to linearPitch(rows) with zeros).
struct WeightCopy {
  const float *w;
  __nv_bfloat16 *out;
  int64_t rows, cols;
};
/// Tensors per launch: the batch (32 B each) is a kernel argument, well
/// under the 4 KiB every architecture takes.
constexpr int kWeightCopyBatch = 64;
struct WeightCopyBatch {
  WeightCopy t[kWeightCopyBatch];
};

/// blockIdx.y picks the tensor; blocks stride over its padded copy.
/// (static: a header's non-template kernel, in every unit that includes
/// it, must not be one external symbol; the SIMT build compiles
/// `__global__` to nothing.)
static __global__ void __launch_bounds__(256)
    weightsToBf16Batch(WeightCopyBatch batch) {
  const WeightCopy &c = batch.t[blockIdx.y];
  int64_t real = c.rows * c.cols, padded = linearPitch(c.rows) * c.cols;
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < padded;
       i += int64_t(gridDim.x) * blockDim.x)
    c.out[i] = __float2bfloat16(i < real ? c.w[i] : 0.f);
}

/// The step's bf16 weight copies, all in ceil(K / 64) launches. The grid
/// is sized for the batch's largest tensor (strideBlocks: up to 1024
/// blocks), so that a 38.6M-value embedding is not left to a few blocks
/// looping; a smaller tensor's surplus blocks find no work and exit.
template <size_t K>
void weightsToBf16(cudaStream_t stream, const WeightCopy (&copies)[K]) {
  for (size_t at = 0; at < K; at += kWeightCopyBatch) {
    WeightCopyBatch batch = {};
    size_t count =
        K - at < size_t(kWeightCopyBatch) ? K - at : kWeightCopyBatch;
    int64_t largest = 0;
    for (size_t i = 0; i < count; ++i) {
      batch.t[i] = copies[at + i];
      int64_t n = linearPitch(copies[at + i].rows) * copies[at + i].cols;
      largest = n > largest ? n : largest;
    }
    NF_LAUNCH(weightsToBf16Batch, dim3(strideBlocks(largest), count), dim3(256),
              0, stream, batch);
  }
}

template <class T> constexpr cudaDataType_t kCudaType = CUDA_R_32F;
template <> constexpr cudaDataType_t kCudaType<__nv_bfloat16> = CUDA_R_16BF;

/// C = op(A) op(B), column-major, bf16 inputs, fp32 accumulation, C in
/// fp32 or bf16 (beta = 0 or 1).
template <class CT>
void gemmBf16(cublasHandle_t h, cublasOperation_t ta, cublasOperation_t tb,
              int m, int n, int k, float alpha, const __nv_bfloat16 *A, int lda,
              const __nv_bfloat16 *B, int ldb, float beta, CT *C, int ldc) {
  NF_CUBLAS_CHECK(cublasGemmEx(h, ta, tb, m, n, k, &alpha, A, CUDA_R_16BF, lda,
                               B, CUDA_R_16BF, ldb, &beta, C, kCudaType<CT>,
                               ldc, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT));
}

/// Kept for the tests and other callers: LinearScratch.h's rules at
/// compile time.
template <int64_t OUT> constexpr int64_t linearPitch() {
  return linearPitch(OUT);
}
template <int64_t N, int64_t IN, int64_t OUT, bool WeightReady = false>
constexpr int64_t linearBf16Scratch() {
  return linearBf16ScratchFloats(N, IN, OUT, WeightReady);
}

/// out[r, c] = in[r, c] for c < C of rows with pitch P (the padded GEMM
/// output compacted).
template <int64_t R, int64_t C, int64_t P, class T>
__global__ void __launch_bounds__(256) compactRows(const T *in, T *out) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < R * C;
       i += int64_t(gridDim.x) * blockDim.x)
    out[i] = in[i / C * P + i % C];
}

/// out[r, c] = bf16(in[r, c]) for c < C, 0 for C <= c < P (dy's padded
/// bf16 copy).
template <int64_t R, int64_t C, int64_t P, class T>
__global__ void __launch_bounds__(256)
    toBf16Padded(const T *in, __nv_bfloat16 *out) {
  for (int64_t i = int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < R * P;
       i += int64_t(gridDim.x) * blockDim.x) {
    int64_t c = i % P;
    out[i] = __float2bfloat16(c < C ? toF32(in[i / P * C + c]) : 0.f);
  }
}

/// W's bf16 operand: an fp32 W is copied, P - OUT zero rows after it, into
/// `ws`; a bf16 W is the step's copy (weightsToBf16), padded already.
template <int64_t IN, int64_t OUT>
const __nv_bfloat16 *weightOperand(cudaStream_t stream, const float *w,
                                   __nv_bfloat16 *ws) {
  constexpr int64_t P = linearPitch(OUT);
  bf16Copy<OUT * IN>(stream, w, ws);
  if constexpr (P > OUT)
    NF_CUDA_CHECK(cudaMemsetAsync(ws + OUT * IN, 0,
                                  size_t(P - OUT) * IN * sizeof(*ws), stream));
  return ws;
}
template <int64_t IN, int64_t OUT>
const __nv_bfloat16 *weightOperand(cudaStream_t, const __nv_bfloat16 *w,
                                   __nv_bfloat16 *) {
  return w;
}

/// A launcher's scratch (linearBf16ScratchFloats): x's copy, W's copy (an
/// fp32 W only), then dy's copy or the forward's padded output.
struct LinearBf16Buffers {
  __nv_bfloat16 *x, *w, *tail;
};
template <int64_t N, int64_t IN, int64_t OUT, class W>
LinearBf16Buffers linearBf16Buffers(float *scratch) {
  auto *x = reinterpret_cast<__nv_bfloat16 *>(scratch);
  __nv_bfloat16 *w = x + bf16Span(N * IN);
  bool ready = std::is_same_v<W, __nv_bfloat16>;
  return {x, w, ready ? w : w + bf16Span(linearPitch(OUT) * IN)};
}

/// y[N, OUT] = x W^T in bf16 with fp32 accumulation; W is the fp32 master
/// or the step's bf16 copy (deduced). PITCHED: y is stored with row pitch
/// P = linearPitch(OUT) (the train step's bf16 logits: docs/cuda.md, The
/// classifier), and the padded GEMM writes it there directly (ldc = P; its
/// pad columns are x times W's zero pad rows); else a padded OUT goes
/// through scratch and compactRows into y [N, OUT].
template <int64_t N, int64_t IN, int64_t OUT, class X = float, class Y = float,
          bool PITCHED = false, class W = float>
void linearForwardBf16(cublasHandle_t h, cudaStream_t stream, const X *x,
                       const W *w, Y *y, float *scratch) {
  ProfileScope profile("cublasGemmEx bf16 (linear forward)", stream);
  constexpr int64_t P = linearPitch(OUT);
  LinearBf16Buffers s = linearBf16Buffers<N, IN, OUT, W>(scratch);
  const __nv_bfloat16 *xb = bf16Copy<N * IN>(stream, x, s.x);
  const __nv_bfloat16 *wb = weightOperand<IN, OUT>(stream, w, s.w);
  if constexpr (P == OUT || PITCHED) {
    gemmBf16(h, CUBLAS_OP_T, CUBLAS_OP_N, P, N, IN, 1.f, wb, IN, xb, IN, 0.f, y,
             P);
  } else {
    Y *padded = reinterpret_cast<Y *>(s.tail);
    gemmBf16(h, CUBLAS_OP_T, CUBLAS_OP_N, P, N, IN, 1.f, wb, IN, xb, IN, 0.f,
             padded, P);
    NF_LAUNCH((compactRows<N, OUT, P, Y>), dim3(strideBlocks(N * OUT)),
              dim3(256), 0, stream, padded, y);
  }
}

/// dx = dy W and dW = dy^T x in bf16 with fp32 accumulation; W as above.
/// PITCHED: dy is bf16 stored with row pitch P = linearPitch(OUT) and zero
/// pad columns (the train step's dlogits, written so by crossEntropyFused)
/// and is read as it is; else a padded OUT copies dy into scratch with
/// zero pad columns (toBf16Padded). ACC: dx += dy W (beta = 1), as
/// linearBackward's.
template <int64_t N, int64_t IN, int64_t OUT, class X = float, class DY = float,
          class DX = float, bool PITCHED = false, bool ACC = false,
          class W = float>
void linearBackwardBf16(cublasHandle_t h, cudaStream_t stream, const X *x,
                        const W *w, const DY *dy, DX *dx, float *dw,
                        float *scratch) {
  ProfileScope profile("cublasGemmEx bf16 x2 (linear backward)", stream);
  constexpr int64_t P = linearPitch(OUT);
  LinearBf16Buffers s = linearBf16Buffers<N, IN, OUT, W>(scratch);
  const __nv_bfloat16 *xb = bf16Copy<N * IN>(stream, x, s.x);
  const __nv_bfloat16 *wb = weightOperand<IN, OUT>(stream, w, s.w);
  const __nv_bfloat16 *dyb;
  if constexpr (P == OUT) {
    dyb = bf16Copy<N * OUT>(stream, dy, s.tail);
  } else if constexpr (PITCHED) {
    static_assert(std::is_same_v<DY, __nv_bfloat16>,
                  "a pitched dy is the bf16 dlogits");
    dyb = dy;
  } else {
    NF_LAUNCH((toBf16Padded<N, OUT, P, DY>), dim3(strideBlocks(N * P)),
              dim3(256), 0, stream, dy, s.tail);
    dyb = s.tail;
  }
  // dx sums over the padded P (zero rows of W meet zero columns of dy);
  // dW has only the OUT real rows.
  gemmBf16(h, CUBLAS_OP_N, CUBLAS_OP_N, IN, N, P, 1.f, wb, IN, dyb, P,
           ACC ? 1.f : 0.f, dx, IN);
  gemmBf16(h, CUBLAS_OP_N, CUBLAS_OP_T, IN, OUT, N, 1.f, xb, IN, dyb, P, 0.f,
           dw, IN);
}

/// Quintic Newton-Schulz on G [ROWS, COLS] in fp32: X = G / (||G||_F +
/// 1e-7) in the wide orientation, then `steps` times A = X X^T, B = b A +
/// c A A, X = a X + B X. In column-major terms the row-major X [R, C] is
/// Xc = X^T [C, R]: A = Xc^T Xc, and X B (B symmetric) is Xc B.
/// `scratch` holds newtonSchulzScratchFloats(ROWS, COLS) floats
/// (LinearScratch.h).
template <int64_t ROWS, int64_t COLS, bool BF16 = false>
void newtonSchulz(cublasHandle_t h, cudaStream_t stream, const float *g,
                  float *out, float *scratch, int64_t steps, float a, float b,
                  float c) {
  constexpr int64_t R = ROWS > COLS ? COLS : ROWS;
  constexpr int64_t C = ROWS > COLS ? ROWS : COLS;
  constexpr unsigned P = strideBlocks(ROWS * COLS);
  float *x = scratch, *next = x + R * C, *A = next + R * C, *B = A + R * R;
  float *partials = B + R * R, *sumSq = partials + P;
  NF_LAUNCH((sumSquaresPartials<ROWS * COLS>), dim3(P), dim3(256), 0, stream, g,
            partials);
  NF_LAUNCH((sumPartials<P>), dim3(1), dim3(32), 0, stream, partials, sumSq,
            1.f);
  NF_LAUNCH((nsNormalize<ROWS, COLS>), dim3(P), dim3(256), 0, stream, g, sumSq,
            x);
  const float one = 1.f, zero = 0.f;
  // bf16 copies (bf16 mode) from the next 64-byte boundary.
  auto *xb = reinterpret_cast<__nv_bfloat16 *>(
      scratch + ((sumSq + 1 - scratch) + 15) / 16 * 16);
  __nv_bfloat16 *Ab = xb + R * C, *Bb = Ab + R * R;
  for (int64_t s = 0; s < steps; ++s) {
    if constexpr (BF16)
      gemmBf16(h, CUBLAS_OP_T, CUBLAS_OP_N, R, R, C, 1.f,
               bf16Copy<R * C>(stream, x, xb), C, xb, C, 0.f, A, R);
    else
      NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, R, R, C, &one, x,
                                  C, x, C, &zero, A, R));
    NF_LAUNCH((scaleCopy<R * R>), dim3(strideBlocks(R * R)), dim3(256), 0,
              stream, A, b, B);
    if constexpr (BF16)
      gemmBf16(h, CUBLAS_OP_N, CUBLAS_OP_N, R, R, R, c,
               bf16Copy<R * R>(stream, A, Ab), R, Ab, R, 1.f, B, R);
    else
      NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, R, R, R, &c, A,
                                  R, A, R, &one, B, R));
    NF_LAUNCH((scaleCopy<R * C>), dim3(strideBlocks(R * C)), dim3(256), 0,
              stream, x, a, next);
    if constexpr (BF16)
      gemmBf16(h, CUBLAS_OP_N, CUBLAS_OP_N, C, R, R, 1.f, xb, C,
               bf16Copy<R * R>(stream, B, Bb), R, 1.f, next, C);
    else
      NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, C, R, R, &one, x,
                                  C, B, R, &one, next, C));
    float *t = x;
    x = next;
    next = t;
  }
  NF_LAUNCH((nsOutput<ROWS, COLS>), dim3(P), dim3(256), 0, stream, x, out);
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_LINEARKERNELS_CUH
