//===- RunConfig.h - the run settings baked into a training binary -*- C++
//-*-===//
//
// `nfc build` writes them from the spec's data and run tables next to the
// generated model; the binary's flags override them (runtime/src/
// TrainMain.cpp). `fingerprint` identifies the compiled model: a checkpoint
// written by a different model (another spec, pipeline or compiler) is
// refused on resume. A model built for R ranks holds batch_size / R
// sequences per rank; the global batch is the spec's.
//
//===----------------------------------------------------------------------===//
#ifndef NFRT_RUNCONFIG_H
#define NFRT_RUNCONFIG_H

#include <cstdint>

namespace nfrt {

enum class DataFormat : int32_t { Text = 0, LlmcShards = 1 };

struct RunConfig {
  const char *specPath;
  const char *trainPath; // "" when the spec has no data table
  const char *valPath;   // "": hold out the tail of the training data
  DataFormat format;
  double valFraction;
  int64_t steps, evalEvery, evalBatches, logEvery, checkpointEvery;
  uint64_t seed;
  const char *outDir;
  const char *fingerprint;
  int32_t ranks;    // data-parallel processes the model was compiled for
  bool diagnostics; // log sigma_max and gamma_rms with the metrics
  // Wall-clock minutes between checkpoints, besides checkpointEvery (0: no
  // time-based checkpoints), so a crash costs minutes, not the run.
  double checkpointMinutes;
};

} // namespace nfrt

extern "C" const nfrt::RunConfig nf_run_config;

#endif // NFRT_RUNCONFIG_H
