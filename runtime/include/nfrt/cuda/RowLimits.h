//===- RowLimits.h - how long a row the warp-per-row kernels take -*- C++ -*-===//
//
// Plain C++ shared by the CUDA kernels that hold a whole row in one warp's
// registers (NormScaleKernels.cuh) and by the compiler, which keeps longer
// rows away from them: nfc gives it to nf-fuse-residual-norm and
// nf-fuse-norm-scale as their max-row option, and the CUDA emitter falls
// back to the unfused kernels past it. One number, so the three cannot
// disagree.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_CUDA_ROWLIMITS_H
#define NFRT_CUDA_ROWLIMITS_H

#include <cstdint>

namespace nfrt::cuda {

/// The longest row (last dimension) a warp-per-row kernel keeps in
/// registers: 32 lanes x 32 floats (rmsnormScaleForward and friends).
inline constexpr int64_t kMaxRegisterRow = 1024;

} // namespace nfrt::cuda

#endif // NFRT_CUDA_ROWLIMITS_H
