//===- NFAttrs.td - nf parameter attributes -----------------*- tablegen -*-===//
//
// Attributes that nf.param carries: how a parameter is initialised, which
// parameter group it belongs to, the role of a scale vector (Input-Norm or
// Output-Norm, docs/math.md#input-norm-and-output-norm) and the optimizer
// that updates it.
//
//===----------------------------------------------------------------------===//

#ifndef NF_ATTRS_TD
#define NF_ATTRS_TD

include "nf/NFDialect.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def NF_ParamGroup : I32EnumAttr<"ParamGroup", "parameter group", [
    I32EnumAttrCase<"Matrix", 0, "matrix">,
    I32EnumAttrCase<"Embedding", 1, "embedding">,
    I32EnumAttrCase<"Head", 2, "head">,
    I32EnumAttrCase<"Scale", 3, "scale">,
    I32EnumAttrCase<"Bias", 4, "bias">,
    I32EnumAttrCase<"Scalar", 5, "scalar">,
    // Not trained: running statistics such as the Derf EMA-blend's running
    // RMS (docs/math.md#derf-ema-blend) and optimizer moments. Saved in
    // checkpoints, no optimizer, any rank.
    I32EnumAttrCase<"State", 6, "state">,
    // Magnitude-direction reparameterization of a scale vector,
    // gamma = g * v / rms(v) (docs/math.md#md-reparameterization): g is the
    // magnitude (0-D, or 1-D per channel), v the direction (1-D).
    I32EnumAttrCase<"Magnitude", 7, "magnitude">,
    I32EnumAttrCase<"Direction", 8, "direction">]> {
  let cppNamespace = "::mlir::nf";
  let genSpecializedAttr = 0;
}

def NF_NormRole : I32EnumAttr<"NormRole", "role of a scale vector", [
    I32EnumAttrCase<"Input", 0, "input">,
    I32EnumAttrCase<"Output", 1, "output">]> {
  let cppNamespace = "::mlir::nf";
  let genSpecializedAttr = 0;
}

def NF_OptimizerKind : I32EnumAttr<"OptimizerKind", "optimizer", [
    I32EnumAttrCase<"AdamW", 0, "adamw">,
    I32EnumAttrCase<"Muon", 1, "muon">]> {
  let cppNamespace = "::mlir::nf";
  let genSpecializedAttr = 0;
}

def NF_InitKind : I32EnumAttr<"InitKind", "parameter initialisation", [
    I32EnumAttrCase<"Normal", 0, "normal">,
    I32EnumAttrCase<"Ones", 1, "ones">,
    I32EnumAttrCase<"Zeros", 2, "zeros">,
    I32EnumAttrCase<"Constant", 3, "constant">]> {
  let cppNamespace = "::mlir::nf";
  let genSpecializedAttr = 0;
}

// The normalization that a fused op applies (see nf.fused_norm_linear).
def NF_NormKind : I32EnumAttr<"NormKind", "normalization", [
    I32EnumAttrCase<"RMSNorm", 0, "rmsnorm">,
    I32EnumAttrCase<"LayerNorm", 1, "layernorm">,
    I32EnumAttrCase<"DyT", 2, "dyt">,
    I32EnumAttrCase<"Derf", 3, "derf">]> {
  let cppNamespace = "::mlir::nf";
  let genSpecializedAttr = 0;
}

class NF_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<NF_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def NF_ParamGroupAttr : EnumAttr<NF_Dialect, NF_ParamGroup, "group"> {
  let assemblyFormat = "`<` $value `>`";
}
def NF_NormRoleAttr : EnumAttr<NF_Dialect, NF_NormRole, "role"> {
  let assemblyFormat = "`<` $value `>`";
}
def NF_OptimizerAttr : EnumAttr<NF_Dialect, NF_OptimizerKind, "optimizer"> {
  let assemblyFormat = "`<` $value `>`";
}

def NF_NormKindAttr : EnumAttr<NF_Dialect, NF_NormKind, "norm_kind"> {
  let assemblyFormat = "`<` $value `>`";
}

// Optimizer settings carried by nf.lr_factor and nf.muon (NFOptimizerOps.td).
def NF_ScheduleKind : I32EnumAttr<"ScheduleKind", "learning-rate schedule", [
    I32EnumAttrCase<"Constant", 0, "constant">,
    I32EnumAttrCase<"WarmupCosine", 1, "warmup_cosine">,
    I32EnumAttrCase<"WSD", 2, "wsd">]> {
  let cppNamespace = "::mlir::nf";
  let genSpecializedAttr = 0;
}
def NF_ScheduleKindAttr : EnumAttr<NF_Dialect, NF_ScheduleKind, "schedule"> {
  let assemblyFormat = "`<` $value `>`";
}

def NF_MuonScale : I32EnumAttr<"MuonScale", "Muon update scale", [
    I32EnumAttrCase<"Keller", 0, "keller">,
    I32EnumAttrCase<"MatchAdamW", 1, "match_adamw">]> {
  let cppNamespace = "::mlir::nf";
  let genSpecializedAttr = 0;
}
def NF_MuonScaleAttr : EnumAttr<NF_Dialect, NF_MuonScale, "muon_scale"> {
  let assemblyFormat = "`<` $value `>`";
}

def NF_InitAttr : NF_Attr<"Init", "init"> {
  let summary = "how a parameter is initialised";
  let description = [{
    `#nf.init<normal(0.02)>` draws from N(0, std^2); `#nf.init<ones>` and
    `#nf.init<zeros>` fill; `#nf.init<constant(0.5)>` fills with a value (DyT
    and Derf alpha, the learnable embedding scale sqrt(d)).
  }];
  let parameters = (ins "InitKind":$kind, APFloatParameter<"value">:$value);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
}

#endif // NF_ATTRS_TD
