
func.func @alpha_f64(%x: tensor<2x8xf32>, %a: tensor<f64>, %w: tensor<4x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #1 (alpha) must have element type 'f32' like the input, but got 'f64'}}
  %y = nf.fused_norm_linear <dyt> %x[%a] weights(%w) : (tensor<2x8xf32>, tensor<f64>, tensor<4x8xf32>) -> tensor<2x4xf32>
  return %y : tensor<2x4xf32>
}

