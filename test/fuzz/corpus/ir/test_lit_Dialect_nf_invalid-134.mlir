
// cross_entropy_grad: targets are the logits without the vocabulary.
func.func @f(%l: tensor<2x5xf32>, %t: tensor<7xi32>, %g: tensor<f32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'nf.cross_entropy_grad' op operand #1 (targets) must have shape [2] (the logits without the vocabulary dimension), but got [7]}}
  %0 = nf.cross_entropy_grad %l, %t, %g : tensor<2x5xf32>, tensor<7xi32>, tensor<f32>
  return %0 : tensor<2x5xf32>
}

