
// linear_grad: a 0-D input has no in-dimension. (The message blames the
// weight and reports in = 0.)
func.func @f(%x: tensor<f32>, %w: tensor<4x4xf32>, %g: tensor<4xf32>) -> tensor<f32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #0 (input) must have rank >= 1, but got []}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<f32>, tensor<4x4xf32>, tensor<4xf32>
  return %0 : tensor<f32>
}

