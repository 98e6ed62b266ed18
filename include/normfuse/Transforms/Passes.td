//===- Passes.td - nf graph passes -------------------------*- tablegen -*-===//
//
// The single registry of NormFuse graph passes: name, options, summary and
// the rewrite each performs. docs/passes.md is generated from this file.
// Definitions: ../shared/docs/MATH.md, 'Our definitions'.
//
//===----------------------------------------------------------------------===//

#ifndef NORMFUSE_TRANSFORMS_PASSES_TD
#define NORMFUSE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NFClassifyNorms : Pass<"nf-classify-norms", "::mlir::ModuleOp"> {
  let summary = "Mark each scale vector Input-Norm or Output-Norm";
  let description = [{
    MATH.md 'Our definitions' 2. A scale vector every consumer of which is a
    linear map (directly, or through the norm's bias add) could be folded
    into those weights (FlashNorm): it is an **Input-Norm** scale vector.
    Any other (branch-output norms of Peri-Norm, QK-norm, a Post-Norm whose
    output reaches the residual stream) is **Output-Norm**.

    `nf.param @g ... group <scale>  =>  nf.param @g ... group <scale> role <input|output>`

    Roles already present are recomputed, so running the pass twice equals
    running it once.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFWeightDecayGroups : Pass<"nf-weight-decay-groups", "::mlir::ModuleOp"> {
  let summary = "Set the weight decay of every parameter from its group";
  let description = [{
    `nf.param @p ... group <G> [role <R>]  =>  nf.param @p ... weight_decay(wd or 0)`

    Defaults (MATH.md 'Our definitions' 2, arXiv 2605.26895): 2-D matrices,
    embeddings and the LM head decay; Input-Norm scale vectors decay;
    Output-Norm scale vectors, biases, scalars and the magnitude and
    direction of reparameterized scale vectors (MATH.md 'Our definitions' 5)
    do not; state tensors take no weight decay at all. Each group has an option that flips it. Scale
    vectors need a role: run nf-classify-norms first.
  }];
  let options = [
    Option<"weightDecay", "weight-decay", "double", "0.1",
           "the decay coefficient of the groups that decay">,
    Option<"decayMatrix", "decay-matrix", "bool", "true",
           "decay 2-D hidden matrices">,
    Option<"decayEmbedding", "decay-embedding", "bool", "true",
           "decay embedding tables">,
    Option<"decayHead", "decay-head", "bool", "true",
           "decay the LM head">,
    Option<"decayInputNorm", "decay-input-norm", "bool", "true",
           "decay Input-Norm scale vectors">,
    Option<"decayOutputNorm", "decay-output-norm", "bool", "false",
           "decay Output-Norm scale vectors">,
    Option<"decayBias", "decay-bias", "bool", "false", "decay biases">,
    Option<"decayScalar", "decay-scalar", "bool", "false",
           "decay scalars (DyT/Derf alpha and shift, embedding scale)">,
    Option<"decayMagnitude", "decay-magnitude", "bool", "false",
           "decay the magnitudes g of reparameterized scale vectors">,
    Option<"decayDirection", "decay-direction", "bool", "false",
           "decay the directions v of reparameterized scale vectors">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFAssignOptimizer : Pass<"nf-assign-optimizer", "::mlir::ModuleOp"> {
  let summary = "Choose the optimizer of every parameter";
  let description = [{
    `nf.param @p ... group <G>  =>  nf.param @p ... optimizer <adamw|muon>`

    With `optimizer=muon` (MATH.md 'Our definitions' 8, Keller Jordan's
    Muon): 2-D hidden matrices get Muon; embeddings, the LM head and every
    0-D/1-D tensor get AdamW. `muon-groups` overrides which 2-D groups Muon
    takes. With `optimizer=adamw` every parameter gets AdamW. State tensors
    are not trained and get no optimizer.
  }];
  let options = [
    Option<"optimizer", "optimizer", "std::string", "\"adamw\"",
           "the spec's optimizer: adamw or muon">,
    ListOption<"muonGroups", "muon-groups", "std::string",
               "2-D groups that Muon updates (default: matrix)">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

#endif // NORMFUSE_TRANSFORMS_PASSES_TD
