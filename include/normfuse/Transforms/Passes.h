//===- Passes.h - nf graph passes --------------------------------*- C++
//-*-===//
#ifndef NORMFUSE_TRANSFORMS_PASSES_H
#define NORMFUSE_TRANSFORMS_PASSES_H

#include "nf/NFOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/Pass.h"

namespace normfuse {

// Pass options that are choices are enums: a value outside the list is
// refused when the pipeline is parsed, before any pass runs.

/// nf-scale-placement's `mode`: where the scale vectors go.
enum class ScalePlacementMode { In, Out, Both };
/// nf-md-reparam's `per`: one magnitude per vector or per channel.
enum class MagnitudeShape { Vector, Channel };
/// nf-drop-scales' `which`: all scale vectors, or those of one norm role.
enum class ScaleSelection { All, Input, Output };
/// nf-prepare-emission's `target`.
enum class EmissionTarget { Cpu, Cuda };

#define GEN_PASS_DECL
#include "normfuse/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "normfuse/Transforms/Passes.h.inc"

/// Registers nf-default-pipeline (lib/Transforms/Pipelines.cpp).
void registerNFPipelines();

} // namespace normfuse

#endif // NORMFUSE_TRANSFORMS_PASSES_H
