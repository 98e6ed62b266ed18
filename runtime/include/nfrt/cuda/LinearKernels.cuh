//===- LinearKernels.cuh - GEMMs on cuBLAS ----------------------*- CUDA
//-*-===//
//
// nf.linear is y = x W^T with W [OUT, IN] (torch.nn.Linear), row-major.
// cuBLAS is column-major: a row-major [R, C] matrix is its transpose
// [C, R] column-major, so y^T = W x^T becomes gemm(T, N) on the stored
// buffers. fp32 here uses cublasSgemm (fp32 math; TF32 is not enabled).
// Newton-Schulz (MATH.md 6.1) runs its three products per step on the same
// GEMM, with the scalar pieces in OptimizerKernels.cuh.
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

/// The scratch floats newtonSchulz needs: X and its successor [R, C], A and
/// B [R, R], and the partial sums of ||G||_F^2.
template <int64_t ROWS, int64_t COLS> constexpr int64_t newtonSchulzScratch() {
  constexpr int64_t R = ROWS > COLS ? COLS : ROWS;
  constexpr int64_t C = ROWS > COLS ? ROWS : COLS;
  return 2 * R * C + 2 * R * R + strideBlocks(ROWS * COLS) + 1;
}

/// Quintic Newton-Schulz on G [ROWS, COLS] in fp32: X = G / (||G||_F +
/// 1e-7) in the wide orientation, then `steps` times A = X X^T, B = b A +
/// c A A, X = a X + B X. In column-major terms the row-major X [R, C] is
/// Xc = X^T [C, R]: A = Xc^T Xc, and X B (B symmetric) is Xc B.
template <int64_t ROWS, int64_t COLS>
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
  for (int64_t s = 0; s < steps; ++s) {
    NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_T, CUBLAS_OP_N, R, R, C, &one, x,
                                C, x, C, &zero, A, R));
    NF_LAUNCH((scaleCopy<R * R>), dim3(strideBlocks(R * R)), dim3(256), 0,
              stream, A, b, B);
    NF_CUBLAS_CHECK(cublasSgemm(h, CUBLAS_OP_N, CUBLAS_OP_N, R, R, R, &c, A, R,
                                A, R, &one, B, R));
    NF_LAUNCH((scaleCopy<R * C>), dim3(strideBlocks(R * C)), dim3(256), 0,
              stream, x, a, next);
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
