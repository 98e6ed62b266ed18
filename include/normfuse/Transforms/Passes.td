//===- Passes.td - nf graph passes -------------------------*- tablegen -*-===//
//
// The single registry of NormFuse graph passes: name, options, summary and
// the rewrite each performs. docs/passes.md is generated from this file.
// Definitions: docs/math.md#rewrites and #own-definitions.
//
//===----------------------------------------------------------------------===//

#ifndef NORMFUSE_TRANSFORMS_PASSES_TD
#define NORMFUSE_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def NFClassifyNorms : Pass<"nf-classify-norms", "::mlir::ModuleOp"> {
  let summary = "Mark each scale vector Input-Norm or Output-Norm";
  let description = [{
    docs/math.md#input-norm-and-output-norm. A scale vector every consumer
    of which is a linear map (directly, or through the norm's bias add)
    could be folded into those weights (FlashNorm): it is an **Input-Norm**
    scale vector.
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

    Defaults (docs/math.md#weight-decay-groups, arXiv 2605.26895): 2-D
    matrices, embeddings and the LM head decay; Input-Norm scale vectors
    decay; Output-Norm scale vectors, biases, scalars and the magnitude and
    direction of reparameterized scale vectors
    (docs/math.md#md-reparameterization) do not; state tensors take no
    weight decay at all. Each group has an option that flips it. Scale
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

    With `optimizer=muon` (docs/math.md#optimizer-assignment, Keller Jordan's
    Muon): 2-D hidden matrices get Muon; embeddings, the LM head and every
    0-D/1-D tensor get AdamW. `muon-groups` overrides which 2-D groups Muon
    takes. With `optimizer=adamw` every parameter gets AdamW. State tensors
    are not trained and get no optimizer.
  }];
  let options = [
    Option<"optimizer", "optimizer", "::mlir::nf::OptimizerKind",
           "::mlir::nf::OptimizerKind::AdamW", "the spec's optimizer",
           [{::llvm::cl::values(
             clEnumValN(::mlir::nf::OptimizerKind::AdamW, "adamw",
                        "AdamW for every parameter"),
             clEnumValN(::mlir::nf::OptimizerKind::Muon, "muon",
                        "Muon for the 2-D groups, AdamW for the rest"))}]>,
    ListOption<"muonGroups", "muon-groups", "std::string",
               "2-D groups that Muon updates (default: matrix)">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFBranchScales : Pass<"nf-branch-scales", "::mlir::ModuleOp"> {
  let summary = "Give every linear map that reads a shared scale vector its own";
  let description = [{
    Branch-specific heterogeneity (docs/math.md#branch-heterogeneity,
    arXiv 2605.26895): a scale vector (and the norm's bias) shared by k linear
    maps (Q, K, V; gate, up) becomes k vectors, one per branch, each
    `derived_from` the shared one, so the function is unchanged at the
    rewrite and the dynamics change.

    `linear(scale(n, g), Wq), linear(scale(n, g), Wk)
       => linear(scale(n, g.wq), Wq), linear(scale(n, g.wk), Wk)`

    Consumers that are not linear maps keep the shared vector.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFScalePlacement : Pass<"nf-scale-placement", "::mlir::ModuleOp"> {
  let summary = "Place scale vectors before, after or on both sides of linear maps";
  let description = [{
    docs/math.md#scale-placement. For every linear map whose input is a
    scale vector's output:

    - `in`: unchanged (gamma before W, the standard).
    - `both`: `linear(scale(x, g), W) => scale(linear(scale(x, g), W), W.out_scale)`,
      W_eff = diag(g_out) W diag(g_in), two-sided row/column preconditioning.
    - `out`: `linear(scale(x, g), W) => scale(linear(x, W), W.out_scale)`.

    New vectors start at ones: `both` keeps the function exactly, `out` keeps
    it where g is still ones (at initialisation).
  }];
  let options = [
    Option<"mode", "mode", "::normfuse::ScalePlacementMode",
           "::normfuse::ScalePlacementMode::In", "where the scale vectors go",
           [{::llvm::cl::values(
             clEnumValN(::normfuse::ScalePlacementMode::In, "in",
                        "before the linear maps (the standard placement)"),
             clEnumValN(::normfuse::ScalePlacementMode::Out, "out",
                        "after the linear maps"),
             clEnumValN(::normfuse::ScalePlacementMode::Both, "both",
                        "before and after"))}]>
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFMDReparam : Pass<"nf-md-reparam", "::mlir::ModuleOp"> {
  let summary = "Reparameterize scale vectors as magnitude times direction";
  let description = [{
    docs/math.md#md-reparameterization: gamma = g * v / rms(v), with the
    direction v initialised to gamma's init (`derived_from` gamma) and the
    magnitude g to rms(gamma0), so gamma is unchanged at the rewrite.

    `get_param @g => mul(rmsnorm(get_param @g.direction, eps 0), get_param @g.magnitude)`

    `per=vector`: g is a scalar (default); `per=channel`: g is a vector.
  }];
  let options = [
    Option<"per", "per", "::normfuse::MagnitudeShape",
           "::normfuse::MagnitudeShape::Vector", "the magnitude's shape",
           [{::llvm::cl::values(
             clEnumValN(::normfuse::MagnitudeShape::Vector, "vector",
                        "one scalar per scale vector"),
             clEnumValN(::normfuse::MagnitudeShape::Channel, "channel",
                        "one magnitude per channel"))}]>
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFDropScales : Pass<"nf-drop-scales", "::mlir::ModuleOp"> {
  let summary = "Ablation: remove scale vectors";
  let description = [{
    `scale(x, g) => x` for the scale vectors selected by `which` (all, input
    or output; the last two need nf-classify-norms first). This changes the
    function on purpose (arXiv 2605.26895 section 2.1: removing scale
    vectors hurts pre-training). It reports how many vectors it removed as
    a remark (pass statistics are compiled out of Debian's release MLIR).
  }];
  let options = [
    Option<"which", "which", "::normfuse::ScaleSelection",
           "::normfuse::ScaleSelection::All", "the scale vectors removed",
           [{::llvm::cl::values(
             clEnumValN(::normfuse::ScaleSelection::All, "all",
                        "every scale vector"),
             clEnumValN(::normfuse::ScaleSelection::Input, "input",
                        "Input-Norm scale vectors (after nf-classify-norms)"),
             clEnumValN(::normfuse::ScaleSelection::Output, "output",
                        "Output-Norm scale vectors (after nf-classify-norms)"))}]>
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFFoldScales : Pass<"nf-fold-scales", "::mlir::ModuleOp"> {
  let summary = "Fold Input-Norm scale vectors into the following linear weights";
  let description = [{
    FlashNorm's weightless normalization (arXiv 2407.09577,
    docs/math.md#fold-scales), for export: W (g * x + b) = (W diag g) x + W b.

    `linear(scale(x, g), W) => linear(x, scale(W, g))`
    `linear(bias_add(scale(x, g), b), W) => bias_add(linear(x, scale(W, g)), linear(b, W))`

    Output-Norm scale vectors are refused with a diagnostic that says why
    (their output reaches something other than a linear map); with
    `strict=true` that is an error, else a warning and the vector stays.
  }];
  let options = [
    Option<"strict", "strict", "bool", "false",
           "fail on scale vectors that cannot be folded">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFFuseNormLinear : Pass<"nf-fuse-norm-linear", "::mlir::ModuleOp"> {
  let summary = "Fuse a normalization, its scale (+ bias) and its linear maps";
  let description = [{
    `linear(scale(norm(x), g) [+ b], W_i) for i = 1..n
       => fused_norm_linear norm x scale g [bias b] weights(W_1, ..., W_n)`

    Applies to rmsnorm, layernorm, dyt and derf (derf_ema carries state and
    stays unfused) when every consumer of the norm's output is a linear map
    (QKV, gate + up, the LM head). Keeps the function exactly.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFFuseResidualNorm : Pass<"nf-fuse-residual-norm", "::mlir::ModuleOp"> {
  let summary = "Fuse each residual add into the RMSNorm that reads its sum";
  let description = [{
    A memory-traffic rewrite for the CUDA target, run after nf-autodiff on
    every function (docs/math.md#rmsnorm). Forward, a residual add and the
    RMSNorm of the next sublayer become one op with two results, so the sum
    is written once and not read back:

    `%s = add(a, b); %n = rmsnorm(%s)  =>  %s, %n = add_rmsnorm(a, b)`

    Backward, the residual stream's gradient and the norm's backward are
    one op, so the norm's input gradient is never stored on its own:

    `add(r, rmsnorm_grad(x, dy))  =>  add_rmsnorm_grad(x, dy) plus r`

    when the add is the norm gradient's only reader (either operand order).
    Only adds of equal shapes qualify (not broadcasts), and only rows of at
    most `max-row` values, which one warp holds in registers. Keeps the
    function exactly: the same sums in the same order.
  }];
  let options = [
    Option<"maxRow", "max-row", "int64_t", "1024",
           "the longest row (last dimension) to fuse">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFFuseNormScale : Pass<"nf-fuse-norm-scale", "::mlir::ModuleOp"> {
  let summary = "Fold each scale vector into the RMSNorm / LayerNorm before it";
  let description = [{
    Run after nf-autodiff (and after nf-fuse-residual-norm, whose
    nf.add_rmsnorm it extends); both code generators' norm + scale kernels
    come from these ops and from nothing else. Backward, a scale's gradient
    and the matching norm gradient (same kind, input and eps) become one op
    when the norm gradient is the only reader of the scale's input gradient
    and every reader of dgamma comes after it:

    `rmsnorm_grad(x, scale_grad(rmsnorm(x), g, dy)#0)  =>
     norm_scale_grad <rmsnorm> x, g, dy` (and `plus r` from
    add_rmsnorm_grad). Forward, a scale that is the norm's only reader then
    joins it:

    `scale(rmsnorm(x), g)  =>  norm_scale <rmsnorm> x, g`,
    `scale(add_rmsnorm(a, b)#1, g)  =>  add_rmsnorm a, b scale(g)`.

    A normalized tensor read by anything else (branch scales sharing one
    norm, a diagnostic) keeps the separate ops. The same arithmetic as the
    separate ops up to rounding order; nf-unfuse splits the ops again.
    Target choices are options: the CUDA target has no fused LayerNorm
    kernel (`layernorm=false`) and holds a row in one warp's registers
    (`max-row=1024`).
  }];
  let options = [
    Option<"layernorm", "layernorm", "bool", "true",
           "fuse LayerNorm too (RMSNorm always)">,
    Option<"maxRow", "max-row", "int64_t", "0",
           "the longest row (last dimension) to fuse; 0: no limit">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFFuseLoss : Pass<"nf-fuse-loss", "::mlir::ModuleOp"> {
  let summary = "The cross-entropy and its gradient over the logits as one op";
  let description = [{
    Run after nf-autodiff: the train step's loss and, after its constant
    seed, the loss's gradient over the logits become one
    nf.fused_cross_entropy, so one pass over each row of the [N, V] logits
    finds the softmax normalizer for both:

    `%l = cross_entropy(z, t); %s = fill 1.0; %dz = cross_entropy_grad(z,
     t, %s)  =>  %l, %dz = fused_cross_entropy z, t seed(1.0)`

    when nothing but nf.fill ops comes between the two (the gradient then
    lives where it did). Both targets.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFFuseAdamW : Pass<"nf-fuse-adamw", "::mlir::ModuleOp"> {
  let summary = "In-place AdamW updates as multi-tensor nf.adamw_multi ops";
  let description = [{
    Run after nf-optimizer-step: every nf.adamw that reads its parameter
    and moments through nf.get_param ops of its own and stores its three
    results straight back (nothing else in the function reads or writes
    those tensors) joins the nf.adamw_multi of the AdamW updates with the
    same lr, step, grad_scale, betas and eps (weight decay may differ):

    `%p = get_param @w; %m = get_param @w.m; %v = get_param @w.v;
     %p1, %m1, %v1 = adamw %p, %g, %m, %v ...; update_param @w, %p1;
     assign_state @w.m, %m1; assign_state @w.v, %v1  (for each w)
       =>  adamw_multi [@w, ...] grads(%g, ...) m [@w.m, ...] v [@w.v, ...]
           ... wd [...]`

    placed where the group's last member was. The per-element math is
    unchanged, so the result is bit for bit the same; both targets print
    one multi-tensor call for it.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFFuseGradAccumulate : Pass<"nf-fuse-grad-accumulate", "::mlir::ModuleOp"> {
  let summary = "Sum an input's gradients inside the GEMMs that compute them";
  let description = [{
    For the CUDA target, run after nf-autodiff: where several linear maps
    read one input (Q, K, V; gate and up), nf-autodiff adds their input
    gradients with nf.add. Each such add becomes an addend of the GEMM
    that computes its newest term (C = dy W + C, cuBLAS's beta = 1):

    `add(acc, linear_grad(x, W, dy)#0)  =>  linear_grad x, W, dy plus acc`

    when the add is the input gradient's only reader (either operand
    order) and acc is computed before the linear_grad. The same sum up to
    rounding: a GEMM may add its partial products into C block by block
    (OpenBLAS does, and cuBLAS's split-K), not as one rounded dy W. Where
    dx cannot take acc's buffer (acc is read again later) the code
    generator copies acc first.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFUnfuse : Pass<"nf-unfuse", "::mlir::ModuleOp"> {
  let summary = "Expand the fused ops back into their parts (for debugging)";
  let description = [{
    The inverse of nf-fuse-norm-linear, nf-fuse-norm-scale, nf-fuse-loss
    and nf-fuse-adamw:

    `fused_norm_linear norm x scale g [bias b] weights(W_1..W_n)
       => linear(scale(norm(x), g) [+ b], W_i) for i = 1..n`

    `norm_scale <kind> x, g  =>  scale(norm(x), g)`;
    `add_rmsnorm a, b scale(g)  =>  scale(add_rmsnorm(a, b)#1, g)`;
    `norm_scale_grad <kind> x, g, dy [plus r]  =>
       norm_grad(x, scale_grad(norm(x), g, dy)#0) [plus r]`
    (the normalized rows recomputed for the scale's gradient);
    `fused_cross_entropy z, t seed(s)  =>  cross_entropy(z, t),
       cross_entropy_grad(z, t, fill s)`;
    `adamw_multi [@w, ...] grads(%g, ...) ...  =>  for each w: get_param
       of @w and its moments, adamw, update_param, assign_state (twice)`.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFAutodiff : Pass<"nf-autodiff", "::mlir::ModuleOp"> {
  let summary = "Reverse-mode differentiation: the train-step function";
  let description = [{
    From the forward function (`function`, default @forward) that returns
    the loss, builds @train_step with the same arguments returning the loss
    and the gradient of every trained parameter, in the order the
    parameters are declared (result attribute `nf.grad_of`). Each op's rule
    is its VJPOpInterface implementation (dialects/nf/lib/NFVJP.cpp); the
    Derf-EMA running RMS is state, not a parameter, and gets no gradient.
    A parameter that does not reach the loss gets a zero gradient.

    `func @forward(tokens, targets) -> loss
       => func @train_step(tokens, targets) -> (loss, dL/dp_1, ..., dL/dp_n)`

    An existing @train_step is rebuilt, so running twice equals running once.
  }];
  let options = [
    Option<"function", "function", "std::string", "\"forward\"",
           "the function to differentiate">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect",
                           "::mlir::func::FuncDialect"];
}

def NFOptimizerStep : Pass<"nf-optimizer-step", "::mlir::ModuleOp"> {
  let summary = "Build @optimizer_step from the optimizer plan on each nf.param";
  let description = [{
    `func @optimizer_step(dL/dp_1, ..., dL/dp_n) -> (grad_norm, lr)`: counts
    the step, computes the schedule's learning rates, clips the gradients by
    their global norm (torch.nn.utils.clip_grad_norm_: the nf.clip_coef
    coefficient is every optimizer op's `grad_scale`, applied as the op reads
    its gradient), then updates every trained parameter with the optimizer
    and weight decay its nf.param names (nf-assign-optimizer,
    nf-weight-decay-groups):

    `nf.param @p ... optimizer <adamw>  =>  nf.adamw p, g, @p.adamw_m, @p.adamw_v`
    `nf.param @p ... optimizer <muon>   =>  nf.muon p, g, @p.muon_momentum`

    Optimizer state tensors are `group <state>` parameters (saved in
    checkpoints). The gradients come in nf-autodiff's order.
  }];
  let options = [
    Option<"lr", "lr", "double", "1e-3", "AdamW learning rate">,
    Option<"beta1", "beta1", "double", "0.9", "AdamW beta1">,
    Option<"beta2", "beta2", "double", "0.95", "AdamW beta2">,
    Option<"eps", "eps", "double", "1e-8", "AdamW eps">,
    Option<"muonLr", "muon-lr", "double", "0.02", "Muon learning rate">,
    Option<"muonMomentum", "muon-momentum", "double", "0.95",
           "Muon momentum">,
    Option<"nesterov", "nesterov", "bool", "true", "Nesterov momentum in Muon">,
    Option<"nsSteps", "ns-steps", "int64_t", "5", "Newton-Schulz steps">,
    Option<"muonScale", "muon-scale", "::mlir::nf::MuonScale",
           "::mlir::nf::MuonScale::Keller", "Muon's update scale",
           [{::llvm::cl::values(
             clEnumValN(::mlir::nf::MuonScale::Keller, "keller",
                        "sqrt(max(1, rows / cols))"),
             clEnumValN(::mlir::nf::MuonScale::MatchAdamW, "match_adamw",
                        "0.2 sqrt(max(rows, cols))"))}]>,
    Option<"gradClip", "grad-clip", "double", "1.0",
           "max global gradient norm (0 disables)">,
    Option<"schedule", "schedule", "::mlir::nf::ScheduleKind",
           "::mlir::nf::ScheduleKind::Constant", "learning-rate schedule",
           [{::llvm::cl::values(
             clEnumValN(::mlir::nf::ScheduleKind::Constant, "constant",
                        "the base lr after warmup"),
             clEnumValN(::mlir::nf::ScheduleKind::WarmupCosine,
                        "warmup_cosine", "cosine down to min-ratio"),
             clEnumValN(::mlir::nf::ScheduleKind::WSD, "wsd",
                        "warmup, stable, linear decay"))}]>,
    Option<"warmup", "warmup", "int64_t", "0", "warmup steps">,
    Option<"total", "total", "int64_t", "1000", "total steps">,
    Option<"decay", "decay", "int64_t", "0", "wsd decay steps">,
    Option<"minRatio", "min-ratio", "double", "0.1",
           "final lr as a fraction of the base lr">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect",
                           "::mlir::func::FuncDialect"];
}

def NFLowerOptimizer : Pass<"nf-lower-optimizer", "::mlir::ModuleOp"> {
  let summary = "Expand nf.muon into momentum, Newton-Schulz and update";
  let description = [{
    `nf.muon p, g, buf => nf.momentum g, buf; nf.newton_schulz u
       steps(5) coeffs(3.4445, -4.775, 2.0315); nf.muon_apply p, O`

    with the update factor sqrt(max(1, rows/cols)) (keller) or
    0.2 sqrt(max(rows, cols)) (match_adamw), docs/math.md#muon-update-scale.
    After this pass the orthogonalization is visible in the IR, so a "Muon"
    that silently ran SGD cannot pass its lit test.
  }];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

def NFPrepareEmission : Pass<"nf-prepare-emission", "::mlir::ModuleOp"> {
  let summary = "Record where every value is stored, for the code generator";
  let description = [{
    The last pass before a target's code is printed: it plans each step
    function's memory for the target and records the plan on the IR, so
    that `nfc build --emit=mlir` shows what the binary will do and the
    emitters only print it. Each op gets `nf.buffers`, one dictionary per
    result: `{arena = B}` (bytes into the function's arena), `{grad = F}`
    (floats into the gradient buffer: a returned gradient computed in its
    slot), `{param = @p}` (a parameter read, or an optimizer update written
    over its parameter or state), `{operand = i}` (operand i's storage: a
    reshape, or a result its kernel writes over that operand), with
    `storage = bf16` and `pitch = P` where a CUDA bf16 activation is
    stored in 2 bytes or with padded rows. Each step function gets
    `nf.arena_bytes` and `nf.arena_bytes_without_reuse`; the module gets
    `nf.emission = {target, precision}`.

    The target's rules:
    - cpu: gradients computed in G; with `in-place`, optimizer updates
      over their parameter and the clipped gradient over G; nf.norm_scale
      caches its row statistics for the nf.norm_scale_grad of the same
      rows (`nf.row_stats = k`).
    - cuda: gradients in G, the tied embedding's gradient summed in the
      head gradient's slot (`nf.accumulate` on the nf.embedding_grad), an
      accumulating GEMM's result over its addend; the train step's row
      statistics caches (`nf.row_stats = k` on every norm, the
      cross-entropy and flash attention, and on the backward that reads
      them) and RoPE caches (`nf.rope_table = k`, `nf.rope_copies = j`).
      With `bf16`: the activations the backward reads again stored in
      bf16, the fused cross-entropy's gradient over its bf16 logits, the
      head's logits padded to the GEMM's pitch, attention as flash
      attention where its tiles take the head dim (`nf.flash`), and each
      function's weights rounded to bf16 once (`nf.weight_copies =
      [{cache = F, param = @w}, ...]`: where in the cache each copy lies).
      Last, the CUDA layout of the two float regions a kernel needs beside
      the arena: the cache (kept from the forward for the backward, or
      for the whole function) and the scratch (one op's temporaries,
      reused by the next op). Each op gets `nf.cache = {piece = F}` and
      `nf.scratch = {piece = F}` (floats into the region; the piece names
      the kernel's argument: row_stats, rope_table, rope_q, rope_k,
      partials, gemm, sort, ...), sized by the launchers' own constants;
      each step function gets `nf.cache_floats` and `nf.scratch_floats`.

    After it the IR must not change: a pass that adds or moves a value
    would leave it without a plan, and the emitter refuses the module.
  }];
  let options = [
    Option<"target", "target", "::normfuse::EmissionTarget",
           "::normfuse::EmissionTarget::Cpu", "the target to plan for",
           [{::llvm::cl::values(
             clEnumValN(::normfuse::EmissionTarget::Cpu, "cpu",
                        "the C++ target (OpenMP, OpenBLAS)"),
             clEnumValN(::normfuse::EmissionTarget::Cuda, "cuda",
                        "the CUDA target"))}]>,
    Option<"bf16", "bf16", "bool", "false",
           "cuda: store activations in bf16 (--precision=bf16)">,
    Option<"inPlace", "in-place", "bool", "true",
           "cpu: write optimizer updates over their parameters "
           "(--fuse-kernels)">
  ];
  let dependentDialects = ["::mlir::nf::NFDialect"];
}

#endif // NORMFUSE_TRANSFORMS_PASSES_TD
