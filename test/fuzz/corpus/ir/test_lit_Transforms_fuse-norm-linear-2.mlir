
// Derf with alpha and shift, no scale vector (dropped), one weight.
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @s : tensor<f32> init <constant(0.0)> group <scalar>
nf.param @w : tensor<16x8xf32> init <normal(0.02)> group <matrix>
func.func @derf_unscaled(%x: tensor<2x8xf32>) -> tensor<2x16xf32> {
  %a = nf.get_param @a : tensor<f32>
  %s = nf.get_param @s : tensor<f32>
  %n = nf.derf %x, %a, %s : tensor<2x8xf32>, tensor<f32>
  %w = nf.get_param @w : tensor<16x8xf32>
  %y = nf.linear %n, %w : tensor<2x8xf32>, tensor<16x8xf32> -> tensor<2x16xf32>
  return %y : tensor<2x16xf32>
}

