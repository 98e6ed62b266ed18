//===- LinearKernels.h - GEMM-based kernels (OpenBLAS) ----------*- C++ -*-===//
//
// nf.linear is x W^T with W [out, in] (torch.nn.Linear); its backward is
// two GEMMs. Newton-Schulz (docs/math.md#newton-schulz) runs on the same sgemm.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CPU_LINEARKERNELS_H
#define NFRT_CPU_LINEARKERNELS_H

#include <cblas.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include <cmath>
#include <cstdint>
#include <vector>

namespace nfrt::cpu {

// Threading: OpenMP splits every GEMM into independent row blocks and each
// block runs single-threaded OpenBLAS (the runtime sets OpenBLAS to one
// thread). Letting OpenBLAS's own threads spin next to OpenMP's doubled the
// step time on 2 cores (bench/README.md).

/// The [begin, end) share of `n` rows for the calling OpenMP thread.
inline void ompShare(int64_t n, int64_t &begin, int64_t &end) {
#ifdef _OPENMP
  int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
#else
  int64_t t = 0, nt = 1;
#endif
  begin = n * t / nt;
  end = n * (t + 1) / nt;
}

/// y[N, OUT] = x[N, IN] W[OUT, IN]^T.
template <int64_t N, int64_t IN, int64_t OUT>
void linearForward(const float *x, const float *w, float *y) {
#pragma omp parallel
  {
    int64_t r0, r1;
    ompShare(N, r0, r1);
    if (r1 > r0)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, r1 - r0, OUT, IN,
                  1.f, x + r0 * IN, IN, w, IN, 0.f, y + r0 * OUT, OUT);
  }
}

/// dx[N, IN] = dy[N, OUT] W[OUT, IN]; dW[OUT, IN] = dy^T x (split over the
/// rows of dW, so each thread sums over all N for its rows).
template <int64_t N, int64_t IN, int64_t OUT>
void linearBackward(const float *x, const float *w, const float *dy, float *dx,
                    float *dw) {
#pragma omp parallel
  {
    int64_t r0, r1;
    ompShare(N, r0, r1);
    if (r1 > r0)
      cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, r1 - r0, IN, OUT,
                  1.f, dy + r0 * OUT, OUT, w, IN, 0.f, dx + r0 * IN, IN);
    int64_t o0, o1;
    ompShare(OUT, o0, o1);
    if (o1 > o0)
      cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, o1 - o0, IN, N, 1.f,
                  dy + o0, OUT, x, IN, 0.f, dw + o0 * IN, IN);
  }
}

/// Quintic Newton-Schulz on a ROWS x COLS matrix, in fp32: X = G /
/// (||G||_F + 1e-7), worked on the wide orientation (X^T when rows > cols),
/// then `steps` times X <- a X + (b A + c A^2) X with A = X X^T.
template <int64_t ROWS, int64_t COLS>
void newtonSchulz(const float *g, float *out, int64_t steps, float a, float b,
                  float c) {
  constexpr bool tall = ROWS > COLS;
  constexpr int64_t R = tall ? COLS : ROWS, C = tall ? ROWS : COLS;
  std::vector<float> x(R * C), A(R * R), B(R * R), next(R * C);
  double norm = 0.0;
  for (int64_t i = 0; i < ROWS * COLS; ++i)
    norm += double(g[i]) * g[i];
  float inv = 1.f / float(std::sqrt(norm) + 1e-7);
  for (int64_t i = 0; i < ROWS; ++i)
    for (int64_t j = 0; j < COLS; ++j)
      (tall ? x[j * C + i] : x[i * C + j]) = g[i * COLS + j] * inv;
  for (int64_t s = 0; s < steps; ++s) {
    // A = X X^T; B = b A + c A A; X = a X + B X.
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, R, R, C, 1.f, x.data(),
                C, x.data(), C, 0.f, A.data(), R);
    for (int64_t i = 0; i < R * R; ++i)
      B[i] = b * A[i];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, R, R, R, c, A.data(),
                R, A.data(), R, 1.f, B.data(), R);
    for (int64_t i = 0; i < R * C; ++i)
      next[i] = a * x[i];
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, R, C, R, 1.f,
                B.data(), R, x.data(), C, 1.f, next.data(), C);
    x.swap(next);
  }
  for (int64_t i = 0; i < ROWS; ++i)
    for (int64_t j = 0; j < COLS; ++j)
      out[i * COLS + j] = tall ? x[j * C + i] : x[i * C + j];
}

} // namespace nfrt::cpu

#endif // NFRT_CPU_LINEARKERNELS_H
