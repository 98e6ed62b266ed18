
// Unchanged: derf_ema carries running state and is never fused.
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @s : tensor<f32> init <constant(0.0)> group <scalar>
nf.param @r : tensor<f32> init <constant(1.0)> group <state>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @derf_ema(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %a = nf.get_param @a : tensor<f32>
  %s = nf.get_param @s : tensor<f32>
  %r = nf.get_param @r : tensor<f32>
  %n, %r2 = nf.derf_ema %x, %a, %s, %r momentum(0.99) blend(1.0) : tensor<2x8xf32>, tensor<f32>
  nf.assign_state @r, %r2 : tensor<f32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %y = nf.linear %n, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  return %y : tensor<2x8xf32>
}
