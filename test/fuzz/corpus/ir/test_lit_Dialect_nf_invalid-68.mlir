
// The rows looked up have the table's element type.
func.func @f(%t: tensor<2xi32>, %e: tensor<16x4xf32>) -> tensor<2x4xf16> {
  // expected-error @+1 {{'nf.embedding' op result must have element type 'f32' like the table, but got 'f16'}}
  %0 = nf.embedding %t, %e : tensor<2xi32>, tensor<16x4xf32> -> tensor<2x4xf16>
  return %0 : tensor<2x4xf16>
}

