//===- LaunchLimits.cpp - the launches a GPU's CUDA runtime refuses -------===//
//
// The limits of sm_80 (A100) and sm_90 (H100), NFRT_SIMT_ARCH choosing
// which (80 by default: nfc builds for both, so a launch must fit the
// smaller). A refused launch gets CUDA's error code, so the generated
// code's NF_CUDA_CHECK stops as it would on the GPU:
// - block: at most 1024 threads, (1024, 1024, 64) in each dimension, and
//   grid: at most (2^31 - 1, 65535, 65535); no dimension zero
//   (cudaErrorInvalidConfiguration);
// - dynamic shared memory: 48 KiB, or up to what cudaFuncSetAttribute
//   (cudaFuncAttributeMaxDynamicSharedMemorySize) allowed the kernel, which
//   is at most 163 KiB on sm_80 and 227 KiB on sm_90 (cudaErrorInvalidValue).
// Not checked: the static shared memory of a kernel (ptxas reports it;
// test/lit/Cuda/nvcc.test), and registers x threads, which only ptxas
// knows (__launch_bounds__ is a no-op on the host): a block too large for
// the kernel's registers fails on the GPU with "too many resources
// requested for launch" and passes here.
//
//===----------------------------------------------------------------------===//
#include "LaunchLimits.h"
#include "nfrt/simt/Simt.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

namespace {

constexpr size_t kDefaultDynamicSmem = 48 * 1024;

using nfrt::simt::emulatedArch;
const nfrt::simt::EmulatedArch &arch() { return emulatedArch(); }

/// cudaFuncAttributeMaxDynamicSharedMemorySize per kernel: an attribute of
/// the function on the device, so shared by every thread (emulated ranks).
std::mutex gAttributesMutex;
std::map<const void *, size_t> gMaxDynamicSmem;

std::string coords(dim3 d) {
  return "(" + std::to_string(d.x) + ", " + std::to_string(d.y) + ", " +
         std::to_string(d.z) + ")";
}

std::string archName() { return "sm_" + std::to_string(arch().cc); }

} // namespace

cudaError_t cudaFuncSetAttribute(const void *func, cudaFuncAttribute attr,
                                 int value) {
  if (!func)
    return nfrt::simt::launchRefused(cudaErrorInvalidValue,
                                     "cudaFuncSetAttribute of a null kernel");
  switch (attr) {
  case cudaFuncAttributeMaxDynamicSharedMemorySize:
    if (value < 0 || size_t(value) > arch().maxDynamicSmem)
      return nfrt::simt::launchRefused(
          cudaErrorInvalidValue,
          "cudaFuncAttributeMaxDynamicSharedMemorySize " +
              std::to_string(value) + " is over the " +
              std::to_string(arch().maxDynamicSmem) +
              " bytes a block can have on " + archName());
    {
      std::lock_guard<std::mutex> lock(gAttributesMutex);
      gMaxDynamicSmem[func] = size_t(value);
    }
    return cudaSuccess;
  case cudaFuncAttributePreferredSharedMemoryCarveout:
    if (value < -1 || value > 100)
      return nfrt::simt::launchRefused(cudaErrorInvalidValue,
                                       "cudaFuncAttributePreferredSharedMemory"
                                       "Carveout " +
                                           std::to_string(value) +
                                           " is not a percentage (or -1)");
    return cudaSuccess;
  }
  return nfrt::simt::launchRefused(cudaErrorInvalidValue,
                                   "cudaFuncSetAttribute: attribute " +
                                       std::to_string(int(attr)) +
                                       " is not emulated");
}

namespace nfrt::simt {

const EmulatedArch &emulatedArch() {
  static const EmulatedArch a = [] {
    const char *env = std::getenv("NFRT_SIMT_ARCH");
    std::string name = env && *env ? env : "80";
    if (name == "80")
      return EmulatedArch{80, 163 * 1024, 108};
    if (name == "90")
      return EmulatedArch{90, 227 * 1024, 132};
    std::fprintf(stderr,
                 "simt: error: NFRT_SIMT_ARCH=%s: expected 80 or 90 (the "
                 "compute capability whose launch limits to apply)\n",
                 name.c_str());
    std::exit(1);
  }();
  return a;
}

cudaError_t checkLaunch(const void *kernel, const char *name, dim3 grid,
                        dim3 block, size_t smem, std::string &why) {
  uint64_t threads = uint64_t(block.x) * block.y * block.z;
  if (threads == 0 || threads > 1024 || block.x > 1024 || block.y > 1024 ||
      block.z > 64) {
    why = std::string(name) + ": block " + coords(block) + " of " +
          std::to_string(threads) +
          " threads (a block has 1 to 1024 threads, at most (1024, 1024, "
          "64) in each dimension)";
    return cudaErrorInvalidConfiguration;
  }
  if (grid.x == 0 || grid.y == 0 || grid.z == 0 || grid.x > 2147483647u ||
      grid.y > 65535 || grid.z > 65535) {
    why = std::string(name) + ": grid " + coords(grid) +
          " (each dimension is at least 1 and at most (2147483647, 65535, "
          "65535))";
    return cudaErrorInvalidConfiguration;
  }
  if (smem <= kDefaultDynamicSmem)
    return cudaSuccess;
  if (smem > arch().maxDynamicSmem) {
    why = std::string(name) + ": " + std::to_string(smem) +
          " bytes of dynamic shared memory exceed the " +
          std::to_string(arch().maxDynamicSmem) +
          " bytes a block can have on " + archName();
    return cudaErrorInvalidValue;
  }
  size_t allowed = kDefaultDynamicSmem;
  {
    std::lock_guard<std::mutex> lock(gAttributesMutex);
    auto it = gMaxDynamicSmem.find(kernel);
    if (it != gMaxDynamicSmem.end())
      allowed = std::max(allowed, it->second);
  }
  if (smem > allowed) {
    why =
        std::string(name) + ": " + std::to_string(smem) +
        " bytes of dynamic shared memory exceed the " +
        std::to_string(allowed) +
        (allowed == kDefaultDynamicSmem ? " a kernel gets without opting in"
                                        : " its cudaFuncSetAttribute allowed") +
        "; call cudaFuncSetAttribute(kernel, "
        "cudaFuncAttributeMaxDynamicSharedMemorySize, " +
        std::to_string(smem) + ") before the launch";
    return cudaErrorInvalidValue;
  }
  return cudaSuccess;
}

} // namespace nfrt::simt
