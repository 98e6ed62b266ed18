
// The result is the token shape plus d.
func.func @f(%t: tensor<2x3xi32>, %e: tensor<16x4xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'nf.embedding' op result must have shape [2, 3, 4], but got [2, 4]}}
  %0 = nf.embedding %t, %e : tensor<2x3xi32>, tensor<16x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

