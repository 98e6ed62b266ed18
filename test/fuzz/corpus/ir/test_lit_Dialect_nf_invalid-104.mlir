
// embedding_grad gives a [vocab, d] table.
func.func @f(%t: tensor<2xi32>, %g: tensor<2x4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'nf.embedding_grad' op result must be 2-D [vocab, d], but got [4]}}
  %0 = nf.embedding_grad %t, %g : tensor<2xi32>, tensor<2x4xf32> -> tensor<4xf32>
  return %0 : tensor<4xf32>
}

