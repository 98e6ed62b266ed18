//===- Blas.cpp - the cuBLAS entry points on OpenBLAS ---------------------===//
#include "nfrt/simt/SimtBlas.h"

#include <cblas.h>

#include <mutex>
#include <utility>
#include <vector>

struct cublasContext {
  cudaStream_t stream = nullptr;
};

namespace {

CBLAS_TRANSPOSE op(cublasOperation_t t) {
  return t == CUBLAS_OP_N ? CblasNoTrans : CblasTrans;
}

cublasStatus_t run(cublasHandle_t h, nfrt::simt::Work work) {
  if (!h)
    return CUBLAS_STATUS_NOT_INITIALIZED;
  return nfrt::simt::submit(h->stream, std::move(work)) == cudaSuccess
             ? CUBLAS_STATUS_SUCCESS
             : CUBLAS_STATUS_EXECUTION_FAILED;
}

/// The elements a column-major operand spans: op(X) is rows x cols, so X
/// as stored is rows x cols (N) or cols x rows (T), columns `ld` apart.
size_t span(cublasOperation_t t, int64_t ld, int64_t rows, int64_t cols) {
  if (t != CUBLAS_OP_N)
    std::swap(rows, cols);
  return size_t(ld * (cols - 1) + rows);
}

std::vector<float> widen(const void *x, cudaDataType_t type, size_t n) {
  std::vector<float> out(n);
  if (type == CUDA_R_32F)
    std::memcpy(out.data(), x, out.size() * 4);
  else
    for (size_t i = 0; i < out.size(); ++i)
      out[i] = float(static_cast<const __nv_bfloat16 *>(x)[i]);
  return out;
}

} // namespace

cublasStatus_t cublasCreate(cublasHandle_t *handle) {
#if NFRT_SIMT_RACECHECK
  // The race check: OpenBLAS's worker threads hand their results to the
  // caller through synchronization ThreadSanitizer does not see, so what
  // they wrote (a GEMM's zeroed output) was reported against the next
  // kernel that read it. One thread, the caller's, orders everything.
  static std::once_flag once;
  std::call_once(once, [] { openblas_set_num_threads(1); });
#endif
  *handle = new cublasContext;
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasDestroy(cublasHandle_t handle) {
  delete handle;
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasSetStream(cublasHandle_t handle, cudaStream_t stream) {
  handle->stream = stream;
  return CUBLAS_STATUS_SUCCESS;
}
cublasStatus_t cublasSetWorkspace(cublasHandle_t, void *, size_t) {
  return CUBLAS_STATUS_SUCCESS; // OpenBLAS needs none
}
cublasStatus_t cublasSetMathMode(cublasHandle_t, cublasMath_t) {
  return CUBLAS_STATUS_SUCCESS;
}
const char *cublasGetStatusString(cublasStatus_t status) {
  switch (status) {
  case CUBLAS_STATUS_SUCCESS:
    return "CUBLAS_STATUS_SUCCESS";
  case CUBLAS_STATUS_NOT_INITIALIZED:
    return "CUBLAS_STATUS_NOT_INITIALIZED";
  case CUBLAS_STATUS_INVALID_VALUE:
    return "CUBLAS_STATUS_INVALID_VALUE";
  case CUBLAS_STATUS_EXECUTION_FAILED:
    return "CUBLAS_STATUS_EXECUTION_FAILED";
  case CUBLAS_STATUS_NOT_SUPPORTED:
    return "CUBLAS_STATUS_NOT_SUPPORTED";
  }
  return "CUBLAS_STATUS_UNKNOWN";
}

cublasStatus_t cublasSgemm(cublasHandle_t handle, cublasOperation_t transa,
                           cublasOperation_t transb, int m, int n, int k,
                           const float *alpha, const float *A, int lda,
                           const float *B, int ldb, const float *beta, float *C,
                           int ldc) {
  float a = *alpha, b = *beta; // host pointer mode: read at the call
  return run(handle, [=] {
    cblas_sgemm(CblasColMajor, op(transa), op(transb), m, n, k, a, A, lda, B,
                ldb, b, C, ldc);
    return cudaSuccess;
  });
}

cublasStatus_t cublasSgemmStridedBatched(
    cublasHandle_t handle, cublasOperation_t transa, cublasOperation_t transb,
    int m, int n, int k, const float *alpha, const float *A, int lda,
    long long strideA, const float *B, int ldb, long long strideB,
    const float *beta, float *C, int ldc, long long strideC, int batchCount) {
  float a = *alpha, b = *beta;
  return run(handle, [=] {
    for (int i = 0; i < batchCount; ++i)
      cblas_sgemm(CblasColMajor, op(transa), op(transb), m, n, k, a,
                  A + i * strideA, lda, B + i * strideB, ldb, b,
                  C + i * strideC, ldc);
    return cudaSuccess;
  });
}

cublasStatus_t cublasGemmEx(cublasHandle_t handle, cublasOperation_t transa,
                            cublasOperation_t transb, int m, int n, int k,
                            const void *alpha, const void *A,
                            cudaDataType_t Atype, int lda, const void *B,
                            cudaDataType_t Btype, int ldb, const void *beta,
                            void *C, cudaDataType_t Ctype, int ldc,
                            cublasComputeType_t computeType, cublasGemmAlgo_t) {
  if (computeType != CUBLAS_COMPUTE_32F)
    return CUBLAS_STATUS_NOT_SUPPORTED;
  for (cudaDataType_t t : {Atype, Btype, Ctype})
    if (t != CUDA_R_32F && t != CUDA_R_16BF)
      return CUBLAS_STATUS_NOT_SUPPORTED;
  float a = *static_cast<const float *>(alpha);
  float b = *static_cast<const float *>(beta);
  return run(handle, [=] {
    std::vector<float> wa = widen(A, Atype, span(transa, lda, m, k));
    std::vector<float> wb = widen(B, Btype, span(transb, ldb, k, n));
    std::vector<float> wc = widen(C, Ctype, span(CUBLAS_OP_N, ldc, m, n));
    cblas_sgemm(CblasColMajor, op(transa), op(transb), m, n, k, a, wa.data(),
                lda, wb.data(), ldb, b, wc.data(), ldc);
    for (int64_t j = 0; j < n; ++j)
      for (int64_t i = 0; i < m; ++i) {
        float v = wc[size_t(j * ldc + i)];
        if (Ctype == CUDA_R_32F)
          static_cast<float *>(C)[j * ldc + i] = v;
        else
          static_cast<__nv_bfloat16 *>(C)[j * ldc + i] = __float2bfloat16(v);
      }
    return cudaSuccess;
  });
}
