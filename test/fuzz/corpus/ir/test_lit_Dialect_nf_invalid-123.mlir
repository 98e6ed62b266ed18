
// A fused op's results have the input's element type.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) -> tensor<2x3xf16> {
  // expected-error @+1 {{'nf.fused_norm_linear' op result must have element type 'f32' like the input, but got 'f16'}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) weights(%w) : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf16>
  return %y : tensor<2x3xf16>
}

