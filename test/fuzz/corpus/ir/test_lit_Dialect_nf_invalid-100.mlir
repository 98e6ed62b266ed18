
// linear_grad: W's in-dimension is the input's last dimension.
func.func @f(%x: tensor<2x4xf32>, %w: tensor<8x3xf32>, %g: tensor<2x8xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.linear_grad' op operand #1 (weight) must have shape [out, 4], but got [8, 3]}}
  %0, %1 = nf.linear_grad %x, %w, %g : tensor<2x4xf32>, tensor<8x3xf32>, tensor<2x8xf32>
  return %0 : tensor<2x4xf32>
}

