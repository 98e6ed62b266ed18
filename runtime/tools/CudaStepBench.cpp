//===- CudaStepBench.cpp - time a generated CUDA step ---------------------===//
//
// Linked with a model built by `nfc build --target=cuda --emit=cuda`
// (bench/gpu_step.sh compiles both with nvcc). Measures, in one run:
//   copy    device-to-device cudaMemcpy bandwidth (GB/s, read + write):
//           the yardstick for every memory-bound kernel
//   step    full steps (@train_step + @optimizer_step, CUDA graphs) after
//           warm-up: ms/step, tokens/s and model FLOP utilisation, with
//           6 FLOPs per trained parameter per token against --peak-tflops
//   kernels with NFRT_PROFILE=1: time per kernel (events around each
//           launch, graphs off), sorted, with the share of the step
// Under the SIMT harness it runs as well (host timings), which is how the
// tool itself is tested where no GPU is.
//
//===----------------------------------------------------------------------===//
#include "nfrt/Model.h"
#include "nfrt/StepInputs.h"
#include "nfrt/cuda/Platform.cuh"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace {

/// Milliseconds of `body` on the step stream, by events.
template <class Body> float timed(cudaStream_t s, Body body) {
  cudaEvent_t a, b;
  NF_CUDA_CHECK(cudaEventCreate(&a));
  NF_CUDA_CHECK(cudaEventCreate(&b));
  NF_CUDA_CHECK(cudaEventRecord(a, s));
  body();
  NF_CUDA_CHECK(cudaEventRecord(b, s));
  NF_CUDA_CHECK(cudaEventSynchronize(b));
  float ms = 0.f;
  NF_CUDA_CHECK(cudaEventElapsedTime(&ms, a, b));
  NF_CUDA_CHECK(cudaEventDestroy(a));
  NF_CUDA_CHECK(cudaEventDestroy(b));
  return ms;
}

} // namespace

int main(int argc, char **argv) {
  int64_t steps = 20, warmup = 2, copyMiB = 256;
  double peakTflops = 0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--steps" && i + 1 < argc)
      steps = std::strtoll(argv[++i], nullptr, 10);
    else if (a == "--warmup" && i + 1 < argc)
      warmup = std::strtoll(argv[++i], nullptr, 10);
    else if (a == "--copy-mib" && i + 1 < argc)
      copyMiB = std::strtoll(argv[++i], nullptr, 10);
    else if (a == "--peak-tflops" && i + 1 < argc)
      peakTflops = std::strtod(argv[++i], nullptr);
    else {
      std::fprintf(stderr,
                   "usage: %s [--steps n] [--warmup n] [--copy-mib n] "
                   "[--peak-tflops x]\n",
                   argv[0]);
      return 2;
    }
  }
  const nfrt::ModelInfo &m = nf_model;
  if (!m.deviceBuffers) {
    std::fprintf(stderr, "%s: error: linked with a CPU model\n", argv[0]);
    return 2;
  }
  cudaDeviceProp prop;
  NF_CUDA_CHECK(cudaGetDeviceProperties(&prop, 0));
  cudaStream_t stream = nfrt::cuda::context().stream;

  // The copy yardstick.
  size_t copyBytes = size_t(copyMiB) << 20;
  char *src = nullptr, *dst = nullptr;
  NF_CUDA_CHECK(cudaMalloc(&src, copyBytes));
  NF_CUDA_CHECK(cudaMalloc(&dst, copyBytes));
  NF_CUDA_CHECK(cudaMemset(src, 1, copyBytes));
  float copyMs = 1e30f;
  for (int r = 0; r < 5; ++r)
    copyMs =
        std::min(copyMs, timed(stream, [&] {
                   NF_CUDA_CHECK(cudaMemcpyAsync(
                       dst, src, copyBytes, cudaMemcpyDeviceToDevice, stream));
                 }));
  double copyGBs = 2.0 * copyBytes / (copyMs * 1e-3) / 1e9;
  NF_CUDA_CHECK(cudaFree(src));
  NF_CUDA_CHECK(cudaFree(dst));

  std::vector<float> params = nfrt::checkParams(m, 1, false);
  std::vector<int32_t> tokens = nfrt::checkTokens(m, 1);
  float *dParams = nullptr, *dGrads = nullptr, *dScalars = nullptr;
  int32_t *dTokens = nullptr;
  char *dArena = nullptr;
  NF_CUDA_CHECK(cudaMalloc(&dParams, params.size() * 4));
  NF_CUDA_CHECK(cudaMalloc(&dGrads, m.gradFloats * 4 + 4));
  NF_CUDA_CHECK(cudaMalloc(&dScalars, 16));
  NF_CUDA_CHECK(cudaMalloc(&dTokens, tokens.size() * 4));
  NF_CUDA_CHECK(cudaMalloc(&dArena, m.arenaBytes + 1));
  NF_CUDA_CHECK(cudaMemcpy(dParams, params.data(), params.size() * 4,
                           cudaMemcpyHostToDevice));
  NF_CUDA_CHECK(cudaMemcpy(dTokens, tokens.data(), tokens.size() * 4,
                           cudaMemcpyHostToDevice));
  int64_t n = m.batch * m.seqLen;
  auto step = [&] {
    m.trainStep(dParams, dArena, dTokens, dTokens + n, dScalars, dGrads);
    m.optimizerStep(dParams, dArena, dGrads, dScalars + 1, dScalars + 2);
  };
  for (int64_t s = 0; s < warmup; ++s)
    step();
  NF_CUDA_CHECK(cudaStreamSynchronize(stream));
  nfrt::cuda::profiler().collect(); // drop the warm-up's launches
  nfrt::cuda::profiler().totals.clear();
  float ms = timed(stream,
                   [&] {
                     for (int64_t s = 0; s < steps; ++s)
                       step();
                   }) /
             float(steps);
  nfrt::cuda::profiler().collect();

  int64_t trained = 0;
  for (int64_t i = 0; i < m.numParams; ++i)
    if (m.params[i].gradOffset >= 0)
      trained += m.params[i].numel;
  double tokensPerS = double(n) / (ms * 1e-3);
  double tflops = 6.0 * double(trained) * tokensPerS / 1e12;
  std::printf("device: %s (%d SMs)\n", prop.name, prop.multiProcessorCount);
  std::printf("copy: %.1f GB/s device-to-device (%lld MiB, read + write)\n",
              copyGBs, (long long)copyMiB);
  std::printf("step: %.3f ms, %.0f tokens/s, %.2f TFLOP/s model "
              "(%lld trained parameters x 6 x tokens)",
              ms, tokensPerS, tflops, (long long)trained);
  if (peakTflops > 0)
    std::printf(", MFU %.1f%% of %.0f TFLOP/s", 100.0 * tflops / peakTflops,
                peakTflops);
  std::printf("\n");
  auto &totals = nfrt::cuda::profiler().totals;
  if (!totals.empty()) {
    std::vector<std::pair<std::string, nfrt::cuda::Profiler::Total>> rows(
        totals.begin(), totals.end());
    std::sort(rows.begin(), rows.end(), [](const auto &a, const auto &b) {
      return a.second.ms > b.second.ms;
    });
    double sum = 0;
    for (auto &r : rows)
      sum += r.second.ms;
    std::printf("kernels (per step; NFRT_PROFILE=1 runs without graphs):\n");
    std::printf("  %10s %8s %6s  %s\n", "us/step", "calls", "share", "kernel");
    for (auto &r : rows)
      std::printf("  %10.1f %8.1f %5.1f%%  %s\n", 1e3 * r.second.ms / steps,
                  double(r.second.count) / steps, 100.0 * r.second.ms / sum,
                  r.first.c_str());
  }
  return 0;
}
