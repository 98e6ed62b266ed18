
// A fused op's scale vectors have the input's element type.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<4xf64>, %w: tensor<3x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op gammas must have element type 'f32' like the input, but got 'f64'}}
  %y = nf.fused_norm_linear <rmsnorm> %x eps(1.0e-6) scale(%g) weights(%w) : (tensor<2x4xf32>, tensor<4xf64>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

