//===- Vec.cuh - 128-bit loads and stores of fp32 or bf16 values -*- CUDA
//-*-===//
//
// The pointwise and row kernels are memory-bound: one 16-byte access per
// thread (ld/st.global.v4, 8 bf16 or 4 floats) moves 4 or 8 times the bytes
// of a scalar one per instruction, and 16 bytes is the widest access sm_80
// and sm_90 have. A chunk of W values is a Pack<T, W>, aligned to 16 bytes
// (or to its size when smaller): Pack<float, 8> (the fp32 side of a bf16
// chunk) is two 16-byte accesses. Values are widened to fp32 as they are
// loaded and rounded once as they are stored (Storage.cuh), so each
// element's arithmetic is that of the scalar code.
//
// Alignment: the arena's values, caches and scratch, the parameters and
// their gradients all start at multiples of 64 bytes (MemoryPlan.cpp,
// CudaEmitter.cpp alignFloats, layoutParams), but a kernel does not rely on
// it: it takes the vector path only where every pointer it moves in chunks
// is 16-byte aligned (aligned16, the same for every thread of a launch, so
// the branch is uniform) and, for rows, where the row length is a multiple
// of W (a compile-time check), so that every row starts aligned too.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_VEC_CUH
#define NFRT_CUDA_VEC_CUH

#include "nfrt/cuda/Storage.cuh"

namespace nfrt::cuda {

/// W values of T, aligned for one 16-byte access per 16 bytes.
template <class T, int W>
struct alignas(sizeof(T) * W < 16 ? sizeof(T) * W : 16) Pack {
  T v[W];
};

/// A chunk width as a type, for the generic lambdas of the kernels.
template <int W> struct Width { static constexpr int value = W; };

/// Values per chunk: 16 bytes of the narrowest of the types (8 if any is
/// bf16, else 4).
template <class T, class... R> __host__ __device__ constexpr int vecWidth() {
  int w = int(16 / sizeof(T));
  ((w = w > int(16 / sizeof(R)) ? w : int(16 / sizeof(R))), ...);
  return w;
}

/// Whether every pointer is 16-byte aligned (null ones are).
template <class... T> __device__ __forceinline__ bool aligned16(T *...p) {
  return ((reinterpret_cast<uintptr_t>(p) % 16 == 0) && ...);
}

/// out[0, W) = p[0, W) in fp32 (p aligned as Pack<T, W>).
template <int W, class T>
__device__ __forceinline__ void loadF32(const T *p, float (&out)[W]) {
  Pack<T, W> v = *reinterpret_cast<const Pack<T, W> *>(p);
  NF_UNROLL
  for (int e = 0; e < W; ++e)
    out[e] = toF32(v.v[e]);
}

/// p[0, W) = in[0, W) rounded to T (p aligned as Pack<T, W>).
template <int W, class T>
__device__ __forceinline__ void storeF32(T *p, const float (&in)[W]) {
  Pack<T, W> v;
  NF_UNROLL
  for (int e = 0; e < W; ++e)
    v.v[e] = fromF32<T>(in[e]);
  *reinterpret_cast<Pack<T, W> *>(p) = v;
}

/// o[e] = p[e] + o[e] for the W values at p (aligned as Pack<T, W>): an
/// addend joined to a result already formed in registers, the addition
/// nf.add would do after storing it (fp32 addition commutes).
template <int W, class T>
__device__ __forceinline__ void addChunk(const T *p, float (&o)[W]) {
  float a[W];
  loadF32<W>(p, a);
  NF_UNROLL
  for (int e = 0; e < W; ++e)
    o[e] = a[e] + o[e];
}

/// A pointwise kernel's grid-stride loop over S elements, for any grid:
/// f(i, Width<W>()) for the chunks i = 0, W, 2W, ... below S - S % W when
/// `vectorize`, then f(i, Width<1>()) for the elements left (the tail, or
/// all S of them).
template <int64_t S, int W, class F>
__device__ __forceinline__ void gridStrideChunks(bool vectorize, F &&f) {
  int64_t first = int64_t(blockIdx.x) * blockDim.x + threadIdx.x;
  int64_t stride = int64_t(gridDim.x) * blockDim.x;
  int64_t done = 0;
  if constexpr (W > 1 && S >= W) {
    if (vectorize) {
      for (int64_t v = first; v < S / W; v += stride)
        f(v * W, Width<W>());
      done = S / W * W;
    }
  }
  for (int64_t i = done + first; i < S; i += stride)
    f(i, Width<1>());
}

/// y[i] = f(x[i]) in fp32 for the S elements, in chunks where the pointers
/// allow (the body of the unary pointwise kernels).
template <int64_t S, class X, class Y, class F>
__device__ __forceinline__ void mapChunks(const X *x, Y *y, F &&f) {
  gridStrideChunks<S, vecWidth<X, Y>()>(aligned16(x, y),
                                        [&](int64_t i, auto w) {
                                          constexpr int C = decltype(w)::value;
                                          float v[C];
                                          loadF32<C>(x + i, v);
                                          NF_UNROLL
                                          for (int e = 0; e < C; ++e)
                                            v[e] = f(v[e]);
                                          storeF32<C>(y + i, v);
                                        });
}

/// dx[i] = f(x[i], dy[i]) in fp32 for the S elements, in chunks where the
/// pointers allow, each element in order (f may accumulate the partial
/// sums of a scalar's gradient): the body of the backward pointwise
/// kernels.
template <int64_t S, class X, class DY, class DX, class F>
__device__ __forceinline__ void mapChunks(const X *x, const DY *dy, DX *dx,
                                          F &&f) {
  gridStrideChunks<S, vecWidth<X, DY, DX>()>(
      aligned16(x, dy, dx), [&](int64_t i, auto w) {
        constexpr int C = decltype(w)::value;
        float v[C], g[C];
        loadF32<C>(x + i, v);
        loadF32<C>(dy + i, g);
        NF_UNROLL
        for (int e = 0; e < C; ++e)
          v[e] = f(v[e], g[e]);
        storeF32<C>(dx + i, v);
      });
}

/// Runs body(Width<W>()) when rows of D values split into chunks of W
/// (D % W == 0) and the pointers allow it, else body(Width<1>()). A warp
/// lane then owns the chunks starting at (lane + 32 k) W of each row: with
/// W = 1 exactly the elements (and the order) of the scalar kernels.
template <int64_t D, int W, class F>
__device__ __forceinline__ void withRowChunks(bool aligned, F &&body) {
  if constexpr (W > 1 && D % W == 0) {
    if (aligned) {
      body(Width<W>());
      return;
    }
  }
  body(Width<1>());
}

} // namespace nfrt::cuda

#endif // NFRT_CUDA_VEC_CUH
