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

#include "nfrt/cuda/OptimizerKernels.cuh"

namespace nfrt::cuda {

/// y[N, OUT] = x[N, IN] W[OUT, IN]^T.
template <int64_t N, int64_t IN, int64_t OUT>
void linearForward(cublasHandle_t h, const float *x, const float *w, float *y) {
  const float one = 1.f, zero = 0.f;
  NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, OUT, N, IN, &one, w,
                              IN, x, IN, &zero, y, OUT));
}

/// dx[N, IN] = dy[N, OUT] W; dW[OUT, IN] = dy^T x.
template <int64_t N, int64_t IN, int64_t OUT>
void linearBackward(cublasHandle_t h, const float *x, const float *w,
                    const float *dy, float *dx, float *dw) {
  ProfileScope profile("cublasSgemm x2 (linear backward)", context().stream);
  const float one = 1.f, zero = 0.f;
  NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, IN, N, OUT, &one, w,
                              IN, dy, OUT, &zero, dx, IN));
  NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_T, IN, OUT, N, &one, x,
                              IN, dy, OUT, &zero, dw, IN));
}

// bf16 mode (nfc build --precision=bf16): cuBLAS multiplies bf16 inputs
// with fp32 accumulation (cublasGemmEx, CUBLAS_COMPUTE_32F). Activations
// and their gradients are stored in bf16 already (Storage.cuh) and go in
// as they are; the fp32 master weights, and any fp32 operand (a fused norm
// + linear's normalized rows), are rounded to bf16 (nearest even) into
// scratch first. The result is written in its storage type: bf16 for an
// activation or its gradient, fp32 for a weight gradient (it goes to the
// fp32 optimizer). Master weights and optimizer state stay fp32
// (docs/design.md#the-cuda-path: accumulate in fp32, cast once, and say where).

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

/// The row pitch of a bf16 GEMM's OUT side. cuBLAS takes its aligned
/// (vectorized) kernels only when every leading dimension is a multiple of
/// 16 bytes; a vocabulary such as GPT-2's 50257 is not, and its head GEMMs
/// ran as `align1` kernels (issue: Nsight Compute on an H200). Such an OUT
/// is padded to a multiple of 64 (50257 -> 50304): the pad rows of W's bf16
/// copy and the pad columns of dy's are zero, the padded output is compacted
/// into y, so nothing outside the launcher ever sees the padding (never
/// sampled, never in the loss). IN (the model width) is assumed aligned.
template <int64_t OUT> constexpr int64_t linearPitch() {
  return OUT % 8 == 0 ? OUT : (OUT + 63) / 64 * 64;
}

/// `n` bf16 values rounded up to a whole 128-byte line: each bf16 copy in
/// scratch starts aligned.
constexpr int64_t bf16Span(int64_t n) { return (n + 63) / 64 * 64; }

/// Floats of scratch the bf16 linear kernels need: the bf16 copies of x, W
/// (OUT padded) and dy; with padding also the forward's padded output (as
/// fp32, the wider of its storage types).
template <int64_t N, int64_t IN, int64_t OUT>
constexpr int64_t linearBf16Scratch() {
  constexpr int64_t P = linearPitch<OUT>();
  if constexpr (P == OUT)
    return (N * IN + OUT * IN + N * OUT) / 2 + 64;
  else
    return (bf16Span(N * IN) + bf16Span(P * IN)) / 2 + N * P + 64;
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

/// W's bf16 copy with P - OUT zero rows after it.
template <int64_t IN, int64_t OUT, int64_t P>
const __nv_bfloat16 *paddedWeightBf16(cudaStream_t stream, const float *w,
                                      __nv_bfloat16 *ws) {
  bf16Copy<OUT * IN>(stream, w, ws);
  if constexpr (P > OUT)
    NF_CUDA_CHECK(cudaMemsetAsync(ws + OUT * IN, 0,
                                  size_t(P - OUT) * IN * sizeof(*ws), stream));
  return ws;
}

template <int64_t N, int64_t IN, int64_t OUT, class X = float, class Y = float>
void linearForwardBf16(cublasHandle_t h, cudaStream_t stream, const X *x,
                       const float *w, Y *y, float *scratch) {
  ProfileScope profile("cublasGemmEx bf16 (linear forward)", stream);
  constexpr int64_t P = linearPitch<OUT>();
  auto *xs = reinterpret_cast<__nv_bfloat16 *>(scratch);
  __nv_bfloat16 *ws = xs + (P == OUT ? N * IN : bf16Span(N * IN));
  const __nv_bfloat16 *xb = bf16Copy<N * IN>(stream, x, xs);
  const __nv_bfloat16 *wb = paddedWeightBf16<IN, OUT, P>(stream, w, ws);
  if constexpr (P == OUT) {
    gemmBf16(h, CUBLAS_OP_T, CUBLAS_OP_N, OUT, N, IN, 1.f, wb, IN, xb, IN, 0.f,
             y, OUT);
  } else {
    Y *padded = reinterpret_cast<Y *>(ws + bf16Span(P * IN));
    gemmBf16(h, CUBLAS_OP_T, CUBLAS_OP_N, P, N, IN, 1.f, wb, IN, xb, IN, 0.f,
             padded, P);
    NF_LAUNCH((compactRows<N, OUT, P, Y>), dim3(strideBlocks(N * OUT)),
              dim3(256), 0, stream, padded, y);
  }
}

template <int64_t N, int64_t IN, int64_t OUT, class X = float, class DY = float,
          class DX = float>
void linearBackwardBf16(cublasHandle_t h, cudaStream_t stream, const X *x,
                        const float *w, const DY *dy, DX *dx, float *dw,
                        float *scratch) {
  ProfileScope profile("cublasGemmEx bf16 x2 (linear backward)", stream);
  constexpr int64_t P = linearPitch<OUT>();
  auto *xs = reinterpret_cast<__nv_bfloat16 *>(scratch);
  __nv_bfloat16 *ws = xs + (P == OUT ? N * IN : bf16Span(N * IN));
  __nv_bfloat16 *dys = ws + (P == OUT ? OUT * IN : bf16Span(P * IN));
  const __nv_bfloat16 *xb = bf16Copy<N * IN>(stream, x, xs);
  const __nv_bfloat16 *wb = paddedWeightBf16<IN, OUT, P>(stream, w, ws);
  const __nv_bfloat16 *dyb;
  if constexpr (P == OUT) {
    dyb = bf16Copy<N * OUT>(stream, dy, dys);
  } else {
    NF_LAUNCH((toBf16Padded<N, OUT, P, DY>), dim3(strideBlocks(N * P)),
              dim3(256), 0, stream, dy, dys);
    dyb = dys;
  }
  // dx sums over the padded P (zero rows of W meet zero columns of dy);
  // dW has only the OUT real rows.
  gemmBf16(h, CUBLAS_OP_N, CUBLAS_OP_N, IN, N, P, 1.f, wb, IN, dyb, P, 0.f, dx,
           IN);
  gemmBf16(h, CUBLAS_OP_N, CUBLAS_OP_T, IN, OUT, N, 1.f, xb, IN, dyb, P, 0.f,
           dw, IN);
}

/// The scratch floats newtonSchulz needs: X and its successor [R, C], A and
/// B [R, R], and the partial sums of ||G||_F^2.
template <int64_t ROWS, int64_t COLS> constexpr int64_t newtonSchulzScratch() {
  constexpr int64_t R = ROWS > COLS ? COLS : ROWS;
  constexpr int64_t C = ROWS > COLS ? ROWS : COLS;
  // X, X', A, B in fp32, then (bf16 mode) bf16 copies of X, A and B.
  return 2 * R * C + 2 * R * R + strideBlocks(ROWS * COLS) + 1 +
         (R * C + 2 * R * R) / 2 + 64;
}

/// Quintic Newton-Schulz on G [ROWS, COLS] in fp32: X = G / (||G||_F +
/// 1e-7) in the wide orientation, then `steps` times A = X X^T, B = b A +
/// c A A, X = a X + B X. In column-major terms the row-major X [R, C] is
/// Xc = X^T [C, R]: A = Xc^T Xc, and X B (B symmetric) is Xc B.
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
