//===- NFGradOps.td - nf reverse-mode (gradient) operations -*- tablegen -*-===//
//
// The ops that nf-autodiff emits: one backward op per forward op family,
// as llm.c pairs each forward kernel with its backward kernel, so that the
// emitters map each to one kernel. Formulas: docs/math.md#reverse-mode
// and NFVJP.cpp. `grad` is always the cotangent of the forward op's (first)
// result.
//
//===----------------------------------------------------------------------===//

#ifndef NF_GRAD_OPS_TD
#define NF_GRAD_OPS_TD

include "nf/NFDialect.td"

class NF_GradOp<string mnemonic, list<Trait> traits = []> :
    NF_Op<mnemonic, traits # [Pure]>;

def NF_FillOp : NF_Op<"fill", [Pure]> {
  let summary = "a tensor with every element equal to `value`";
  let description = [{
    Seeds reverse mode (d loss / d loss = 1) and stands for the zero
    gradient of a parameter that does not reach the loss.
  }];
  let arguments = (ins F64Attr:$value);
  let results = (outs AnyStaticShapeTensor:$result);
  let assemblyFormat = "$value attr-dict `:` type($result)";
}

def NF_ReduceToOp : NF_GradOp<"reduce_to"> {
  let summary = "sums over leading dimensions down to a suffix shape";
  let description = [{
    The adjoint of broadcasting over leading dimensions (nf.add, nf.mul,
    nf.bias_add): a [B, T, d] cotangent reduces to the [d] or [T, d] shape
    of the broadcast operand, or to a scalar.
  }];
  let arguments = (ins NF_FloatTensor:$input);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = "$input attr-dict `:` type($input) `->` type($result)";
  let hasVerifier = 1;
}

class NF_RowNormGradOp<string mnemonic> :
    NF_GradOp<mnemonic, [AllTypesMatch<["input", "grad", "result"]>]> {
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$grad,
                       F64Attr:$eps);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $grad `eps` `(` $eps `)` attr-dict `:` type($result)
  }];
  let hasVerifier = 1;
}

def NF_RMSNormGradOp : NF_RowNormGradOp<"rmsnorm_grad"> {
  let summary = "dx = rho * (dy - xhat * mean(dy * xhat)), "
                "docs/math.md#rmsnorm";
}

def NF_AddRMSNormGradOp : NF_GradOp<"add_rmsnorm_grad", [
    AllTypesMatch<["input", "grad", "addend", "result"]>]> {
  let summary = "dx = addend + rmsnorm_grad(x, dy): the gradient of a "
                "residual stream that also feeds an RMSNorm";
  let description = [{
    The backward of nf.add_rmsnorm, and what nf-fuse-residual-norm makes of
    `nf.add %addend, (nf.rmsnorm_grad %x, %dy)`: the norm's input gradient
    (docs/math.md#rmsnorm) plus the gradient that reaches the sum from its
    other readers, written once.
  }];
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$grad,
                       NF_FloatTensor:$addend, F64Attr:$eps);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `,` $grad `plus` $addend `eps` `(` $eps `)` attr-dict
    `:` type($result)
  }];
  let hasVerifier = 1;
}

def NF_LayerNormGradOp : NF_RowNormGradOp<"layernorm_grad"> {
  let summary = "dx = rho * (dy - mean(dy) - xhat * mean(dy * xhat)), "
                "docs/math.md#layernorm";
}

def NF_DyTGradOp : NF_GradOp<"dyt_grad", [
    AllTypesMatch<["input", "grad", "input_grad"]>,
    AllTypesMatch<["alpha", "alpha_grad"]>]> {
  let summary = "dx = alpha (1 - t^2) dy, dalpha = sum x (1 - t^2) dy, "
                "docs/math.md#dyt";
  let arguments = (ins NF_FloatTensor:$input, NF_Scalar:$alpha,
                       NF_FloatTensor:$grad);
  let results = (outs NF_FloatTensor:$input_grad, NF_Scalar:$alpha_grad);
  let assemblyFormat = [{
    $input `,` $alpha `,` $grad attr-dict `:` type($input) `,` type($alpha)
  }];
  let hasVerifier = 1;
}

def NF_DerfGradOp : NF_GradOp<"derf_grad", [
    AllTypesMatch<["input", "grad", "input_grad"]>,
    AllTypesMatch<["alpha", "shift", "alpha_grad", "shift_grad"]>]> {
  let summary = "h = dy (2/sqrt(pi)) exp(-z^2): dx = alpha h, dalpha = sum x h, "
                "ds = sum h, docs/math.md#derf";
  let arguments = (ins NF_FloatTensor:$input, NF_Scalar:$alpha,
                       NF_Scalar:$shift, NF_FloatTensor:$grad);
  let results = (outs NF_FloatTensor:$input_grad, NF_Scalar:$alpha_grad,
                      NF_Scalar:$shift_grad);
  let assemblyFormat = [{
    $input `,` $alpha `,` $shift `,` $grad attr-dict `:` type($input) `,`
    type($alpha)
  }];
  let hasVerifier = 1;
}

def NF_DerfEMAGradOp : NF_GradOp<"derf_ema_grad", [
    AllTypesMatch<["input", "grad", "input_grad"]>,
    AllTypesMatch<["alpha", "shift", "running", "alpha_grad", "shift_grad"]>]> {
  let summary = "Derf's gradient at x / (blend r' + 1 - blend), no gradient "
                "through the running RMS r'";
  let arguments = (ins NF_FloatTensor:$input, NF_Scalar:$alpha,
                       NF_Scalar:$shift, NF_Scalar:$running,
                       NF_FloatTensor:$grad, F64Attr:$blend);
  let results = (outs NF_FloatTensor:$input_grad, NF_Scalar:$alpha_grad,
                      NF_Scalar:$shift_grad);
  let assemblyFormat = [{
    $input `,` $alpha `,` $shift `,` $running `,` $grad `blend` `(` $blend `)`
    attr-dict `:` type($input) `,` type($alpha)
  }];
  let hasVerifier = 1;
}

def NF_ScaleGradOp : NF_GradOp<"scale_grad", [
    AllTypesMatch<["input", "grad", "input_grad"]>,
    AllTypesMatch<["gamma", "gamma_grad"]>]> {
  let summary = "dx = gamma * dy, dgamma = sum over rows of dy * x";
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$gamma,
                       NF_FloatTensor:$grad);
  let results = (outs NF_FloatTensor:$input_grad, NF_FloatTensor:$gamma_grad);
  let assemblyFormat = [{
    $input `,` $gamma `,` $grad attr-dict `:` type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

def NF_NormScaleGradOp : NF_GradOp<"norm_scale_grad", [
    AllTypesMatch<["input", "grad", "input_grad"]>,
    AllTypesMatch<["gamma", "gamma_grad"]>]> {
  let summary = "the backward of nf.norm_scale: dx (+ addend) and dgamma";
  let description = [{
    With xhat = norm(input) and g = gamma * grad (docs/math.md#rmsnorm,
    #layernorm): dgamma = sum over rows of grad * xhat; dx = the norm's
    backward applied to g, plus `addend` when there is one (the gradient of
    a residual stream that also feeds the norm, as nf.add_rmsnorm_grad).
    Produced by nf-fuse-norm-scale from nf.scale_grad followed by the
    matching norm gradient; one pass over the rows, xhat rebuilt from the
    input (and the forward's row statistics where the code generator keeps
    them).

    ```mlir
    %dx, %dg = nf.norm_scale_grad <rmsnorm> %x, %g, %dy eps(1.0e-05) : tensor<32x64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins NF_NormKindAttr:$kind, NF_FloatTensor:$input,
                       NF_FloatTensor:$gamma, NF_FloatTensor:$grad,
                       Optional<NF_FloatTensor>:$addend, F64Attr:$eps);
  let results = (outs NF_FloatTensor:$input_grad, NF_FloatTensor:$gamma_grad);
  let assemblyFormat = [{
    $kind $input `,` $gamma `,` $grad (`plus` $addend^ `:` type($addend))?
    `eps` `(` $eps `)` attr-dict `:` type($input) `,` type($gamma)
  }];
  let hasVerifier = 1;
}

def NF_LinearGradOp : NF_GradOp<"linear_grad", [
    AllTypesMatch<["input", "input_grad"]>,
    AllTypesMatch<["weight", "weight_grad"]>]> {
  let summary = "dx = dy W (+ addend), dW = sum over rows of dy^T x";
  let description = [{
    With `plus %addend` (nf-fuse-grad-accumulate), dx = addend + dy W: the
    gradient of an input that several linear maps read (Q, K, V; gate,
    up) accumulated by the GEMMs themselves, not by nf.add passes.
  }];
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$weight,
                       NF_FloatTensor:$grad,
                       Optional<NF_FloatTensor>:$addend);
  let results = (outs NF_FloatTensor:$input_grad,
                      NF_FloatTensor:$weight_grad);
  let assemblyFormat = [{
    $input `,` $weight `,` $grad (`plus` $addend^ `:` type($addend))?
    attr-dict `:` type($input) `,` type($weight) `,` type($grad)
  }];
  let hasVerifier = 1;
}

def NF_EmbeddingGradOp : NF_GradOp<"embedding_grad"> {
  let summary = "dtable[v] = sum of dy over the positions whose token is v";
  let arguments = (ins NF_TokenTensor:$tokens, NF_FloatTensor:$grad);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $tokens `,` $grad attr-dict `:` type($tokens) `,` type($grad) `->`
    type($result)
  }];
  let hasVerifier = 1;
}

def NF_AttentionGradOp : NF_GradOp<"attention_grad", [
    AllTypesMatch<["query", "key", "value", "grad", "query_grad", "key_grad",
                   "value_grad"]>,
    OptionalTypesMatchWith<"the forward's output is [B, T, H, hd] as the query",
                           "query", "output", "$_self">]> {
  let summary = "the cotangents of q, k and v of causal attention (with RoPE "
                "when the forward op had it)";
  let description = [{
    `output`, when present, is the forward op's result: a backward may take
    D_i = sum_c dO_ic O_ic from it instead of recomputing the row's
    probabilities (flash attention's backward; the CUDA target's bf16 mode
    does). Autodiff passes it; the value is the same either way.
  }];
  let arguments = (ins NF_FloatTensor:$query, NF_FloatTensor:$key,
                       NF_FloatTensor:$value, NF_FloatTensor:$grad,
                       Optional<NF_FloatTensor>:$output,
                       OptionalAttr<F64Attr>:$rope_theta);
  let results = (outs NF_FloatTensor:$query_grad, NF_FloatTensor:$key_grad,
                      NF_FloatTensor:$value_grad);
  let assemblyFormat = [{
    $query `,` $key `,` $value `,` $grad (`output` `(` $output^ `)`)?
    (`rope` `(` $rope_theta^ `)`)? attr-dict `:` type($query)
  }];
  let hasVerifier = 1;
}

class NF_UnaryGradOp<string mnemonic> :
    NF_GradOp<mnemonic, [AllTypesMatch<["input", "grad", "result"]>]> {
  let arguments = (ins NF_FloatTensor:$input, NF_FloatTensor:$grad);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = "$input `,` $grad attr-dict `:` type($result)";
}

def NF_GeluGradOp : NF_UnaryGradOp<"gelu_grad"> {
  let summary = "dx = dy (Phi(x) + x phi(x))";
}

def NF_SiluGradOp : NF_UnaryGradOp<"silu_grad"> {
  let summary = "dx = dy s (1 + x (1 - s)), s = sigmoid(x)";
}

def NF_CrossEntropyGradOp : NF_GradOp<"cross_entropy_grad", [
    AllTypesMatch<["logits", "result"]>]> {
  let summary = "dlogits = dloss (softmax(logits) - onehot(targets)) / N";
  let arguments = (ins NF_FloatTensor:$logits, NF_TokenTensor:$targets,
                       NF_Scalar:$grad);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $logits `,` $targets `,` $grad attr-dict `:` type($logits) `,`
    type($targets) `,` type($grad)
  }];
  let hasVerifier = 1;
}

def NF_FusedCrossEntropyOp : NF_GradOp<"fused_cross_entropy", [
    AllTypesMatch<["logits", "logits_grad"]>]> {
  let summary = "the loss and its gradient over the logits in one op";
  let description = [{
    loss = mean over rows of logsumexp(logits) - logits[target], and
    logits_grad = seed (softmax(logits) - onehot(targets)) / N: nf.cross_entropy
    and the nf.cross_entropy_grad of a constant cotangent `seed` (the train
    step's d loss / d loss = 1), so that one pass over each row finds its
    softmax normalizer for both (llm.c's fused classifier). Produced by
    nf-fuse-loss after nf-autodiff; nf-unfuse splits it again.

    ```mlir
    %loss, %dlogits = nf.fused_cross_entropy %logits, %targets seed(1.0) : tensor<4x8x256xf32>, tensor<4x8xi32>, tensor<f32>
    ```
  }];
  let arguments = (ins NF_FloatTensor:$logits, NF_TokenTensor:$targets,
                       F64Attr:$seed);
  let results = (outs NF_Scalar:$loss, NF_FloatTensor:$logits_grad);
  let assemblyFormat = [{
    $logits `,` $targets `seed` `(` $seed `)` attr-dict `:` type($logits) `,`
    type($targets) `,` type($loss)
  }];
  let hasVerifier = 1;
}

#endif // NF_GRAD_OPS_TD
