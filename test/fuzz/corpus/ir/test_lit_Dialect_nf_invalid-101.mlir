
// linear_grad: W is 2-D.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<4xf32>, %g: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #1 (weight) must have shape [out, 4], but got [4]}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

