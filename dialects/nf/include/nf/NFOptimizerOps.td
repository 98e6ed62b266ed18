//===- NFOptimizerOps.td - optimizer steps as typed IR ------*- tablegen -*-===//
//
// The optimizer is explicit IR, so a user can see that Muon really
// orthogonalizes (nf.newton_schulz after nf-lower-optimizer) and how every
// parameter is updated. Math: docs/math.md#optimizers. Scalars (lr, step)
// are 0-D f32 tensors.
//
//===----------------------------------------------------------------------===//

#ifndef NF_OPTIMIZER_OPS_TD
#define NF_OPTIMIZER_OPS_TD

include "nf/NFDialect.td"

// A 0-D f32 tensor (learning rate, step count, norms); buildable, so the
// assembly formats need not spell its type.
def NF_F32Scalar : 0DTensorOf<[F32]>,
    BuildableType<"::mlir::RankedTensorType::get({}, $_builder.getF32Type())">;

def NF_UpdateParamOp : NF_Op<"update_param",
    [DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "stores the new value of a trained parameter";
  let arguments = (ins FlatSymbolRefAttr:$name, AnyStaticShapeTensor:$value);
  let assemblyFormat = "$name `,` $value attr-dict `:` type($value)";
}

def NF_LRFactorOp : NF_Op<"lr_factor", [Pure]> {
  let summary = "the schedule's multiplier of the base learning rate at a step";
  let description = [{
    `step` counts from 1 (the step being taken). Every kind starts with a
    linear warmup, step/warmup. Then constant: 1. warmup_cosine:
    min + (1 - min)(1 + cos(pi p))/2 with p the fraction of the remaining
    steps done. wsd (warmup-stable-decay): 1 until the last `decay` steps,
    then linear down to min.
  }];
  let arguments = (ins NF_F32Scalar:$step, NF_ScheduleKindAttr:$kind,
                       I64Attr:$warmup, I64Attr:$total, I64Attr:$decay,
                       F64Attr:$min_ratio);
  let results = (outs NF_F32Scalar:$result);
  let assemblyFormat = [{
    $step $kind `warmup` `(` $warmup `)` `total` `(` $total `)` `decay` `(`
    $decay `)` `min` `(` $min_ratio `)` attr-dict
  }];
  let hasVerifier = 1;
}

def NF_GlobalNormOp : NF_Op<"global_norm", [Pure]> {
  let summary = "sqrt of the sum of squares of every element of every tensor";
  let arguments = (ins Variadic<NF_FloatTensor>:$tensors);
  let results = (outs NF_F32Scalar:$result);
  let assemblyFormat = "$tensors attr-dict `:` type($tensors)";
}

def NF_ClipCoefOp : NF_Op<"clip_coef", [Pure]> {
  let summary = "min(1, max_norm / (norm + 1e-6)), as torch.nn.utils.clip_grad_norm_";
  let arguments = (ins NF_F32Scalar:$norm, F64Attr:$max_norm);
  let results = (outs NF_F32Scalar:$result);
  let assemblyFormat = "$norm `max` `(` $max_norm `)` attr-dict";
}

def NF_AdamWOp : NF_Op<"adamw", [Pure,
    AllTypesMatch<["param", "grad", "m", "v", "new_param", "new_m", "new_v"]>]> {
  let summary = "one torch.optim.AdamW step of one parameter";
  let description = [{
    docs/math.md#adamw, in PyTorch's order:
    p <- p (1 - lr wd); m <- b1 m + (1 - b1) g; v <- b2 v + (1 - b2) g^2;
    p <- p - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).

    `grad_scale`, when present, is a 0-D f32 factor of the gradient: g above
    is the fp32 product grad * grad_scale, rounded once, exactly the
    gradient torch.nn.utils.clip_grad_norm_ leaves for the optimizer
    (nf-optimizer-step passes the nf.clip_coef there instead of rewriting
    every gradient with nf.mul; docs/math.md#gradient-clipping).
  }];
  let arguments = (ins NF_FloatTensor:$param, NF_FloatTensor:$grad,
                       NF_FloatTensor:$m, NF_FloatTensor:$v,
                       NF_F32Scalar:$lr, NF_F32Scalar:$step,
                       Optional<NF_F32Scalar>:$grad_scale,
                       F64Attr:$beta1, F64Attr:$beta2, F64Attr:$eps,
                       F64Attr:$weight_decay);
  let results = (outs NF_FloatTensor:$new_param, NF_FloatTensor:$new_m,
                      NF_FloatTensor:$new_v);
  let assemblyFormat = [{
    $param `,` $grad `,` $m `,` $v (`grad_scale` `(` $grad_scale^ `)`)?
    `lr` `(` $lr `)` `step` `(` $step `)`
    `betas` `(` $beta1 `,` $beta2 `)` `eps` `(` $eps `)` `wd` `(`
    $weight_decay `)` attr-dict `:` type($param)
  }];
}

def NF_AdamWMultiOp : NF_Op<"adamw_multi",
    [AttrSizedOperandSegments,
     DeclareOpInterfaceMethods<SymbolUserOpInterface>]> {
  let summary = "nf.adamw of several parameters in place, as one multi-tensor update";
  let description = [{
    For each i: nf.adamw of parameter `params[i]` with gradient `grads[i]`,
    first moment `m[i]` and second moment `v[i]` (state parameters) and
    weight decay `wd[i]`, then the new values stored back into the same
    three tensors; lr, step, grad_scale, betas and eps are shared. The
    result is bit for bit that of the separate ops (docs/math.md#adamw):
    the kernels apply the same per-element update (nfrt/ScalarMath.h
    adamwElement), in one multi-tensor launch (llm.c's and PyTorch's
    foreach/fused AdamW) instead of one a tensor.

    nf-fuse-adamw makes it from nf.adamw ops that read their parameter and
    moments with their own nf.get_param and store every result back;
    nf-unfuse splits it again.
  }];
  let arguments = (ins FlatSymbolRefArrayAttr:$params,
                       Variadic<NF_FloatTensor>:$grads,
                       FlatSymbolRefArrayAttr:$m, FlatSymbolRefArrayAttr:$v,
                       NF_F32Scalar:$lr, NF_F32Scalar:$step,
                       Optional<NF_F32Scalar>:$grad_scale,
                       F64Attr:$beta1, F64Attr:$beta2, F64Attr:$eps,
                       DenseF64ArrayAttr:$weight_decays);
  let assemblyFormat = [{
    $params `grads` `(` $grads `)` `m` $m `v` $v
    (`grad_scale` `(` $grad_scale^ `)`)?
    `lr` `(` $lr `)` `step` `(` $step `)`
    `betas` `(` $beta1 `,` $beta2 `)` `eps` `(` $eps `)` `wd` $weight_decays
    attr-dict `:` type($grads)
  }];
  let hasVerifier = 1;
}

def NF_MuonOp : NF_Op<"muon", [Pure,
    AllTypesMatch<["param", "grad", "momentum_buffer", "new_param",
                   "new_momentum_buffer"]>]> {
  let summary = "one Muon step of one 2-D parameter (before lowering)";
  let description = [{
    docs/math.md#muon (Keller Jordan's Muon): EMA Nesterov
    momentum, 5 quintic Newton-Schulz steps, update times
    sqrt(max(1, rows/cols)) (or 0.2 sqrt(max(rows, cols)) with
    match_adamw), decoupled weight decay with the unscaled lr.
    nf-lower-optimizer expands it into nf.momentum, nf.newton_schulz and
    nf.muon_apply. `grad_scale`, when present, multiplies the gradient
    first, as nf.adamw's (the clip coefficient; passed on to nf.momentum).
  }];
  let arguments = (ins NF_FloatTensor:$param, NF_FloatTensor:$grad,
                       NF_FloatTensor:$momentum_buffer,
                       NF_F32Scalar:$lr, Optional<NF_F32Scalar>:$grad_scale,
                       F64Attr:$momentum,
                       BoolAttr:$nesterov, I64Attr:$ns_steps,
                       NF_MuonScaleAttr:$scale, F64Attr:$weight_decay);
  let results = (outs NF_FloatTensor:$new_param,
                      NF_FloatTensor:$new_momentum_buffer);
  let assemblyFormat = [{
    $param `,` $grad `,` $momentum_buffer
    (`grad_scale` `(` $grad_scale^ `)`)? `lr` `(` $lr `)` `momentum` `(`
    $momentum `)` `nesterov` `(` $nesterov `)` `ns_steps` `(` $ns_steps `)`
    `scale` $scale `wd` `(` $weight_decay `)` attr-dict `:` type($param)
  }];
  let hasVerifier = 1;
}

def NF_MomentumOp : NF_Op<"momentum", [Pure,
    AllTypesMatch<["grad", "buffer", "new_buffer", "update"]>]> {
  let summary = "buf <- beta buf + (1 - beta) g; update = nesterov ? "
                "(1 - beta) g + beta buf : buf";
  let description = [{
    `grad_scale`, when present, is a 0-D f32 factor of the gradient: g is
    the fp32 product grad * grad_scale, rounded once (the clip coefficient,
    as nf.adamw's).
  }];
  let arguments = (ins NF_FloatTensor:$grad, NF_FloatTensor:$buffer,
                       Optional<NF_F32Scalar>:$grad_scale,
                       F64Attr:$beta, BoolAttr:$nesterov);
  let results = (outs NF_FloatTensor:$new_buffer, NF_FloatTensor:$update);
  let assemblyFormat = [{
    $grad `,` $buffer (`grad_scale` `(` $grad_scale^ `)`)? `beta` `(` $beta
    `)` `nesterov` `(` $nesterov `)` attr-dict `:` type($grad)
  }];
}

def NF_NewtonSchulzOp : NF_Op<"newton_schulz", [Pure,
    AllTypesMatch<["input", "result"]>]> {
  let summary = "quintic Newton-Schulz orthogonalization "
                "(docs/math.md#newton-schulz)";
  let description = [{
    X = G / (||G||_F + 1e-7), transposed when rows > cols; `steps` times
    X <- a X + (b A + c A^2) X with A = X X^T; transposed back.
  }];
  let arguments = (ins NF_FloatTensor:$input, I64Attr:$steps, F64Attr:$a,
                       F64Attr:$b, F64Attr:$c);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $input `steps` `(` $steps `)` `coeffs` `(` $a `,` $b `,` $c `)` attr-dict
    `:` type($input)
  }];
  let hasVerifier = 1;
}

def NF_MuonApplyOp : NF_Op<"muon_apply", [Pure,
    AllTypesMatch<["param", "ortho", "result"]>]> {
  let summary = "p <- p (1 - lr wd) - lr factor O";
  let arguments = (ins NF_FloatTensor:$param, NF_FloatTensor:$ortho,
                       NF_F32Scalar:$lr, F64Attr:$factor,
                       F64Attr:$weight_decay);
  let results = (outs NF_FloatTensor:$result);
  let assemblyFormat = [{
    $param `,` $ortho `lr` `(` $lr `)` `factor` `(` $factor `)` `wd` `(`
    $weight_decay `)` attr-dict `:` type($param)
  }];
}

#endif // NF_OPTIMIZER_OPS_TD
