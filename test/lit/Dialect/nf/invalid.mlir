// RUN: nf-opt %s -split-input-file -verify-diagnostics

// One case per diagnostic that the nf dialect's C++ can emit (NFAttrs.cpp,
// NFOps.cpp, NFOptimizerOps.cpp), plus a few ODS-generated type-constraint
// errors. Each case says why its IR is invalid. Most nf.fused_norm_linear
// messages are in fused-norm-linear.mlir; the rest are here.

//===----------------------------------------------------------------------===//
// #nf.init (NFAttrs.cpp)
//===----------------------------------------------------------------------===//

// 'uniform' is not an init kind.
// expected-error @+1 {{unknown init kind 'uniform'; expected normal, ones, zeros or constant}}
nf.param @w : tensor<4x4xf32> init <uniform(0.1)> group <matrix>

// -----

// Init kinds are case-sensitive, also when written as a string.
// expected-error @+1 {{unknown init kind 'Normal'; expected normal, ones, zeros or constant}}
nf.param @w : tensor<4x4xf32> init <"Normal"(0.02)> group <matrix>

// -----

// A standard deviation is positive.
// expected-error @+1 {{normal init needs a positive std, got -0.02}}
nf.param @w : tensor<4x4xf32> init <normal(-0.02)> group <matrix>

// -----

// A zero standard deviation is not positive either (use zeros).
// expected-error @+1 {{normal init needs a positive std, got 0}}
nf.param @w : tensor<4x4xf32> init <normal(0.0)> group <matrix>

// -----

// 0x7FF0000000000000 is +inf as an f64 bit pattern: not a usable fill value.
// expected-error @+1 {{init value must be finite, got inf}}
nf.param @a : tensor<f32> init <constant(0x7FF0000000000000)> group <scalar>

// -----

// normal needs its std in parentheses.
// expected-error @+1 {{expected '('}}
nf.param @w : tensor<4x4xf32> init <normal> group <matrix>

// -----

// ones and zeros carry no value.
// expected-error @+1 {{expected '>'}}
nf.param @b : tensor<4xf32> init <zeros(0.0)> group <bias>

// -----

//===----------------------------------------------------------------------===//
// nf.param
//===----------------------------------------------------------------------===//

// Parameters are statically shaped.
// expected-error @+1 {{'nf.param' op parameter @w must have a static shape, but got 'tensor<?x4xf32>'}}
nf.param @w : tensor<?x4xf32> init <normal(0.02)> group <matrix>

// -----

// Parameters are floating point.
// expected-error @+1 {{'nf.param' op parameter @w must have a floating-point element type, but got 'i32'}}
nf.param @w : tensor<4x4xi32> init <zeros> group <matrix>

// -----

// A parameter's type is a ranked tensor (ODS constraint on the type attribute).
// expected-error @+1 {{'nf.param' op attribute 'type' failed to satisfy constraint: type attribute of ranked tensor of any type values}}
nf.param @w : tensor<*xf32> init <zeros> group <matrix>

// -----

// A matrix is 2-D.
// expected-error @+1 {{'nf.param' op a 'matrix' parameter must have rank 2, but @w has shape [4]}}
nf.param @w : tensor<4xf32> init <normal(0.02)> group <matrix>

// -----

// An embedding table is 2-D [vocab, d].
// expected-error @+1 {{'nf.param' op a 'embedding' parameter must have rank 2, but @wte has shape [16]}}
nf.param @wte : tensor<16xf32> init <normal(0.02)> group <embedding>

// -----

// An LM head is 2-D [vocab, d].
// expected-error @+1 {{'nf.param' op a 'head' parameter must have rank 2, but @lm_head has shape [2, 16, 4]}}
nf.param @lm_head : tensor<2x16x4xf32> init <zeros> group <head>

// -----

// A scale vector is 1-D.
// expected-error @+1 {{'nf.param' op a 'scale' parameter must have rank 1, but @g has shape [4, 4]}}
nf.param @g : tensor<4x4xf32> init <ones> group <scale>

// -----

// A bias is 1-D.
// expected-error @+1 {{'nf.param' op a 'bias' parameter must have rank 1, but @b has shape []}}
nf.param @b : tensor<f32> init <zeros> group <bias>

// -----

// The direction of a reparameterized scale vector is 1-D.
// expected-error @+1 {{'nf.param' op a 'direction' parameter must have rank 1, but @v has shape [2, 4]}}
nf.param @v : tensor<2x4xf32> init <ones> group <direction>

// -----

// A scalar is 0-D, not a 1-element vector.
// expected-error @+1 {{'nf.param' op a 'scalar' parameter must have rank 0, but @a has shape [1]}}
nf.param @a : tensor<1xf32> init <constant(0.5)> group <scalar>

// -----

// A magnitude is 0-D (per vector) or 1-D (per channel).
// expected-error @+1 {{'nf.param' op a 'magnitude' parameter must have rank 0 or 1, but @m has shape [2, 2]}}
nf.param @m : tensor<2x2xf32> init <ones> group <magnitude>

// -----

// Only scale vectors have an Input-Norm / Output-Norm role.
// expected-error @+1 {{'nf.param' op a norm role belongs to 'scale' parameters, but @b is in group 'bias'}}
nf.param @b : tensor<4xf32> init <zeros> group <bias> role <input>

// -----

// Weight decay is not negative.
// expected-error @+1 {{'nf.param' op attribute 'weight_decay' must be in [0, inf), but got -0.1}}
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix> weight_decay(-0.1)

// -----

// Weight decay is finite (0x7FF0000000000000 is +inf).
// expected-error @+1 {{'nf.param' op attribute 'weight_decay' must be in [0, inf), but got inf}}
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix> weight_decay(0x7FF0000000000000)

// -----

// A parameter cannot take its own value.
// expected-error @+1 {{'nf.param' op @g cannot be derived from itself or from ''}}
nf.param @g : tensor<4xf32> init <ones> group <scale> derived_from("g")

// -----

// derived_from names a parameter; '' names none.
// expected-error @+1 {{'nf.param' op @g cannot be derived from itself or from ''}}
nf.param @g : tensor<4xf32> init <ones> group <scale> derived_from("")

// -----

// State is not trained, so it has no optimizer.
// expected-error @+1 {{'nf.param' op @r is a 'state' tensor, which is not trained: it takes no optimizer and no weight_decay}}
nf.param @r : tensor<f32> init <constant(1.0)> group <state> optimizer <adamw>

// -----

// State is not trained, so it has no weight decay (not even 0).
// expected-error @+1 {{'nf.param' op @r is a 'state' tensor, which is not trained: it takes no optimizer and no weight_decay}}
nf.param @r : tensor<f32> init <constant(1.0)> group <state> weight_decay(0.0)

// -----

// Muon orthogonalizes matrices; a vector has no orthogonal form.
// expected-error @+1 {{'nf.param' op muon updates 2-D matrices only, but @g has shape [4]}}
nf.param @g : tensor<4xf32> init <ones> group <scale> optimizer <muon>

// -----

// 'foo' is not a parameter group (generated enum parser).
// expected-error @+2 {{failed to parse NF_ParamGroupAttr parameter 'value'}}
// expected-error @+1 {{expected ::mlir::nf::ParamGroup to be one of: matrix, embedding, head, scale, bias, scalar, state, magnitude, direction}}
nf.param @w : tensor<4x4xf32> init <zeros> group <foo>

// -----

// Parameters live at module level (HasParent<ModuleOp>).
func.func @f() {
  // expected-error @+1 {{'nf.param' op expects parent op 'builtin.module'}}
  nf.param @w : tensor<4xf32> init <ones> group <bias>
  return
}

// -----

// Two parameters cannot share a name.
// expected-note @+1 {{see existing symbol definition here}}
nf.param @w : tensor<4xf32> init <ones> group <bias>
// expected-error @+1 {{redefinition of symbol named 'w'}}
nf.param @w : tensor<4xf32> init <zeros> group <bias>

// -----

//===----------------------------------------------------------------------===//
// nf.get_param, nf.assign_state (symbol uses)
//===----------------------------------------------------------------------===//

// Reading a parameter that does not exist.
func.func @f() -> tensor<4xf32> {
  // expected-error @+1 {{'nf.get_param' op '@nope' does not name an nf.param in this module}}
  %0 = nf.get_param @nope : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// @g is a symbol, but a function, not an nf.param.
func.func @g() {
  return
}
func.func @f() -> tensor<4xf32> {
  // expected-error @+1 {{'nf.get_param' op '@g' does not name an nf.param in this module}}
  %0 = nf.get_param @g : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Reading a parameter at the wrong shape.
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @f() -> tensor<8xf32> {
  // expected-error @+1 {{'nf.get_param' op result type 'tensor<8xf32>' does not match parameter @g of type 'tensor<4xf32>'}}
  %0 = nf.get_param @g : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Reading a parameter at the wrong element type.
nf.param @w : tensor<8x4xbf16> init <normal(0.02)> group <matrix>
func.func @f() -> tensor<8x4xf32> {
  // expected-error @+1 {{'nf.get_param' op result type 'tensor<8x4xf32>' does not match parameter @w of type 'tensor<8x4xbf16>'}}
  %0 = nf.get_param @w : tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// get_param gives a statically shaped tensor (ODS constraint).
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @f() -> tensor<?xf32> {
  // expected-error @+1 {{'nf.get_param' op result #0 must be statically shaped tensor of any type values, but got 'tensor<?xf32>'}}
  %0 = nf.get_param @g : tensor<?xf32>
  return %0 : tensor<?xf32>
}

// -----

// Only state can be assigned; trained parameters go through nf.update_param.
nf.param @m : tensor<2x2xf32> init <zeros> group <matrix>
func.func @f(%v: tensor<2x2xf32>) {
  // expected-error @+1 {{'nf.assign_state' op only 'state' parameters can be assigned, but @m is in group 'matrix'}}
  nf.assign_state @m, %v : tensor<2x2xf32>
  return
}

// -----

// Assigning state at the wrong type.
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
func.func @f(%v: tensor<2xf32>) {
  // expected-error @+1 {{'nf.assign_state' op value type 'tensor<2xf32>' does not match state @r of type 'tensor<f32>'}}
  nf.assign_state @r, %v : tensor<2xf32>
  return
}

// -----

// Assigning state that does not exist.
func.func @f(%v: tensor<f32>) {
  // expected-error @+1 {{'nf.assign_state' op '@r' does not name an nf.param in this module}}
  nf.assign_state @r, %v : tensor<f32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

// A row normalization reduces over a last dimension, which 0-D lacks.
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.rmsnorm' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Same for the fused residual add + RMSNorm.
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.add_rmsnorm' op operand #0 (lhs) must have rank >= 1, but got []}}
  %0, %1 = nf.add_rmsnorm %x, %x eps(1.0e-6) : tensor<f32>
  return %1 : tensor<f32>
}

// -----

// The sum and the normalized rows have the operands' type.
func.func @f(%x: tensor<2x4xf32>, %y: tensor<2x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add_rmsnorm' op failed to verify that all of {lhs, rhs, sum, result} have same type}}
  %0:2 = "nf.add_rmsnorm"(%x, %y) <{eps = 1.0e-6 : f64}> : (tensor<2x4xf32>, tensor<2x8xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>)
  return %0#1 : tensor<2x4xf32>
}

// -----

// A linear_grad's addend has the input's type (it is added to dx).
func.func @f(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %dy: tensor<2x3xf32>, %acc: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #3 (addend) must have the input's type 'tensor<2x4xf32>', but got 'tensor<2x3xf32>'}}
  %0:2 = nf.linear_grad %x, %w, %dy plus %acc : tensor<2x3xf32> : tensor<2x4xf32>, tensor<3x4xf32>, tensor<2x3xf32>
  return %0#0 : tensor<2x4xf32>
}

// -----

// eps is not negative in the fused backward either.
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add_rmsnorm_grad' op attribute 'eps' must be in [0, inf), but got -1e-06}}
  %0 = nf.add_rmsnorm_grad %x, %x plus %x eps(-1.0e-6) : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Same for layernorm.
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.layernorm' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.layernorm %x eps(1.0e-5) : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// eps is not negative.
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.layernorm' op attribute 'eps' must be in [0, inf), but got -1e-05}}
  %0 = nf.layernorm %x eps(-1.0e-5) : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// eps is finite (0x7FF0000000000000 is +inf).
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm' op attribute 'eps' must be in [0, inf), but got inf}}
  %0 = nf.rmsnorm %x eps(0x7FF0000000000000) : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Normalizations take floating-point tensors (ODS constraint).
func.func @f(%x: tensor<2x4xi32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'nf.rmsnorm' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<2x4xi32>'}}
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xi32>
  return %0 : tensor<2x4xi32>
}

// -----

// Shapes are static (ODS constraint).
func.func @f(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<?x4xf32>'}}
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// The result has the input's type (SameOperandsAndResultType).
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf16> {
  // expected-error @+1 {{'nf.rmsnorm' op requires the same type for all operands and results}}
  %0 = "nf.rmsnorm"(%x) <{eps = 1.0e-6 : f64}> : (tensor<2x4xf32>) -> tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

// -----

// eps is an f64 attribute (ODS constraint).
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm' op attribute 'eps' failed to satisfy constraint: 64-bit float attribute}}
  %0 = "nf.rmsnorm"(%x) <{eps = 1.0e-6 : f32}> : (tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// DyT's alpha is a 0-D tensor (ODS constraint).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<1xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.dyt' op operand #1 must be 0D tensor of floating-point values, but got 'tensor<1xf32>'}}
  %0 = nf.dyt %x, %a : tensor<2x4xf32>, tensor<1xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// DyT's alpha has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.dyt' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.dyt %x, %a : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

// -----

// DyT is pointwise: the result has the input's type (AllTypesMatch).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nf.dyt' op failed to verify that all of {input, result} have same type}}
  %0 = "nf.dyt"(%x, %a) : (tensor<2x4xf32>, tensor<f32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Derf's alpha has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.derf %x, %a, %a : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

// -----

// Derf's alpha and shift have one type (AllTypesMatch).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>, %s: tensor<f16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf' op failed to verify that all of {alpha, shift} have same type}}
  %0 = "nf.derf"(%x, %a, %s) : (tensor<2x4xf32>, tensor<f32>, tensor<f16>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// The running RMS is a mean over rows, so derf_ema needs a row dimension.
func.func @f(%x: tensor<f32>, %a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.derf_ema' op operand #0 (input) must have rank >= 1, but got []}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.99) blend(1.0) : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

// -----

// derf_ema's alpha has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.9) blend(0.5) : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

// -----

// With momentum 1 the running RMS never moves: momentum is in [0, 1).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op attribute 'momentum' must be in [0, 1), but got 1}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(1.0) blend(1.0) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

// -----

// A negative momentum is not an average.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op attribute 'momentum' must be in [0, 1), but got -0.5}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(-0.5) blend(1.0) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

// -----

// The blend weight is in [0, 1].
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op attribute 'blend' must be in [0, 1], but got 1.5}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.99) blend(1.5) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nf.scale, nf.bias_add
//===----------------------------------------------------------------------===//

// gamma runs over the last dimension.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.scale' op operand #1 (gamma) must have shape [4] (the input's last dimension), but got [3]}}
  %0 = nf.scale %x, %g : tensor<2x4xf32>, tensor<3xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// gamma has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.scale' op operand #1 (gamma) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.scale %x, %g : tensor<2x4xf32>, tensor<4xf64>
  return %0 : tensor<2x4xf32>
}

// -----

// A 0-D input has no last dimension to scale.
func.func @f(%x: tensor<f32>, %g: tensor<1xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.scale' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.scale %x, %g : tensor<f32>, tensor<1xf32>
  return %0 : tensor<f32>
}

// -----

// beta is a vector over the last dimension, not a full tensor.
func.func @f(%x: tensor<2x4xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.bias_add' op operand #1 (bias) must have shape [4] (the input's last dimension), but got [2, 4]}}
  %0 = nf.bias_add %x, %b : tensor<2x4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// beta has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %b: tensor<4xbf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.bias_add' op operand #1 (bias) must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.bias_add %x, %b : tensor<2x4xf32>, tensor<4xbf16>
  return %0 : tensor<2x4xf32>
}

// -----

// A 0-D input has no last dimension to add beta to.
func.func @f(%x: tensor<f32>, %b: tensor<1xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.bias_add' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.bias_add %x, %b : tensor<f32>, tensor<1xf32>
  return %0 : tensor<f32>
}

// -----

//===----------------------------------------------------------------------===//
// nf.linear, nf.embedding
//===----------------------------------------------------------------------===//

// x W^T contracts the input's last dimension, which 0-D lacks.
func.func @f(%x: tensor<f32>, %w: tensor<4x1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.linear' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.linear %x, %w : tensor<f32>, tensor<4x1xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// W is [out, in].
func.func @f(%x: tensor<2x4xf32>, %w: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear' op operand #1 (weight) must be 2-D [out, in], but got [4]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// W's in-dimension is the input's last dimension ([in, out] is the wrong layout).
func.func @f(%x: tensor<2x4xf32>, %w: tensor<4x8xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nf.linear' op operand #1 (weight) must have shape [4, 4] ([out, in], in = the input's last dimension), but got [4, 8]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<4x8xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// W has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xbf16>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nf.linear' op operand #1 (weight) must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x4xbf16> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// The result has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>) -> tensor<2x8xf16> {
  // expected-error @+1 {{'nf.linear' op result must have element type 'f32' like the input, but got 'f16'}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x8xf16>
  return %0 : tensor<2x8xf16>
}

// -----

// The result is the input with its last dimension replaced by out.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear' op result must have shape [2, 8], but got [2, 4]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// The table is [vocab, d].
func.func @f(%t: tensor<2x3xi32>, %e: tensor<16xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.embedding' op operand #1 (table) must be 2-D [vocab, d], but got [16]}}
  %0 = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// The rows looked up have the table's element type.
func.func @f(%t: tensor<2xi32>, %e: tensor<16x4xf32>) -> tensor<2x4xf16> {
  // expected-error @+1 {{'nf.embedding' op result must have element type 'f32' like the table, but got 'f16'}}
  %0 = nf.embedding %t, %e : tensor<2xi32>, tensor<16x4xf32> -> tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

// -----

// The result is the token shape plus d.
func.func @f(%t: tensor<2x3xi32>, %e: tensor<16x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.embedding' op result must have shape [2, 3, 4], but got [2, 4]}}
  %0 = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Token ids are i32 (ODS constraint).
func.func @f(%t: tensor<2x3xi64>, %e: tensor<16x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.embedding' op operand #0 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<2x3xi64>'}}
  %0 = nf.embedding %t, %e : tensor<2x3xi64>, tensor<16x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nf.split_heads, nf.merge_heads, nf.attention
//===----------------------------------------------------------------------===//

// split_heads takes [B, T, D].
func.func @f(%x: tensor<2x8xf32>) -> tensor<2x1x2x4xf32> {
  // expected-error @+1 {{'nf.split_heads' op operand #0 (input) must be [B, T, D], but got [2, 8]}}
  %0 = nf.split_heads %x : tensor<2x8xf32> -> tensor<2x1x2x4xf32>
  return %0 : tensor<2x1x2x4xf32>
}

// -----

// split_heads keeps H * hd = D (3 * 4 != 8).
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x3x4xf32> {
  // expected-error @+1 {{'nf.split_heads' op result must be [2, 3, H, hd] with H * hd = 8, but got [2, 3, 3, 4]}}
  %0 = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x3x4xf32>
  return %0 : tensor<2x3x3x4xf32>
}

// -----

// split_heads gives a 4-D result.
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.split_heads' op result must be [2, 3, H, hd] with H * hd = 8, but got [2, 3, 8]}}
  %0 = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// split_heads only reshapes: the element type stays.
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x2x4xf16> {
  // expected-error @+1 {{'nf.split_heads' op result must have element type 'f32' like the input, but got 'f16'}}
  %0 = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x2x4xf16>
  return %0 : tensor<2x3x2x4xf16>
}

// -----

// merge_heads takes [B, T, H, hd].
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.merge_heads' op operand #0 (input) must be [B, T, H, hd], but got [2, 3, 8]}}
  %0 = nf.merge_heads %x : tensor<2x3x8xf32> -> tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// merge_heads gives [B, T, H * hd].
func.func @f(%x: tensor<2x3x2x4xf32>) -> tensor<2x3x6xf32> {
  // expected-error @+1 {{'nf.merge_heads' op result must have shape [2, 3, 8], but got [2, 3, 6]}}
  %0 = nf.merge_heads %x : tensor<2x3x2x4xf32> -> tensor<2x3x6xf32>
  return %0 : tensor<2x3x6xf32>
}

// -----

// merge_heads only reshapes: the element type stays.
func.func @f(%x: tensor<2x3x2x4xf32>) -> tensor<2x3x8xbf16> {
  // expected-error @+1 {{'nf.merge_heads' op result must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.merge_heads %x : tensor<2x3x2x4xf32> -> tensor<2x3x8xbf16>
  return %0 : tensor<2x3x8xbf16>
}

// -----

// Attention works on [B, T, H, hd], i.e. after split_heads.
func.func @f(%q: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.attention' op operands must be [B, T, H, hd], but query is [2, 3, 8]}}
  %0 = nf.attention %q, %q, %q : tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// RoPE's theta is positive.
func.func @f(%q: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'nf.attention' op attribute 'rope_theta' must be in (0, inf), but got 0}}
  %0 = nf.attention %q, %q, %q rope(0.0) : tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

// -----

// RoPE rotates pairs of channels, so the head dimension is even.
func.func @f(%q: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  // expected-error @+1 {{'nf.attention' op rope rotates pairs of channels: the head dimension must be even, but got 3}}
  %0 = nf.attention %q, %q, %q rope(1.0e4) : tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

// -----

// q, k and v have one type (AllTypesMatch).
func.func @f(%q: tensor<1x2x2x4xf32>, %k: tensor<1x3x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'nf.attention' op failed to verify that all of {query, key, value, result} have same type}}
  %0 = "nf.attention"(%q, %k, %q) : (tensor<1x2x2x4xf32>, tensor<1x3x2x4xf32>, tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nf.add, nf.mul, nf.gelu
//===----------------------------------------------------------------------===//

// rhs broadcasts over leading dimensions only: [2] is a prefix of [2, 4].
func.func @f(%x: tensor<2x4xf32>, %y: tensor<2xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add' op operand #1 (rhs) must have lhs's shape [2, 4] or a suffix of it (broadcast over leading dimensions), but got [2]}}
  %0 = nf.add %x, %y : tensor<2x4xf32>, tensor<2xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Only rhs broadcasts: it cannot have more dimensions than lhs.
func.func @f(%x: tensor<4xf32>, %y: tensor<2x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.add' op operand #1 (rhs) must have lhs's shape [4] or a suffix of it (broadcast over leading dimensions), but got [2, 4]}}
  %0 = nf.add %x, %y : tensor<4xf32>, tensor<2x4xf32>
  return %0 : tensor<4xf32>
}

// -----

// No size-1 broadcasting: [1, 4] is not a suffix of [2, 3, 4].
func.func @f(%x: tensor<2x3x4xf32>, %y: tensor<1x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.mul' op operand #1 (rhs) must have lhs's shape [2, 3, 4] or a suffix of it (broadcast over leading dimensions), but got [1, 4]}}
  %0 = nf.mul %x, %y : tensor<2x3x4xf32>, tensor<1x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// rhs has lhs's element type.
func.func @f(%x: tensor<2x4xf32>, %y: tensor<2x4xbf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add' op operand #1 (rhs) must have element type 'f32' like the input, but got 'bf16'}}
  %0 = nf.add %x, %y : tensor<2x4xf32>, tensor<2x4xbf16>
  return %0 : tensor<2x4xf32>
}

// -----

// Also for a broadcast 0-D rhs.
func.func @f(%x: tensor<2x4xf32>, %y: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.mul' op operand #1 (rhs) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.mul %x, %y : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

// -----

// The result has lhs's type (AllTypesMatch).
func.func @f(%x: tensor<2x4xf32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.add' op failed to verify that all of {lhs, result} have same type}}
  %0 = "nf.add"(%x, %y) : (tensor<2x4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Activations take floating-point tensors (ODS constraint).
func.func @f(%x: tensor<4xi32>) -> tensor<4xi32> {
  // expected-error @+1 {{'nf.gelu' op operand #0 must be statically shaped tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = nf.gelu %x : tensor<4xi32>
  return %0 : tensor<4xi32>
}

// -----

//===----------------------------------------------------------------------===//
// nf.cross_entropy
//===----------------------------------------------------------------------===//

// Targets are the logits without the vocabulary dimension.
func.func @f(%l: tensor<2x3x5xf32>, %t: tensor<2x5xi32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.cross_entropy' op operand #1 (targets) must have shape [2, 3] (the logits without the vocabulary dimension), but got [2, 5]}}
  %0 = nf.cross_entropy %l, %t : tensor<2x3x5xf32>, tensor<2x5xi32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// The loss has the logits' element type.
func.func @f(%l: tensor<2x5xf32>, %t: tensor<2xi32>) -> tensor<f64> {
  // expected-error @+1 {{'nf.cross_entropy' op result must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.cross_entropy %l, %t : tensor<2x5xf32>, tensor<2xi32> -> tensor<f64>
  return %0 : tensor<f64>
}

// -----

// Logits need a vocabulary dimension.
func.func @f(%l: tensor<f32>, %t: tensor<i32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.cross_entropy' op operand #0 (logits) must have rank >= 1, but got []}}
  %0 = nf.cross_entropy %l, %t : tensor<f32>, tensor<i32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// Targets are i32 token ids (ODS constraint).
func.func @f(%l: tensor<2x5xf32>, %t: tensor<2xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.cross_entropy' op operand #1 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = nf.cross_entropy %l, %t : tensor<2x5xf32>, tensor<2xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// The loss is a mean: a 0-D tensor (ODS constraint).
func.func @f(%l: tensor<2x5xf32>, %t: tensor<2xi32>) -> tensor<2xf32> {
  // expected-error @+1 {{'nf.cross_entropy' op result #0 must be 0D tensor of floating-point values, but got 'tensor<2xf32>'}}
  %0 = nf.cross_entropy %l, %t : tensor<2x5xf32>, tensor<2xi32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

//===----------------------------------------------------------------------===//
// nf.fused_norm_linear (the messages fused-norm-linear.mlir does not cover)
//===----------------------------------------------------------------------===//

// The fused normalization reduces over a last dimension, which 0-D lacks.
func.func @f(%x: tensor<f32>, %w: tensor<4x1xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #0 (input) must have rank >= 1, but got []}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<f32>, tensor<4x1xf32>) -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// A scale vector runs over the input's last dimension.
func.func @f(%x: tensor<2x8xf32>, %g: tensor<4xf32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op gammas must have shape [8] (the input's last dimension), but got [4]}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) scale(%g) weights(%w) : (tensor<2x8xf32>, tensor<4xf32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

// Every weight has the input's element type. (The operand index in this
// message is the weight's position in the weight list's segment, #0.)
func.func @f(%x: tensor<2x8xf32>, %w: tensor<4x8xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #1 (weight) must have element type 'f32' like the input, but got 'f16'}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<4x8xf16>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

// -----

//===----------------------------------------------------------------------===//
// Gradient ops
//===----------------------------------------------------------------------===//

// reduce_to sums leading dimensions away: [2] is not a suffix of [2, 4].
func.func @f(%x: tensor<2x4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'nf.reduce_to' op result shape [2] must be a suffix of the input shape [2, 4]}}
  %0 = nf.reduce_to %x : tensor<2x4xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// reduce_to cannot add dimensions.
func.func @f(%x: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.reduce_to' op result shape [2, 4] must be a suffix of the input shape [4]}}
  %0 = nf.reduce_to %x : tensor<4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// reduce_to keeps the element type.
func.func @f(%x: tensor<2x4xf32>) -> tensor<4xf16> {
  // expected-error @+1 {{'nf.reduce_to' op result must have element type 'f32' like the input, but got 'f16'}}
  %0 = nf.reduce_to %x : tensor<2x4xf32> -> tensor<4xf16>
  return %0 : tensor<4xf16>
}

// -----

// linear_grad: W's in-dimension is the input's last dimension.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x3xf32>, %g: tensor<2x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #1 (weight) must have shape [out, 4], but got [8, 3]}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x3xf32>, tensor<2x8xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// linear_grad: W is 2-D.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<4xf32>, %g: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #1 (weight) must have shape [out, 4], but got [4]}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// linear_grad: a 0-D input has no in-dimension. (The message blames the
// weight and reports in = 0.)
func.func @f(%x: tensor<f32>, %w: tensor<4x4xf32>, %g: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #0 (input) must have rank >= 1, but got []}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<f32>, tensor<4x4xf32>, tensor<4xf32>
  return %0 : tensor<f32>
}

// -----

// linear_grad: the cotangent has the forward result's shape.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>, %g: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #2 (grad) must have the forward result's shape [2, 8], but got [2, 4]}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// embedding_grad gives a [vocab, d] table.
func.func @f(%t: tensor<2xi32>, %g: tensor<2x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.embedding_grad' op result must be 2-D [vocab, d], but got [4]}}
  %0 = nf.embedding_grad %t, %g : tensor<2xi32>, tensor<2x4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// embedding_grad: the cotangent is the token shape plus d.
func.func @f(%t: tensor<2xi32>, %g: tensor<3x4xf32>) -> tensor<16x4xf32> {
  // expected-error @+1 {{'nf.embedding_grad' op operand #1 (grad) must have shape [2, 4], but got [3, 4]}}
  %0 = nf.embedding_grad %t, %g : tensor<2xi32>, tensor<3x4xf32> -> tensor<16x4xf32>
  return %0 : tensor<16x4xf32>
}

// -----

// embedding_grad: the table gradient has the cotangent's element type.
func.func @f(%t: tensor<2xi32>, %g: tensor<2x4xf32>) -> tensor<16x4xf16> {
  // expected-error @+1 {{'nf.embedding_grad' op result must have element type 'f32' like the grad, but got 'f16'}}
  %0 = nf.embedding_grad %t, %g : tensor<2xi32>, tensor<2x4xf32> -> tensor<16x4xf16>
  return %0 : tensor<16x4xf16>
}

// -----

//===----------------------------------------------------------------------===//
// Optimizer ops (NFOptimizerOps.cpp)
//===----------------------------------------------------------------------===//

// Trained parameters are written with update_param, state with assign_state.
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
func.func @f(%v: tensor<f32>) {
  // expected-error @+1 {{'nf.update_param' op @r is a 'state' tensor: use nf.assign_state}}
  nf.update_param @r, %v : tensor<f32>
  return
}

// -----

// update_param at the wrong type.
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @f(%v: tensor<2xf32>) {
  // expected-error @+1 {{'nf.update_param' op value type 'tensor<2xf32>' does not match parameter @g of type 'tensor<4xf32>'}}
  nf.update_param @g, %v : tensor<2xf32>
  return
}

// -----

// update_param of a parameter that does not exist.
func.func @f(%v: tensor<2xf32>) {
  // expected-error @+1 {{'nf.update_param' op '@g' does not name an nf.param in this module}}
  nf.update_param @g, %v : tensor<2xf32>
  return
}

// -----

// A schedule has steps.
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op total must be > 0, but got 0}}
  %0 = nf.lr_factor %t <constant> warmup(0) total(0) decay(0) min(0.1)
  return %0 : tensor<f32>
}

// -----

// Warmup and decay fit in the run.
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op warmup (80) and decay (40) must be >= 0 and fit in total (100)}}
  %0 = nf.lr_factor %t <wsd> warmup(80) total(100) decay(40) min(0.1)
  return %0 : tensor<f32>
}

// -----

// Warmup is not negative.
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op warmup (-1) and decay (0) must be >= 0 and fit in total (100)}}
  %0 = nf.lr_factor %t <warmup_cosine> warmup(-1) total(100) decay(0) min(0.1)
  return %0 : tensor<f32>
}

// -----

// The final lr ratio is in [0, 1].
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op attribute 'min_ratio' must be in [0, 1], but got 2}}
  %0 = nf.lr_factor %t <warmup_cosine> warmup(10) total(100) decay(0) min(2.0)
  return %0 : tensor<f32>
}

// -----

// The step count is a 0-D f32 tensor (ODS constraint).
func.func @f(%t: tensor<i32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op operand #0 must be 0D tensor of 32-bit float values, but got 'tensor<i32>'}}
  %0 = "nf.lr_factor"(%t) <{kind = #nf.schedule<constant>, warmup = 0 : i64, total = 1 : i64, decay = 0 : i64, min_ratio = 0.0 : f64}> : (tensor<i32>) -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// grad_scale (the clip coefficient) is one f32 number: a 0-D f32 tensor.
func.func @f(%p: tensor<4xf32>, %lr: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.adamw' op operand #6 must be 0D tensor of 32-bit float values, but got 'tensor<4xf32>'}}
  %0:3 = "nf.adamw"(%p, %p, %p, %p, %lr, %lr, %p) <{beta1 = 0.9 : f64, beta2 = 0.95 : f64, eps = 1.0e-8 : f64, weight_decay = 0.0 : f64}> : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<f32>, tensor<f32>, tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>)
  return %0#0 : tensor<4xf32>
}

// -----

func.func @f(%g: tensor<4x4xf32>, %s: tensor<f64>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.momentum' op operand #2 must be 0D tensor of 32-bit float values, but got 'tensor<f64>'}}
  %0:2 = "nf.momentum"(%g, %g, %s) <{beta = 0.9 : f64, nesterov = true}> : (tensor<4x4xf32>, tensor<4x4xf32>, tensor<f64>) -> (tensor<4x4xf32>, tensor<4x4xf32>)
  return %0#1 : tensor<4x4xf32>
}

// -----

func.func @f(%p: tensor<4x4xf32>, %lr: tensor<f32>, %s: tensor<1xf32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.muon' op operand #4 must be 0D tensor of 32-bit float values, but got 'tensor<1xf32>'}}
  %0:2 = "nf.muon"(%p, %p, %p, %lr, %s) <{momentum = 0.9 : f64, nesterov = true, ns_steps = 5 : i64, scale = #nf.muon_scale<keller>, weight_decay = 0.0 : f64}> : (tensor<4x4xf32>, tensor<4x4xf32>, tensor<4x4xf32>, tensor<f32>, tensor<1xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>)
  return %0#0 : tensor<4x4xf32>
}

// -----

// Muon updates matrices.
func.func @f(%p: tensor<4xf32>, %lr: tensor<f32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.muon' op muon works on 2-D matrices, but got 'tensor<4xf32>'}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(0.95) nesterov(true) ns_steps(5) scale <keller> wd(0.0) : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Muon's momentum is in [0, 1).
func.func @f(%p: tensor<4x4xf32>, %lr: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.muon' op attribute 'momentum' must be in [0, 1), but got 1}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(1.0) nesterov(true) ns_steps(5) scale <keller> wd(0.0) : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Muon's weight decay is not negative.
func.func @f(%p: tensor<4x4xf32>, %lr: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.muon' op attribute 'weight_decay' must be in [0, inf), but got -1}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(0.9) nesterov(true) ns_steps(5) scale <keller> wd(-1.0) : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Muon runs at least one Newton-Schulz step.
func.func @f(%p: tensor<4x4xf32>, %lr: tensor<f32>) -> tensor<4x4xf32> {
  // expected-error @+1 {{'nf.muon' op ns_steps must be >= 1, but got 0}}
  %0, %1 = nf.muon %p, %p, %p lr(%lr) momentum(0.9) nesterov(true) ns_steps(0) scale <keller> wd(0.0) : tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}

// -----

// Newton-Schulz orthogonalizes matrices.
func.func @f(%g: tensor<2x2x2xf32>) -> tensor<2x2x2xf32> {
  // expected-error @+1 {{'nf.newton_schulz' op newton_schulz works on 2-D matrices, but got 'tensor<2x2x2xf32>'}}
  %0 = nf.newton_schulz %g steps(5) coeffs(3.4445, -4.775, 2.0315) : tensor<2x2x2xf32>
  return %0 : tensor<2x2x2xf32>
}

// -----

// Newton-Schulz runs at least one step.
func.func @f(%g: tensor<2x2xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'nf.newton_schulz' op steps must be >= 1, but got 0}}
  %0 = nf.newton_schulz %g steps(0) coeffs(3.4445, -4.775, 2.0315) : tensor<2x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// A fused op's shift has the input's element type (named as the shift, operand #2).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>, %s: tensor<f64>, %w: tensor<3x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #2 (shift) must have element type 'f32' like the input, but got 'f64'}}
  %y = nf.fused_norm_linear <derf> %x[%a, %s] weights(%w) : (tensor<2x4xf32>, tensor<f32>, tensor<f64>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A fused op's scale vectors have the input's element type.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf64>, %w: tensor<3x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op gammas must have element type 'f32' like the input, but got 'f64'}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) scale(%g) weights(%w) : (tensor<2x4xf32>, tensor<4xf64>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// -----

// A fused op's results have the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{'nf.fused_norm_linear' op result must have element type 'f32' like the input, but got 'f16'}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf16>
  return %y : tensor<2x3xf16>
}

// -----

// linear_grad: W has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xbf16>, %g: tensor<2x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #1 (weight) must have element type 'f32' like the input, but got 'bf16'}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x4xbf16>, tensor<2x8xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// linear_grad: the cotangent has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>, %g: tensor<2x8xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #2 (grad) must have element type 'f32' like the input, but got 'f16'}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x4xf32>, tensor<2x8xf16>
  return %0 : tensor<2x4xf32>
}

// -----

// attention_grad works on [B, T, H, hd].
func.func @f(%q: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  // expected-error @+1 {{'nf.attention_grad' op operands must be [B, T, H, hd], but query is [2, 3, 8]}}
  %0, %1, %2 = nf.attention_grad %q, %q, %q, %q : tensor<2x3x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// attention_grad: the forward's output has the query's type.
func.func @f(%q: tensor<1x2x2x4xf32>, %o: tensor<1x2x2x2xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'nf.attention_grad' op failed to verify that the forward's output is [B, T, H, hd] as the query}}
  %0, %1, %2 = "nf.attention_grad"(%q, %q, %q, %q, %o) : (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x2xf32>) -> (tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>)
  return %0 : tensor<1x2x2x4xf32>
}

// -----

// attention_grad: RoPE's theta is positive.
func.func @f(%q: tensor<1x2x2x4xf32>) -> tensor<1x2x2x4xf32> {
  // expected-error @+1 {{'nf.attention_grad' op attribute 'rope_theta' must be in (0, inf), but got -1}}
  %0, %1, %2 = nf.attention_grad %q, %q, %q, %q rope(-1.0) : tensor<1x2x2x4xf32>
  return %0 : tensor<1x2x2x4xf32>
}

// -----

// attention_grad: RoPE needs an even head dimension.
func.func @f(%q: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  // expected-error @+1 {{'nf.attention_grad' op rope rotates pairs of channels: the head dimension must be even, but got 3}}
  %0, %1, %2 = nf.attention_grad %q, %q, %q, %q rope(1.0e4) : tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

// -----

// rmsnorm_grad: eps is not negative.
func.func @f(%x: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.rmsnorm_grad' op attribute 'eps' must be in [0, inf), but got -1}}
  %0 = nf.rmsnorm_grad %x, %x eps(-1.0) : tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// layernorm_grad needs a last dimension.
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.layernorm_grad' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.layernorm_grad %x, %x eps(1.0e-5) : tensor<f32>
  return %0 : tensor<f32>
}

// -----

// derf_ema_grad: blend is in [0, 1].
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema_grad' op attribute 'blend' must be in [0, 1], but got 7}}
  %0, %1, %2 = nf.derf_ema_grad %x, %a, %a, %a, %x blend(7.0) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

// -----

// derf_ema_grad needs a last dimension.
func.func @f(%x: tensor<f32>, %a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.derf_ema_grad' op operand #0 (input) must have rank >= 1, but got []}}
  %0, %1, %2 = nf.derf_ema_grad %x, %a, %a, %a, %x blend(1.0) : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

// -----

// scale_grad: gamma runs over the last dimension.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<3x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.scale_grad' op operand #1 (gamma) must have shape [4] (the input's last dimension), but got [3, 3]}}
  %0, %1 = nf.scale_grad %x, %g, %x : tensor<2x4xf32>, tensor<3x3xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// cross_entropy_grad: targets are the logits without the vocabulary.
func.func @f(%l: tensor<2x5xf32>, %t: tensor<7xi32>, %g: tensor<f32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nf.cross_entropy_grad' op operand #1 (targets) must have shape [2] (the logits without the vocabulary dimension), but got [7]}}
  %0 = nf.cross_entropy_grad %l, %t, %g : tensor<2x5xf32>, tensor<7xi32>, tensor<f32>
  return %0 : tensor<2x5xf32>
}

// -----

// dyt_grad: alpha has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.dyt_grad' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %0, %1 = nf.dyt_grad %x, %a, %x : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

// -----

// derf_grad: alpha has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_grad' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %0, %1, %2 = nf.derf_grad %x, %a, %a, %x : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

// -----

// norm_scale: only the norms with row statistics fuse with a scale.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.norm_scale' op kind must be rmsnorm or layernorm, but got dyt}}
  %0 = nf.norm_scale <dyt> %x, %g eps(1.0e-6) : tensor<2x4xf32>, tensor<4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// norm_scale: gamma runs over the last dimension.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<2xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.norm_scale' op operand #1 (gamma) must have shape [4] (the input's last dimension), but got [2]}}
  %0 = nf.norm_scale <rmsnorm> %x, %g eps(1.0e-6) : tensor<2x4xf32>, tensor<2xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// norm_scale: eps as for the unfused norms.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.norm_scale' op attribute 'eps' must be in [0, inf), but got -1e-06}}
  %0 = nf.norm_scale <layernorm> %x, %g eps(-1.0e-6) : tensor<2x4xf32>, tensor<4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// add_rmsnorm: a scale vector runs over the last dimension.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add_rmsnorm' op operand #2 (gamma) must have shape [4] (the input's last dimension), but got [3]}}
  %0, %1 = nf.add_rmsnorm %x, %x scale(%g : tensor<3xf32>) eps(1.0e-6) : tensor<2x4xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// norm_scale_grad: the addend is a gradient of the input.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf32>, %r: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.norm_scale_grad' op operand #3 (addend) must have the input's type 'tensor<2x4xf32>', but got 'tensor<2x3xf32>'}}
  %0, %1 = nf.norm_scale_grad <rmsnorm> %x, %g, %x plus %r : tensor<2x3xf32> eps(1.0e-6) : tensor<2x4xf32>, tensor<4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// norm_scale_grad: the kinds of nf.norm_scale.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.norm_scale_grad' op kind must be rmsnorm or layernorm, but got derf}}
  %0, %1 = nf.norm_scale_grad <derf> %x, %g, %x eps(1.0e-6) : tensor<2x4xf32>, tensor<4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// fused_cross_entropy: targets are the logits without the vocabulary.
func.func @f(%l: tensor<2x5xf32>, %t: tensor<3xi32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.fused_cross_entropy' op operand #1 (targets) must have shape [2] (the logits without the vocabulary dimension), but got [3]}}
  %0, %1 = nf.fused_cross_entropy %l, %t seed(1.0) : tensor<2x5xf32>, tensor<3xi32>, tensor<f32>
  return %0 : tensor<f32>
}

// -----

// fused_cross_entropy: the loss has the logits' element type.
func.func @f(%l: tensor<2x5xf32>, %t: tensor<2xi32>) -> tensor<f64> {
  // expected-error @+1 {{'nf.fused_cross_entropy' op result #0 must have element type 'f32' like the logits, but got 'f64'}}
  %0, %1 = nf.fused_cross_entropy %l, %t seed(1.0) : tensor<2x5xf32>, tensor<2xi32>, tensor<f64>
  return %0 : tensor<f64>
}

// -----

// nf.adamw_multi: one symbol of each kind and one weight decay per
// gradient.
nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.m : tensor<2xf32> init <zeros> group <state>
nf.param @w.v : tensor<2xf32> init <zeros> group <state>
func.func @f(%g: tensor<2xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op has 1 gradients but 2 entries in 'wd'}}
  nf.adamw_multi [@w] grads(%g) m [@w.m] v [@w.v] lr(%lr) step(%lr) betas(0.9, 0.95) eps(1.0e-8) wd [0.0, 0.1] : tensor<2xf32>
  return
}

// -----

func.func @f(%lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op updates no tensor}}
  "nf.adamw_multi"(%lr, %lr) <{params = [], m = [], v = [], beta1 = 0.9 : f64, beta2 = 0.95 : f64, eps = 1.0e-8 : f64, weight_decays = array<f64>, operandSegmentSizes = array<i32: 0, 1, 1, 0>}> : (tensor<f32>, tensor<f32>) -> ()
  return
}

// -----

nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.m : tensor<2xf32> init <zeros> group <state>
nf.param @w.v : tensor<2xf32> init <zeros> group <state>
func.func @f(%g: tensor<2xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op attribute 'beta2' must be in [0, 1), but got 1}}
  nf.adamw_multi [@w] grads(%g) m [@w.m] v [@w.v] lr(%lr) step(%lr) betas(0.9, 1.0) eps(1.0e-8) wd [0.0] : tensor<2xf32>
  return
}

// -----

nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.m : tensor<2xf32> init <zeros> group <state>
nf.param @w.v : tensor<2xf32> init <zeros> group <state>
func.func @f(%g: tensor<2xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op weight decay #0 (of @w) must be finite and >= 0, but got -0.1}}
  nf.adamw_multi [@w] grads(%g) m [@w.m] v [@w.v] lr(%lr) step(%lr) betas(0.9, 0.95) eps(1.0e-8) wd [-0.1] : tensor<2xf32>
  return
}

// -----

nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.m : tensor<2xf32> init <zeros> group <state>
func.func @f(%g: tensor<2xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op '@w.v' (v #0) does not name an nf.param in this module}}
  nf.adamw_multi [@w] grads(%g) m [@w.m] v [@w.v] lr(%lr) step(%lr) betas(0.9, 0.95) eps(1.0e-8) wd [0.0] : tensor<2xf32>
  return
}

// -----

// The moments are state tensors, the parameters are not.
nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.v : tensor<2xf32> init <zeros> group <state>
func.func @f(%g: tensor<2xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op @w (m #0) is a trained parameter, not a 'state' tensor}}
  nf.adamw_multi [@w] grads(%g) m [@w] v [@w.v] lr(%lr) step(%lr) betas(0.9, 0.95) eps(1.0e-8) wd [0.0] : tensor<2xf32>
  return
}

// -----

nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.m : tensor<2xf32> init <zeros> group <state>
func.func @f(%g: tensor<2xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op @w.m appears twice (in 'm' and 'v'): the update is in place}}
  nf.adamw_multi [@w] grads(%g) m [@w.m] v [@w.m] lr(%lr) step(%lr) betas(0.9, 0.95) eps(1.0e-8) wd [0.0] : tensor<2xf32>
  return
}

// -----

nf.param @w : tensor<2xf32> init <zeros> group <bias> optimizer <adamw>
nf.param @w.m : tensor<2xf32> init <zeros> group <state>
nf.param @w.v : tensor<2xf32> init <zeros> group <state>
func.func @f(%g: tensor<3xf32>, %lr: tensor<f32>) {
  // expected-error @+1 {{'nf.adamw_multi' op gradient #0 of type 'tensor<3xf32>' does not match @w of type 'tensor<2xf32>'}}
  nf.adamw_multi [@w] grads(%g) m [@w.m] v [@w.v] lr(%lr) step(%lr) betas(0.9, 0.95) eps(1.0e-8) wd [0.0] : tensor<3xf32>
  return
}
