//===- AdamWTensor.h - one tensor of a multi-tensor AdamW update -*- C++
//-*-===//
//
// nf.adamw_multi (nf-fuse-adamw) updates several parameters in place in one
// call; both targets' generated code spells each member as this record
// ({p, g, m, v, n, wd}, the order the emitters print), and the CPU's
// adamwMulti and the CUDA's launchAdamWMulti read it. Pointers are host
// memory on the CPU and device memory on CUDA.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_ADAMWTENSOR_H
#define NFRT_ADAMWTENSOR_H

#include <cstdint>

namespace nfrt {

struct AdamWTensor {
  float *p;       ///< the parameter
  const float *g; ///< its gradient (before grad_scale)
  float *m, *v;   ///< its first and second moments
  int64_t n;      ///< elements
  float wd;       ///< weight decay
};

} // namespace nfrt

#endif // NFRT_ADAMWTENSOR_H
