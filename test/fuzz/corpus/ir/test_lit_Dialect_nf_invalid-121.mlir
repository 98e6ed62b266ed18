
// A fused op's shift has the input's element type (named as the shift, operand #2).
func.func @f(%x: tensor<2x4xf32>, %a: tensor<f32>, %s: tensor<f64>, %w: tensor<3x4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'nf.fused_norm_linear' op operand #2 (shift) must have element type 'f32' like the input, but got 'f64'}}
  %y = nf.fused_norm_linear <derf> %x[%a, %s] weights(%w) : (tensor<2x4xf32>, tensor<f32>, tensor<f64>, tensor<3x4xf32>) -> tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

