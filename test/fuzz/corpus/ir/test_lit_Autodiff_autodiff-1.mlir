
// Broadcast operands get their cotangent summed back (nf.reduce_to); a
// scalar multiplier gets dy * lhs reduced to a scalar; the Derf-EMA running
// RMS is state: no gradient, and nf.assign_state is kept.
nf.param @pos : tensor<4x8xf32> init <normal(0.02)> group <embedding>
nf.param @s : tensor<f32> init <constant(2.0)> group <scalar>
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @sh : tensor<f32> init <constant(0.0)> group <scalar>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
func.func @forward(%x: tensor<2x4x8xf32>, %y: tensor<2x4xi32>) -> tensor<f32> {
  %p = nf.get_param @pos : tensor<4x8xf32>
  %xp = nf.add %x, %p : tensor<2x4x8xf32>, tensor<4x8xf32>
  %s = nf.get_param @s : tensor<f32>
  %xs = nf.mul %xp, %s : tensor<2x4x8xf32>, tensor<f32>
  %a = nf.get_param @a : tensor<f32>
  %sh = nf.get_param @sh : tensor<f32>
  %r = nf.get_param @r : tensor<f32>
  %z, %r2 = nf.derf_ema %xs, %a, %sh, %r momentum(0.99) blend(1.0) : tensor<2x4x8xf32>, tensor<f32>
  nf.assign_state @r, %r2 : tensor<f32>
  %loss = nf.cross_entropy %z, %y : tensor<2x4x8xf32>, tensor<2x4xi32> -> tensor<f32>
  return %loss : tensor<f32>
}

