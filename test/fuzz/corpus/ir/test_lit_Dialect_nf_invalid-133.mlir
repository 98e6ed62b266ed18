
// scale_grad: gamma runs over the last dimension.
func.func @f(%x: tensor<2x4xf32>, %g: tensor<3x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.scale_grad' op operand #1 (gamma) must have shape [4] (the input's last dimension), but got [3, 3]}}
  %0, %1 = nf.scale_grad %x, %g, %x : tensor<2x4xf32>, tensor<3x3xf32>
  return %0 : tensor<2x4xf32>
}

