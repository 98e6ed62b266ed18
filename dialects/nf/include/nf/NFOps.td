//===- NFOps.td - nf dialect operations ---------------------*- tablegen -*-===//
//
// Every op works on statically shaped tensors: NormFuse compiles
// shape-specialized training steps. The math of each op is in
// docs/math.md (docs/dialect.md is generated from these files); verifiers
// are in NFOps.cpp and name the operand, the expected and the actual shape.
//
//===----------------------------------------------------------------------===//

#ifndef NF_OPS_TD
#define NF_OPS_TD

include "nf/NFDialect.td"
include "nf/NFAttrs.td"
include "nf/NFInterfaces.td"
include "mlir/IR/SymbolInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def NF_FloatTensor : StaticShapeTensorOf<[AnyFloat]>;
def NF_TokenTensor : StaticShapeTensorOf<[I32]>;
def NF_Scalar : 0DTensorOf<[AnyFloat]>;

// An op that computes on tensors and declares its reverse-mode rule.
class NF_ComputeOp<string mnemonic, list<Trait> traits = []> :
    NF_Op<mnemonic, traits # [Pure, DeclareOpInterfaceMethods<NF_VJPOpInterface>]>;

//===----------------------------------------------------------------------===//
// Parameters
//===----------------------------------------------------------------------===//

def NF_ParamOp : NF_Op<"param", [Symbol, HasParent<"::mlir::ModuleOp">]> {
  let summary = "a module-level parameter (or state) tensor";
  let description = [{
    Declares a parameter with its shape and dtype (`type`), how it is
    initialised, and its parameter group. A parameter that a rewrite created
    from another (a branch copy of a shared scale vector, the direction of a
    reparameterized one) names it in `derived_from`: when parameters saved
    before the rewrite are loaded, it takes that parameter's value. Graph passes add the scale-vector
    role (Input-Norm or Output-Norm), the weight decay and the optimizer, so
    the optimizer plan is visible on every parameter.

    ```mlir
    nf.param @"layers.0.attn.wq" : tensor<64x64xf32> init <normal(2.0e-02)>
        group <matrix> weight_decay(1.0e-01) optimizer <muon>
    ```
  }];
  let arguments = (ins SymbolNameAttr:$sym_name,
                       TypeAttrOf<AnyRankedTensor>:$type,
                       NF_InitAttr:$init,
                       NF_ParamGroupAttr:$group,
                       OptionalAttr<NF_NormRoleAttr>:$role,
                       OptionalAttr<F64Attr>:$weight_decay,
                       OptionalAttr<NF_OptimizerAttr>:$optimizer,
                       OptionalAttr<StrAttr>:$derived_from);
  let assemblyFormat = [{
    $sym_name `:` $type `init` $init `group` $group
    (`role` $role^)? (`weight_decay` `(` $weight_decay^ `)`)?
    (`optimizer` $optimizer^)? (`derived_from` `(` $derived_from^ `)`)?
    attr-dict
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    ::mlir::RankedTensorType getTensorType() {
      return ::llvm::cast<::mlir::RankedTensorType>(getType());
    }
  }];
}

def NF_GetParamOp : NF_Op<"get_param",
    [Pure, DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "reads a parameter";
  let arguments = (ins FlatSymbolRefAttr:$name);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = "$name attr-dict `:` type($result)";
}

def NF_AssignStateOp : NF_Op<"assign_state",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "stores the new value of a state tensor after the step";
  let description = [{
    Writes a running statistic (a `group <state>` parameter, such as the
    Derf EMA-blend's running RMS) once the step is done. It carries no
    gradient.
  }];
  let arguments = (ins FlatSymbolRefAttr:$name, AnyStaticShapeTensor:$value);
  let assemblyFormat = "$name `,` $value attr-dict `:` type($value)";
}

//===----------------------------------------------------------------------===//
// Normalizations without their scale vector (docs/math.md#norm-split)
//===----------------------------------------------------------------------===//

class NF_NormOp<string mnemonic, list<Trait> traits = []> :
    NF_ComputeOp<mnemonic, traits # [
      DeclareOpInterfaceMethods<NF_NormalizationOpInterface, ["isPointwise"]>]> {
  let hasVerifier = 1;
}

// rmsnorm and layernorm reduce over the last dimension; eps sits inside the
// square root (torch.nn.RMSNorm / torch.nn.LayerNorm convention,
// docs/math.md#rmsnorm and #layernorm).
class NF_RowNormOp<string mnemonic> :
    NF_NormOp<mnemonic, [SameOperandsAndResultType]> {
  let arguments = (ins NF_FloatTensor:$input, F64Attr:$eps);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = "$input `eps` `(` $eps `)` attr-dict `:` type($result)";
}

def NF_RMSNormOp : NF_RowNormOp<"rmsnorm"> {
  let summary = "x / sqrt(mean(x^2) + eps) over the last dimension";
}

def NF_LayerNormOp : NF_RowNormOp<"layernorm"> {
  let summary = "(x - mean(x)) / sqrt(var(x) + eps) over the last dimension";
}

def NF_DyTOp : NF_NormOp<"dyt", [AllTypesMatch<["input", "result"]>]> {
  let summary = "dynamic tanh: tanh(alpha * x), alpha a learnable scalar";
  let arguments = (ins NF_FloatTensor:$input, NF_Scalar:$alpha);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $alpha attr-dict `:` type($input) `,` type($alpha)
  }];
}

def NF_DerfOp : NF_NormOp<"derf", [AllTypesMatch<["input", "result"]>,
                                    AllTypesMatch<["alpha", "shift"]>]> {
  let summary = "dynamic erf: erf(alpha * x + s), alpha and s learnable scalars";
  let arguments = (ins NF_FloatTensor:$input, NF_Scalar:$alpha,
                       NF_Scalar:$shift);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $alpha `,` $shift attr-dict `:` type($input) `,` type($alpha)
  }];
}

def NF_DerfEMAOp : NF_NormOp<"derf_ema", [
    AllTypesMatch<["input", "result"]>,
    AllTypesMatch<["alpha", "shift", "running", "new_running"]>]> {
  let summary = "Derf with an EMA-blend of the input's running RMS";
  let description = [{
    docs/math.md#derf-ema-blend: r' = m * r + (1 - m) * mean_rows(rms(x))
    (no gradient through r), then
    y = erf(alpha * x / (blend * r' + (1 - blend)) + s).
    `running` is the stored r; `new_running` is r', written back by
    nf.assign_state.
  }];
  let arguments = (ins NF_FloatTensor:$input, NF_Scalar:$alpha,
                       NF_Scalar:$shift, NF_Scalar:$running,
                       F64Attr:$momentum, F64Attr:$blend);
  let results = (outs NF_FloatTensor:$result, NF_Scalar:$new_running);
  let assemblyFormat = [{
    $input `,` $alpha `,` $shift `,` $running `momentum` `(` $momentum `)`
    `blend` `(` $blend `)` attr-dict `:` type($input) `,` type($alpha)
  }];
}

// Not a NormalizationOpInterface: nf-fuse-norm-linear and the scale-vector
// passes see only the unfused forms they run on (before this op exists).
def NF_AddRMSNormOp : NF_ComputeOp<"add_rmsnorm", [
    AllTypesMatch<["lhs", "rhs", "sum", "result"]>]> {
  let summary = "a residual add and the RMSNorm of the sum, as one op";
  let description = [{
    sum = lhs + rhs; result = rmsnorm(sum) (docs/math.md#rmsnorm, eps inside
    the square root), times the scale vector `gamma` when there is one
    (nf-fuse-norm-scale folds the nf.scale that follows into it). A Pre-Norm block's residual add and the norm of the
    next sublayer, computed in one pass over the rows, so that the sum is
    written once and never read back. Both results are ordinary values:
    the sum stays the residual stream. Produced by nf-fuse-residual-norm.

    ```mlir
    %sum, %normed = nf.add_rmsnorm %x, %branch eps(1.0e-06) : tensor<4x8x64xf32>
    ```
  }];
  let arguments = (ins NF_FloatTensor:$lhs, NF_FloatTensor:$rhs,
                       Optional<NF_FloatTensor>:$gamma, F64Attr:$eps);
  let results = (outs NF_FloatTensor:$sum, NF_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs (`scale` `(` $gamma^ `:` type($gamma) `)`)?
    `eps` `(` $eps `)` attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Scale vector and bias
//===----------------------------------------------------------------------===//

def NF_ScaleOp : NF_ComputeOp<"scale", [AllTypesMatch<["input", "result"]>]> {
  let summary = "gamma * x over the last dimension (a norm's scale vector)";
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$gamma);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $gamma attr-dict `:` type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

// Produced by nf-fuse-norm-scale after nf-autodiff; differentiable all the
// same (its VJP is nf.norm_scale_grad), so hand-written IR may use it.
def NF_NormScaleOp : NF_ComputeOp<"norm_scale",
    [AllTypesMatch<["input", "result"]>]> {
  let summary = "a row normalization and its scale vector as one op";
  let description = [{
    result = gamma * norm(input), norm an RMSNorm or a LayerNorm over the
    last dimension (docs/math.md#rmsnorm, #layernorm; eps inside the square
    root). The normalized rows are never a value of their own: a kernel
    reads each row once and writes the scaled row. Produced by
    nf-fuse-norm-scale from `nf.scale (nf.rmsnorm %x), %gamma` when the
    scale is the norm's only reader; nf-unfuse splits it again.

    ```mlir
    %y = nf.norm_scale <rmsnorm> %x, %g eps(1.0e-05) : tensor<4x8x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins NF_NormKindAttr:$kind, NF_FloatTensor:$input,
                       NF_FloatTensor:$gamma, F64Attr:$eps);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $kind $input `,` $gamma `eps` `(` $eps `)` attr-dict `:` type($input) `,`
    type($gamma)
  }];
  let hasVerifier = 1;
}

def NF_BiasAddOp : NF_ComputeOp<"bias_add", [AllTypesMatch<["input", "result"]>]> {
  let summary = "x + beta over the last dimension";
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$bias);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $bias attr-dict `:` type($input) `,` type($bias)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear maps, embedding, attention
//===----------------------------------------------------------------------===//

def NF_LinearOp : NF_ComputeOp<"linear"> {
  let summary = "x * W^T with W of shape [out, in] (torch.nn.Linear layout)";
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$weight);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $weight attr-dict `:` type($input) `,` type($weight)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def NF_EmbeddingOp : NF_ComputeOp<"embedding"> {
  let summary = "looks up token ids in a [vocab, d] table";
  let arguments = (ins NF_TokenTensor:$tokens, NF_FloatTensor:$table);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $tokens `,` $table attr-dict `:` type($tokens) `,` type($table)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

def NF_SplitHeadsOp : NF_ComputeOp<"split_heads"> {
  let summary = "[B, T, H*hd] -> [B, T, H, hd]";
  let arguments = (ins NF_FloatTensor:$input);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NF_MergeHeadsOp : NF_ComputeOp<"merge_heads"> {
  let summary = "[B, T, H, hd] -> [B, T, H*hd]";
  let arguments = (ins NF_FloatTensor:$input);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

def NF_AttentionOp : NF_ComputeOp<"attention", [
    AllTypesMatch<["query", "key", "value", "result"]>]> {
  let summary = "causal multi-head softmax attention, optionally with RoPE";
  let description = [{
    q, k and v are [B, T, H, hd]. With `rope(theta)`, rotary position
    embeddings (pairs (2i, 2i+1), frequency theta^(-2i/hd)) rotate q and k
    first. Scores are q.k / sqrt(hd) with a causal mask.
  }];
  let arguments = (ins NF_FloatTensor:$query, NF_FloatTensor:$key,
                       NF_FloatTensor:$value,
                       OptionalAttr<F64Attr>:$rope_theta);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $query `,` $key `,` $value (`rope` `(` $rope_theta^ `)`)? attr-dict
    `:` type($result)
  }];
  let hasVerifier = 1;
}

def NF_FusedNormLinearOp : NF_ComputeOp<"fused_norm_linear",
    [AttrSizedOperandSegments]> {
  let summary = "a normalization, its scale vectors (+ biases) and the 1..n "
                "linear maps that consume it, as one op";
  let description = [{
    result_i = linear(scale(norm(x), gamma_i) [+ beta_i], W_i) for every
    weight W_i (Q, K, V; gate, up; the LM head), computed from one pass over
    x. `gammas` holds no vector (scale vectors dropped), one shared by every
    branch, or one per branch (after nf-branch-scales); `biases` likewise.
    `norm_scalars` are DyT's alpha or Derf's alpha and shift; `eps` belongs
    to rmsnorm and layernorm. Produced by nf-fuse-norm-linear, undone by
    nf-unfuse.
  }];
  let arguments = (ins NF_NormKindAttr:$kind, NF_FloatTensor:$input,
                       Variadic<NF_Scalar>:$norm_scalars,
                       Variadic<NF_FloatTensor>:$gammas,
                       Variadic<NF_FloatTensor>:$biases,
                       Variadic<NF_FloatTensor>:$weights,
                       OptionalAttr<F64Attr>:$eps);
  let results = (outs Variadic<NF_FloatTensor>:$results);
  let assemblyFormat = [{
    $kind $input (`[` $norm_scalars^ `]`)? (`eps` `(` $eps^ `)`)?
    (`scale` `(` $gammas^ `)`)? (`bias` `(` $biases^ `)`)?
    `weights` `(` $weights `)` attr-dict
    `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The scale vector / bias of branch `i`, or null.
    ::mlir::Value getGammaOf(unsigned i) {
      auto g = getGammas();
      return g.empty() ? ::mlir::Value() : g[g.size() == 1 ? 0 : i];
    }
    ::mlir::Value getBiasOf(unsigned i) {
      auto b = getBiases();
      return b.empty() ? ::mlir::Value() : b[b.size() == 1 ? 0 : i];
    }
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class NF_UnaryOp<string mnemonic> :
    NF_ComputeOp<mnemonic, [SameOperandsAndResultType]> {
  let arguments = (ins NF_FloatTensor:$input);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($result)";
}

def NF_GeluOp : NF_UnaryOp<"gelu"> {
  let summary = "x * Phi(x), the exact (erf) GELU as torch.nn.functional.gelu";
}

def NF_SiluOp : NF_UnaryOp<"silu"> {
  let summary = "x * sigmoid(x)";
}

// rhs either has lhs's shape or is broadcast over lhs's leading dimensions
// (its shape a suffix of lhs's): a [T, d] position table added to [B, T, d],
// a 0-D learnable scalar multiplying the embeddings.
class NF_BinaryOp<string mnemonic> :
    NF_ComputeOp<mnemonic, [AllTypesMatch<["lhs", "result"]>]> {
  let arguments = (ins NF_FloatTensor:$lhs, NF_FloatTensor:$rhs);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)
  }];
  let hasVerifier = 1;
}

def NF_AddOp : NF_BinaryOp<"add"> {
  let summary = "elementwise lhs + rhs (rhs broadcast over leading dims)";
}

def NF_MulOp : NF_BinaryOp<"mul"> {
  let summary = "elementwise lhs * rhs (rhs broadcast over leading dims)";
}

//===----------------------------------------------------------------------===//
// Loss
//===----------------------------------------------------------------------===//

def NF_CrossEntropyOp : NF_ComputeOp<"cross_entropy"> {
  let summary = "mean softmax cross-entropy of logits [..., V] against ids";
  let arguments = (ins NF_FloatTensor:$logits, NF_TokenTensor:$targets);
  let results = (outs NF_Scalar:$result);
  let assemblyFormat = [{
    $logits `,` $targets attr-dict `:` type($logits) `,` type($targets)
    `->` type($result)
  }];
  let hasVerifier = 1;
}

include "nf/NFGradOps.td"
include "nf/NFOptimizerOps.td"

#endif // NF_OPS_TD
