//===- LaunchLimits.h - the GPU the harness emulates ------------*- C++ -*-===//
//
// Internal to the harness: the compute capability whose launch limits
// checkLaunch applies (NFRT_SIMT_ARCH), which cudaGetDeviceProperties
// reports too.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_SIMT_LAUNCHLIMITS_H
#define NFRT_SIMT_LAUNCHLIMITS_H

#include <cstddef>

namespace nfrt::simt {

struct EmulatedArch {
  int cc;                // compute capability x 10: 80 or 90
  size_t maxDynamicSmem; // cudaDevAttrMaxSharedMemoryPerBlockOptin
  int sms;               // an A100's or an H100 SXM's
};

/// From NFRT_SIMT_ARCH (80 or 90, default 80), read once; any other value
/// stops the program with a message.
const EmulatedArch &emulatedArch();

} // namespace nfrt::simt

#endif // NFRT_SIMT_LAUNCHLIMITS_H
