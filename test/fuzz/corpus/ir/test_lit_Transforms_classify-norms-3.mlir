
// One consumer that is not a linear map is enough: Post-Norm's output feeds
// both the next linear map and the residual stream -> output.
nf.param @a : tensor<f32> init <constant(0.5)> group <scalar>
nf.param @g : tensor<8xf32> init <ones> group <scale>
nf.param @w : tensor<8x8xf32> init <normal(0.02)> group <matrix>
func.func @post_norm(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %a = nf.get_param @a : tensor<f32>
  %g = nf.get_param @g : tensor<8xf32>
  %w = nf.get_param @w : tensor<8x8xf32>
  %n = nf.dyt %x, %a : tensor<2x8xf32>, tensor<f32>
  %s = nf.scale %n, %g : tensor<2x8xf32>, tensor<8xf32>
  %y = nf.linear %s, %w : tensor<2x8xf32>, tensor<8x8xf32> -> tensor<2x8xf32>
  %z = nf.add %s, %y : tensor<2x8xf32>, tensor<2x8xf32>
  return %z : tensor<2x8xf32>
}

