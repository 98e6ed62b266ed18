
// embedding_grad: the cotangent is the token shape plus d.
func.func @f(%t: tensor<2xi32>, %g: tensor<3x4xf32>) -> tensor<16x4xf32> {
  // expected-error @+1 {{'nf.embedding_grad' op operand #1 (grad) must have shape [2, 4], but got [3, 4]}}
  %0 = nf.embedding_grad %t, %g : tensor<2xi32>, tensor<3x4xf32> -> tensor<16x4xf32>
  return %0 : tensor<16x4xf32>
}

