
// embedding_grad: the table gradient has the cotangent's element type.
func.func @f(%t: tensor<2xi32>, %g: tensor<2x4xf32>) -> tensor<16x4xf16> {
  // expected-error @+1 {{'nf.embedding_grad' op result must have element type 'f32' like the grad, but got 'f16'}}
  %0 = nf.embedding_grad %t, %g : tensor<2xi32>, tensor<2x4xf32> -> tensor<16x4xf16>
  return %0 : tensor<16x4xf16>
}

