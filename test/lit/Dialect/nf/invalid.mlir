// RUN: nf-opt %s -split-input-file -verify-diagnostics
// One case per verifier message of the nf dialect (NFOps.cpp,
// NFAttrs.cpp, NFOptimizerOps.cpp), each with the reason it is invalid.
// The fused op's messages are in fused-norm-linear.mlir.

// An init kind the dialect does not know.
// expected-error @+1 {{unknown init kind 'uniform'; expected normal, ones, zeros or constant}}
nf.param @w : tensor<4x4xf32> init <uniform(0.1)> group <matrix>

// -----

// A normal init needs a positive standard deviation.
// expected-error @+1 {{normal init needs a positive std, got -0.02}}
nf.param @w : tensor<4x4xf32> init <normal(-0.02)> group <matrix>

// -----

// Parameters have static shapes.
// expected-error @+1 {{'nf.param' op parameter @w must have a static shape, but got 'tensor<?x4xf32>'}}
nf.param @w : tensor<?x4xf32> init <normal(0.02)> group <matrix>

// -----

// Parameters are floating point.
// expected-error @+1 {{'nf.param' op parameter @w must have a floating-point element type, but got 'i32'}}
nf.param @w : tensor<4x4xi32> init <zeros> group <matrix>

// -----

// A matrix is 2-D.
// expected-error @+1 {{'nf.param' op a 'matrix' parameter must have rank 2, but @w has shape [4]}}
nf.param @w : tensor<4xf32> init <normal(0.02)> group <matrix>

// -----

// A scale vector is 1-D.
// expected-error @+1 {{'nf.param' op a 'scale' parameter must have rank 1, but @g has shape [4, 4]}}
nf.param @g : tensor<4x4xf32> init <ones> group <scale>

// -----

// A scalar is 0-D.
// expected-error @+1 {{'nf.param' op a 'scalar' parameter must have rank 0, but @a has shape [1]}}
nf.param @a : tensor<1xf32> init <constant(0.5)> group <scalar>

// -----

// A magnitude is 0-D or 1-D.
// expected-error @+1 {{'nf.param' op a 'magnitude' parameter must have rank 0 or 1, but @g has shape [2, 2]}}
nf.param @g : tensor<2x2xf32> init <ones> group <magnitude>

// -----

// Only scale vectors have a norm role.
// expected-error @+1 {{'nf.param' op a norm role belongs to 'scale' parameters, but @b is in group 'bias'}}
nf.param @b : tensor<4xf32> init <zeros> group <bias> role <input>

// -----

// Weight decay is not negative.
// expected-error @+1 {{'nf.param' op attribute 'weight_decay' must be in [0, inf), but got -0.1}}
nf.param @w : tensor<4x4xf32> init <normal(0.02)> group <matrix> weight_decay(-0.1)

// -----

// A parameter cannot be derived from itself.
// expected-error @+1 {{'nf.param' op @g cannot be derived from itself or from ''}}
nf.param @g : tensor<4xf32> init <ones> group <scale> derived_from("g")

// -----

// State is not trained.
// expected-error @+1 {{'nf.param' op @r is a 'state' tensor, which is not trained: it takes no optimizer and no weight_decay}}
nf.param @r : tensor<f32> init <constant(1.0)> group <state> optimizer <adamw>

// -----

// Muon needs a matrix.
// expected-error @+1 {{'nf.param' op muon updates 2-D matrices only, but @g has shape [4]}}
nf.param @g : tensor<4xf32> init <ones> group <scale> optimizer <muon>

// -----

// Reading a parameter that does not exist.
func.func @f() -> tensor<4xf32> {
  // expected-error @+1 {{'nf.get_param' op '@nope' does not name an nf.param in this module}}
  %0 = nf.get_param @nope : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Reading a parameter at the wrong type.
nf.param @g : tensor<4xf32> init <ones> group <scale>
func.func @f() -> tensor<8xf32> {
  // expected-error @+1 {{'nf.get_param' op result type 'tensor<8xf32>' does not match parameter @g of type 'tensor<4xf32>'}}
  %0 = nf.get_param @g : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Only state can be assigned.
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

// A row normalization needs a last dimension.
func.func @f(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.rmsnorm' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.rmsnorm %x eps(1.0e-6) : tensor<f32>
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

// Derf's alpha has the input's element type.
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.derf %x, %a, %a : tensor<2x4xf32>, tensor<f64>
  return %0 : tensor<2x4xf32>
}

// -----

// The EMA momentum is in [0, 1).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op attribute 'momentum' must be in [0, 1), but got 1}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(1.0) blend(1.0) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

// -----

// The EMA blend is in [0, 1].
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.derf_ema' op attribute 'blend' must be in [0, 1], but got 1.5}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.99) blend(1.5) : tensor<2x4xf32>, tensor<f32>
  return %0 : tensor<2x4xf32>
}

// -----

// derf_ema needs a last dimension.
func.func @f(%x: tensor<f32>, %a: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.derf_ema' op operand #0 (input) must have rank >= 1, but got []}}
  %0, %1 = nf.derf_ema %x, %a, %a, %a momentum(0.99) blend(1.0) : tensor<f32>, tensor<f32>
  return %0 : tensor<f32>
}

// -----

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

// beta runs over the last dimension.
func.func @f(%x: tensor<2x4xf32>, %b: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.bias_add' op operand #1 (bias) must have shape [4] (the input's last dimension), but got [2, 4]}}
  %0 = nf.bias_add %x, %b : tensor<2x4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// A scale vector needs a last dimension to scale.
func.func @f(%x: tensor<f32>, %g: tensor<1xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.scale' op operand #0 (input) must have rank >= 1, but got []}}
  %0 = nf.scale %x, %g : tensor<f32>, tensor<1xf32>
  return %0 : tensor<f32>
}

// -----

// W is [out, in].
func.func @f(%x: tensor<2x4xf32>, %w: tensor<4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear' op operand #1 (weight) must be 2-D [out, in], but got [4]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// W's in-dimension is the input's last dimension.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x3xf32>) -> tensor<2x8xf32> {
  // expected-error @+1 {{'nf.linear' op operand #1 (weight) must have shape [8, 4] ([out, in], in = the input's last dimension), but got [8, 3]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x3xf32> -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// The result is the input with its last dimension replaced by out.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear' op result must have shape [2, 8], but got [2, 4]}}
  %0 = nf.linear %x, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
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

// The table is [vocab, d].
func.func @f(%t: tensor<2x3xi32>, %e: tensor<16xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.embedding' op operand #1 (table) must be 2-D [vocab, d], but got [16]}}
  %0 = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
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
func.func @f(%t: tensor<2x3xf32>, %e: tensor<16x4xf32>) -> tensor<2x3x4xf32> {
  // expected-error @+1 {{'nf.embedding' op operand #0 must be statically shaped tensor of 32-bit signless integer values, but got 'tensor<2x3xf32>'}}
  %0 = nf.embedding %t, %e : tensor<2x3xf32>, tensor<16x4xf32> -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// split_heads takes [B, T, D].
func.func @f(%x: tensor<2x8xf32>) -> tensor<2x1x2x4xf32> {
  // expected-error @+1 {{'nf.split_heads' op operand #0 (input) must be [B, T, D], but got [2, 8]}}
  %0 = nf.split_heads %x : tensor<2x8xf32> -> tensor<2x1x2x4xf32>
  return %0 : tensor<2x1x2x4xf32>
}

// -----

// split_heads keeps H * hd = D.
func.func @f(%x: tensor<2x3x8xf32>) -> tensor<2x3x3x4xf32> {
  // expected-error @+1 {{'nf.split_heads' op result must be [2, 3, H, hd] with H * hd = 8, but got [2, 3, 3, 4]}}
  %0 = nf.split_heads %x : tensor<2x3x8xf32> -> tensor<2x3x3x4xf32>
  return %0 : tensor<2x3x3x4xf32>
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

// Attention works on [B, T, H, hd].
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

// RoPE rotates pairs, so the head dimension is even.
func.func @f(%q: tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32> {
  // expected-error @+1 {{'nf.attention' op rope rotates pairs of channels: the head dimension must be even, but got 3}}
  %0 = nf.attention %q, %q, %q rope(1.0e4) : tensor<1x2x2x3xf32>
  return %0 : tensor<1x2x2x3xf32>
}

// -----

// rhs broadcasts over leading dimensions only.
func.func @f(%x: tensor<2x4xf32>, %y: tensor<2xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.add' op operand #1 (rhs) must have lhs's shape [2, 4] or a suffix of it (broadcast over leading dimensions), but got [2]}}
  %0 = nf.add %x, %y : tensor<2x4xf32>, tensor<2xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// rhs has lhs's element type.
func.func @f(%x: tensor<2x4xf32>, %y: tensor<4xf64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.mul' op operand #1 (rhs) must have element type 'f32' like the input, but got 'f64'}}
  %0 = nf.mul %x, %y : tensor<2x4xf32>, tensor<4xf64>
  return %0 : tensor<2x4xf32>
}

// -----

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

// reduce_to sums leading dimensions away.
func.func @f(%x: tensor<2x4xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'nf.reduce_to' op result shape [2] must be a suffix of the input shape [2, 4]}}
  %0 = nf.reduce_to %x : tensor<2x4xf32> -> tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// linear_grad: W's in-dimension.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x3xf32>, %g: tensor<2x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #1 (weight) must have shape [out, 4], but got [8, 3]}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x3xf32>, tensor<2x8xf32>
  return %0 : tensor<2x4xf32>
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

// The final lr ratio is in [0, 1].
func.func @f(%t: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.lr_factor' op attribute 'min_ratio' must be in [0, 1], but got 2}}
  %0 = nf.lr_factor %t <warmup_cosine> warmup(10) total(100) decay(0) min(2.0)
  return %0 : tensor<f32>
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
