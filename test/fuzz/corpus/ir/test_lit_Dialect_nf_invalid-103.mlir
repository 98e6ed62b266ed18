
// linear_grad: the cotangent has the forward result's shape.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x4xf32>, %g: tensor<2x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #2 (grad) must have the forward result's shape [2, 8], but got [2, 4]}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x4xf32>, tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

