
func.func @rms_with_alpha(%x: tensor<2x8xf32>, %a: tensor<f32>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op rmsnorm takes 0 scalar operand(s) (alpha, shift), but got 1}}
  %y = nf.fused_norm_linear <rmsnorm> %x[%a] eps(1.0e-6) weights(%w) : (tensor<2x8xf32>, tensor<f32>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

