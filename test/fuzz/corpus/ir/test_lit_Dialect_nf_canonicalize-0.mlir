
// nf's compute ops and nf.get_param are Pure: identical ones fold into one
// (CSE) and unused ones go away (DCE). nf.assign_state and nf.update_param
// write parameters, so they stay even when nothing uses them and even when
// they repeat.

nf.param @g : tensor<4xf32> init <ones> group <scale>
nf.param @w : tensor<8x4xf32> init <normal(0.02)> group <matrix>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>

// Duplicates of pure ops are merged.
func.func @cse_pure(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %g1 = nf.get_param @g : tensor<4xf32>
  %g2 = nf.get_param @g : tensor<4xf32>
  %n1 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xf32>
  %n2 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xf32>
  %s1 = nf.scale %n1, %g1 : tensor<2x4xf32>, tensor<4xf32>
  %s2 = nf.scale %n2, %g2 : tensor<2x4xf32>, tensor<4xf32>
  return %s1, %s2 : tensor<2x4xf32>, tensor<2x4xf32>
}

// The same, with the value flow spelled out: both results are one value.
func.func @cse_flow(%x: tensor<2x4xf32>) -> (tensor<2x4xf32>, tensor<2x4xf32>) {
  %g1 = nf.get_param @g : tensor<4xf32>
  %n1 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xf32>
  %s1 = nf.scale %n1, %g1 : tensor<2x4xf32>, tensor<4xf32>
  %g2 = nf.get_param @g : tensor<4xf32>
  %n2 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xf32>
  %s2 = nf.scale %n2, %g2 : tensor<2x4xf32>, tensor<4xf32>
  return %s1, %s2 : tensor<2x4xf32>, tensor<2x4xf32>
}

// An op with two results is merged as a whole.
func.func @cse_multi_result(%x: tensor<2x4xf32>, %a: tensor<f32>) -> (tensor<2x4xf32>, tensor<f32>, tensor<2x4xf32>, tensor<f32>) {
  %0:2 = nf.derf_ema %x, %a, %a, %a momentum(0.9) blend(0.5) : tensor<2x4xf32>, tensor<f32>
  %1:2 = nf.derf_ema %x, %a, %a, %a momentum(0.9) blend(0.5) : tensor<2x4xf32>, tensor<f32>
  return %0#0, %0#1, %1#0, %1#1 : tensor<2x4xf32>, tensor<f32>, tensor<2x4xf32>, tensor<f32>
}

// Ops that differ in an attribute, an operand or a symbol are not merged.
func.func @no_cse_when_different(%x: tensor<2x4xf32>, %q: tensor<1x2x2x4xf32>)
    -> (tensor<2x4xf32>, tensor<2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<4xf32>, tensor<f32>) {
  %n1 = nf.rmsnorm %x eps(1.0e-6) : tensor<2x4xf32>
  %n2 = nf.rmsnorm %x eps(1.0e-5) : tensor<2x4xf32>
  %a1 = nf.attention %q, %q, %q rope(1.0e4) : tensor<1x2x2x4xf32>
  %a2 = nf.attention %q, %q, %q : tensor<1x2x2x4xf32>
  %g = nf.get_param @g : tensor<4xf32>
  %r = nf.get_param @r : tensor<f32>
  return %n1, %n2, %a1, %a2, %g, %r : tensor<2x4xf32>, tensor<2x4xf32>, tensor<1x2x2x4xf32>, tensor<1x2x2x4xf32>, tensor<4xf32>, tensor<f32>
}

// Unused pure ops are erased, down to an empty body.
func.func @dce_pure(%x: tensor<2x4xf32>, %a: tensor<f32>, %t: tensor<2xi32>) -> tensor<2x4xf32> {
  %g = nf.get_param @g : tensor<4xf32>
  %w = nf.get_param @w : tensor<8x4xf32>
  %0 = nf.layernorm %x eps(1.0e-5) : tensor<2x4xf32>
  %1 = nf.scale %0, %g : tensor<2x4xf32>, tensor<4xf32>
  %2 = nf.linear %1, %w : tensor<2x4xf32>, tensor<8x4xf32> -> tensor<2x8xf32>
  %3 = nf.gelu %2 : tensor<2x8xf32>
  %4 = nf.dyt %x, %a : tensor<2x4xf32>, tensor<f32>
  %5:2 = nf.derf_ema %x, %a, %a, %a momentum(0.9) blend(0.5) : tensor<2x4xf32>, tensor<f32>
  %6 = nf.cross_entropy %x, %t : tensor<2x4xf32>, tensor<2xi32> -> tensor<f32>
  return %x : tensor<2x4xf32>
}

// assign_state has a side effect: it stays although it has no result, and
// both writes stay (neither CSE nor DCE touches it). The pure ops that
// compute its value stay with it; the duplicate get_param is still merged.
func.func @keep_assign_state(%x: tensor<2x4xf32>, %a: tensor<f32>) {
  %r1 = nf.get_param @r : tensor<f32>
  %r2 = nf.get_param @r : tensor<f32>
  %y:2 = nf.derf_ema %x, %a, %a, %r1 momentum(0.9) blend(0.5) : tensor<2x4xf32>, tensor<f32>
  %z:2 = nf.derf_ema %x, %a, %a, %r2 momentum(0.9) blend(0.5) : tensor<2x4xf32>, tensor<f32>
  nf.assign_state @r, %y#1 : tensor<f32>
  nf.assign_state @r, %z#1 : tensor<f32>
  return
}

// nf.update_param is a write as well.
func.func @keep_update_param(%v: tensor<8x4xf32>) {
  nf.update_param @w, %v : tensor<8x4xf32>
  return
}
